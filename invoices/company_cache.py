"""Per-company cache of slow-changing upstream lists (taxes, sequences).

Lives in the shared cache (Redis via CACHE_URL in production), never in process memory,
so every worker sees the same refresh. Anything that changes a list drops it here.
"""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from invoices.invoicexpress.records import Tax
from invoices.invoicexpress.sequences import Sequence
from invoices.models import Account

TAXES_TTL = 60 * 60
SEQUENCES_TTL = 10 * 60

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


def _cached(account: Account, what: str, ttl: int, load: Callable[[], T], refresh: bool) -> T:
    """The cached list, or `load()`'s answer kept for `ttl` seconds (always, when `refresh`)."""
    key = _key(account, what)
    value = None if refresh else cache.get(key)
    if value is None:
        value = load()
        cache.set(key, value, ttl)
    return value


def peek_sequences(account: Account) -> list[Sequence] | None:
    """The cached series, or None: never asks InvoiceXpress (for a write's request, which
    must not spend its time on a read the service may be too slow to answer)."""
    return cache.get(_key(account, "sequences"))


def forget_sequences(account: Account) -> None:
    cache.delete(_key(account, "sequences"))


def forget_taxes(account: Account) -> None:
    cache.delete(_key(account, "taxes"))
