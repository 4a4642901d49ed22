"""Validating a large archived SAF-T as a background job, with its progress (n of N documents).

Files within the inline limits (`services.validates_inline`) are validated in the request
that archived them; larger ones get a job, so no web request runs a long validation and the
export's row shows how far the job is.
"""

from __future__ import annotations

import time
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from invoices.jobs.models import Job
from invoices.jobs.runner import Lease, outcome_counts
from invoices.jobs.services import job_start
from invoices.sentences import sentence
from saft.models import SaftExport

PROGRESS_SECONDS = 0.5  # at most two progress writes a second, however fast the file reads

SKIPPED = "skipped"


def validation_start(export: SaftExport) -> Job:
    """A job validating `export` (one item: the file); linked from the export's row."""
    job = job_start(
        account=export.account,
        user=export.requested_by,
        kind=Job.Kind.SAFT_VALIDATE,
        items=[
            (
                f"export-{export.pk}",
                {"label": _("SAF-T %(period)s") % {"period": export.period.key}},
            )
        ],
        params={"export": export.pk},
    )
    SaftExport.objects.filter(pk=export.pk).update(validation_job=job)
    export.validation_job = job
    return job


def validate_unchecked_exports() -> int:
    """The periodic job's catch-up: a validation job for every archived file nobody has
    validated and no job was started for (archived before validation jobs existed, or a
    start that failed). Returns how many were started."""
    started = 0
    exports = (
        SaftExport.objects.unvalidated()
        .filter(validation_job__isnull=True)
        .select_related("account", "requested_by")
        .order_by("requested_at")
    )
    for export in list(exports):
        validation_start(export)
        started += 1
    return started


def saft_validate_run(job: Job, lease: Lease) -> dict[str, Any]:
    """The job's body: validate the export (progress = documents checked), store the result."""
    from saft.services import export_validate

    item = job.items.get()
    export = (
        SaftExport.objects.select_related("account")
        .filter(pk=job.params.get("export"), account=job.account)
        .first()
    )
    if export is None or not export.is_ready:
        item.record(
            SKIPPED,
            message=[sentence(gettext_noop("The export has no archived file to validate."))],
        )
        return outcome_counts(job)
    total = max(export.number_of_entries or 0, 1)
    mine = Job.objects.filter(pk=job.pk, lease_owner=lease.owner)
    mine.update(total=total, done=0)
    last_write = 0.0

    def progress(checked: int) -> None:
        nonlocal last_write
        now = time.monotonic()
        if now - last_write >= PROGRESS_SECONDS:
            last_write = now
            mine.update(done=min(checked, total))

    lease.check()
    report = export_validate(export=export, progress=progress)
    item.record(
        report.verdict,
        result={"verdict": report.verdict, "problems": len(report.problems)},
    )
    mine.update(done=total)
    return outcome_counts(job)
