"""The client look-up of the create form (and of search and receivables): the company's
known clients from the shared cache, matched the way a clerk types a name, code or NIF."""

from __future__ import annotations

import unicodedata

from django.core.cache import cache

from invoices.invoicexpress.records import Client
from invoices.models import Account

CLIENTS_TTL = 5 * 60  # the client look-up's copy of the company's clients
MAX_CLIENT_PAGES = 20  # 2,000 clients; a look-up beyond that should be upstream search
CLIENT_PAGE_SIZE = 100


def _clients_key(account: Account) -> str:
    return f"ixportal:account:{account.pk}:clients"


def company_clients(account: Account) -> list[Client]:
    """The company's clients, from the shared cache (a few minutes) or upstream."""
    clients = cache.get(_clients_key(account))
    if clients is None:
        api = account.client()
        clients, page = [], 1
        while page <= MAX_CLIENT_PAGES:
            result = api.list_clients(page=page, per_page=CLIENT_PAGE_SIZE)
            clients.extend(result.clients)
            if page >= result.total_pages:
                break
            page += 1
        cache.set(_clients_key(account), clients, CLIENTS_TTL)
    return clients


def _fold(text: str) -> str:
    """Lower case without accents: "joão" finds "João", "Joao" finds "João"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def client_search(*, account: Account, query: str, limit: int = 8) -> list[Client]:
    """Known clients whose name, code or NIF contains what was typed."""
    needle = _fold(query)
    digits = "".join(c for c in query if c.isdigit())
    if len(needle) < 2:
        return []
    found = []
    for client in company_clients(account):
        if (
            needle in _fold(client.name)
            or (client.code and needle in _fold(client.code))
            or (len(digits) >= 3 and digits in client.fiscal_id.replace(" ", ""))
        ):
            found.append(client)
            if len(found) >= limit:
                break
    return found


def client_by_id(*, account: Account, client_id: int) -> Client | None:
    return next((c for c in company_clients(account) if c.id == client_id), None)
