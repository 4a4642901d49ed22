"""The workers' scheduler: starts the periodic job once per interval across every worker.

Each `db_worker` process runs `run_forever` in a daemon thread. The due time is a database
row (`PeriodicSlot`), so it survives restarts and is shared by workers on every host; only
the worker whose conditional update moves it on queues the periodic task, and not while an
earlier one is still waiting in the queue (a busy queue does not pile ticks up).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone

from invoices.jobs.models import PeriodicSlot

logger = logging.getLogger(__name__)

SLOT = "periodic"
KEEP_TICKS = dt.timedelta(hours=1)


def interval() -> dt.timedelta:
    return dt.timedelta(seconds=settings.IXPORTAL_PERIODIC_SECONDS)


def tick_if_due() -> bool:
    """Queue the periodic task if it is due and this process wins the slot."""
    from invoices.jobs.tasks import periodic

    if not slot_won(SLOT, interval()) or _tick_waiting(periodic.module_path):
        return False
    periodic.enqueue()
    return True


def slot_won(name: str, every: dt.timedelta) -> bool:
    """Whether the slot `name` is due and this process moved it `every` on: true for one
    caller per interval, however many processes on however many hosts ask."""
    now = timezone.now()
    if not PeriodicSlot.objects.filter(name=name).exists():
        try:
            with transaction.atomic():
                PeriodicSlot.objects.create(name=name, due_at=now)
        except IntegrityError:
            pass  # another worker created it
    return bool(PeriodicSlot.objects.filter(name=name, due_at__lte=now).update(due_at=now + every))


def _tick_waiting(task_path: str) -> bool:
    """Whether a tick still waits in the queue; finished ticks older than an hour are
    deleted on the way (one every few seconds would otherwise fill the table)."""
    from django.apps import apps

    if not apps.is_installed("django_tasks_db"):
        return False
    from django_tasks_db.models import DBTaskResult

    ticks = DBTaskResult.objects.filter(task_path=task_path)
    ticks.finished().filter(finished_at__lt=timezone.now() - KEEP_TICKS).delete()
    return ticks.ready().exists()


def run_forever(stop: threading.Event) -> None:
    every = settings.IXPORTAL_PERIODIC_SECONDS
    while not stop.is_set():
        try:
            tick_if_due()
        except Exception:
            logger.exception("scheduler: could not queue the periodic job")
        finally:
            close_old_connections()
        stop.wait(every / 2 + random.random() * every / 4)
    connection.close()


def start_in_background() -> threading.Event:
    stop = threading.Event()
    threading.Thread(
        target=run_forever, args=(stop,), name="ixportal-scheduler", daemon=True
    ).start()
    return stop
