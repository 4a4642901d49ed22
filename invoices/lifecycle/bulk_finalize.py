"""Finalizing many drafts at once: every draft of a company, oldest first, and the chosen
ones finalized one at a time, each outcome reported (and audited by `state_changes`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from invoices.invoicexpress.document_types import GETTABLE_TYPE_PATHS
from invoices.invoicexpress.records import Document
from invoices.lifecycle.actions import Action, table_actions
from invoices.lifecycle.pages import document_url
from invoices.lifecycle.state_changes import document_change_state
from invoices.models import Account

# One run is one request: each write may wait IXPORTAL_READ_TIMEOUT (20 s), and a worker
# killed by its timeout mid-write leaves no page and no trace of that write. So a run stops
# starting new writes after settings.IXPORTAL_BULK_FINALIZE_SECONDS.
DEFAULT_BUDGET_SECONDS = 20
MAX_DRAFT_PAGES = 5  # 500 drafts; more than that and the page says the list is incomplete
DRAFTS_PER_PAGE = 100


@dataclass(frozen=True)
class Drafts:
    documents: tuple[Document, ...]  # oldest first: the order they are finalized in
    total: int  # as InvoiceXpress counts them

    @property
    def incomplete(self) -> bool:
        return self.total > len(self.documents)

    def without(self, ids: set[int]) -> Drafts:
        """The list less `ids` (finalized meanwhile), the count less as many."""
        return Drafts(
            documents=tuple(d for d in self.documents if d.id not in ids),
            total=max(self.total - len(ids), 0),
        )


def finalize_order(doc: Document) -> tuple[dt.date, int]:
    """Date order, then id: InvoiceXpress refuses a date earlier than the series' last."""
    return (doc.date or dt.date.max, doc.id)


def can_finalize(doc: Document) -> bool:
    return Action.FINALIZE in table_actions(doc) and doc.type.path in GETTABLE_TYPE_PATHS


def list_drafts(account: Account) -> Drafts:
    """Every draft of the company (up to MAX_DRAFT_PAGES pages), oldest first.

    The list comes newest first: reading only its first page would leave the oldest drafts
    out, and finalizing the newer ones first would block those for good.
    """
    client = account.client()
    page = client.list_documents(statuses=["draft"], per_page=DRAFTS_PER_PAGE)
    documents = list(page.documents)
    number = 1
    while number < min(page.total_pages, MAX_DRAFT_PAGES):
        number += 1
        documents += client.list_documents(
            statuses=["draft"], per_page=DRAFTS_PER_PAGE, page=number
        ).documents
    unique = {d.id: d for d in documents if d.is_draft}  # a page may shift while we read
    return Drafts(
        documents=tuple(sorted(unique.values(), key=finalize_order)),
        total=max(page.total_entries, len(unique)),
    )


class BulkOutcome(StrEnum):
    FINALIZED = "finalized"
    REFUSED = "refused"
    UNKNOWN = "unknown"
    NOT_ATTEMPTED = "not_attempted"
    SKIPPED = "skipped"  # no longer a draft (or not finalizable)


@dataclass(frozen=True)
class BulkRow:
    document_id: int
    outcome: BulkOutcome
    draft: Document | None = None  # as listed before finalizing
    document: Document | None = None  # after finalizing
    message: str = ""


@dataclass(frozen=True)
class BulkRun:
    rows: list[BulkRow]
    out_of_time: bool = False  # the budget ran out: `left_for_next_run` were not attempted
    left_for_next_run: tuple[int, ...] = ()
    budget_seconds: float = DEFAULT_BUDGET_SECONDS


def budget_seconds() -> float:
    return settings.IXPORTAL_BULK_FINALIZE_SECONDS


def series_key(doc: Document) -> tuple[str, str]:
    return (doc.type.name, doc.sequence_id)


def same_series(key: tuple[str, str], doc: Document) -> bool:
    """Whether `doc` may be numbered on the series `key` names.

    A draft without a sequence_id is numbered on whatever series is the default when it is
    finalized, so it may share a series with any draft of its type: hold it back too.
    """
    kind, sequence_id = series_key(doc)
    return kind == key[0] and (sequence_id == key[1] or not sequence_id or not key[1])


