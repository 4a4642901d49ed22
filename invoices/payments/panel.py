"""What an invoice's Payments card shows: paid, pending, its receipts and the form."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from invoices import company_cache
from invoices.invoicexpress.errors import InvoiceXpressError
from invoices.invoicexpress.records import Document
from invoices.models import Account, Role
from invoices.models.payments import Payment
from invoices.payments.forms import PaymentForm, ReceiptCancelForm
from invoices.payments.services import OPEN_STATUSES, PAYABLE_TYPES

ZERO = Decimal("0")
CENT = Decimal("0.01")


@dataclass
class PaymentPanel:
    doc: Document
    payable: Decimal
    paid: Decimal
    pending: Decimal
    payments: list[Payment]
    form: PaymentForm | None = None
    cancel_form: ReceiptCancelForm | None = None
    can_cancel: bool = False
    can_register: bool = False
    settled_elsewhere: bool = False
    notices: list[str] = field(default_factory=list)


def shows_payments(doc: Document) -> bool:
    return doc.type.name in PAYABLE_TYPES and doc.status in (*OPEN_STATUSES, "settled")


def series_names(account: Account) -> list[str]:
    try:
        return [s.serie for s in company_cache.get_sequences(account)]
    except InvoiceXpressError:
        return []  # the default series still works


def payment_panel(
    account: Account,
    doc: Document,
    *,
    form: PaymentForm | None = None,
    with_form: bool = False,
    notices=None,
) -> PaymentPanel | None:
    """The card; `with_form` adds a fresh payment form (it lists the company's series, an
    upstream call the document page itself does not make: the page shows a button)."""
    if not shows_payments(doc):
        return None
    payments = list(Payment.objects.for_document(account, doc.id))
    if doc.status == "settled" and not payments:
        return None  # paid on the spot (simplified invoice) or settled by hand: nothing to show
    paid = sum((p.amount for p in payments if p.status == Payment.Status.REGISTERED), ZERO)
    payable = doc.total_payable.quantize(CENT)  # JSON gives 246.0: a form shows 246.00
    pending = max(payable - paid, ZERO).quantize(CENT)
    settled_elsewhere = doc.status == "settled" and pending > 0
    if doc.status == "settled":
        pending = ZERO
    role = Role(account.role)
    can_register = role.allows(Role.CLERK) and doc.status in OPEN_STATUSES and pending > 0
    if form is None and with_form and can_register:
        form = PaymentForm(
            initial={"token": uuid.uuid4()}, pending=pending, series=series_names(account)
        )
    return PaymentPanel(
        doc=doc,
        payable=payable,
        paid=paid,
        pending=pending,
        payments=payments,
        form=form,
        cancel_form=ReceiptCancelForm() if role.allows(Role.MANAGER) else None,
        can_cancel=role.allows(Role.MANAGER),
        can_register=can_register,
        settled_elsewhere=settled_elsewhere,
        notices=list(notices or []),
    )
