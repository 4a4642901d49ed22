"""Every upstream failure becomes a typed error with a page-fit message, and retries are safe.

These use `responses` for what a live peer cannot easily produce on demand (exact bodies,
counted retries); the sandbox tests drive the same paths over real HTTP.
"""

import socket

import pytest
import requests
import responses

from invoices.invoicexpress.client import InvoiceXpressClient
from invoices.invoicexpress.errors import (
    BadResponse,
    Conflict,
    NotAcceptable,
    NotFound,
    RateLimited,
    Rejected,
    ServerError,
    Unauthorized,
    Unreachable,
)

BASE = "https://acme.app.invoicexpress.com"
KEY = "s3cret-key-0123456789"
LIST = f"{BASE}/invoices.json"
CREATE = f"{BASE}/invoices.json"


@pytest.fixture
def client():
    return InvoiceXpressClient(BASE, KEY, retries=2, backoff=0.001)


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


EMPTY_LIST = {
    "invoices": [],
    "pagination": {"total_entries": 0, "total_pages": 0, "current_page": 1, "per_page": 10},
}


@pytest.mark.parametrize(
    ("status", "body", "error", "messages"),
    [
        (401, '{"errors":[{"error":"Invalid API key"}]}', Unauthorized, None),
        (404, "", NotFound, None),
        (406, "", NotAcceptable, None),
        (
            409,
            '{"errors":[{"error":"Proprietary uid has already been taken"}]}',
            Conflict,
            ["Proprietary uid has already been taken"],
        ),
        (
            409,
            '{"code":"006","message":"The sequence is already being registered."}',
            Conflict,
            ["The sequence is already being registered."],
        ),
        (
            422,
            '{"errors":[{"error":"Due date must be later than date"}]}',
            Rejected,
            ["Due date must be later than date"],
        ),
        (422, '{"errors":{"error":"Client is invalid"}}', Rejected, ["Client is invalid"]),
        (
            422,
            '{"errors":["Retention must be a number between 0 and 99.99"]}',
            Rejected,
            ["Retention must be a number between 0 and 99.99"],
        ),
        (422, '[["name","não está disponível."]]', Rejected, ["name não está disponível."]),
        (
            422,
            '{"code":"001","message":"Sequence name not allowed."}',
            Rejected,
            ["Sequence name not allowed."],
        ),
        (422, "", Rejected, []),
        (
            500,
            '{"message":"Error generating SAF-T. Please try again."}',
            ServerError,
            ["Error generating SAF-T. Please try again."],
        ),
        (502, "<html><body>Bad gateway</body></html>", ServerError, []),
        (418, "", Rejected, []),
        (403, "<html><body>Forbidden</body></html>", Rejected, []),
        (
            422,
            '<?xml version="1.0" encoding="UTF-8"?>\n<errors>\n  <error>Due date must be later than date</error>\n  <error>Client is invalid</error>\n</errors>',
            Rejected,
            ["Due date must be later than date", "Client is invalid"],
        ),
    ],
)
def test_each_failure_is_a_typed_error_with_its_messages(rsps, status, body, error, messages):
    rsps.add("POST", CREATE, body=body, status=status)
    client = InvoiceXpressClient(BASE, KEY, retries=0)
    with pytest.raises(error) as caught:
        client.create_document("invoices", {"date": "01/10/2026"}, proprietary_uid="u-1")
    exc = caught.value
    assert exc.message and str(exc) == exc.message
    if messages is not None:
        assert exc.errors == messages
        for message in messages:
            assert message.rstrip(".") in exc.message
    if status in (409, 422):
        assert exc.raw == body
    if 400 <= status < 500 and status not in (401, 404, 406):
        assert exc.status == status
    if body.startswith('{"code"'):
        assert exc.code in ("006", "001")


def test_a_409_with_an_html_page_is_still_a_conflict(rsps, client):
    # The status says the proprietary_uid is taken; the page only fails to say more.
    rsps.add("POST", CREATE, body="<!doctype html><p>Conflict</p>", status=409)
    with pytest.raises(Conflict) as caught:
        client.create_document("invoices", {}, proprietary_uid="u")
    assert caught.value.errors == []


@pytest.mark.parametrize(
    "body",
    [
        "<!doctype html><html><body><h1>Unprocessable</h1></body></html>",
        '<?xml version="1.0"?><hash><status>422</status></hash>',
        "<errors><error>unclosed",
        '<?xml version="1.0"?><!DOCTYPE errors [<!ENTITY x "boom">]><errors><error>&x;</error></errors>',
    ],
)
def test_a_4xx_with_an_unreadable_page_is_a_refusal_with_its_status(rsps, client, body):
    rsps.add("POST", CREATE, body=body, status=422, content_type="text/html")
    with pytest.raises(Rejected) as caught:
        client.create_document("invoices", {}, proprietary_uid="u")
    assert caught.value.status == 422
    assert caught.value.errors == []
    assert "HTTP 422" in caught.value.message
    assert "refused" in caught.value.message


