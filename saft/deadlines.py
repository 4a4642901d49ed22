"""Where each company stands with the SAF-T of its last closed month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from invoices.models import Account
from saft.models import SaftExport
from saft.periods import Period


class DeadlineState:
    DONE = "done"  # a ready export of the whole month exists, and it is not invalid
    DUE = "due"  # not done yet, deadline not passed
    OVERDUE = "overdue"  # not done, deadline passed


@dataclass(frozen=True)
class Deadline:
    account: Account
    period: Period
    due: dt.date
    state: str
    days_left: int  # negative when overdue
    ready_export: SaftExport | None
    pending_export: SaftExport | None
    invalid_export: SaftExport | None = None  # the newest whole-month file, which failed validation

    @property
    def days_late(self) -> int:
        return -self.days_left


def deadlines_for(accounts: Iterable[Account], today: dt.date | None = None) -> list[Deadline]:
    """The last closed month's deadline for each account, with one query for the exports."""
    today = today or timezone.localdate()
    period = Period.last_closed(today)
    accounts = list(accounts)
    exports = (
        SaftExport.objects.for_period(period)
        .filter(account__in=accounts)
        .exclude(status=SaftExport.Status.FAILED)
        .select_related("account", "requested_by")
    )
    ready: dict[int, SaftExport] = {}
    pending: dict[int, SaftExport] = {}
    invalid: dict[int, SaftExport] = {}
    for export in exports:  # newest first (model ordering)
        if export.is_pending:
            pending.setdefault(export.account_id, export)
        elif export.is_invalid:
            # Archived as evidence; it does not do the month (nobody may submit it).
            if export.is_complete_month:
                invalid.setdefault(export.account_id, export)
        elif export.is_complete_month:
            # Made before the month ended, it misses later documents: does not count.
            ready.setdefault(export.account_id, export)
    result = []
    for account in accounts:
        days_left = (period.deadline - today).days
        done = account.pk in ready
        state = (
            DeadlineState.DONE
            if done
            else DeadlineState.OVERDUE
            if days_left < 0
            else DeadlineState.DUE
        )
        result.append(
            Deadline(
                account=account,
                period=period,
                due=period.deadline,
                state=state,
                days_left=days_left,
                ready_export=ready.get(account.pk),
                pending_export=pending.get(account.pk),
                invalid_export=invalid.get(account.pk),
            )
        )
    return result
