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
from django.utils.translation import gettext_lazy, gettext_noop

from invoices.invoicexpress.document_types import DocumentType
from invoices.invoicexpress.errors import BadResponse, InvoiceXpressError, NotAcceptable, NotFound
from invoices.invoicexpress.records import Document
from invoices.lifecycle.forms import MAX_PDF_POLLS
from invoices.lifecycle.pages import PdfButton
from invoices.models import Account, AuditEntry
from invoices.sentences import failure_sentences, sentence

# msgids (gettext_noop): the audit log stores them and translates them when shown.
_NO_PDF_FOR_A_DRAFT = gettext_noop("A draft has no PDF yet: finalize it first.")
_GONE = gettext_noop("InvoiceXpress no longer has this document (404).")
_NOT_A_PDF = gettext_noop("InvoiceXpress sent a file that is not a PDF.")
_SECOND_COPY = gettext_noop("(second copy)")
DRAFT_HAS_NO_PDF = gettext_lazy(_NO_PDF_FOR_A_DRAFT)


class _NotAPdf(BadResponse):
    """The link gave a file, but not a PDF (an error page saved as the file)."""


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
    items: list[dict[str, Any]],
    said: str = "",
    second_copy: bool = False,
) -> None:
    AuditEntry.record(
        account=account,
        user=user,
        action="document.pdf",
        outcome=outcome,
        document_type=kind.name,
        document_id=document_id,
        target=target,
        sentences=[*items, *([sentence(_SECOND_COPY)] if second_copy else [])],
        said=said,
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
    items: list[dict[str, Any]] = []
    said = ""
    try:
        result = account.client().pdf(document_id, second_copy=button.second_copy)
    except NotAcceptable:
        state, message, items = (
            "unavailable",
            _(_NO_PDF_FOR_A_DRAFT),
            [sentence(_NO_PDF_FOR_A_DRAFT)],
        )
    except NotFound:
        state, message, items = "failed", _(_GONE), [sentence(_GONE)]
    except InvoiceXpressError as exc:
        state, message = "failed", exc.message
        items, said = failure_sentences(exc)
    else:
        if not result.ready:
            attempt += 1
            state = "pending" if attempt < MAX_PDF_POLLS else "gave_up"
            if state == "gave_up":
                message = _("InvoiceXpress is still rendering the PDF. Try again in a minute.")
    if state in ("unavailable", "failed"):
        _audit_pdf(
            account,
            user,
            kind,
            document_id,
            AuditEntry.Outcome.FAILED,
            items=items,
            said=said,
            second_copy=button.second_copy,
        )
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
            raise _NotAPdf(_(_NOT_A_PDF))
    except NotFound:
        raise
    except InvoiceXpressError as exc:
        said = ""
        if isinstance(exc, NotAcceptable):
            text, items = _(_NO_PDF_FOR_A_DRAFT), [sentence(_NO_PDF_FOR_A_DRAFT)]
        elif isinstance(exc, _NotAPdf):
            text, items = exc.message, [sentence(_NOT_A_PDF)]
        else:
            text = exc.message
            items, said = failure_sentences(exc)
        _audit_pdf(
            account,
            user,
            kind,
            document_id,
            AuditEntry.Outcome.FAILED,
            target=doc.issued_number if doc else "",
            items=items,
            said=said,
            second_copy=second_copy,
        )
        return PdfDownload(error=text, failure=exc)
    _audit_pdf(
        account,
        user,
        kind,
        doc.id,
        AuditEntry.Outcome.OK,
        target=doc.issued_number,
        items=[],
        second_copy=second_copy,
    )
    return PdfDownload(content=content, filename=pdf_filename(doc, second_copy))
