"""Running a job in a worker: claim it, keep its lease alive, hand it to its kind's code.

The kinds' code lives with its feature (bulk finalize in `lifecycle.bulk_finalize`); this
module only knows where to find it. A job whose worker dies keeps its lease until it runs
out; then the periodic job queues it again and another worker takes it over, and the kind's
code carries on from its items' recorded outcomes.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from invoices.jobs.models import Job
from invoices.upstream_budget import waiting_as_a_job

logger = logging.getLogger(__name__)

RUNNERS: dict[str, str] = {  # Job.kind (a Job.Kind value) -> the runner's dotted path
    Job.Kind.BULK_FINALIZE: "invoices.lifecycle.bulk_finalize.bulk_finalize_run",
    Job.Kind.SAFT_VALIDATE: "saft.jobs.saft_validate_run",
    Job.Kind.SAFT_PACK: "saft.pack.saft_pack_run",
    Job.Kind.BULK_PDF: "invoices.bulk.pdfs.bulk_pdf_run",
    Job.Kind.BULK_EMAIL: "invoices.bulk.emails.bulk_email_run",
}


class LeaseLost(Exception):
    """Another worker has taken the job over: stop before writing anything else."""


class Lease:
    """The worker's hold on a job, renewed in the background while the worker lives."""

    def __init__(self, job: Job, owner: str) -> None:
        self.job = job
        self.owner = owner
        self.lost = threading.Event()

    def check(self) -> None:
        """Call before every upstream write: renews the lease, or raises LeaseLost."""
        if self.lost.is_set() or not self.job.renew(self.owner):
            self.lost.set()
            raise LeaseLost()

    def progress(self) -> None:
        """Record n of N: the items that have an outcome."""
        self.job.record_progress(self.owner)

    @contextlib.contextmanager
    def heartbeat(self) -> Iterator[None]:
        # Inside a transaction (a test's, or an inline backend's) another connection
        # could not see the job: no heartbeat then, `check()` still renews.
        if connection.in_atomic_block:
            yield
            return
        stop = threading.Event()
        thread = threading.Thread(
            target=self._beat, args=(stop,), name=f"job-{self.job.pk}-lease", daemon=True
        )
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()

    def _beat(self, stop: threading.Event) -> None:
        every = max(settings.IXPORTAL_JOB_LEASE_SECONDS / 3, 0.2)
        try:
            while not stop.wait(every):
                if not self.job.renew(self.owner):
                    self.lost.set()
                    return
        except Exception:
            logger.exception("job %s: the lease could not be renewed", self.job.pk)
        finally:
            connection.close()  # this thread's own connection


def job_run(job_id: int, *, owner: str = "") -> str:
    """Run (or carry on with) job `job_id` if nobody else holds it. Returns what happened."""
    job = Job.objects.select_related("account", "started_by").filter(pk=job_id).first()
    if job is None or not job.is_running:
        return "nothing to do"
    owner = owner or uuid.uuid4().hex
    if not job.claim(owner):
        return "held by another worker"
    lease = Lease(job, owner)
    runner: Callable[[Job, Lease], dict[str, Any]] = import_string(RUNNERS[job.kind])
    try:
        with lease.heartbeat(), waiting_as_a_job():
            summary = runner(job, lease)
    except LeaseLost:
        logger.warning("job %s: taken over by another worker, stopping", job.pk)
        return "taken over"
    except Exception as exc:
        # A bug: the job ends failed with the exception's type only (a library's text may
        # hold a URL, hence an API key); the traceback goes to the redacting log.
        logger.exception("job %s failed", job.pk)
        job.finish(
            owner,
            summary=outcome_counts(job),
            error=_("The job stopped unexpectedly (%(error)s). What it did is listed below.")
            % {"error": type(exc).__name__},
        )
        return "failed"
    job.finish(owner, summary=summary)
    return "done"


def outcome_counts(job: Job) -> dict[str, int]:
    counts: dict[str, int] = {}
    for outcome in job.items.values_list("outcome", flat=True):
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def requeue_abandoned() -> int:
    """Queue again every job nobody holds (dead worker, lost task); once across workers."""
    from invoices.jobs.tasks import run_job

    now = timezone.now()
    queued = 0
    for pk, enqueued_at in Job.objects.abandoned(now).values_list("pk", "enqueued_at"):
        # Only the worker that moves enqueued_at on queues it: the others see 0 rows.
        if Job.objects.filter(pk=pk, enqueued_at=enqueued_at).update(enqueued_at=now):
            logger.warning("job %s: abandoned by its worker, queued again", pk)
            run_job.enqueue(pk)
            queued += 1
    return queued


# ---- the periodic job -------------------------------------------------------------------------

_every_tick: list[Callable[[], Any]] = []


def on_every_tick(work: Callable[[], Any]) -> Callable[[], Any]:
    """Register work for the periodic job (apps do it in AppConfig.ready)."""
    if work not in _every_tick:
        _every_tick.append(work)
    return work


def periodic_run() -> dict[str, str]:
    """One tick: abandoned jobs queued again, then every registered piece of work."""
    done = {"requeued": str(requeue_abandoned())}
    for work in list(_every_tick):
        name = f"{work.__module__}.{work.__qualname__}"
        try:
            with waiting_as_a_job():
                done[name] = str(work())
        except Exception as exc:
            # One failing piece must not stop the others, nor the next tick.
            logger.exception("periodic: %s failed", name)
            done[name] = f"error ({type(exc).__name__})"
        finally:
            close_old_connections()
    return done
