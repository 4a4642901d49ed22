"""The cockpit: what needs attention in every company, one row each and a total.

Per company, four upstream reads run at once in the fan-out pool (invoices/cockpit/fanout.py):
the unpaid receivables (every page, bounded), the number of drafts (one row asked: the
count comes with the pagination), this month's issued documents (every page, bounded), and
the series (from the shared company cache). Never "every final document": receipts and
credit notes stay final forever, so that read would grow with the company's whole history. Each company's figures are kept in the shared
cache with the time they were read; a company that fails or is late keeps its own error and
never holds or hides the others. SAF-T state comes from this database, never upstream.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from invoices import company_cache
from invoices.cockpit.fanout import Outcome, capped_client, fan_out, fanout_timeout
from invoices.documents.forms import RECEIVABLE_TYPES, UNPAID_STATUSES
from invoices.documents.totals import Totals, walk_documents
from invoices.invoicexpress.records import Document
from invoices.jobs.scheduler import slot_won
from invoices.models import Account

ERROR_TTL = 60  # a failure is asked again after a minute, or at once with Refresh
ZERO = Decimal("0")
MONTH_STATUSES = ("final", "sent", "settled")
PAGES_AT_ONCE = 4  # a company's further pages, asked together (within its upstream budget)


@dataclass(frozen=True)
class CompanyFigures:
    overdue_count: int = 0
    overdue_amount: Decimal = ZERO
    oldest_overdue_days: int | None = None
    open_count: int = 0  # unpaid receivables, overdue or not
    open_amount: Decimal = ZERO
    drafts: int = 0
    month: Totals = field(default_factory=Totals)  # month to date, credit notes subtract
    nd_series: tuple[str, ...] = ()  # series with a type that cannot invoice (N/D)
    complete: bool = True  # False: more unpaid documents than the walk's bound


@dataclass(frozen=True)
class CompanyResult:
    account_id: int
    figures: CompanyFigures | None
    error: str
    as_of: dt.datetime
    late: bool = False


def _key(account_id: int) -> str:
    return f"ixportal:cockpit:{account_id}"


def month_start(today: dt.date) -> dt.date:
    return today.replace(day=1)


# ---- the upstream reads (each runs in a pool thread) ------------------------------------


def _max_pages() -> int:
    return int(settings.IXPORTAL_TOTALS_MAX_PAGES)


def read_open(account: Account, timeout: float) -> tuple[list[Document], int]:
    filters = {"types": list(RECEIVABLE_TYPES), "statuses": list(UNPAID_STATUSES)}
    return walk_documents(
        capped_client(account, timeout), filters, max_pages=_max_pages(), parallel=PAGES_AT_ONCE
    )


def read_drafts(account: Account, timeout: float) -> int:
    return (
        capped_client(account, timeout).list_documents(statuses=["draft"], per_page=1).total_entries
    )


def read_month(account: Account, today: dt.date, timeout: float) -> tuple[list[Document], int]:
    filters = {"statuses": list(MONTH_STATUSES), "date_from": month_start(today), "date_to": today}
    return walk_documents(
        capped_client(account, timeout), filters, max_pages=_max_pages(), parallel=PAGES_AT_ONCE
    )


def read_nd_series(account: Account, timeout: float) -> tuple[str, ...]:
    sequences = company_cache.get_sequences(account, client=capped_client(account, timeout))
    return tuple(s.serie for s in sequences if s.has_unregistered)


# ---- from documents to figures (pure) ---------------------------------------------------


def company_figures(
    open_docs: Sequence[Document],
    open_total: int,
    month_docs: Sequence[Document],
    month_total: int,
    drafts: int,
    nd_series: tuple[str, ...],
    today: dt.date,
) -> CompanyFigures:
    start = month_start(today)
    receivables = [
        d for d in open_docs if d.type.name in RECEIVABLE_TYPES and d.status in UNPAID_STATUSES
    ]
    overdue = [d for d in receivables if d.is_overdue(today)]
    issued_this_month = [
        d
        for d in month_docs
        if d.status in MONTH_STATUSES and d.date is not None and start <= d.date <= today
    ]
    return CompanyFigures(
        overdue_count=len(overdue),
        overdue_amount=sum((d.total for d in overdue), ZERO),
        oldest_overdue_days=max(
            ((today - d.due_date).days for d in overdue if d.due_date), default=None
        ),
        open_count=len(receivables),
        open_amount=sum((d.total for d in receivables), ZERO),
        drafts=drafts,
        month=Totals.of(issued_this_month),
        nd_series=nd_series,
        complete=len(open_docs) >= open_total and len(month_docs) >= month_total,
    )


# ---- the fan-out ------------------------------------------------------------------------


class _Collector:
    """Gathers one company's four reads as they end (in pool threads) and caches the row."""

    PARTS = ("open", "drafts", "month", "series")

    def __init__(self, account: Account, today: dt.date) -> None:
        self.account = account
        self.today = today
        self.parts: dict[str, Outcome[Any]] = {}
        self.lock = threading.Lock()
        self.result: CompanyResult | None = None

    def add(self, part: str, outcome: Outcome[Any]) -> None:
        with self.lock:
            self.parts[part] = outcome
            if len(self.parts) < len(self.PARTS):
                return
        self.result = self._combine()
        ttl = settings.IXPORTAL_COCKPIT_TTL if self.result.figures else ERROR_TTL
        cache.set(_key(self.account.pk), self.result, ttl)

    def _combine(self) -> CompanyResult:
        now = timezone.now()
        failed = [o for o in (self.parts[p] for p in self.PARTS) if not o.ok]
        if failed:
            return CompanyResult(self.account.pk, None, failed[0].error, now)
        open_docs, open_total = self.parts["open"].value or ([], 0)
        month_docs, month_total = self.parts["month"].value or ([], 0)
        figures = company_figures(
            open_docs,
            open_total,
            month_docs,
            month_total,
            self.parts["drafts"].value or 0,
            self.parts["series"].value or (),
            self.today,
        )
        return CompanyResult(self.account.pk, figures, "", now)


