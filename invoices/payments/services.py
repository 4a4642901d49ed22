"""Register a payment (a receipt upstream) once, cancel a receipt; both audited.

`POST /documents/{id}/partial_payments.json` has no idempotency key: the Payment row, claimed
under the form's token before the call, is what stops a double click or a resubmit from
paying twice, and a payment whose answer was lost is never resent automatically.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.utils.translation import gettext as _

from invoices.invoicexpress.errors import (
    BadResponse,
    InvoiceXpressError,
    ServerError,
    Unreachable,
)
from invoices.invoicexpress.records import Document
from invoices.models import Account, AuditEntry
from invoices.models.payments import Payment

PAYABLE_TYPES = ("Invoice", "SimplifiedInvoice")
OPEN_STATUSES = ("final", "sent")


def payment_register(
    *,
    account: Account,
    user,
    invoice: Document,
    token: uuid.UUID,
    amount: Decimal,
    payment_date: dt.date,
    mechanism: str,
    note: str = "",
    serie: str = "",
) -> Payment:
    """The payment for this form token; only the request that claims it calls upstream."""
    payment, claimed = Payment.claim(
        account=account,
        token=token,
        user=user if getattr(user, "pk", None) else None,
        document_type=invoice.type.path,
        document_id=invoice.id,
        amount=amount,
        payment_date=payment_date,
        mechanism=mechanism,
        note=note,
        serie=serie,
    )
    if not claimed:
        return payment
    target = _("%(amount)s € on %(number)s") % {
        "amount": f"{amount:.2f}",
        "number": invoice.display_number,
    }
    try:
        receipt = account.client().register_payment(
            invoice.id,
            amount=amount,
            payment_date=payment_date,
            mechanism=mechanism,
            note=note,
            serie=serie,
        )
    except (Unreachable, ServerError, BadResponse) as exc:
        message = _(
            "%(error)s We do not know whether InvoiceXpress registered the payment: check the "
            "invoice's receipts on InvoiceXpress before registering it again."
        ) % {"error": exc.message}
        payment.mark(Payment.Status.UNKNOWN, message)
        _audit(account, user, invoice, target, AuditEntry.Outcome.UNKNOWN, message)
    except InvoiceXpressError as exc:
        payment.mark(Payment.Status.FAILED, exc.message)
        _audit(account, user, invoice, target, AuditEntry.Outcome.FAILED, exc.message)
    except BaseException:
        payment.mark(
            Payment.Status.UNKNOWN, _("The request was interrupted; the outcome is unknown.")
        )
        _audit(account, user, invoice, target, AuditEntry.Outcome.UNKNOWN, "interrupted")
        raise
    else:
        payment.mark_registered(receipt.id, receipt.display_number)
        detail = _("Receipt %(number)s (id %(id)s)") % {
            "number": receipt.display_number,
            "id": receipt.id,
        }
        _audit(account, user, invoice, target, AuditEntry.Outcome.OK, detail)
    return payment


def receipt_cancel(*, account: Account, user, payment: Payment, reason: str) -> str:
    """Cancel the payment's receipt upstream; "" when done, else why not (fit to show)."""
    if payment.status != Payment.Status.REGISTERED or payment.receipt_id is None:
        return _("This receipt is not active, so it cannot be canceled.")
    target = _("Receipt %(number)s") % {"number": payment.receipt_number}
    try:
        account.client().cancel_receipt(payment.receipt_id, reason)
    except InvoiceXpressError as exc:
        outcome = (
            AuditEntry.Outcome.UNKNOWN
            if isinstance(exc, Unreachable | ServerError | BadResponse)
            else AuditEntry.Outcome.FAILED
        )
        AuditEntry.record(
            account=account,
            user=user,
            action="receipt.cancel",
            outcome=outcome,
            document_type="Receipt",
            document_id=payment.receipt_id,
            target=target,
            detail=exc.message,
        )
        return exc.message
    payment.mark_canceled(reason)
    AuditEntry.record(
        account=account,
        user=user,
        action="receipt.cancel",
        outcome=AuditEntry.Outcome.OK,
        document_type="Receipt",
        document_id=payment.receipt_id,
        target=target,
        detail=reason,
    )
    return ""


def _audit(account, user, invoice: Document, target: str, outcome: str, detail: str) -> None:
    AuditEntry.record(
        account=account,
        user=user,
        action="payment.register",
        outcome=outcome,
        document_type=invoice.type.name,
        document_id=invoice.id,
        target=target,
        detail=detail,
    )
