"""What the sequence pages show: each series as rows of document types with their ATCUD
state, in the page's words, and one row per company for the every-company overview.

A code of "N/D" means the type needs a validation code but the series is not registered
with the Tax Authority: InvoiceXpress refuses to finalize documents on it.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.db import connections
from django.utils import translation
from django.utils.translation import gettext_lazy

from invoices import company_cache
from invoices.invoicexpress.document_types import DOCUMENT_TYPES
from invoices.invoicexpress.sequences import CodeStatus, Sequence, SequenceCounter
from invoices.models import Account

OVERVIEW_WORKERS = 8  # companies asked at once: one slow company must not stall the page

# The types a company invoices with, shown first and in this order; the rest fold away.
INVOICING_TYPE_KEYS = (
    "invoice",
    "invoice_receipt",
    "simplified_invoice",
    "credit_note",
    "debit_note",
    "receipt",
)
_TYPE_LABELS = {t.sequence_key: (t.label, t.code) for t in DOCUMENT_TYPES if t.sequence_key}
_TYPE_LABELS.update(
    {
        "shipping": (gettext_lazy("Delivery note"), "GR"),
        "transport": (gettext_lazy("Transport document"), "GT"),
        "devolution": (gettext_lazy("Return note"), "GD"),
        "proforma": (gettext_lazy("Pro forma invoice"), "PF"),
        "quote": (gettext_lazy("Quote"), "OR"),
        "fees_note": (gettext_lazy("Fees note"), ""),
        "purchase_order": (gettext_lazy("Purchase order"), "NE"),
        "vat_moss_credit_note": (gettext_lazy("VAT MOSS credit note"), ""),
        "vat_moss_receipt": (gettext_lazy("VAT MOSS receipt"), ""),
    }
)


@dataclass(frozen=True)
class CounterRow:
    """One document type of a series, with the words the page needs."""

    counter: SequenceCounter
    label: str
    code: str  # FT, FR, ... ("" when the type has no printed code)

    @property
    def status(self) -> str:
        return self.counter.code_status

    @property
    def is_problem(self) -> bool:
        return self.status == CodeStatus.NOT_REGISTERED


@dataclass(frozen=True)
class SeriesRow:
    sequence: Sequence
    invoicing: tuple[CounterRow, ...]
    others: tuple[CounterRow, ...]

    @classmethod
    def of(cls, sequence: Sequence) -> SeriesRow:
        by_key = {c.type_key: c for c in sequence.counters}
        invoicing = tuple(_counter_row(by_key[k]) for k in INVOICING_TYPE_KEYS if k in by_key)
        others = tuple(
            _counter_row(c) for c in sequence.counters if c.type_key not in INVOICING_TYPE_KEYS
        )
        return cls(sequence=sequence, invoicing=invoicing, others=others)

    @property
    def problems(self) -> tuple[CounterRow, ...]:
        return tuple(r for r in (*self.invoicing, *self.others) if r.is_problem)

    @property
    def invoicing_problems(self) -> tuple[CounterRow, ...]:
        return tuple(r for r in self.invoicing if r.is_problem)

    @property
    def registered_nowhere(self) -> bool:
        """Every type that needs a validation code lacks one (the whole series is N/D)."""
        return bool(self.problems) and not any(
            r.status == CodeStatus.REGISTERED for r in (*self.invoicing, *self.others)
        )

    @property
    def invoice(self) -> CounterRow | None:
        return next((r for r in self.invoicing if r.counter.type_key == "invoice"), None)

    @property
    def others_have_problem(self) -> bool:
        return any(r.is_problem for r in self.others)


def _counter_row(counter: SequenceCounter) -> CounterRow:
    label, code = _TYPE_LABELS.get(
        counter.type_key, (counter.type_key.replace("_", " ").capitalize(), "")
    )
    return CounterRow(counter=counter, label=str(label), code=code)


def series_rows(sequences: list[Sequence]) -> list[SeriesRow]:
    # The default series first (it is the one documents go to), then InvoiceXpress's order.
    ordered = sorted(sequences, key=lambda s: not s.is_default)
    return [SeriesRow.of(s) for s in ordered]


@dataclass
class Notice:
    """A message shown inside a swapped fragment (htmx responses skip the base layout)."""

    level: str  # bootstrap alert colour: success, danger, warning, info
    text: str
    in_progress: bool = False  # show a Refresh button: the Tax Authority is still working


# ---- every company --------------------------------------------------------------------


@dataclass
class CompanyRow:
    account: Account
    default: SeriesRow | None = None
    problem_series: list[SeriesRow] = field(default_factory=list)  # with an N/D type
    error: str = ""
    # Shown from the last good list because InvoiceXpress failed just now: its time and why.
    stale_error: str = ""
    as_of: dt.datetime | None = None

    @property
    def can_invoice(self) -> bool | None:
        """None when unknown (InvoiceXpress did not answer)."""
        if self.error:
            return None
        return self.default is not None and not self.default.invoicing_problems


def _company_row(account: Account, *, refresh: bool, language: str) -> CompanyRow:
    with translation.override(language):  # threads do not inherit the request's language
        got = company_cache.get_sequences_or_stale(account, refresh=refresh)
        if got.value is None:
            return CompanyRow(account=account, error=got.error)
        rows = series_rows(got.value)
    return CompanyRow(
        account=account,
        default=next((r for r in rows if r.sequence.is_default), None),
        problem_series=[r for r in rows if r.problems],
        stale_error=got.error,
        as_of=got.as_of,
    )


def company_rows(accounts: list[Account], *, refresh: bool, language: str) -> list[CompanyRow]:
    """One row per company, in the order given, each read from the cache or InvoiceXpress.

    The companies are asked at once: one that times out must not hold up the others. The
    workers use the cache and HTTP; a database they touch (the upstream budget's store) is
    closed when their row is done, or each pool thread would leave a connection behind.
    """

    def company_row(account: Account) -> CompanyRow:
        try:
            return _company_row(account, refresh=refresh, language=language)
        finally:
            connections.close_all()  # this thread's connections only

    with ThreadPoolExecutor(max_workers=max(1, min(OVERVIEW_WORKERS, len(accounts)))) as pool:
        return list(pool.map(company_row, accounts))