def compute_results(
    accounts: Iterable[Account], *, timeout: float | None = None
) -> dict[int, CompanyResult]:
    """Read every company now (concurrently); each result also lands in the shared cache.

    `timeout`: how long to wait for all of them (the page: IXPORTAL_FANOUT_TIMEOUT).
    """
    today = timezone.localdate()
    timeout = fanout_timeout() if timeout is None else timeout
    collectors = {account.pk: _Collector(account, today) for account in accounts}
    calls: list[tuple[Hashable, Callable[[], Any]]] = []
    for collector in collectors.values():
        account = collector.account
        calls += [
            ((account.pk, "open"), partial(read_open, account, timeout)),
            ((account.pk, "drafts"), partial(read_drafts, account, timeout)),
            ((account.pk, "month"), partial(read_month, account, today, timeout)),
            ((account.pk, "series"), partial(read_nd_series, account, timeout)),
        ]

    def done(key: Hashable, outcome: Outcome[Any]) -> None:
        account_id, part = cast(tuple[int, str], key)
        collectors[account_id].add(part, outcome)

    outcomes = fan_out(calls, on_done=done, timeout=timeout)
    results: dict[int, CompanyResult] = {}
    now = timezone.now()
    for account_id, collector in collectors.items():
        if collector.result is not None:
            results[account_id] = collector.result
            continue
        # Late: its calls time out right after (their read timeout is the wait), and that
        # error is what the cache keeps for a minute: the next page does not wait again.
        late = next(
            o
            for key, o in outcomes.items()
            if cast(tuple[int, str], key)[0] == account_id and o.late
        )
        results[account_id] = CompanyResult(account_id, None, late.error, now, late=True)
    return results