def bulk_finalize(
    *,
    account: Account,
    user: Any,
    drafts: Drafts,
    selected: Iterable[int],
    started: float | None = None,
) -> BulkRun:
    """Finalize the selected drafts one at a time, oldest first, and say how each went.

    A refusal or an unknown outcome holds back the later drafts of the same type and series:
    finalizing one of them would date the series past the failed draft, which InvoiceXpress
    would then refuse for good. Other series go on. A 401, a 429 or an unreachable service
    stops the batch (the rest would fail the same way). Once `budget_seconds()` have passed
    since `started` (a `time.monotonic()` reading; default now) no new write is started.
    Whatever is not tried is reported as not attempted, with the reason.
    """
    budget = budget_seconds()
    deadline = (time.monotonic() if started is None else started) + budget
    wanted = set(selected)
    chosen = [d for d in drafts.documents if d.id in wanted]  # already in finalize order
    rows: list[BulkRow] = []
    stopped = ""
    held: list[tuple[tuple[str, str], Document]] = []  # failed drafts, by series
    attempted = 0
    left_for_next_run: list[int] = []
    for draft in chosen:
        if not can_finalize(draft):
            rows.append(
                BulkRow(
                    draft.id, BulkOutcome.SKIPPED, draft, message=_("Cannot be finalized here.")
                )
            )
            continue
        if stopped:
            rows.append(BulkRow(draft.id, BulkOutcome.NOT_ATTEMPTED, draft, message=stopped))
            continue
        blocker = next((doc for key, doc in held if same_series(key, draft)), None)
        if blocker is not None:
            blocked = _(
                "Not attempted: an earlier draft of this series (%(kind)s %(id)s) could not be "
                "finalized, and finalizing a later one would block it for good."
            ) % {"kind": blocker.type.label, "id": blocker.id}
            rows.append(BulkRow(draft.id, BulkOutcome.NOT_ATTEMPTED, draft, message=blocked))
            continue
        # The first write is always made, so that running again always moves on.
        if attempted and time.monotonic() >= deadline:
            out_of_time = _(
                "Not attempted: time budget for one run reached — run again to continue."
            )
            rows.append(BulkRow(draft.id, BulkOutcome.NOT_ATTEMPTED, draft, message=out_of_time))
            left_for_next_run.append(draft.id)
            continue
        attempted += 1
        result = document_change_state(
            account=account, user=user, doc=draft, action=Action.FINALIZE
        )
        if result.ok:
            outcome = BulkOutcome.FINALIZED
        elif result.unknown:
            outcome = BulkOutcome.UNKNOWN
        else:
            outcome = BulkOutcome.REFUSED
        rows.append(
            BulkRow(
                draft.id,
                outcome,
                draft,
                result.document,
                "" if result.ok else result.message,
            )
        )
        if result.stops_batch:
            stopped = _("Not attempted: the batch stopped after the error above.")
        elif not result.ok:
            held.append((series_key(draft), draft))
    listed = {d.id for d in chosen}
    for missing in sorted(wanted - listed):
        rows.append(
            BulkRow(
                missing,
                BulkOutcome.SKIPPED,
                message=_("No longer a draft (finalized or deleted meanwhile): left alone."),
            )
        )
    return BulkRun(
        rows=rows,
        out_of_time=bool(left_for_next_run),
        left_for_next_run=tuple(left_for_next_run),
        budget_seconds=budget,
    )


def outcome_counts(rows: list[BulkRow]) -> dict[str, int]:
    counts = {outcome.value: 0 for outcome in BulkOutcome}
    for row in rows:
        counts[row.outcome.value] += 1
    return counts


def draft_rows(account: Account, drafts: Drafts, selected: set) -> list[dict[str, Any]]:
    """The checkbox table's rows (`selected` holds ints, or strings when read from a POST)."""
    return [
        {
            "doc": doc,
            "finalizable": can_finalize(doc),
            "checked": doc.id in selected or str(doc.id) in selected,
            "url": document_url(account, doc.type.path, doc.id)
            if doc.type.path in GETTABLE_TYPE_PATHS
            else "",
        }
        for doc in drafts.documents
    ]
