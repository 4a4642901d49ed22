"""Starting a job: its record and items in one transaction, its task queued on commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from invoices.jobs.models import Job, JobItem
from invoices.models.accounts import Account


def job_start(
    *,
    account: Account,
    user: Any,
    kind: str,
    items: Iterable[tuple[str, dict[str, Any]]],
    params: dict[str, Any] | None = None,
) -> Job:
    """Record a job with its items (key, data) in order, and queue it for a worker.

    The task is queued after the commit, so a worker never looks for a job that is not
    there yet. With an inline backend (tests) the job has run when this returns.
    """
    from invoices.jobs.tasks import run_job

    rows = list(items)
    with transaction.atomic():
        job = Job.objects.create(
            account=account,
            started_by=user if getattr(user, "pk", None) else None,
            kind=kind,
            params=params or {},
            total=len(rows),
            enqueued_at=timezone.now(),
        )
        JobItem.objects.bulk_create(
            JobItem(job=job, position=n, key=key, data=data) for n, (key, data) in enumerate(rows)
        )
        transaction.on_commit(lambda: run_job.enqueue(job.pk))
    job.refresh_from_db()
    return job
