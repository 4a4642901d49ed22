"""The accountant's pack: one zip per company and month, built by a background job.

It holds the archived SAF-T (as archived, so its SHA-256 is the export's), its validation
report as text, the month's documents CSV (`documents.csv_export`), the PDF of every
finalized document of the month (the 202-then-200 PDF endpoint via `lifecycle.pdf`, each
download audited) and `manifest.json` with each file's size and SHA-256.

Every upstream call runs inside the job, so it waits for the company's upstream budget
instead of failing. The zip is written to a temporary file (memory stays flat however many
PDFs), then stored under MEDIA_ROOT and served only by an access-checked view. A run that
takes the job over after a worker died builds the zip again from the start: it only reads
from InvoiceXpress, so fetching a PDF twice harms nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import tempfile
import time
import zipfile
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from invoices.bulk.pdfs import GONE, STILL_RENDERING, pdf_failure
from invoices.documents import csv_export
from invoices.invoicexpress.client import InvoiceXpressClient
from invoices.invoicexpress.errors import InvoiceXpressError, NotFound
from invoices.invoicexpress.records import Document
from invoices.jobs.models import Job, JobItem
from invoices.jobs.runner import Lease, outcome_counts
from invoices.jobs.services import job_start
from invoices.lifecycle.pdf import pdf_download, unique_name
from invoices.models import Account
from invoices.sentences import render_sentences, sentence
from saft.models import SaftExport
from saft.periods import Period
from saft.reconciliation import NUMBERED_STATUSES, numbered_documents

MAX_PAGES = 100  # 10,000 documents, the CSV export's own cap
INCLUDED = "included"
MISSING = "missing"
MANIFEST = "manifest.json"
REPORT = "validation-report.txt"
CSV = "documents.csv"


class TooManyDocuments(Exception):
    pass


def pack_export(account: Account, period: Period) -> SaftExport | None:
    """The month's SAF-T for the pack: the newest whole-month file ready to submit, else the
    newest whole-month file at all (an invalid one goes in flagged, as evidence)."""
    ready = [
        e
        for e in SaftExport.objects.ready().for_period(period).filter(account=account)
        if e.is_complete_month
    ]
    return next((e for e in ready if e.is_submittable), ready[0] if ready else None)


def pack_start(*, account: Account, user: Any, period: Period) -> Job | None:
    """A job building the pack of `period`; None when the month has no archived SAF-T."""
    export = pack_export(account, period)
    if export is None:
        return None
    return job_start(
        account=account,
        user=user,
        kind=Job.Kind.SAFT_PACK,
        items=[],  # the documents are listed by the job, within the upstream budget
        params={
            "year": period.year,
            "month": period.month,
            "export": export.pk,
            "language": translation.get_language() or settings.LANGUAGE_CODE,
        },
    )


def pack_download_name(job: Job) -> str:
    return f"SAFT-PT_{job.account.slug}_{job.params['year']:04d}-{job.params['month']:02d}_pack.zip"


def month_documents(client: InvoiceXpressClient, period: Period) -> list[Document]:
    """Every finalized (numbered) document of the month, every type, oldest first."""
    found: dict[int, Document] = {}
    for doc in numbered_documents(client, period, max_pages=MAX_PAGES, too_many=TooManyDocuments):
        if not doc.is_draft:
            found.setdefault(doc.id, doc)  # a page shifting under us never lists one twice
    return sorted(found.values(), key=lambda d: (d.date or dt.date.max, d.id))


def saft_pack_run(job: Job, lease: Lease) -> dict[str, Any]:
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        return _run(job, lease)


def _run(job: Job, lease: Lease) -> dict[str, Any]:
    account = job.account
    period = Period(job.params["year"], job.params["month"])
    export = SaftExport.objects.filter(pk=job.params.get("export"), account=account).first()
    mine = Job.objects.filter(pk=job.pk, lease_owner=lease.owner)
    if export is None or not export.is_ready:
        raise RuntimeError("the pack's SAF-T export is gone")  # cannot happen: exports are kept
    client = account.client()
    documents = month_documents(client, period)  # typed errors end the job, message shown
    job.items.all().delete()  # a run taken over starts the zip again (reads only)
    JobItem.objects.bulk_create(
        JobItem(
            job=job,
            position=n,
            key=str(doc.id),
            data={"type": doc.type.path, "label": doc.display_number},
        )
        for n, doc in enumerate(documents)
    )
    mine.update(total=len(documents), done=0)
    items = {int(i.key): i for i in job.items.all()}

    files: list[dict[str, Any]] = []
    missing: list[dict[str, str]] = []
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:

            def add(name: str, content: bytes) -> None:
                archive.writestr(name, content)
                files.append(
                    {
                        "name": name,
                        "size": len(content),
                        "sha256": hashlib.sha256(content).hexdigest(),
                    }
                )

            with export.file.open("rb") as stored:
                add(f"saft/{export.download_name}", stored.read())
            add(REPORT, _report_text(account, export).encode("utf-8"))
            add(CSV, _documents_csv(client, period).encode("utf-8"))
            taken: set[str] = set()
            for done, doc in enumerate(documents, start=1):
                lease.check()
                item = items[doc.id]
                content, filename, reason, said = _fetch_pdf(account, job.started_by, doc)
                if reason:
                    missing.append(
                        {
                            "document": doc.display_number,
                            "reason": render_sentences(reason),
                            "invoicexpress_said": said,
                        }
                    )
                    item.record(MISSING, message=reason, said=said)
                else:
                    name = unique_name(f"pdf/{filename}", taken)
                    add(name, content)
                    item.record(INCLUDED, result={"file": name})
                mine.update(done=done)
            manifest = {
                "company": account.name,
                "nif": account.nif,
                "period": period.key,
                "generated_at": timezone.now().isoformat(),
                "saft_export": export.pk,
                "saft_validation": export.validation,
                "documents": len(documents),
                "files": files,
                "missing": missing,
            }
            archive.writestr(
                MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            )
        _store(job, mine, spool)
    summary = outcome_counts(job)
    summary["files"] = len(files) + 1
    return summary


def _store(job: Job, mine, spool: IO[bytes]) -> None:
    spool.seek(0)
    name = f"saft/{job.account_id}/packs/{secrets.token_urlsafe(18)}/{pack_download_name(job)}"
    name = default_storage.save(name, File(spool))
    if not mine.update(result_file=name):
        default_storage.delete(name)  # another worker took the job over meanwhile


def _report_text(account: Account, export: SaftExport) -> str:
    return render_to_string(
        "saft/pack_report.txt", {"account": account, "export": export, "report": export.report}
    )


def _documents_csv(client: InvoiceXpressClient, period: Period) -> str:
    filters = {
        "statuses": NUMBERED_STATUSES,
        "date_from": period.first_day,
        "date_to": period.last_day,
    }
    try:
        return "".join(csv_export.start_export(client, filters).lines())
    except csv_export.TooManyRows as exc:
        return csv_export.BOM + exc.message + "\r\n"
    except InvoiceXpressError as exc:
        return csv_export.BOM + _("EXPORT INCOMPLETE") + ";" + exc.message + "\r\n"


def _waits() -> tuple[float, ...]:
    """Pauses between asks while InvoiceXpress renders a PDF (it answers 202 meanwhile)."""
    return tuple(getattr(settings, "IXPORTAL_BULK_PDF_WAITS", (1.0, 2.0, 3.0, 5.0)))


def _fetch_pdf(
    account: Account, user: Any, doc: Document
) -> tuple[bytes, str, list[dict[str, Any]], str]:
    """(content, file name, [], "") or (b"", "", why not as sentence items, what
    InvoiceXpress said)."""
    for pause in (0.0, *_waits()):
        if pause:
            time.sleep(pause)
        try:
            download = pdf_download(
                account=account, user=user, kind=doc.type, document_id=doc.id, second_copy=False
            )
        except NotFound:
            return b"", "", [sentence(GONE)], ""
        if download.error:
            reason, said = pdf_failure(download)
            return b"", "", reason, said
        if not download.rendering:
            return download.content, download.filename, [], ""
    return b"", "", [sentence(STILL_RENDERING)], ""
