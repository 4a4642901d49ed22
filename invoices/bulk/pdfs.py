"""The PDFs of documents picked on the list as one zip, built by a background job.

One job item per document: "included" (its file name in the zip) or "missing" (why: a
draft, gone, still rendering after the waits), and a "LEIA-ME.txt" in the zip names the
missing ones. The zip is written to a temporary file (memory stays flat however many PDFs),
then stored under MEDIA_ROOT as the job's result file and served only by an access-checked
view. A run that takes the job over after a worker died builds the zip again from the
start: it only reads from InvoiceXpress, so fetching a PDF twice harms nothing.
"""

from __future__ import annotations

import secrets
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from invoices.bulk.selection import Selection
from invoices.invoicexpress.document_types import document_type
from invoices.invoicexpress.errors import NotAcceptable, NotFound
from invoices.jobs.models import Job, JobItem
from invoices.jobs.runner import Lease, outcome_counts
from invoices.jobs.services import job_start
from invoices.lifecycle.pdf import PdfDownload, pdf_download, unique_name
from invoices.models import Account
from invoices.sentences import failure_sentences, render_sentences, sentence

INCLUDED = "included"
MISSING = "missing"
README = "LEIA-ME.txt"


def _waits() -> tuple[float, ...]:
    """Pauses between asks while InvoiceXpress renders a PDF (it answers 202 meanwhile)."""
    return tuple(getattr(settings, "IXPORTAL_BULK_PDF_WAITS", (1.0, 2.0, 3.0, 5.0)))


def bulk_pdf_start(*, account: Account, user: Any, selections: list[Selection]) -> Job:
    """A job zipping the selected documents' PDFs, in the order they were picked."""
    return job_start(
        account=account,
        user=user,
        kind=Job.Kind.BULK_PDF,
        items=[(str(s), {"type": s.type_path, "label": str(s)}) for s in selections],
    )


def bulk_pdf_download_name(job: Job) -> str:
    day = timezone.localdate(job.created_at)
    return f"{job.account.slug}-pdf-{day:%Y-%m-%d}.zip"


def bulk_pdf_run(job: Job, lease: Lease) -> dict[str, Any]:
    """The job's body: fetch each item's PDF (each download audited) into one zip."""
    account = job.account
    mine = Job.objects.filter(pk=job.pk, lease_owner=lease.owner)
    items = list(job.items.all())
    JobItem.objects.filter(job=job).update(outcome=JobItem.PENDING)  # a taken-over run: anew
    mine.update(done=0)
    taken: set[str] = set()
    missing: list[str] = []
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for item in items:
                lease.check()
                selection = Selection.parse(item.key)
                fetched = (
                    _one_pdf(account, job.started_by, selection)
                    if selection is not None
                    else _Fetched(False, reason=[sentence(NOT_READABLE)])
                )
                if fetched.ok:
                    name = unique_name(fetched.filename, taken)
                    archive.writestr(name, fetched.content)
                    item.record(INCLUDED, result={"file": name})
                else:
                    missing.append(f"{item.data.get('label', item.key)}: {fetched.error}")
                    item.record(MISSING, message=fetched.reason, said=fetched.said)
                lease.progress()
            if missing:
                archive.writestr(README, "\n".join(missing) + "\n")
        if len(missing) < len(items):  # a zip with no PDF in it is not worth a download
            _store(job, mine, spool)
    return outcome_counts(job)


def _store(job: Job, mine, spool: IO[bytes]) -> None:
    spool.seek(0)
    name = f"jobs/{job.account_id}/bulk/{secrets.token_urlsafe(18)}/{bulk_pdf_download_name(job)}"
    name = default_storage.save(name, File(spool))
    if not mine.update(result_file=name):
        default_storage.delete(name)  # another worker took the job over meanwhile


NOT_READABLE = gettext_noop("Not a document this dashboard can read.")
GONE = gettext_noop("InvoiceXpress no longer has this document (404).")
STILL_RENDERING = gettext_noop("InvoiceXpress is still rendering the PDF. Try again later.")


def pdf_failure(download: PdfDownload) -> tuple[list[dict[str, Any]], str]:
    """Why a PDF could not be fetched, as our sentence items (stored as codes, translated
    when shown), and InvoiceXpress's own words (quoted)."""
    exc = download.failure
    if isinstance(exc, NotAcceptable):
        return [sentence(gettext_noop("A draft has no PDF yet: finalize it first."))], ""
    if exc is not None:
        return failure_sentences(exc)
    return [{"text": download.error}], ""  # pragma: no cover (every failure names its error)


@dataclass
class _Fetched:
    ok: bool
    content: bytes = b""
    filename: str = ""
    reason: list[dict[str, Any]] = field(default_factory=list)  # why not, as codes
    said: str = ""  # InvoiceXpress's own words about it

    @property
    def error(self) -> str:
        """Why not, in the active language (the zip's LEIA-ME)."""
        text = render_sentences(self.reason)
        if self.said:
            text += " " + _("InvoiceXpress said: “%(said)s”") % {"said": self.said}
        return text


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
            return _Fetched(False, reason=[sentence(GONE)])
        if download.error:
            reason, said = pdf_failure(download)
            return _Fetched(False, reason=reason, said=said)
        if not download.rendering:
            return _Fetched(True, content=download.content, filename=download.filename)
    return _Fetched(False, reason=[sentence(STILL_RENDERING)])
