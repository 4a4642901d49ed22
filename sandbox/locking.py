"""On SQLite, a process serves sandbox requests one at a time.

SQLite has one writer at a time, and the in-memory database of the tests (shared cache)
fails a reader next to a writer at once ("database table is locked") instead of waiting.
So under the threaded dev server or live_server, sandbox work is serialized per process;
several processes on a SQLite file still meet SQLite's own locking (busy timeout). Nothing
changes on PostgreSQL, where concurrent requests really run concurrently.
"""

import threading
from contextlib import nullcontext
from functools import wraps

from django.db import connection

_sqlite_lock = threading.Lock()


def one_at_a_time():
    """A context manager: the process-wide lock on SQLite, nothing elsewhere."""
    return _sqlite_lock if connection.vendor == "sqlite" else nullcontext()


def serialized(view):
    """Run a whole view under one_at_a_time()."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        with one_at_a_time():
            return view(*args, **kwargs)

    return wrapper
