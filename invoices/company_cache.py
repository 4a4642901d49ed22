"""Per-company cache of slow-changing upstream lists (taxes, sequences).

Lives in the shared cache (Redis via CACHE_URL in production), never in process memory,
so every worker sees the same refresh. Anything that changes a list drops it here.
"""

from django.core.cache import cache

from invoices.invoicexpress.records import Tax
from invoices.invoicexpress.sequences import Sequence
from invoices.models import Account

TAXES_TTL = 60 * 60
SEQUENCES_TTL = 10 * 60


def _key(account: Account, what: str) -> str:
    return f"ixportal:account:{account.pk}:{what}"


def get_taxes(account: Account, *, refresh: bool = False) -> list[Tax]:
    """The company's taxes; raises the client's typed errors when upstream fails."""
    key = _key(account, "taxes")
    taxes = None if refresh else cache.get(key)
    if taxes is None:
        taxes = account.client().list_taxes()
        cache.set(key, taxes, TAXES_TTL)
    return taxes


def get_sequences(account: Account, *, refresh: bool = False, client=None) -> list[Sequence]:
    """`client`: one with other timeouts (the cockpit's fan-out caps them)."""
    key = _key(account, "sequences")
    sequences = None if refresh else cache.get(key)
    if sequences is None:
        sequences = (client or account.client()).list_sequences()
        cache.set(key, sequences, SEQUENCES_TTL)
    return sequences


def forget_sequences(account: Account) -> None:
    cache.delete(_key(account, "sequences"))


def forget_taxes(account: Account) -> None:
    cache.delete(_key(account, "taxes"))
