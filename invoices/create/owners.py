"""The invoice a credit note corrects: found by id or by its printed number, searched as
the clerk types, and checked (issued, and what it still has to credit) before sending."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _

from invoices.create.credits import CreditPosition, credit_position
from invoices.formatting import status_label
from invoices.invoicexpress.document_types import NUMBER_RE, document_type
from invoices.invoicexpress.errors import InvoiceXpressError, NotFound
from invoices.invoicexpress.records import Document
from invoices.models import Account
from invoices.models.submissions import Submission

OWNER_TYPE_PATHS = ("invoices", "invoice_receipts", "simplified_invoices")
ISSUED_STATUSES = ("final", "sent", "settled", "second_copy")
NUMBER_PAGE_SIZE = 100  # the rows a printed number's search reads


def owner_document(*, account: Account, owner_id: int) -> Document | None:
    """The invoice (of any invoicing type) with this id, or None if the company has none."""
    client = account.client()
    for path in OWNER_TYPE_PATHS:
        try:
            return client.get_document(path, owner_id)
        except NotFound:
            continue
    return None


def owner_problem(document: Document | None, owner_id: int | None, number: str = "") -> str:
    """Why this document cannot be corrected by a note, or "" when it can."""
    if document is None:
        if number:
            return _("There is no invoice %(number)s in this company.") % {"number": number}
        return _("There is no invoice with id %(id)s in this company.") % {"id": owner_id}
    if document.status not in ISSUED_STATUSES:
        return _(
            "%(number)s is %(status)s: a note can only correct an issued (final or settled) invoice."
        ) % {
            "number": number or document.display_number,
            "status": status_label(document.status),
        }
    return ""


def owner_search(*, account: Account, text: str, limit: int = 8) -> list[Document]:
    """Issued invoices whose number (or client, item...) matches what is typed: "FT 2026/3"."""
    text = " ".join(text.split())
    if len(text) < 2:
        return []
    match = NUMBER_RE.fullmatch(text)
    code, rest = (match["code"].upper(), match["rest"]) if match else ("", text)
    types = [
        document_type(path).name
        for path in OWNER_TYPE_PATHS
        if not code or document_type(path).code == code
    ]
    if not types:
        return []
    page = account.client().list_documents(
        text=rest, types=types, statuses=ISSUED_STATUSES, per_page=max(limit, 10)
    )
    return list(page.documents[:limit])


def owner_by_number(*, account: Account, number: str) -> Document | None:
    """The issued-or-not invoice printed as `number` ("FT 2026/33"), read in full, or None."""
    match = NUMBER_RE.fullmatch(" ".join(number.split()))
    if match is None:
        return None
    code, rest = match["code"].upper(), match["rest"]
    wanted = f"{code} {rest}".casefold()
    paths = [path for path in OWNER_TYPE_PATHS if document_type(path).code == code]
    if not paths:
        return None
    page = account.client().list_documents(
        text=rest, types=[document_type(path).name for path in paths], per_page=NUMBER_PAGE_SIZE
    )
    for row in page.documents:
        if not row.is_draft and row.display_number.casefold() == wanted:
            return account.client().get_document(row.type.path, row.id)
    return None


def credit_position_for(*, account: Account, owner: Document) -> CreditPosition:
    """What `owner` invoiced, what its issued credit notes took back, and what remains."""
    related = account.client().related_documents(owner.type.path, owner.id)
    return credit_position(owner, related)


def owner_check(
    *, account: Account, owner_id: int | None, number: str = "", token: uuid.UUID
) -> tuple[CreditPosition | None, str]:
    """(what the invoice a note corrects still has to credit, why the note cannot correct it
    or ""), asked before sending. The printed number wins over an id carried by the form.

    A resubmit of a form already sent skips the question, (None, ""): it shows the first
    outcome.
    """
    if Submission.objects.filter(account=account, token=token).exists():
        return None, ""
    try:
        if number:
            owner = owner_by_number(account=account, number=number)
        else:
            owner = owner_document(account=account, owner_id=owner_id) if owner_id else None
        problem = owner_problem(owner, owner_id, number)
        if problem or owner is None:
            return None, problem
        return credit_position_for(account=account, owner=owner), ""
    except InvoiceXpressError as exc:
        problem = _("The invoice to correct could not be checked. %(error)s") % {
            "error": exc.message
        }
        return None, problem
