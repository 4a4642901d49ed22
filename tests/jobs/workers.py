"""Real `manage.py db_worker` processes for the tests that are about workers.

They share the test database: on SQLite it is a file (see ixportal/test_settings.py), on
PostgreSQL the test database's name is passed on. Jobs are queued in the database backend
(the test process switches to it with `database_queue`), and the workers' scheduler runs
the periodic job every half second with two-second leases, so a killed worker's job is
taken over within a few seconds.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def process_env(**extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ixportal.test_settings",
        "DATABASE_URL": database_url(),
        "IXPORTAL_TASKS_BACKEND": DATABASE_BACKEND,
        "IXPORTAL_JOB_LEASE_SECONDS": "2",
        "IXPORTAL_PERIODIC_SECONDS": "0.5",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


def database_queue(settings_fixture) -> None:
    """Jobs queued by this test process go to the database, where the workers look."""
    settings_fixture.TASKS = {
        "default": {"BACKEND": DATABASE_BACKEND, "QUEUES": ["default"]},
    }
    settings_fixture.IXPORTAL_JOB_LEASE_SECONDS = 2.0


@contextlib.contextmanager
def worker(log_dir: Path, name: str, **extra: str) -> Iterator[subprocess.Popen]:
    log = (log_dir / f"worker-{name}.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--interval",
            "0.1",
            "--no-startup-delay",
            "--no-reload",
            "--worker-id",
            name,
        ],
        cwd=ROOT,
        env=process_env(**extra),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def wait_for(
    condition: Callable[[], bool], *, timeout: float, what: str, poll: float = 0.01
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(poll)


def worker_log(log_dir: Path) -> str:
    return "\n".join(p.read_text() for p in sorted(log_dir.glob("worker-*.log")))
