"""live_server as a production server is: a bounded number of request threads.

Django's test server starts a thread (and so a database connection) per connection. Fifty
requests at once, plus the stand-in's answers to them, would take about 100 PostgreSQL
connections, the server's whole default allowance, shared with the other test worker.
gunicorn serves a fixed pool of threads (deploy/gunicorn.conf.py runs far fewer than 20);
the requests beyond it wait unanswered, holding no connection.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

SERVER_THREADS = 20


@contextmanager
def bound_threads(
    live_server, threads: int = SERVER_THREADS, *, except_prefix: str = ""
) -> Iterator[None]:
    """Serve at most `threads` requests of `live_server` at a time, inside the block (the
    server lives for the whole session; it is unbounded again after).

    Paths under `except_prefix` stay unbounded: there the stand-in (/sandbox/) plays another
    service, and the dashboard requests waiting on it hold slots of their own.
    """
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    slots = threading.BoundedSemaphore(threads)

    def bounded(environ, start_response):
        if except_prefix and environ.get("PATH_INFO", "").startswith(except_prefix):
            return app(environ, start_response)
        with slots:
            # The whole body is built in the slot; close() ends the request (Django's
            # request_finished), so the slot is free only once the work is done.
            response = app(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                getattr(response, "close", lambda: None)()

    httpd.set_app(bounded)
    try:
        yield
    finally:
        httpd.set_app(app)
