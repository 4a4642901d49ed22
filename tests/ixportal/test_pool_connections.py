"""Thread pools that read several companies at once leave no database connection behind.

Each pool thread that touches the database (the upstream budget's store does, in
production) opens its own connection; the thread ends, the connection would stay open until
garbage collection, and a busy cross-company page would exhaust the server's allowance (seen:
85 idle connections in one test run). PostgreSQL only: SQLite's in-memory test database
ignores a close.
"""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
from django.db import connection, connections

from invoices.documents import totals
from invoices.sequences import pages

pytestmark = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="an in-memory SQLite connection is never closed"
)


class Opened:
    """Each worker thread's connection wrapper, after the thread used the database."""

    def __init__(self) -> None:
        self.wrappers: list = []
        self.lock = threading.Lock()

    def use_database(self) -> None:
        connection.ensure_connection()
        assert connection.connection is not None
        with self.lock:
            self.wrappers.append(connections["default"])

    def all_closed(self) -> bool:
        return bool(self.wrappers) and all(w.connection is None for w in self.wrappers)


@pytest.mark.django_db(transaction=True)
def test_the_series_overview_closes_its_workers_connections(monkeypatch):
    opened = Opened()

    def row(account, *, refresh, language):
        opened.use_database()
        return account

    monkeypatch.setattr(pages, "_company_row", row)
    assert pages.company_rows([1, 2, 3, 4], refresh=False, language="en") == [1, 2, 3, 4]
    assert len(opened.wrappers) == 4
    assert opened.all_closed()


@pytest.mark.django_db(transaction=True)
def test_the_parallel_pages_of_a_walk_close_their_workers_connections():
    opened = Opened()

    class Client:
        def list_documents(self, *, page, per_page, **filters):
            if page > 1:
                opened.use_database()
            return SimpleNamespace(documents=(), total_pages=4, total_entries=0)

    documents, total = totals.walk_documents(Client(), {}, max_pages=4, parallel=3)
    assert (documents, total) == ([], 0)
    assert len(opened.wrappers) == 3
    assert opened.all_closed()
