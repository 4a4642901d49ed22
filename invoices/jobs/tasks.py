"""The background tasks (django-tasks; on Django 6 the import becomes `django.tasks`)."""

from __future__ import annotations

from django_tasks import task

from invoices.jobs.runner import job_run, periodic_run


@task()
def run_job(job_id: int) -> str:
    return job_run(job_id)


@task()
def periodic() -> dict[str, str]:
    return periodic_run()
