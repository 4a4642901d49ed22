"""One upstream budget per InvoiceXpress account, shared by every process and host.

InvoiceXpress allows 780 requests a minute per account and answers 429 above it. Every
request the client sends first takes one unit here (`InvoiceXpressClient._spend_budget`),
whichever gunicorn process, job worker or host sends it, so a CSV export, a bulk finalize
and twenty people on one company share the one budget instead of pushing each other into
429s.

The rule is GCRA (the "generic cell rate algorithm", a leaky bucket kept as one timestamp
per account): requests flow at (budget - burst) per window, and up to `burst` may go at
once after a quiet spell, so no window of IXPORTAL_UPSTREAM_BUDGET_WINDOW_SECONDS (60)
ever sees more than IXPORTAL_UPSTREAM_BUDGET_PER_MINUTE. The state lives in Redis when
CACHE_URL points at Redis (one Lua script, Redis' own clock) and in the database otherwise
(one conditional UPDATE per request, so two processes can never both take the last unit).

Pages wait at most IXPORTAL_UPSTREAM_PAGE_WAIT_SECONDS and then raise `Busy`, whose
message the page shows; code inside `waiting_as_a_job()` waits up to
IXPORTAL_UPSTREAM_JOB_WAIT_SECONDS.
"""

from __future__ import annotations

import contextlib
import hashlib
import random
import threading
import time
from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest

from invoices.invoicexpress.errors import Busy

_job_wait: ContextVar[bool] = ContextVar("ixportal_upstream_job_wait", default=False)


@contextlib.contextmanager
def waiting_as_a_job() -> Iterator[None]:
    """Calls made inside wait for budget as long as a background job may."""
    token = _job_wait.set(True)
    try:
        yield
    finally:
        _job_wait.reset(token)


def patiently(lines: Iterator[str]) -> Iterator[str]:
    """A streamed answer that fetches as it goes (the CSV export): once the first bytes are
    out, waiting for budget like a job beats breaking the file off half-way."""
    while True:
        with waiting_as_a_job():
            try:
                line = next(lines)
            except StopIteration:
                return
        yield line


def max_wait() -> float:
    if _job_wait.get():
        return settings.IXPORTAL_UPSTREAM_JOB_WAIT_SECONDS
    return settings.IXPORTAL_UPSTREAM_PAGE_WAIT_SECONDS


def rule() -> tuple[float, float]:
    """(emission interval, tolerance) in seconds, from the settings.

    GCRA lets at most 1 + (span + tolerance) / interval requests through in any span: with
    these values that is budget - 1 per window, one unit kept back for network jitter
    between the moment a request is allowed and the moment it arrives.
    """
    budget = settings.IXPORTAL_UPSTREAM_BUDGET_PER_MINUTE
    burst = settings.IXPORTAL_UPSTREAM_BURST
    window = settings.IXPORTAL_UPSTREAM_BUDGET_WINDOW_SECONDS
    interval = window / (budget - burst - 1)
    return interval, (burst - 1) * interval


class UpstreamBudget:
    """The `client.Budget` the app installs: waits (or raises Busy) until a unit is free."""

    def acquire(self, key: str) -> None:
        if settings.IXPORTAL_UPSTREAM_BUDGET_PER_MINUTE == 0:  # off (the test suite's default)
            return
        deadline = time.monotonic() + max_wait()
        while True:
            wait = self.take(key)
            if wait <= 0:
                return
            # Answer at once when the wait would outlast what the caller may wait.
            if time.monotonic() + wait > deadline:
                raise Busy()
            # A little jitter: waiters on several hosts do not all come back in step.
            time.sleep(wait + random.random() * 0.02)

    def take(self, key: str) -> float:
        """Take one unit now (0.0), or say how many seconds until one is free."""
        raise NotImplementedError


class DatabaseBudget(UpstreamBudget):
    def take(self, key: str) -> float:
        from invoices.models import UpstreamBudgetState

        interval, tolerance = rule()
        row_key = _row_key(key)
        now = time.time()
        # Allowed when the theoretical arrival time is at most `tolerance` ahead of now;
        # the filter and the new value are one statement, so racing processes serialize.
        taken = UpstreamBudgetState.objects.filter(key=row_key, tat__lte=now + tolerance).update(
            tat=Greatest(F("tat"), Value(now)) + interval
        )
        if taken:
            return 0.0
        tat = UpstreamBudgetState.objects.filter(key=row_key).values_list("tat", flat=True).first()
        if tat is None:
            try:
                with transaction.atomic():  # a savepoint: a lost race must not spoil the caller's
                    UpstreamBudgetState.objects.create(key=row_key, tat=now + interval)
                return 0.0
            except IntegrityError:  # another process created it first: try again
                return self.take(key)
        return max(tat - tolerance - now, 0.001)


# GCRA in one round trip, on Redis' clock (hosts' clocks may differ).
_LUA = """
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local allow_at = tat - tolerance
if now < allow_at then return tostring(allow_at - now) end
redis.call('SET', KEYS[1], tostring(tat + interval), 'PX', math.ceil((tat + interval - now) * 1000) + 1000)
return '0'
"""


class RedisBudget(UpstreamBudget):
    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()

    def _script(self):
        script = getattr(self._local, "script", None)
        if script is None:
            import redis

            script = redis.Redis.from_url(self.url).register_script(_LUA)
            self._local.script = script
        return script

    def take(self, key: str) -> float:
        interval, tolerance = rule()
        answer = self._script()(
            keys=[f"ixportal:budget:{_row_key(key)}"], args=[interval, tolerance]
        )
        return float(answer)


def _row_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:40]


def budget_from_settings() -> UpstreamBudget:
    """Redis when the cache is Redis (CACHE_URL=redis://...), the database otherwise."""
    cache = settings.CACHES.get("default", {})
    if cache.get("BACKEND", "").endswith("RedisCache"):
        location = cache.get("LOCATION")
        url = location[0] if isinstance(location, list | tuple) else location
        return RedisBudget(str(url))
    return DatabaseBudget()
