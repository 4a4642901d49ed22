"""The PDFs of selected documents as one zip: a plain function with a progress callback,
for the background-job framework to run (and for small selections, a request)."""

from __future__ import annotations

import io
import time
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from invoices.bulk.selection import BulkResult, Outcome, Progress, Selection, no_progress
from invoices.invoicexpress.document_types import document_type
from invoices.invoicexpress.errors import NotFound
from invoices.lifecycle.pdf import pdf_download, unique_name
from invoices.models import Account


@dataclass
class PdfZip(BulkResult):
    content: bytes = b""


def _waits() -> tuple[float, ...]:
    """Pauses between asks while InvoiceXpress renders a PDF (it answers 202 meanwhile)."""
    return tuple(getattr(settings, "IXPORTAL_BULK_PDF_WAITS", (1.0, 2.0, 3.0, 5.0)))


def build_pdf_zip(
    account: Account, selections: list[Selection], progress: Progress = no_progress, *, user=None
) -> PdfZip:
    """Fetch each selected document's PDF (each download audited) into one zip.

    A document that fails (a draft, gone, still rendering after the waits) is left out and
    named in the outcomes, and in a "LEIA-ME.txt" inside the zip, never failing the rest.
    """
    result = PdfZip()
    buffer = io.BytesIO()
    names: set[str] = set()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, selection in enumerate(selections, start=1):
            fetched = _one_pdf(account, user, selection)
            if fetched.ok:
                content, name = fetched.content, unique_name(fetched.filename, names)
                archive.writestr(name, content)
                outcome = Outcome(selection, True, label=name)
            else:
                outcome = Outcome(selection, False, label=str(selection), message=fetched.error)
            result.outcomes.append(outcome)
            progress(done, len(selections))
        if result.failed:
            lines = [f"{o.label}: {o.message}" for o in result.failed]
            archive.writestr("LEIA-ME.txt", "\n".join(lines) + "\n")
    result.content = buffer.getvalue()
    return result


@dataclass
class _Fetched:
    ok: bool
    content: bytes = b""
    filename: str = ""
    error: str = ""


def _one_pdf(account: Account, user, selection: Selection) -> _Fetched:
    kind = document_type(selection.type_path)
    for pause in (0.0, *_waits()):
        if pause:
            time.sleep(pause)
        try:
            download = pdf_download(
                account=account,
                user=user,
                kind=kind,
                document_id=selection.document_id,
                second_copy=False,
            )
        except NotFound:
            return _Fetched(False, error=_("InvoiceXpress no longer has this document (404)."))
        if download.error:
            return _Fetched(False, error=download.error)
        if not download.rendering:
            return _Fetched(True, content=download.content, filename=download.filename)
    return _Fetched(False, error=_("InvoiceXpress is still rendering the PDF. Try again later."))
