"""Totals of a filtered document list over all its pages, not just the page on screen.

The list endpoint has no sums, so the pages are walked (100 documents a page, the largest
the service serves) up to a bound; past it the totals say they are partial. Credit notes
count negative; drafts, canceled documents and receipts are left out (a receipt is the
payment of an invoice already counted, a draft and a canceled document invoice nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connections

from invoices.invoicexpress.client import InvoiceXpressClient
from invoices.invoicexpress.records import Document

PAGE_SIZE = 100
CREDIT_TYPES = frozenset({"CreditNote", "VatMossCreditNote"})
PAYMENT_TYPES = frozenset({"Receipt", "VatMossReceipt"})
NOT_INVOICED_STATUSES = frozenset({"draft", "canceled"})
ZERO = Decimal("0")


def signed(doc: Document, amount: Decimal) -> Decimal:
    """`amount` as it counts in a total: a credit note takes money back."""
    return -amount if doc.type.name in CREDIT_TYPES else amount


def counts_as_invoiced(doc: Document) -> bool:
    return doc.type.name not in PAYMENT_TYPES and doc.status not in NOT_INVOICED_STATUSES


@dataclass(frozen=True)
class Totals:
    before_taxes: Decimal = ZERO
    taxes: Decimal = ZERO
    total: Decimal = ZERO
    counted: int = 0  # documents in the sums
    left_out: int = 0  # read but not summed (drafts, canceled, receipts)

    @classmethod
    def of(cls, documents: Iterable[Document]) -> Totals:
        before = taxes = total = ZERO
        counted = left_out = 0
        for doc in documents:
            if not counts_as_invoiced(doc):
                left_out += 1
                continue
            counted += 1
            before += signed(doc, doc.before_taxes)
            taxes += signed(doc, doc.taxes)
            total += signed(doc, doc.total)
        return cls(before, taxes, total, counted, left_out)


@dataclass(frozen=True)
class FilteredTotals:
    totals: Totals
    total_entries: int  # documents the filters match
    read: int  # documents walked: fewer than total_entries when the bound was hit

    @property
    def complete(self) -> bool:
        return self.read >= self.total_entries


def walk_documents(
    client: InvoiceXpressClient, filters: Mapping[str, Any], *, max_pages: int, parallel: int = 1
) -> tuple[list[Document], int]:
    """Every document the filters match, up to `max_pages` pages; and how many match.

    `parallel` > 1 asks for the pages after the first that many at a time (the cockpit: a
    company's figures then take about one round trip more than one page, not one per page).
    A document created while walking shifts the pages by one: never count one twice.
    """
    first = client.list_documents(**filters, page=1, per_page=PAGE_SIZE)
    found = {doc.id: doc for doc in first.documents}
    rest = range(2, min(first.total_pages, max_pages) + 1)

    def fetch(number: int) -> tuple[Document, ...]:
        return client.list_documents(**filters, page=number, per_page=PAGE_SIZE).documents

    def fetch_in_pool(number: int) -> tuple[Document, ...]:
        try:
            return fetch(number)
        finally:
            # The pool thread's own connections (the upstream budget's store), not the caller's.
            connections.close_all()

    if parallel > 1 and len(rest) > 1:
        # A small pool of its own (the callers' pools are busy running this very call).
        with ThreadPoolExecutor(max_workers=min(parallel, len(rest))) as pool:
            pages = list(pool.map(fetch_in_pool, rest))
    else:
        pages = [fetch(number) for number in rest]
    for documents in pages:
        found.update((doc.id, doc) for doc in documents)
    return list(found.values()), first.total_entries


def filtered_totals(
    client: InvoiceXpressClient, filters: Mapping[str, Any], *, max_pages: int | None = None
) -> FilteredTotals:
    """Raises the client's typed errors."""
    pages = settings.IXPORTAL_TOTALS_MAX_PAGES if max_pages is None else max_pages
    documents, total_entries = walk_documents(client, filters, max_pages=pages)
    return FilteredTotals(Totals.of(documents), total_entries, len(documents))
