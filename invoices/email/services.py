"""Send a document by e-mail through InvoiceXpress, recorded and audited."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from invoices.invoicexpress.errors import BadResponse, InvoiceXpressError, ServerError, Unreachable
from invoices.invoicexpress.records import Document
from invoices.invoicexpress.redaction import redact
from invoices.models import Account, AuditEntry, SentEmail
from invoices.sentences import failure_sentences, sentence

SENDABLE_STATUSES = ("final", "sent", "settled", "second_copy")


def document_email(
    *,
    account: Account,
    user,
    doc: Document,
    to: str,
    subject: str,
    body: str,
    cc: str = "",
    bcc: str = "",
    save_address: bool = False,
) -> SentEmail:
    """Ask InvoiceXpress to send `doc`; the SentEmail row says how it went (and why not)."""
    status, said = SentEmail.Status.SENT, ""
    items: list[dict[str, Any]] = []
    try:
        account.client().email_document(
            doc.type.path,
            doc.id,
            to=to,
            subject=subject,
            body=body,
            cc=cc,
            bcc=bcc,
            save_client_email=save_address,
        )
    except (Unreachable, ServerError, BadResponse) as exc:
        status = SentEmail.Status.UNKNOWN
        items, said = failure_sentences(exc)
        items.append(
            sentence(
                gettext_noop(
                    "We do not know whether InvoiceXpress sent it; check with the client "
                    "before sending again."
                )
            )
        )
    except InvoiceXpressError as exc:
        status = SentEmail.Status.FAILED
        items, said = failure_sentences(exc)
    sent = SentEmail.objects.create(
        account=account,
        user=user if getattr(user, "pk", None) else None,
        document_type=doc.type.path,
        document_id=doc.id,
        to=to,
        cc=cc,
        bcc=bcc,
        subject=subject[:200],
        status=status,
        sentences=items,
        said=redact(said),
    )
    outcome = {
        SentEmail.Status.SENT: AuditEntry.Outcome.OK,
        SentEmail.Status.FAILED: AuditEntry.Outcome.FAILED,
        SentEmail.Status.UNKNOWN: AuditEntry.Outcome.UNKNOWN,
    }[status]
    recipients = ", ".join(filter(None, [to, cc, bcc]))
    AuditEntry.record(
        account=account,
        user=user,
        action="document.email",
        outcome=outcome,
        document_type=doc.type.name,
        document_id=doc.id,
        target=doc.issued_number,  # the type is shown from document_type, translated
        sentences=[sentence(gettext_noop("To %(who)s."), who=recipients), *items],
        said=said,
    )
    return sent
