"""E-mailing each document picked on the list to its client, as a background job.

One job item per document, worked through in order: "emailed", "refused", "unknown" (no
answer: maybe sent), "skipped" (a draft, a client without e-mail) or "not_attempted" (the
document could not be read). Each send is recorded (SentEmail) and audited like a single one.

Nothing twice: before each send the item is marked "started" (committed). A run that takes
the job over after its worker died never sends a started item again: it takes the outcome
from the SentEmail recorded since, or, when the worker died before recording it, calls the
outcome unknown and says to check with the client.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_noop

from invoices.bulk.pdfs import NOT_READABLE
from invoices.bulk.selection import Selection
from invoices.email.services import SENDABLE_STATUSES, document_email
from invoices.email.wording import email_wording
from invoices.invoicexpress.document_types import document_type
from invoices.invoicexpress.errors import InvoiceXpressError
from invoices.jobs.models import Job, JobItem
from invoices.jobs.runner import Lease, outcome_counts
from invoices.jobs.services import job_start
from invoices.models import Account, SentEmail
from invoices.sentences import document_ref, failure_sentences, sentence


class EmailOutcome(StrEnum):
    EMAILED = "emailed"
    REFUSED = "refused"
    UNKNOWN = "unknown"
    SKIPPED = "skipped"
    NOT_ATTEMPTED = "not_attempted"


SENT_OUTCOMES = {
    SentEmail.Status.SENT: EmailOutcome.EMAILED,
    SentEmail.Status.FAILED: EmailOutcome.REFUSED,
    SentEmail.Status.UNKNOWN: EmailOutcome.UNKNOWN,
}


def bulk_email_start(
    *, account: Account, user: Any, selections: list[Selection], language: str = "pt"
) -> Job:
    """A job e-mailing each selected document to its client, with the company's wording."""
    return job_start(
        account=account,
        user=user,
        kind=Job.Kind.BULK_EMAIL,
        items=[(str(s), {"type": s.type_path, "label": str(s)}) for s in selections],
        params={"language": language, "ui_language": translation.get_language() or "pt-pt"},
    )


def bulk_email_run(job: Job, lease: Lease) -> dict[str, int]:
    """The job's body: each pending item e-mailed (or skipped, named why), one at a time."""
    with translation.override(job.params.get("ui_language") or None):
        for item in job.items.all():
            if item.outcome == JobItem.STARTED:
                _recognise(job, item)
                lease.progress()
            elif item.outcome == JobItem.PENDING:
                _one_email(job, lease, item)
                lease.progress()
    return outcome_counts(job)


def _one_email(job: Job, lease: Lease, item: JobItem) -> None:
    account, user = job.account, job.started_by
    selection = Selection.parse(item.key)
    if selection is None:
        item.record(EmailOutcome.NOT_ATTEMPTED, message=[sentence(NOT_READABLE)])
        return
    kind = document_type(selection.type_path)
    try:
        doc = account.client().get_document(kind.path, selection.document_id)
    except InvoiceXpressError as exc:
        failure, said = failure_sentences(exc)
        item.record(EmailOutcome.NOT_ATTEMPTED, message=failure, said=said)
        return
    item.data = {
        "type": kind.path,
        "label": document_ref(kind, doc.display_number),
        "date": doc.date.isoformat() if doc.date else "",
        "client": doc.client.name if doc.client else "",
    }
    if doc.status not in SENDABLE_STATUSES:
        item.save(update_fields=["data", "updated_at"])
        item.record(
            EmailOutcome.SKIPPED,
            message=[sentence(gettext_noop("Only a finalized document can be e-mailed."))],
        )
        return
    if not doc.client or not doc.client.email:
        item.save(update_fields=["data", "updated_at"])
        item.record(
            EmailOutcome.SKIPPED,
            message=[sentence(gettext_noop("The client has no e-mail address."))],
        )
        return
    lease.check()  # never send for a job another worker has taken over
    item.outcome = JobItem.STARTED
    item.save(update_fields=["data", "outcome", "updated_at"])
    subject, body = email_wording(account, doc, job.params.get("language", "pt"))
    sent = document_email(
        account=account, user=user, doc=doc, to=doc.client.email, subject=subject, body=body
    )
    _record_sent(item, sent)


def _record_sent(item: JobItem, sent: SentEmail) -> None:
    """The item's outcome from the e-mail's record: to whom, or why not (its words)."""
    if sent.status == SentEmail.Status.SENT:
        message: list[dict[str, Any]] = [sentence(gettext_noop("Sent to %(to)s."), to=sent.to)]
        said = ""
    else:
        message, said = _sent_words(sent)
    item.record(
        SENT_OUTCOMES[SentEmail.Status(sent.status)],
        message=message,
        said=said,
        result={"sent_email": sent.pk},
    )


def _sent_words(sent: SentEmail) -> tuple[list[dict[str, Any]], str]:
    """Why a send failed, as the e-mail's record keeps it: our sentence items and
    InvoiceXpress's own words."""
    return list(sent.sentences or ()), sent.said


def _recognise(job: Job, item: JobItem) -> None:
    """An earlier run started this send and stopped before recording the answer (its
    worker died): take the outcome it recorded, if any; never send it a second time."""
    selection = Selection.parse(item.key)
    sent = (
        SentEmail.objects.filter(
            account=job.account,
            document_type=selection.type_path,
            document_id=selection.document_id,
            sent_at__gte=item.updated_at,
        )
        .order_by("-sent_at", "-pk")
        .first()
        if selection is not None
        else None
    )
    if sent is not None:
        _record_sent(item, sent)
        return
    item.record(
        EmailOutcome.UNKNOWN,
        message=[
            sentence(
                gettext_noop(
                    "A run stopped while e-mailing it: InvoiceXpress may have sent it. Check "
                    "with the client before sending it again; it was not sent twice."
                )
            )
        ],
    )
