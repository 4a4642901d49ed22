"""The create form's totals preview: an estimate computed the way the service computes.

Per line, each figure rounded half-up to cents: subtotal = quantity x unit price;
discount = subtotal x discount %; tax = (subtotal - discount) x rate. The document adds the
rounded line figures: sum, discount, before taxes = sum - discount, taxes (also shown per
rate), total = before taxes + taxes. Retention (withholding) = before taxes x retention %;
it never changes the total, only what the client pays.

It is labelled an estimate on the page: the service's own totals, shown on the document
page after creation, are the truth (it may round once per rate instead of per line).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
ZERO = Decimal("0.00")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineInput:
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal = Decimal("0")  # percent, 0-100
    tax_rate: Decimal = Decimal("0")  # percent
    tax_name: str = ""


@dataclass(frozen=True)
class LineEstimate:
    subtotal: Decimal
    discount_amount: Decimal
    before_taxes: Decimal
    tax_rate: Decimal
    tax_name: str
    tax_amount: Decimal
    total: Decimal


@dataclass(frozen=True)
class RateTotal:
    rate: Decimal
    names: tuple[str, ...]  # the tax names at this rate ("IVA23"; "Isento")
    base: Decimal  # the amount before taxes the rate applies to
    amount: Decimal


@dataclass(frozen=True)
class Estimate:
    lines: tuple[LineEstimate, ...]
    sum: Decimal
    discount: Decimal
    before_taxes: Decimal
    taxes_by_rate: tuple[RateTotal, ...]
    taxes: Decimal
    total: Decimal
    retention_rate: Decimal
    retention: Decimal
    payable: Decimal  # what the client pays: total less the withholding

    @property
    def has_zero_rate(self) -> bool:
        return any(line.tax_rate == 0 for line in self.lines)


def estimate_line(line: LineInput) -> LineEstimate:
    subtotal = cents(line.quantity * line.unit_price)
    discount_amount = cents(subtotal * line.discount / HUNDRED)
    before_taxes = subtotal - discount_amount
    tax_amount = cents(before_taxes * line.tax_rate / HUNDRED)
    return LineEstimate(
        subtotal=subtotal,
        discount_amount=discount_amount,
        before_taxes=before_taxes,
        tax_rate=line.tax_rate,
        tax_name=line.tax_name,
        tax_amount=tax_amount,
        total=before_taxes + tax_amount,
    )


def estimate(lines: Iterable[LineInput], retention: Decimal | None = None) -> Estimate:
    estimates = tuple(estimate_line(line) for line in lines)
    total_sum = sum((e.subtotal for e in estimates), ZERO)
    discount = sum((e.discount_amount for e in estimates), ZERO)
    before_taxes = total_sum - discount
    by_rate: dict[Decimal, list[LineEstimate]] = {}
    for e in estimates:
        by_rate.setdefault(e.tax_rate.normalize(), []).append(e)
    taxes_by_rate = tuple(
        RateTotal(
            rate=rate,
            names=tuple(dict.fromkeys(e.tax_name for e in group if e.tax_name)),
            base=sum((e.before_taxes for e in group), ZERO),
            amount=sum((e.tax_amount for e in group), ZERO),
        )
        for rate, group in sorted(by_rate.items(), key=lambda item: item[0], reverse=True)
    )
    taxes = sum((e.tax_amount for e in estimates), ZERO)
    total = before_taxes + taxes
    retention_rate = retention or Decimal("0")
    retention_amount = cents(before_taxes * retention_rate / HUNDRED) if retention_rate else ZERO
    return Estimate(
        lines=estimates,
        sum=total_sum,
        discount=discount,
        before_taxes=before_taxes,
        taxes_by_rate=taxes_by_rate,
        taxes=taxes,
        total=total,
        retention_rate=retention_rate,
        retention=retention_amount,
        payable=total - retention_amount,
    )
