"""Per-company cache of slow-changing upstream lists (taxes, sequences).

Lives in the shared cache (Redis via CACHE_URL in production), never in process memory,
so every worker sees the same refresh. Anything that changes a list drops it here.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.core.cache import cache
from django.utils import timezone

from invoices.invoicexpress.errors import InvoiceXpressError
from invoices.invoicexpress.records import Tax
from invoices.invoicexpress.sequences import Sequence
from invoices.models import Account

TAXES_TTL = 60 * 60
SEQUENCES_TTL = 10 * 60
# The last good answer, with the time it came, kept longer: shown (with "as of hh:mm") when
# InvoiceXpress fails, rather than nothing.
STALE_TTL = 24 * 60 * 60

T = TypeVar("T")


def _key(account: Account, what: str) -> str:
    return f"ixportal:account:{account.pk}:{what}"


def get_taxes(account: Account, *, refresh: bool = False) -> list[Tax]:
    """The company's taxes; raises the client's typed errors when upstream fails."""
    return _cached(account, "taxes", TAXES_TTL, lambda: account.client().list_taxes(), refresh)


def get_sequences(account: Account, *, refresh: bool = False, client=None) -> list[Sequence]:
    """The company's series; raises the client's typed errors when upstream fails.
    `client`: one with other timeouts (the cockpit's fan-out caps them)."""
    return _cached(
        account,
        "sequences",
        SEQUENCES_TTL,
        lambda: (client or account.client()).list_sequences(),
        refresh,
    )


@dataclass(frozen=True)
class Stale(Generic[T]):
    """What to show when InvoiceXpress failed: the last good answer and when it came
    (`value` None when there is none), and the failure's message."""

    value: T | None
    as_of: dt.datetime | None
    error: str


def get_sequences_or_stale(account: Account, *, refresh: bool = False) -> Stale[list[Sequence]]:
    """The company's series; when InvoiceXpress fails, the last good list and its time."""
    try:
        return Stale(get_sequences(account, refresh=refresh), None, "")
    except InvoiceXpressError as exc:
        kept = cache.get(_key(account, "sequences:stale"))
        if kept is None:
            return Stale(None, None, exc.message)
        value, as_of = kept
        return Stale(value, as_of, exc.message)


def _cached(account: Account, what: str, ttl: int, load: Callable[[], T], refresh: bool) -> T:
    """The cached list, or `load()`'s answer kept for `ttl` seconds (always, when `refresh`)."""
    key = _key(account, what)
    value = None if refresh else cache.get(key)
    if value is None:
        value = load()
        cache.set(key, value, ttl)
        cache.set(_key(account, f"{what}:stale"), (value, timezone.now()), STALE_TTL)
    return value


def peek_sequences(account: Account) -> list[Sequence] | None:
    """The cached series, or None: never asks InvoiceXpress (for a write's request, which
    must not spend its time on a read the service may be too slow to answer)."""
    return cache.get(_key(account, "sequences"))


def forget_sequences(account: Account) -> None:
    cache.delete(_key(account, "sequences"))


def forget_taxes(account: Account) -> None:
    cache.delete(_key(account, "taxes"))
