"""Register a payment (a receipt upstream) once, cancel a receipt; both audited.

`POST /documents/{id}/partial_payments.json` has no idempotency key: the Payment row, claimed
under the form's token before the call, is what stops a double click or a resubmit from
paying twice, and a payment whose answer was lost is never resent automatically.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from invoices.formatting import pt_money
from invoices.invoicexpress.errors import (
    BadResponse,
    InvoiceXpressError,
    ServerError,
    Unreachable,
)
from invoices.invoicexpress.records import Document
from invoices.models import Account, AuditEntry
from invoices.models.payments import Payment
from invoices.sentences import failure_sentences, sentence

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
    # Words in no language: the amount the Portuguese way and the invoice's number.
    target = f"{pt_money(amount)} · {invoice.display_number}"
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
        items, said = failure_sentences(exc)
        items.append(
            sentence(
                gettext_noop(
                    "We do not know whether InvoiceXpress registered the payment: check the "
                    "invoice's receipts on InvoiceXpress before registering it again."
                )
            )
        )
        payment.mark(Payment.Status.UNKNOWN, items, said=said)
        _audit(account, user, invoice, target, AuditEntry.Outcome.UNKNOWN, items, said)
    except InvoiceXpressError as exc:
        items, said = failure_sentences(exc)
        payment.mark(Payment.Status.FAILED, items, said=said)
        _audit(account, user, invoice, target, AuditEntry.Outcome.FAILED, items, said)
    except BaseException:
        items = [sentence(gettext_noop("The request was interrupted; the outcome is unknown."))]
        payment.mark(Payment.Status.UNKNOWN, items)
        _audit(account, user, invoice, target, AuditEntry.Outcome.UNKNOWN, items)
        raise
    else:
        payment.mark_registered(receipt.id, receipt.display_number)
        items = [
            sentence(
                gettext_noop("Receipt %(number)s (id %(id)s)"),
                number=receipt.display_number,
                id=receipt.id,
            )
        ]
        _audit(account, user, invoice, target, AuditEntry.Outcome.OK, items)
    return payment


def receipt_cancel(*, account: Account, user, payment: Payment, reason: str) -> str:
    """Cancel the payment's receipt upstream; "" when done, else why not (fit to show)."""
    if payment.status != Payment.Status.REGISTERED or payment.receipt_id is None:
        return _("This receipt is not active, so it cannot be canceled.")
    target = str(payment.receipt_number)  # the number names its type (RC ...)
    try:
        account.client().cancel_receipt(payment.receipt_id, reason)
    except InvoiceXpressError as exc:
        outcome = (
            AuditEntry.Outcome.UNKNOWN
            if isinstance(exc, Unreachable | ServerError | BadResponse)
            else AuditEntry.Outcome.FAILED
        )
        items, said = failure_sentences(exc)
        AuditEntry.record(
            account=account,
            user=user,
            action="receipt.cancel",
            outcome=outcome,
            document_type="Receipt",
            document_id=payment.receipt_id,
            target=target,
            sentences=[*_reason(reason), *items],
            said=said,
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
        sentences=_reason(reason),
    )
    return ""


def _reason(reason: str) -> list[dict[str, Any]]:
    # The person's own words: quoted as typed, in a sentence of ours.
    return [sentence(gettext_noop("Reason given: “%(reason)s”."), reason=reason)] if reason else []


def _audit(
    account,
    user,
    invoice: Document,
    target: str,
    outcome: str,
    items: list[dict[str, Any]],
    said: str = "",
) -> None:
    AuditEntry.record(
        account=account,
        user=user,
        action="payment.register",
        outcome=outcome,
        document_type=invoice.type.name,
        document_id=invoice.id,
        target=target,
        sentences=items,
        said=said,
    )
