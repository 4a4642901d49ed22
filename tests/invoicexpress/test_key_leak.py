"""The API key never reaches a log line, an exception's text or repr, or an error page.

A real loopback HTTP server answers each failure so requests and urllib3 run their real
code paths (urllib3 logs full URLs at DEBUG: we turn that on here on purpose).
"""

import io
import logging
import socket
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import RequestFactory
from django.views.debug import ExceptionReporter

from invoices.invoicexpress.client import InvoiceXpressClient
from invoices.invoicexpress.errors import InvoiceXpressError
from invoices.invoicexpress.redaction import RedactSecretsFilter, redact

KEY = "LEAKCANARY-9f8e7d6c5b4a"


class _Handler(BaseHTTPRequestHandler):
    answers = {
        "/unauthorized.json": (401, "application/json", '{"errors":[{"error":"Invalid API key"}]}'),
        "/missing.json": (404, "application/json", ""),
        "/conflict.json": (409, "application/json", '{"errors":[{"error":"taken"}]}'),
        "/rejected.json": (422, "application/json", '[["name","não está disponível."]]'),
        "/limited.json": (429, "application/json", ""),
        "/broken.json": (500, "application/json", '{"message":"Error generating SAF-T."}'),
        "/html.json": (200, "text/html", "<html><body>login</body></html>"),
        "/garbled.json": (200, "application/json", '{"taxes": ['),
    }

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/slow.json":
            threading.Event().wait(1.0)
        status, content_type, body = self.answers.get(
            path, (404, "text/html", "<html>no route</html>")
        )
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # the server's own access log would print the key
        pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # the timeout test hangs up on purpose; the broken pipe is expected


@pytest.fixture(scope="module")
def server():
    httpd = _QuietServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def console_output():
    """What the configured console handler (with its redacting filter) writes, at DEBUG."""
    root = logging.getLogger()
    handler = next(
        h for h in root.handlers if any(isinstance(f, RedactSecretsFilter) for f in h.filters)
    )
    stream = io.StringIO()
    old_stream = handler.setStream(stream)
    levels = {name: logging.getLogger(name).level for name in ("", "urllib3", "invoices")}
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield stream
    handler.setStream(old_stream)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _every_text_of(exc: BaseException) -> str:
    chain, seen = [], exc
    while seen is not None:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    parts = []
    for e in chain:
        parts += [str(e), repr(e), repr(e.args), repr(vars(e))]
    parts.append("".join(traceback.format_exception(exc)))
    return "\n".join(parts)


PATHS = [
    "unauthorized.json",
    "missing.json",
    "conflict.json",
    "rejected.json",
    "limited.json",
    "broken.json",
    "html.json",
    "garbled.json",
    "slow.json",
]


@pytest.mark.parametrize("path", PATHS)
def test_no_failure_leaks_the_key(server, console_output, path):
    client = InvoiceXpressClient(server, KEY, timeout=(1, 0.2), retries=1, backoff=0.001)
    with pytest.raises(InvoiceXpressError) as caught:
        client._request("GET", path).json()
    assert KEY not in _every_text_of(caught.value)
    assert KEY not in repr(client)
    output = console_output.getvalue()
    assert output, "the logging capture saw nothing, so it proves nothing"
    assert KEY not in output


def test_connection_refused_does_not_leak_the_key(console_output):
    client = InvoiceXpressClient(
        f"http://127.0.0.1:{_closed_port()}", KEY, retries=1, backoff=0.001
    )
    with pytest.raises(InvoiceXpressError) as caught:
        client.list_taxes()
    assert caught.value.__context__ is None and caught.value.__cause__ is None
    assert KEY not in _every_text_of(caught.value)
    assert KEY not in console_output.getvalue()


def test_urllib3_debug_lines_are_redacted_not_dropped(server, console_output):
    client = InvoiceXpressClient(server, KEY, retries=0)
    with pytest.raises(InvoiceXpressError):
        client._request("GET", "unauthorized.json")
    output = console_output.getvalue()
    assert "api_key=[REDACTED]" in output  # urllib3 did log the URL; the filter scrubbed it
    assert KEY not in output


def test_a_logged_traceback_holding_a_url_is_redacted(console_output):
    logger = logging.getLogger("invoices.test")
    try:
        raise RuntimeError(
            f"GET https://x.app.invoicexpress.com/invoices.json?api_key={KEY}&page=2 failed"
        )
    except RuntimeError:
        logger.exception("while calling %s", f"/invoices.json?page=1&api_key={KEY}")
    output = console_output.getvalue()
    assert "while calling" in output and "RuntimeError" in output
    assert KEY not in output


def test_the_debug_error_page_hides_the_key(server):
    """Even Django's technical 500 page (DEBUG on) does not show the client's secrets."""
    client = InvoiceXpressClient(server, KEY, retries=0)
    request = RequestFactory().get("/c/acme/documents/")
    try:
        client._request("GET", "broken.json", params={"page": 1})
    except InvoiceXpressError:
        import sys

        html = ExceptionReporter(request, *sys.exc_info()).get_traceback_html()
    assert "InvoiceXpress" in html
    assert KEY not in html


def test_redact_scrubs_every_form_of_the_query_parameter():
    text = f"a?api_key={KEY} b&API_KEY={KEY}&x=1 'api_key={KEY}'"
    assert KEY not in redact(text)


def test_the_dev_server_request_log_is_redacted():
    """runserver logs every request line; a sandbox URL carries the key in its query."""
    stream = io.StringIO()
    handler = next(
        h
        for h in logging.getLogger("django.server").handlers
        if any(isinstance(f, RedactSecretsFilter) for f in h.filters)
    )
    old_stream = handler.setStream(stream)
    try:
        logging.getLogger("django.server").info(
            '"%s" %s %s',
            f"GET /sandbox/acme/invoices.json?api_key={KEY}&page=1 HTTP/1.1",
            "200",
            "123",
        )
    finally:
        handler.setStream(old_stream)
    assert "/sandbox/acme/invoices.json?api_key=[REDACTED]&page=1" in stream.getvalue()
    assert KEY not in stream.getvalue()
