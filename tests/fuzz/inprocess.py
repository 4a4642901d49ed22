"""The sandbox served in process: a `requests` adapter that hands each upstream call to the
sandbox's own views through Django's test handler, without a socket or a thread.

For the property tests, which make tens of thousands of requests: the sandbox is the same
code `live_server` serves (every endpoint, faults, rules), but an exchange costs a function
call instead of a TCP round trip, and it runs inside the test's transaction, so a plain `db`
test sees it (no table flush per test). The integration tests keep real HTTP.
"""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import requests
import urllib3
from django.test import Client
from requests.structures import CaseInsensitiveDict

# A loopback address in this branch's port range where nothing listens: a call that escaped
# the adapter would fail at once (connection refused), never reach anything.
BASE = "http://127.0.0.1:8399"


class InProcessSandbox(requests.adapters.BaseAdapter):
    def __init__(self) -> None:
        super().__init__()
        # Exceptions in the sandbox surface in the test as they happen (a bug there too).
        self.client = Client(raise_request_exception=True)
        self.calls = 0

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        self.calls += 1
        url = urlsplit(request.url)
        path = url.path + (f"?{url.query}" if url.query else "")
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        answer = self.client.generic(
            request.method,
            path,
            data=body,
            content_type=request.headers.get("Content-Type", "application/octet-stream"),
        )
        content = b"".join(answer.streaming_content) if answer.streaming else bytes(answer.content)
        headers = CaseInsensitiveDict(dict(answer.items()))
        response = requests.Response()
        response.status_code = answer.status_code
        response.reason = answer.reason_phrase
        response.headers = headers
        response.url = request.url
        response.request = request
        response.encoding = requests.utils.get_encoding_from_headers(headers)
        # A urllib3 response over the bytes, so streamed reads (read1, iter_content) work
        # as they do on a socket.
        response.raw = urllib3.HTTPResponse(
            body=io.BytesIO(content),
            headers=dict(headers),
            status=answer.status_code,
            preload_content=False,
            decode_content=False,
        )
        return response

    def close(self) -> None:
        pass


def mount(session: requests.Session) -> InProcessSandbox:
    adapter = InProcessSandbox()
    session.mount(f"{BASE}/", adapter)
    return adapter


def unmount(session: requests.Session) -> None:
    session.adapters.pop(f"{BASE}/", None)
