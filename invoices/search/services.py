"""Search across companies: one box, every company of the user asked at once.

What was typed is recognised first, because InvoiceXpress's `text` search is plain
substring matching: a document number ("FT 2026/33", "FT2026/33") becomes the number with
a type filter, a NIF ("PT 508 025 338") its nine digits, an ATCUD ("ABCD1234-33") the series
and number its validation code belongs to. Anything else is a client or item text; names are
also matched without accents against the company's client list (the service may not fold
accents), and those clients' documents are asked for by their exact name. Each kind keeps
only the documents that really match (a "2026/33" search also finds "2026/330").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from invoices import company_cache
from invoices.cockpit.fanout import Outcome, capped_client, fan_out
from invoices.create.clients import client_search
from invoices.documents.forms import TYPE_NAMES, split_document_number
from invoices.invoicexpress.document_types import DOCUMENT_TYPES
from invoices.invoicexpress.records import Document
from invoices.models import Account

PER_COMPANY = 20  # hits shown per company
CLIENTS_PER_COMPANY = 5  # clients matched by name whose documents are asked for
_NIF = re.compile(r"(?:PT)?(\d{9})", re.IGNORECASE)
_ATCUD = re.compile(r"([A-Z0-9]{8,})-(\d+)")
_TYPE_BY_SEQUENCE_KEY = {t.sequence_key: t.name for t in DOCUMENT_TYPES if t.sequence_key}


class Kind:
    NUMBER = "number"
    NIF = "nif"
    ATCUD = "atcud"
    TEXT = "text"


@dataclass(frozen=True)
class Query:
    kind: str
    text: str  # what goes upstream (number, NIF digits, or the text)
    types: tuple[str, ...] = ()
    atcud: str = ""  # the ATCUD as the service prints it
    code: str = ""  # its validation code
    number: int = 0


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def interpret(typed: str) -> Query:
    compact = re.sub(r"\s+", "", typed)
    if match := _NIF.fullmatch(compact):
        return Query(Kind.NIF, match[1])
    if match := _ATCUD.fullmatch(compact.upper()):
        return Query(Kind.ATCUD, "", atcud=compact.upper(), code=match[1], number=int(match[2]))
    number, types = split_document_number(typed.strip(), [])
    if types:
        return Query(Kind.NUMBER, number, types=tuple(types))
    return Query(Kind.TEXT, typed.strip())


def _nif_of(doc: Document) -> str:
    nif = re.sub(r"\s+", "", doc.client.fiscal_id).upper()
    return nif[2:] if nif.startswith("PT") else nif


def search_company(account: Account, query: Query, timeout: float | None = None) -> list[Document]:
    """The company's documents that match `query`, newest first; raises typed errors."""
    client = capped_client(account, timeout)

    def listed(**filters: Any) -> tuple[Document, ...]:
        return client.list_documents(**filters, per_page=PER_COMPANY * 2).documents

    if query.kind == Kind.NIF:
        found = [d for d in listed(text=query.text) if _nif_of(d) == query.text]
    elif query.kind == Kind.NUMBER:
        wanted = query.text.casefold()
        found = [
            d
            for d in listed(text=query.text, types=list(query.types))
            if d.inverted_sequence_number.casefold() == wanted
        ]
    elif query.kind == Kind.ATCUD:
        found = []
        for sequence in company_cache.get_sequences(account, client=client):
            for counter in sequence.counters:
                name = _TYPE_BY_SEQUENCE_KEY.get(counter.type_key)
                if counter.validation_code.upper() != query.code or name not in TYPE_NAMES:
                    continue
                number = f"{sequence.serie}/{query.number}"
                found += [
                    d for d in listed(text=number, types=[name]) if d.atcud.upper() == query.atcud
                ]
    else:
        found = list(listed(text=query.text))
        seen = {d.id for d in found}
        for match in client_search(account=account, query=query.text, limit=CLIENTS_PER_COMPANY):
            if any(d.client.id == match.id for d in found):
                continue
            for doc in listed(text=match.name):
                if doc.id not in seen and (
                    doc.client.id == match.id or doc.client.name == match.name
                ):
                    found.append(doc)
                    seen.add(doc.id)
    unique = {d.id: d for d in found}.values()
    return sorted(unique, key=lambda d: (d.date is not None, d.date, d.id), reverse=True)[
        :PER_COMPANY
    ]


@dataclass(frozen=True)
class CompanyHits:
    account: Account
    documents: list[Document]
    error: str = ""
    late: bool = False


def search_companies(accounts: Sequence[Account], typed: str) -> tuple[Query, list[CompanyHits]]:
    """Every company at once; a company that fails or is late shows its own error."""
    query = interpret(typed)
    calls: list[tuple[Hashable, Callable[[], list[Document]]]] = [
        (account.pk, partial(search_company, account, query)) for account in accounts
    ]
    outcomes: dict[Hashable, Outcome[list[Document]]] = fan_out(calls)
    hits = []
    for account in accounts:
        outcome = outcomes[account.pk]
        hits.append(
            CompanyHits(account, outcome.value or [], error=outcome.error, late=outcome.late)
        )
    return query, hits
