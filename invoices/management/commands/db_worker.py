"""`manage.py db_worker`: django-tasks-db's worker, plus ixportal's periodic scheduler.

Same options and behaviour as the package's command (it claims tasks with row locks, so any
number of workers on any number of hosts share one queue); in addition a thread queues the
periodic job (SAF-T exports, abandoned jobs) once per IXPORTAL_PERIODIC_SECONDS across all
workers. With --reload only the reloaded child schedules.
"""

from __future__ import annotations

import os
from typing import Any

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from invoices.jobs import scheduler


class Command(DatabaseWorkerCommand):
    help = "Run a background worker (jobs and the periodic job); run one or more per host."

    def handle(self, *args: Any, **options: Any) -> None:
        if not options.get("reload") or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            scheduler.start_in_background()
        super().handle(*args, **options)
