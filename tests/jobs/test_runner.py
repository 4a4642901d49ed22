"""The lease, the queue again for abandoned jobs, and the scheduler's one tick per interval."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from invoices.jobs import scheduler
from invoices.jobs.models import Job, PeriodicSlot
from invoices.jobs.runner import requeue_abandoned
from tests.jobs.workers import database_queue


@pytest.fixture
def job(cast):
    return Job.objects.create(account=cast.account, kind=Job.Kind.BULK_FINALIZE)


def test_one_worker_holds_a_job_until_its_lease_runs_out(job):
    assert job.claim("first")
    assert not Job.objects.get(pk=job.pk).claim("second")  # held
    assert job.renew("first")
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    taken = Job.objects.get(pk=job.pk)
    assert taken.claim("second") and taken.runs == 2
    assert not job.renew("first")  # the first worker learns it lost the job
    assert not job.finish("first", summary={})
    assert taken.finish("second", summary={"finalized": 1}) and taken.status == "done"
    assert not Job.objects.get(pk=job.pk).claim("third")  # finished: never run again


def test_abandoned_jobs_are_queued_again_once(job, settings):
    database_queue(settings)
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    Job.objects.filter(pk=job.pk).update(
        status="running", lease_owner="dead", lease_until=long_ago, enqueued_at=long_ago
    )
    live = Job.objects.create(
        account=job.account,
        kind=Job.Kind.BULK_FINALIZE,
        status="running",
        lease_until=timezone.now() + dt.timedelta(minutes=1),
        enqueued_at=long_ago,
    )
    assert requeue_abandoned() == 1
    assert requeue_abandoned() == 0  # queued just now: not again within a lease
    (queued,) = DBTaskResult.objects.filter(task_path="invoices.jobs.tasks.run_job")
    assert queued.args_kwargs["args"] == [job.pk]
    assert live.pk != job.pk


def test_the_periodic_job_is_queued_once_per_interval_whatever_the_workers(db, settings):
    database_queue(settings)
    settings.IXPORTAL_PERIODIC_SECONDS = 60
    assert scheduler.tick_if_due()
    # Other workers (and this one again) within the interval: nothing more is queued.
    assert not scheduler.tick_if_due()
    assert not scheduler.tick_if_due()
    assert DBTaskResult.objects.filter(task_path="invoices.jobs.tasks.periodic").count() == 1
    # Due again, but the earlier tick still waits for a worker: no pile-up.
    PeriodicSlot.objects.update(due_at=timezone.now())
    assert not scheduler.tick_if_due()
    DBTaskResult.objects.update(
        status="SUCCESSFUL", finished_at=timezone.now() - dt.timedelta(hours=2)
    )
    PeriodicSlot.objects.update(due_at=timezone.now())
    assert scheduler.tick_if_due()
    # Finished ticks do not pile up either: only the new one is left.
    assert DBTaskResult.objects.get().status == "READY"
