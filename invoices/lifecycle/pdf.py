"""A document's PDF: asking InvoiceXpress to render it (the widget polls while it answers
202), fetching the file here so the signed link never reaches the browser, naming it, and
the audit log entries.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from invoices.invoicexpress.document_types import DocumentType
from invoices.invoicexpress.errors import BadResponse, InvoiceXpressError, NotAcceptable, NotFound
from invoices.invoicexpress.records import Document
from invoices.lifecycle.forms import MAX_PDF_POLLS
from invoices.lifecycle.pages import PdfButton
from invoices.models import Account, AuditEntry

DRAFT_HAS_NO_PDF = gettext_lazy("A draft has no PDF yet: finalize it first.")


def pdf_filename(doc: Document, second_copy: bool) -> str:
    """ "FT A/29" -> "FT_A-29.pdf"; only safe characters reach the header."""
    name = doc.display_number.replace(" ", "_").replace("/", "-")
    name = re.sub(r"[^A-Za-z0-9_.-]", "", name) or f"document-{doc.id}"
    return f"{name}{'_2via' if second_copy else ''}.pdf"


def unique_name(name: str, taken: set[str]) -> str:
    """`name`, or `stem_2.ext`, `stem_3.ext`... when a zip already holds it; added to `taken`."""
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{stem}_{n}{dot}{ext}"
        n += 1
    taken.add(candidate)
    return candidate


def _audit_pdf(
    account: Account,
    user: Any,
    kind: DocumentType,
    document_id: int,
    outcome: str,
    *,
    target: str = "",
    detail: str = "",
) -> None:
    AuditEntry.record(
        account=account,
        user=user,
        action="document.pdf",
        outcome=outcome,
        document_type=kind.name,
        document_id=document_id,
        target=target,
        detail=detail,
    )


def pdf_poll(
    *,
    account: Account,
    user: Any,
    kind: DocumentType,
    document_id: int,
    button: PdfButton,
    attempt: int,
) -> PdfButton:
    """Ask once for the PDF behind `button`; the button in the state that answer puts it in.

    `attempt` counts the polls so far: past MAX_PDF_POLLS the widget gives up. A failure is
    audited; a PDF still rendering is not.
    """
    state, message = "ready", ""
    try:
        result = account.client().pdf(document_id, second_copy=button.second_copy)
    except NotAcceptable:
        state, message = "unavailable", str(DRAFT_HAS_NO_PDF)
    except NotFound:
        state, message = "failed", _("InvoiceXpress no longer has this document (404).")
    except InvoiceXpressError as exc:
        state, message = "failed", exc.message
    else:
        if not result.ready:
            attempt += 1
            state = "pending" if attempt < MAX_PDF_POLLS else "gave_up"
            if state == "gave_up":
                message = _("InvoiceXpress is still rendering the PDF. Try again in a minute.")
    if state in ("unavailable", "failed"):
        detail = message + (" " + _("(second copy)") if button.second_copy else "")
        _audit_pdf(account, user, kind, document_id, AuditEntry.Outcome.FAILED, detail=detail)
    return dataclasses.replace(button, state=state, attempt=attempt, message=message)


@dataclass(frozen=True)
class PdfDownload:
    content: bytes = b""
    filename: str = ""
    rendering: bool = False  # InvoiceXpress is still rendering it: nothing to send yet
    error: str = ""  # the page's words for a failure (audited)
    failure: InvoiceXpressError | None = None  # what failed, for a job to store as codes


def pdf_download(
    *, account: Account, user: Any, kind: DocumentType, document_id: int, second_copy: bool
) -> PdfDownload:
    """The PDF's bytes and file name, fetched here; the download (or its failure) audited.

    Raises NotFound, unaudited, when InvoiceXpress no longer has the document.
    """
    client = account.client()
    doc: Document | None = None
    try:
        # Reading the document checks the type and id belong together (the PDF endpoint
        # takes the id alone) and names the file.
        doc = client.get_document(kind.path, document_id)
        result = client.pdf(doc.id, second_copy=second_copy)
        if not result.ready:
            return PdfDownload(rendering=True)
        content = client.download(result.url)
        if not content.startswith(b"%PDF"):
            raise BadResponse(_("InvoiceXpress sent a file that is not a PDF."))
    except NotFound:
        raise
    except InvoiceXpressError as exc:
        text = str(DRAFT_HAS_NO_PDF) if isinstance(exc, NotAcceptable) else exc.message
        target = doc.display_number if doc else ""
        _audit_pdf(
            account, user, kind, document_id, AuditEntry.Outcome.FAILED, target=target, detail=text
        )
        return PdfDownload(error=text, failure=exc)
    detail = _("second copy") if second_copy else ""
    _audit_pdf(
        account, user, kind, doc.id, AuditEntry.Outcome.OK, target=doc.display_number, detail=detail
    )
    return PdfDownload(content=content, filename=pdf_filename(doc, second_copy))
