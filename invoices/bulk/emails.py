"""E-mail each selected document to its client: a plain function with a progress callback,
for the background-job framework to run (and for small selections, a request)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from invoices.bulk.selection import BulkResult, Outcome, Progress, Selection, no_progress
from invoices.email.services import SENDABLE_STATUSES, document_email
from invoices.email.wording import email_wording
from invoices.invoicexpress.document_types import document_type
from invoices.invoicexpress.errors import InvoiceXpressError
from invoices.models import Account, SentEmail


def email_documents(
    account: Account,
    selections: list[Selection],
    user,
    progress: Progress = no_progress,
    *,
    language: str = "pt",
) -> BulkResult:
    """Send each final document to the e-mail its client has, with the company's wording.

    Drafts, documents whose client has no e-mail, and refusals are skipped and named;
    each send is recorded (SentEmail) and audited like a single one.
    """
    result = BulkResult()
    for done, selection in enumerate(selections, start=1):
        result.outcomes.append(_one_email(account, user, selection, language))
        progress(done, len(selections))
    return result


def _one_email(account: Account, user, selection: Selection, language: str) -> Outcome:
    kind = document_type(selection.type_path)
    try:
        doc = account.client().get_document(kind.path, selection.document_id)
    except InvoiceXpressError as exc:
        return Outcome(selection, False, label=str(selection), message=exc.message)
    label = f"{kind.label} {doc.display_number}"
    if doc.status not in SENDABLE_STATUSES:
        return Outcome(selection, False, label, _("Only a finalized document can be e-mailed."))
    if not doc.client.email:
        return Outcome(selection, False, label, _("The client has no e-mail address."))
    subject, body = email_wording(account, doc, language)
    sent = document_email(
        account=account, user=user, doc=doc, to=doc.client.email, subject=subject, body=body
    )
    if sent.status == SentEmail.Status.SENT:
        return Outcome(selection, True, label, sent.to)
    return Outcome(selection, False, label, sent.message)
