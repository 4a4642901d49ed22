"""Partial payments: `POST /documents/{id}/partial_payments.json` makes a receipt (RG) for an
invoice; when the receipts reach what the client owes, the invoice is settled. Canceling a
receipt puts a settled invoice back to final."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum

from sandbox.doctypes import DocType
from sandbox.models import SandboxDocument, SandboxSequenceCounter, Status
from sandbox.services import StateChangeError, document_finalize
from sandbox.validation import parse_date, to_decimal

MECHANISMS = ("CC", "CD", "CH", "CO", "CS", "DE", "LC", "MB", "NU", "OU", "PR", "TB", "TR")
PAYABLE_TYPES = (DocType.INVOICE, DocType.SIMPLIFIED_INVOICE)
CENT = Decimal("0.01")


@dataclass
class PaymentPlan:
    amount: Decimal
    payment_date: date
    mechanism: str
    note: str
    counter: SandboxSequenceCounter | None


def payable(invoice: SandboxDocument) -> Decimal:
    """What the client owes on the invoice: the total less the withholding."""
    withheld = Decimal("0")
    if invoice.retention:
        withheld = (invoice.before_taxes * invoice.retention / 100).quantize(
            CENT, rounding=ROUND_HALF_UP
        )
    return invoice.total - withheld


def paid(invoice: SandboxDocument) -> Decimal:
    receipts = SandboxDocument.objects.filter(
        owner=invoice, doc_type=DocType.RECEIPT, status__in=(Status.FINAL, Status.SETTLED)
    )
    return receipts.aggregate(s=Sum("total"))["s"] or Decimal("0")


def check_payment(invoice: SandboxDocument, data: dict) -> tuple[PaymentPlan | None, list[str]]:
    """Every failed rule at once, like the service, or the plan."""
    errors: list[str] = []
    if invoice.doc_type not in PAYABLE_TYPES:
        return None, ["Partial payments can only be made on invoices and simplified invoices"]
    if invoice.status == Status.SETTLED:
        return None, ["Document is already settled"]
    if invoice.status not in (Status.FINAL, Status.SENT):
        return None, [f"A {invoice.status} document can't receive payments"]
    amount = to_decimal(data.get("amount"))
    due = payable(invoice) - paid(invoice)
    if amount is None:
        errors.append("Amount can't be blank")
    elif amount <= 0:
        errors.append("Amount must be greater than 0")
    elif amount.quantize(CENT) != amount:
        errors.append("Amount must have at most two decimals")
    elif amount > due:
        errors.append(f"Amount can't be greater than the amount due ({due:.2f})")
    raw_date = data.get("payment_date")
    payment_date = parse_date(raw_date) if raw_date not in (None, "") else None
    if raw_date in (None, ""):
        errors.append("Payment date can't be blank")
    elif payment_date is None:
        errors.append("Payment date is invalid")
    elif payment_date < invoice.date:
        errors.append("Payment date can't be earlier than the document date")
    mechanism = str(data.get("payment_mechanism") or "").strip().upper()
    if mechanism not in MECHANISMS:
        errors.append("Payment mechanism is not included in the list")
    counter = None
    counters = SandboxSequenceCounter.objects.filter(
        sequence__account_id=invoice.account_id, kind="receipt"
    )
    serie = str(data.get("serie") or "").strip()
    if serie:
        counter = counters.filter(sequence__serie=serie).first()
        if counter is None:
            errors.append(f"Serie {serie} was not found")
    else:
        counter = counters.filter(sequence__is_default=True).first()
    if errors:
        return None, errors
    note = str(data.get("note") or "").strip()[:200]
    return PaymentPlan(amount, payment_date, mechanism, note, counter), []


def payment_register(invoice: SandboxDocument, plan: PaymentPlan) -> SandboxDocument:
    """The receipt, finalized (numbered in the series' receipt counter); settles when paid."""
    with transaction.atomic():
        # One payment at a time per invoice: two racing could both fit under the total.
        invoice = SandboxDocument.objects.select_for_update().get(pk=invoice.pk)
        if plan.amount > payable(invoice) - paid(invoice):
            raise StateChangeError("Amount can't be greater than the amount due")
        receipt = SandboxDocument.objects.create(
            account=invoice.account,
            doc_type=DocType.RECEIPT,
            client=invoice.client,
            counter=plan.counter,
            date=plan.payment_date,
            due_date=plan.payment_date,
            observations=plan.note,
            owner=invoice,
            payment_mechanism=plan.mechanism,
            sum=plan.amount,
            before_taxes=plan.amount,
            total=plan.amount,
        )
        receipt.account = invoice.account
        document_finalize(receipt, Status.FINAL)
        if paid(invoice) >= payable(invoice):
            SandboxDocument.objects.filter(pk=invoice.pk, status=invoice.status).update(
                status=Status.SETTLED
            )
    return receipt


def receipt_canceled(receipt: SandboxDocument) -> None:
    """After a receipt is canceled: its invoice owes money again, so it is no longer settled."""
    invoice = receipt.owner
    if invoice is None or invoice.status != Status.SETTLED:
        return
    if paid(invoice) < payable(invoice):
        SandboxDocument.objects.filter(pk=invoice.pk, status=Status.SETTLED).update(
            status=Status.FINAL
        )
