"""Document arithmetic, the service's way: Decimal, half-up to cents, per line.

Per line: subtotal = quantity x unit_price; discount_amount = subtotal x discount %;
tax_amount = (subtotal - discount_amount) x tax %; total = subtotal - discount + tax; each
rounded half-up to cents. The document adds the rounded line figures up:
sum, discount, before_taxes = sum - discount, taxes, total = before_taxes + taxes.
Retention (withholding) does not change the total; it only changes what the client pays.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
ZERO = Decimal("0")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineTotals:
    subtotal: Decimal
    discount_amount: Decimal
    tax_amount: Decimal
    total: Decimal


@dataclass(frozen=True)
class DocumentTotals:
    sum: Decimal
    discount: Decimal
    before_taxes: Decimal
    taxes: Decimal
    total: Decimal


def line_totals(
    quantity: Decimal, unit_price: Decimal, discount: Decimal, tax_value: Decimal
) -> LineTotals:
    subtotal = cents(quantity * unit_price)
    discount_amount = cents(subtotal * discount / HUNDRED)
    tax_amount = cents((subtotal - discount_amount) * tax_value / HUNDRED)
    return LineTotals(
        subtotal=subtotal,
        discount_amount=discount_amount,
        tax_amount=tax_amount,
        total=subtotal - discount_amount + tax_amount,
    )


def document_totals(lines) -> DocumentTotals:
    """Totals of objects with subtotal / discount_amount / tax_amount (LineTotals or lines)."""
    total_sum = sum((line.subtotal for line in lines), ZERO)
    discount = sum((line.discount_amount for line in lines), ZERO)
    taxes = sum((line.tax_amount for line in lines), ZERO)
    before_taxes = total_sum - discount
    return DocumentTotals(
        sum=total_sum,
        discount=discount,
        before_taxes=before_taxes,
        taxes=taxes,
        total=before_taxes + taxes,
    )


def retention_amount(before_taxes: Decimal, retention: Decimal | None) -> Decimal:
    """What the client withholds: retention % of the amount before taxes."""
    if not retention:
        return ZERO
    return cents(before_taxes * retention / HUNDRED)
