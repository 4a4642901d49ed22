"""50 identical submissions at once (one form, one token) make exactly one document.

Real concurrency: threads post to the dashboard on `live_server` over HTTP, each request in
its own server thread, the way a double click, a proxy retry and an impatient clerk would.
"""

from __future__ import annotations

import re
import threading
import urllib.parse
import urllib.request
from http.client import HTTPResponse

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache

from invoices.invoicexpress.client import shared_session
from invoices.models import AuditEntry
from invoices.models.submissions import Submission
from sandbox import faults
from sandbox.models import SandboxDocument
from tests.create.helpers import live_form_data as form_data
from tests.documents.helpers import spy_on_upstream
from tests.live_server import bound_threads

CONCURRENT = 50


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A logged-in HTTP client on the live server: session and CSRF cookies, no redirects."""

    def __init__(self, user, base_url: str) -> None:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        self.base_url = base_url
        self.cookies = {settings.SESSION_COOKIE_NAME: session.session_key}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = None if data is None else urllib.parse.urlencode(data).encode()
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(
            self.base_url + path, data=body, headers={"Cookie": cookie}
        )
        try:
            response: HTTPResponse = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as exc:  # 3xx (not followed) and 4xx/5xx land here
            return exc.code, exc.headers.get("Location", ""), exc.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.headers.get("Location", ""), response.read().decode()


@pytest.mark.django_db(transaction=True)
def test_fifty_identical_submissions_create_exactly_one_document(live_company, monkeypatch):
    cache.clear()
    base = live_company.live_server.url
    browser = Browser(live_company.clerk, base)
    status, _, html = browser.request("/c/acme/documents/new/")
    assert status == 200
    token = re.search(r'name="token" value="([^"]+)"', html)[1]
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    series = re.search(
        r'<select name="sequence"[^>]*>.*?<option value="(\d+)" selected', html, re.S
    )[1]
    data = {**form_data(token, series), "csrfmiddlewaretoken": csrf}

    # Django's test server listens with a backlog of 10: a burst of 50 connections would be
    # reset by the kernel before Django saw them. A production server's backlog is larger.
    live_company.live_server.thread.httpd.socket.listen(CONCURRENT * 2)
    # 50 at once against 20 request threads, as a gunicorn pool serves them (see
    # tests/live_server.py): the first 20 race each other, the rest arrive behind them.
    with bound_threads(live_company.live_server, except_prefix="/sandbox/"):
        upstream = spy_on_upstream(monkeypatch)
        # The one real create is slow: everyone else piles up behind it.
        faults.set_latency("acme", 300)
        start = threading.Barrier(CONCURRENT)
        results: list[tuple[int, str, str]] = []
        lock = threading.Lock()

        errors: list[BaseException] = []

        def submit():
            try:
                start.wait(timeout=10)
                outcome = browser.request("/c/acme/documents/new/", data)
            except BaseException as exc:  # collected and re-raised in the test thread
                errors.append(exc)
                return
            with lock:
                results.append(outcome)

        threads = [threading.Thread(target=submit) for _ in range(CONCURRENT)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(90)
        faults.clear("acme")
        _join_live_server_request_threads()
    assert not errors, errors

    creates = [c for c in upstream if c.method == "POST" and c.path.endswith("/invoices.json")]
    assert len(creates) == 1, f"{len(creates)} upstream creates"
    (doc,) = SandboxDocument.objects.filter(account=live_company.sandbox)
    assert doc.proprietary_uid == token
    assert Submission.objects.get().document_id == doc.pk
    assert AuditEntry.objects.count() == 1

    assert len(results) == CONCURRENT
    statuses = sorted({status for status, _, _ in results})
    target = f"/c/acme/documents/invoices/{doc.pk}/"
    for status, location, body in results:
        if status == 302:
            assert location == target
        else:  # waited in vain: told it is being created, and that resolves to the document
            assert status == 200, (status, body[:500])
            assert "This document is being created." in body
    assert statuses in ([302], [200, 302])
    _, location, _ = browser.request(f"/c/acme/documents/new/{token}/")
    assert location == target


def _join_live_server_request_threads() -> None:
    # A request thread closes its DB connection after the client has the answer; let it
    # finish before the live server's teardown takes the shared SQLite connection away.
    # The app's keep-alive connections to the sandbox would hold their threads open.
    shared_session().close()
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(timeout=10)