def test_a_4xx_json_body_gives_its_words_with_the_status(rsps, client):
    rsps.add(
        "PUT",
        f"{BASE}/invoices/5/change-state.json",
        status=400,
        json={"errors": ["No state given"]},
    )
    with pytest.raises(Rejected) as caught:
        client.change_state("invoices", 5, "canceled", "typo")
    assert caught.value.status == 400
    assert "No state given" in caught.value.message and "HTTP 400" in caught.value.message


def test_an_html_page_with_200_is_a_bad_response(rsps, client):
    rsps.add(
        "GET",
        LIST,
        body="<html><body>Maintenance</body></html>",
        status=200,
        content_type="text/html",
    )
    with pytest.raises(BadResponse) as caught:
        client.list_documents()
    assert "web page" in caught.value.message


def test_broken_json_is_a_bad_response(rsps, client):
    rsps.add("GET", LIST, body='{"invoices": [', status=200)
    with pytest.raises(BadResponse) as caught:
        client.list_documents()
    assert "not valid JSON" in caught.value.message


def test_json_of_the_wrong_shape_is_a_bad_response(rsps, client):
    rsps.add("GET", LIST, json={"something": "else"})
    with pytest.raises(BadResponse):
        client.list_documents()


def test_a_get_is_retried_after_429_and_5xx_then_succeeds(rsps, client):
    rsps.add("GET", LIST, status=429, body="")
    rsps.add("GET", LIST, status=503, body="")
    rsps.add("GET", LIST, json=EMPTY_LIST)
    page = client.list_documents()
    assert page.total_entries == 0
    assert len(rsps.calls) == 3
    assert client.calls == 3


def test_a_get_gives_up_after_its_bounded_retries(rsps, client):
    for _ in range(5):
        rsps.add("GET", LIST, status=500, body="")
    with pytest.raises(ServerError):
        client.list_documents()
    assert len(rsps.calls) == 3  # the first try and two retries


def test_a_get_is_retried_after_a_network_error(rsps, client):
    rsps.add("GET", LIST, body=requests.ConnectionError("boom"))
    rsps.add("GET", LIST, json=EMPTY_LIST)
    assert client.list_documents().total_entries == 0
    assert len(rsps.calls) == 2


def test_a_post_is_never_retried_after_a_5xx(rsps, client):
    rsps.add("POST", CREATE, status=500, body="")
    rsps.add(
        "POST",
        CREATE,
        status=201,
        json={"invoice": {"id": 1, "type": "Invoice", "status": "draft"}},
    )
    with pytest.raises(ServerError):
        client.create_document("invoices", {}, proprietary_uid="u")
    assert len(rsps.calls) == 1


def test_a_post_is_never_retried_after_a_timeout(rsps, client):
    rsps.add("POST", CREATE, body=requests.ReadTimeout("slow"))
    with pytest.raises(Unreachable) as caught:
        client.create_document("invoices", {}, proprietary_uid="u")
    assert caught.value.timed_out
    assert len(rsps.calls) == 1


def test_a_post_is_retried_after_429_which_the_service_answers_before_acting(rsps, client):
    rsps.add("POST", CREATE, status=429, body="")
    rsps.add(
        "POST",
        CREATE,
        status=201,
        json={"invoice": {"id": 7, "type": "Invoice", "status": "draft"}},
    )
    assert client.create_document("invoices", {}, proprietary_uid="u").id == 7


def test_rate_limiting_that_persists_is_reported(rsps, client):
    for _ in range(3):
        rsps.add("GET", LIST, status=429, body="")
    with pytest.raises(RateLimited) as caught:
        client.list_documents()
    assert "429" in caught.value.message


def test_every_call_carries_a_connect_and_read_timeout(rsps, settings):
    settings.IXPORTAL_CONNECT_TIMEOUT, settings.IXPORTAL_READ_TIMEOUT = 1.5, 7.0
    rsps.add("GET", LIST, json=EMPTY_LIST)
    InvoiceXpressClient(BASE, KEY).list_documents()
    assert rsps.calls[0].request.req_kwargs["timeout"] == (1.5, 7.0)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_connection_refused_is_unreachable():
    client = InvoiceXpressClient(f"http://127.0.0.1:{_closed_port()}", KEY, retries=0)
    with pytest.raises(Unreachable) as caught:
        client.list_taxes()
    assert not caught.value.timed_out
    assert "cannot be reached" in caught.value.message


def test_a_silent_server_is_a_timeout():
    with socket.socket() as server:  # accepts the connection, never answers
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        client = InvoiceXpressClient(f"http://127.0.0.1:{port}", KEY, timeout=(1, 0.3), retries=0)
        with pytest.raises(Unreachable) as caught:
            client.list_taxes()
    assert caught.value.timed_out


