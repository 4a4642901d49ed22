"""The sandbox over real HTTP (live_server): duplicate protection under concurrent requests."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from sandbox import faults
from sandbox.models import SandboxAccount, SandboxDocument
from sandbox.testing import invoice_payload
from tests.live_server import bound_threads

CONCURRENT_POSTS = 50


@pytest.fixture
def live_account(transactional_db):
    return SandboxAccount.objects.create(account_name="live", api_key="live-key")


@pytest.mark.django_db(transaction=True)
def test_it_creates_one_document_from_50_concurrent_posts_with_one_uid(live_server, live_account):
    url = f"{live_server.url}/sandbox/live/invoices.json?api_key=live-key"
    body = {"invoice": invoice_payload(), "proprietary_uid": "double-click-7"}
    start = threading.Barrier(CONCURRENT_POSTS)

    # Django's test server listens with a backlog of 10: 50 connections at once overflow it on
    # a busy machine, and the kernel resets some. Listening again widens the queue (Linux).
    live_server.thread.httpd.socket.listen(CONCURRENT_POSTS)

    def post(_):
        with requests.Session() as session:
            start.wait(timeout=30)  # release every request at the same moment
            response = session.post(url, json=body, timeout=60)
            return response.status_code, response.json()

    # 20 request threads race for the uid, as in a gunicorn pool (tests/live_server.py).
    with bound_threads(live_server), ThreadPoolExecutor(max_workers=CONCURRENT_POSTS) as pool:
        results = list(pool.map(post, range(CONCURRENT_POSTS)))

    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [409] * (CONCURRENT_POSTS - 1), statuses
    conflict = next(body for status, body in results if status == 409)
    assert conflict == {"errors": [{"error": "Proprietary uid has already been taken"}]}
    assert SandboxDocument.objects.filter(account=live_account).count() == 1
    assert live_account.clients.count() == 1  # the losers' clients were rolled back


@pytest.mark.django_db(transaction=True)
def test_it_times_out_a_real_client_and_still_creates_the_document(live_server, live_account):
    faults.inject("live", "timeout", timeout_seconds=1.0)
    url = f"{live_server.url}/sandbox/live/invoices.json?api_key=live-key"
    body = {"invoice": invoice_payload(), "proprietary_uid": "slow-1"}
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.post(url, json=body, timeout=(2, 0.3))
    # The request goes on after the client gave up: the document appears, and a retry meets
    # the uid. (Polled over HTTP: the test's own queries would race the server's on SQLite.)
    list_url = f"{live_server.url}/sandbox/live/invoices.json?api_key=live-key"
    for _ in range(100):
        if requests.get(list_url, timeout=5).json()["pagination"]["total_entries"]:
            break
        time.sleep(0.05)
    retry = requests.post(url, json=body, timeout=5)
    assert retry.status_code == 409
    assert SandboxDocument.objects.filter(account=live_account).count() == 1