def cockpit_results(
    accounts: Sequence[Account], *, refresh: bool = False
) -> dict[int, CompanyResult]:
    """Each company's row: from the shared cache, or read now (concurrently) when missing."""
    found: dict[int, CompanyResult] = {}
    if not refresh:
        cached = cache.get_many([_key(a.pk) for a in accounts])
        found = {a.pk: cached[_key(a.pk)] for a in accounts if _key(a.pk) in cached}
    missing = [a for a in accounts if a.pk not in found]
    if missing:
        found.update(compute_results(missing))
    return found


def refresh_cockpit(accounts: Iterable[Account] | None = None) -> dict[int, CompanyResult]:
    """Re-read every active company (or `accounts`) into the shared cache.

    Meant to run as a background job every few minutes, so people find the cockpit warm.
    Nobody waits for a job, so it gives each company the client's whole read timeout: a
    company too slow for the page still gets its figures read here.
    """
    chosen = list(Account.objects.filter(is_active=True) if accounts is None else accounts)
    return compute_results(chosen, timeout=float(settings.IXPORTAL_READ_TIMEOUT))


REFRESH_SLOT = "cockpit-refresh"


def refresh_cockpit_if_due() -> str:
    """The periodic job's piece (on every tick): `refresh_cockpit` at most once per
    IXPORTAL_COCKPIT_REFRESH_SECONDS across every worker on every host (a shared slot)."""
    every = dt.timedelta(seconds=settings.IXPORTAL_COCKPIT_REFRESH_SECONDS)
    if not slot_won(REFRESH_SLOT, every):
        return "not due"
    results = refresh_cockpit()
    failed = sum(1 for r in results.values() if r.figures is None)
    return f"{len(results)} companies read, {failed} failed"


# ---- the table the page shows -------------------------------------------------------------


@dataclass(frozen=True)
class CockpitRow:
    account: Account
    result: CompanyResult
    saft: Any  # saft.deadlines.Deadline, or None when SAF-T is not installed

    @property
    def figures(self) -> CompanyFigures | None:
        return self.result.figures


@dataclass(frozen=True)
class CockpitTable:
    rows: list[CockpitRow]
    total: CompanyFigures
    failed: int  # companies missing from the total
    as_of: dt.datetime | None  # the oldest figures on the page
    today: dt.date

    @property
    def month_start(self) -> dt.date:
        return month_start(self.today)


def add_up(figures: Iterable[CompanyFigures]) -> CompanyFigures:
    every = list(figures)
    return CompanyFigures(
        overdue_count=sum(f.overdue_count for f in every),
        overdue_amount=sum((f.overdue_amount for f in every), ZERO),
        oldest_overdue_days=max(
            (f.oldest_overdue_days for f in every if f.oldest_overdue_days is not None),
            default=None,
        ),
        open_count=sum(f.open_count for f in every),
        open_amount=sum((f.open_amount for f in every), ZERO),
        drafts=sum(f.drafts for f in every),
        month=Totals(
            before_taxes=sum((f.month.before_taxes for f in every), ZERO),
            taxes=sum((f.month.taxes for f in every), ZERO),
            total=sum((f.month.total for f in every), ZERO),
            counted=sum(f.month.counted for f in every),
        ),
        nd_series=tuple(s for f in every for s in f.nd_series),
        complete=all(f.complete for f in every),
    )


def cockpit_table(accounts: Sequence[Account], *, refresh: bool = False) -> CockpitTable:
    results = cockpit_results(accounts, refresh=refresh)
    try:
        from saft.deadlines import deadlines_for
    except ImportError:  # SAF-T not installed: the column stays empty
        deadlines: dict[int, Any] = {}
    else:
        deadlines = {d.account.pk: d for d in deadlines_for(accounts)}
    rows = [CockpitRow(a, results[a.pk], deadlines.get(a.pk)) for a in accounts]
    ok = [r.figures for r in rows if r.figures is not None]
    return CockpitTable(
        rows=rows,
        total=add_up(ok),
        failed=len(rows) - len(ok),
        as_of=min((r.result.as_of for r in rows), default=None),
        today=timezone.localdate(),
    )
