"""gunicorn settings for ixportal: `gunicorn -c deploy/gunicorn.conf.py ixportal.wsgi`.

Not at the repository root on purpose: gunicorn would load it for every server started
there (the sandbox's and the benchmark's too). Every value can be overridden from the
environment (GUNICORN_*), so one file serves a laptop, CI's smoke test and production.

A request mostly waits on InvoiceXpress (100 ms to seconds per call) and spends a few ms
of CPU, so each process runs many threads (gthread): the thread count, not the CPU, is
what runs out first. Each thread may hold one PostgreSQL connection (CONN_MAX_AGE), so
workers x threads x hosts must stay under the server's max_connections.
"""

import multiprocessing
import os
from pathlib import Path

import environ

# The same optional .env the Django settings read (the real environment wins).
environ.Env.read_env(Path(__file__).resolve().parent.parent / ".env")


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
# One process per core keeps every core busy; threads cover the waiting on the upstream.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count())
threads = _int("GUNICORN_THREADS", 16)

# Above the longest request, with room to spare: long work runs in background jobs, so that
# is a page waiting for its upstream budget (2 s), connecting (3 x 3.05 s) and reading (20 s).
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# The reverse proxy keeps connections open to gunicorn between requests.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle a process now and then (staggered), so a slow leak can never grow without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)
# The heartbeat file on tmpfs: a disk stall must not look like a hung worker.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Logs to stdout/stderr (systemd's journal or the container's log).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# %(U)s is the path WITHOUT the query string, never %(r)s (the request line): query strings
# carry the office sign-in's code and state, and any future token. No referer either (%(f)s
# is a full URL with its query). The client address is the proxy's X-Forwarded-For.
access_log_format = (
    '%({x-forwarded-for}i)s %(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
)
# Only the local reverse proxy may set X-Forwarded-* for gunicorn itself.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
