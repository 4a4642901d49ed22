"""gunicorn settings for `make loadtest` (and a starting point for production's config).

    gunicorn ixportal.wsgi -c ixportal/gunicorn_loadtest.py

The dashboard mostly waits on InvoiceXpress: a documents-list fragment is a few ms of CPU
around a ~100 ms upstream call. Throughput is then workers x threads / (upstream latency +
CPU time), so a few threads per worker (2 x 4 = 8 requests in flight: at most ~70 req/s at
100 ms) leave the cores idle while requests queue. gthread workers, one per core (each owns
a GIL), with enough threads that the cores, not the config, are the limit: 2 x 32 keeps
64 requests in flight, more than two cores can serve at 100 ms upstream. Memory stays that
of one process per core (threads share it).

Every value can be overridden from the environment (GUNICORN_WORKERS, GUNICORN_THREADS,
GUNICORN_TIMEOUT, GUNICORN_BIND).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", os.cpu_count() or 2))
threads = int(os.environ.get("GUNICORN_THREADS", "32"))
# Above IXPORTAL_READ_TIMEOUT (20 s) + IXPORTAL_CONNECT_TIMEOUT, so a slow upstream read
# ends with our own error page, not a killed worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
backlog = 2048
# Path only: the query string may carry search terms; never a URL with an api_key either
# (those are upstream URLs, which gunicorn never sees).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(D)sus'
