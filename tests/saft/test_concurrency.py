"""Twenty pollers at once ask InvoiceXpress once per interval, and finish an export once.

Two ways in. The service function from 20 threads, each with its own database connection
(every backend). And 20 real HTTP requests to the live server, the way tabs hit it, which
needs each live-server thread to have its own connection: true on PostgreSQL and on a
file-backed SQLite test database, not on an in-memory one, where the live server shares
the test's single sqlite3 connection between threads and an UPDATE's row count (kept per
connection) leaks from one thread to another. That is the harness, not the app, so those
tests skip on an in-memory database.
"""

import datetime as dt
import threading
import time
import urllib.request

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError, connections
from django.db.models import F
from django.utils import timezone

from invoices.invoicexpress.client import shared_session
from saft.models import SaftExport
from saft.periods import Period
from saft.services import export_advance, saft_client
from sandbox.models import SandboxSaftExport

PERIOD = Period.last_closed()
POLLERS = 20


def _in_memory_sqlite() -> bool:
    database = django_settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return False
    name = str((database.get("TEST") or {}).get("NAME") or ":memory:")
    return name == ":memory:" or "mode=memory" in name


needs_a_connection_per_thread = pytest.mark.skipif(
    _in_memory_sqlite(),
    reason="the live server shares one in-memory SQLite connection between threads",
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IXPORTAL_SAFT_POLL_SECONDS = 30


def _all_at_once(work) -> None:
    barrier = threading.Barrier(POLLERS)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            work()
        except BaseException as exc:  # collected and re-raised in the test thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(POLLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors


# ---- the service function, every backend -------------------------------------------------


def _advance_like_a_poller(export_pk: int, clients: list, now: dt.datetime) -> None:
    client = None
    for _attempt in range(200):
        try:
            export = SaftExport.objects.select_related("account").get(pk=export_pk)
            if client is None:
                client = saft_client(export.account)
                clients.append(client)
            export_advance(export=export, client=client, now=now)
            return
        except OperationalError as exc:
            # An in-memory SQLite test database answers "table is locked" at once where a
            # file or server database waits for the lock; wait the way a busy timeout would.
            if "locked" not in str(exc):
                raise
            time.sleep(0.01)
    raise AssertionError("the database stayed locked")


@pytest.mark.django_db(transaction=True)
def test_twenty_threads_advancing_one_export_ask_once_per_interval(cast):
    # acme points at a port nobody listens on: each upstream call fails fast and is counted
    # by the real client (`.calls`); the export stays pending, ready for the next interval.
    export = SaftExport.objects.create(account=cast.account, year=PERIOD.year, month=PERIOD.month)
    clients: list = []
    start = timezone.now()

    _all_at_once(lambda: _advance_like_a_poller(export.pk, clients, start))
    assert len(clients) == POLLERS
    assert sum(c.calls for c in clients) == 1
    export.refresh_from_db()
    assert export.attempts == 1 and export.is_pending and export.checked_at == start

    # Still inside the interval: nobody asks.
    _all_at_once(lambda: _advance_like_a_poller(export.pk, clients, start + dt.timedelta(seconds=29)))  # fmt: skip
    assert sum(c.calls for c in clients) == 1

    # The next interval: one of them asks, once.
    _all_at_once(lambda: _advance_like_a_poller(export.pk, clients, start + dt.timedelta(seconds=30)))  # fmt: skip
    assert sum(c.calls for c in clients) == 2
    export.refresh_from_db()
    assert export.attempts == 2


# ---- real HTTP pollers against the live server (PostgreSQL) ------------------------------


def _poll_all_at_once(url: str, cookie: str) -> list[str]:
    rows: list[str] = []

    def poll() -> None:
        request = urllib.request.Request(url, headers={"HX-Request": "true", "Cookie": cookie})
        with urllib.request.urlopen(request, timeout=20) as response:
            rows.append(response.read().decode())

    _all_at_once(poll)
    _join_live_server_request_threads()
    return rows


def _join_live_server_request_threads() -> None:
    # Let the live server's request threads end before its teardown. The app's keep-alive
    # connections to the sandbox would hold their threads open: close them first.
    shared_session().close()
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(timeout=10)


def _session_cookie(client, user) -> str:
    client.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


@needs_a_connection_per_thread
def test_twenty_http_pollers_make_one_upstream_call_per_interval(client, live_company):
    world = live_company
    world.sandbox.saft_pending_calls = 5
    world.sandbox.save()
    export = SaftExport.objects.create(
        account=world.account, year=PERIOD.year, month=PERIOD.month, requested_by=world.manager
    )
    cookie = _session_cookie(client, world.viewer)
    url = f"{world.live_server.url}/c/acme/saft/{export.pk}/"

    rows = _poll_all_at_once(url, cookie)
    assert len(rows) == POLLERS
    assert all(row.lstrip().startswith(f'<tr id="export-{export.pk}"') for row in rows)
    assert SandboxSaftExport.objects.get().calls == 1
    export.refresh_from_db()
    assert export.attempts == 1 and export.is_pending

    # The interval passes (moved back rather than waited for): the next burst asks once more.
    SaftExport.objects.filter(pk=export.pk).update(checked_at=F("checked_at") - dt.timedelta(seconds=31))  # fmt: skip
    _poll_all_at_once(url, cookie)
    assert SandboxSaftExport.objects.get().calls == 2
    export.refresh_from_db()
    assert export.attempts == 2


@needs_a_connection_per_thread
def test_twenty_http_pollers_at_the_ready_moment_archive_the_file_once(client, live_company, settings):  # fmt: skip
    world = live_company
    world.sandbox.saft_pending_calls = 0  # the first call answers 200 with the link
    world.sandbox.save()
    export = SaftExport.objects.create(
        account=world.account, year=PERIOD.year, month=PERIOD.month, requested_by=world.manager
    )
    cookie = _session_cookie(client, world.manager)

    rows = _poll_all_at_once(f"{world.live_server.url}/c/acme/saft/{export.pk}/", cookie)
    export.refresh_from_db()
    assert export.is_ready and export.attempts == 1
    assert SandboxSaftExport.objects.get().calls == 1
    stored = list((settings.MEDIA_ROOT / "saft").rglob("*.zip"))
    assert [p.relative_to(settings.MEDIA_ROOT).as_posix() for p in stored] == [export.file.name]
    # Every poller got a row; whoever rendered after the archive saw it ready.
    assert sum('data-status="ready"' in row for row in rows) >= 1