def test_the_list_sends_every_filter_the_way_the_api_expects(rsps, client):
    import datetime as dt
    from decimal import Decimal
    from urllib.parse import parse_qsl, urlsplit

    rsps.add("GET", LIST, json=EMPTY_LIST)
    client.list_documents(
        text="foo",
        types=["Invoice", "credit_notes"],
        statuses=["sent", "final"],
        date_from=dt.date(2017, 9, 30),
        date_to=dt.date(2017, 10, 31),
        due_date_from=dt.date(2017, 9, 30),
        due_date_to=dt.date(2017, 10, 31),
        total_before_taxes_from=Decimal("100"),
        total_before_taxes_to=Decimal("500.5"),
        archived=False,
        non_archived=True,
        reference="fb30",
        page=2,
        per_page=30,
    )
    query = parse_qsl(urlsplit(rsps.calls[0].request.url).query)
    assert query == [
        ("text", "foo"),
        ("type[]", "Invoice"),
        ("type[]", "CreditNote"),
        ("status[]", "sent"),
        ("status[]", "final"),
        ("date[from]", "30/09/2017"),
        ("date[to]", "31/10/2017"),
        ("due_date[from]", "30/09/2017"),
        ("due_date[to]", "31/10/2017"),
        ("total_before_taxes[from]", "100.00"),
        ("total_before_taxes[to]", "500.50"),
        ("archived", "false"),
        ("non_archived", "true"),
        ("reference", "fb30"),
        ("page", "2"),
        ("per_page", "30"),
        ("api_key", KEY),
    ]


def test_money_is_sent_as_exact_decimal_text(rsps, client):
    import json
    from decimal import Decimal

    rsps.add(
        "POST",
        CREATE,
        status=201,
        json={"invoice": {"id": 1, "type": "Invoice", "status": "draft"}},
    )
    client.create_document(
        "invoices",
        {"items": [{"unit_price": Decimal("0.10"), "quantity": Decimal("3")}]},
        proprietary_uid="u",
    )
    sent = json.loads(rsps.calls[0].request.body)
    assert sent["invoice"]["items"][0] == {"unit_price": "0.10", "quantity": "3"}


def test_a_get_that_times_out_reading_is_not_retried():
    """Three 20-second waits would hold a page for a minute: one timeout is reported."""
    import time

    with socket.socket() as server:  # accepts the connection, never answers
        server.bind(("127.0.0.1", 0))
        server.listen(5)
        port = server.getsockname()[1]
        client = InvoiceXpressClient(f"http://127.0.0.1:{port}", KEY, timeout=(1, 0.3), retries=2)
        started = time.monotonic()
        with pytest.raises(Unreachable) as caught:
            client.list_taxes()
        elapsed = time.monotonic() - started
    assert caught.value.timed_out
    assert client.calls == 1
    assert elapsed < 0.9  # one read timeout, not three


def test_a_get_is_retried_after_a_connect_timeout(rsps, client):
    rsps.add("GET", LIST, body=requests.ConnectTimeout("no route"))
    rsps.add("GET", LIST, json=EMPTY_LIST)
    assert client.list_documents().total_entries == 0
    assert len(rsps.calls) == 2


def _serve_slowly(server: socket.socket, stop, *, trickle: bool) -> None:
    """Accepts connections; answers nothing, or a 201 one byte every 0.1 s (trickle)."""
    import time

    server.settimeout(0.05)
    while not stop.is_set():
        try:
            conn, _addr = server.accept()
        except OSError:
            continue
        with conn:
            conn.recv(65536)
            if not trickle:
                stop.wait(3)
                continue
            head = b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n"
            conn.sendall(head)
            for _ in range(200):
                if stop.is_set():
                    break
                try:
                    conn.sendall(b" ")
                except OSError:
                    break
                time.sleep(0.1)


@pytest.mark.parametrize("trickle", [False, True])
def test_a_write_makes_one_attempt_bounded_by_the_write_deadline(trickle):
    """Creating under an upstream timeout once held the request 60 s; now one short wait."""
    import threading
    import time

    stop = threading.Event()
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(5)
        port = server.getsockname()[1]
        thread = threading.Thread(
            target=_serve_slowly, args=(server, stop), kwargs={"trickle": trickle}
        )
        thread.start()
        try:
            client = InvoiceXpressClient(
                f"http://127.0.0.1:{port}", KEY, timeout=(1, 5), retries=2, write_deadline=0.6
            )
            started = time.monotonic()
            with pytest.raises(Unreachable) as caught:
                client.create_sequence("A")
            elapsed = time.monotonic() - started
        finally:
            stop.set()
            thread.join()
    assert caught.value.timed_out  # the outcome is unknown: the page offers "check again"
    assert client.calls == 1
    assert elapsed < 1.5  # the 0.6 s deadline, not the 5 s read timeout (let alone three)


def test_a_write_is_not_retried_after_429_past_its_deadline(rsps):
    rsps.add("POST", CREATE, status=429, body="")
    client = InvoiceXpressClient(BASE, KEY, retries=2, backoff=5, write_deadline=1)
    with pytest.raises(RateLimited):
        client.create_document("invoices", {}, proprietary_uid="u")
    assert len(rsps.calls) == 1
