"""Many upstream calls at once, over several companies, in a bounded thread pool.

The cockpit and the search across companies ask every company the user belongs to. Each
call runs in a pool thread (`IXPORTAL_FANOUT_WORKERS` at most), the caller waits at most
`IXPORTAL_FANOUT_TIMEOUT` seconds, and whatever has not finished by then is reported as
late rather than waited for: one slow company never holds the page. Threads never keep a
database connection (each closes its own when its call ends).

Upstream budget: every call goes through the client's `_request()` choke point, where the
per-company rate limiter sits, so a fan-out spends each company's budget like a page would.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

from invoices.invoicexpress.errors import InvoiceXpressError

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    value: T | None = None
    error: str = ""  # fit to show on the page
    late: bool = False  # not finished when the caller stopped waiting

    @property
    def ok(self) -> bool:
        return not self.error


def fanout_timeout() -> float:
    return float(settings.IXPORTAL_FANOUT_TIMEOUT)


def capped_client(account: Any, timeout: float | None = None) -> Any:
    """The account's client, its read timeout capped by the fan-out's wait (no thread lingers)."""
    client = account.client()
    connect, read = client.timeout
    client.timeout = (connect, min(read, fanout_timeout() if timeout is None else timeout))
    return client


def _run(call: Callable[[], T]) -> Outcome[T]:
    try:
        return Outcome(value=call())
    except InvoiceXpressError as exc:
        return Outcome(error=exc.message)
    except Exception:  # one company's surprise must not take the others down
        logger.exception("fan-out call failed")
        return Outcome(error=_("This company could not be read (unexpected error)."))
    finally:
        connections.close_all()  # this thread's connections only


def fan_out(
    calls: Sequence[tuple[Hashable, Callable[[], T]]],
    *,
    on_done: Callable[[Hashable, Outcome[T]], None] | None = None,
    timeout: float | None = None,
    workers: int | None = None,
) -> dict[Hashable, Outcome[T]]:
    """Run every call concurrently; their outcomes by key, late ones marked late.

    `on_done(key, outcome)` runs in the worker thread when a call ends, even after the
    caller has stopped waiting: a late answer can still be kept (in the shared cache).
    """
    if not calls:
        return {}
    timeout = fanout_timeout() if timeout is None else timeout
    size = min(workers or settings.IXPORTAL_FANOUT_WORKERS, len(calls))
    executor = cf.ThreadPoolExecutor(max_workers=size, thread_name_prefix="fanout")

    def task(key: Hashable, call: Callable[[], T]) -> Outcome[T]:
        outcome = _run(call)
        if on_done is not None:
            try:
                on_done(key, outcome)
            except Exception:
                logger.exception("fan-out callback failed")
            finally:
                connections.close_all()
        return outcome

    futures = {executor.submit(task, key, call): key for key, call in calls}
    started = time.monotonic()
    cf.wait(futures, timeout=timeout)
    # Never `with ThreadPoolExecutor()`: its exit waits for the slowest call.
    executor.shutdown(wait=False, cancel_futures=True)
    late = Outcome[T](
        error=_("No answer within %(seconds)s seconds.") % {"seconds": f"{timeout:g}"}, late=True
    )
    results: dict[Hashable, Outcome[T]] = {}
    for future, key in futures.items():
        results[key] = future.result() if future.done() and not future.cancelled() else late
    logger.info("fan-out of %d calls in %.0f ms", len(calls), (time.monotonic() - started) * 1000)
    return results
