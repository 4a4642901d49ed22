"""Where each company stands with the SAF-T of its last closed month.

Two things are told apart: the deadline (submitted, due or overdue; overdue after the
month's deadline, day 5 in Lisbon unless a `SaftDeadline` row moves it) and the file
(not requested, generating, ready with its validation result, or invalid). Only a manager's
"submitted to the Tax Authority" ends the month: generating a file is not submitting it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from invoices.models import Account
from saft.models import SaftDeadline, SaftExport, SaftSubmission
from saft.periods import Period


class DeadlineState:
    SUBMITTED = "submitted"  # a manager marked the month submitted to the Tax Authority
    DUE = "due"  # not submitted yet, deadline not passed
    OVERDUE = "overdue"  # not submitted, deadline passed


class FileState:
    NOT_REQUESTED = "not_requested"
    GENERATING = "generating"
    READY = "ready"  # a whole-month file, checked or not (see ready_export.validation)
    INVALID = "invalid"  # the newest whole-month file failed validation


def deadline_of(period: Period) -> dt.date:
    """The month's deadline: an override kept as data, else day 5 of the next month."""
    override = SaftDeadline.objects.filter(year=period.year, month=period.month).first()
    return override.deadline if override else period.deadline


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
    submission: SaftSubmission | None = None

    @property
    def days_late(self) -> int:
        return -self.days_left

    @property
    def file_state(self) -> str:
        if self.ready_export is not None:
            return FileState.READY
        if self.pending_export is not None:
            return FileState.GENERATING
        if self.invalid_export is not None:
            return FileState.INVALID
        return FileState.NOT_REQUESTED

    @property
    def is_submitted(self) -> bool:
        return self.submission is not None


def deadlines_for(accounts: Iterable[Account], today: dt.date | None = None) -> list[Deadline]:
    """The last closed month's deadline for each account: one query each for the exports,
    the submissions and the override."""
    today = today or timezone.localdate()
    period = Period.last_closed(today)
    due = deadline_of(period)
    accounts = list(accounts)
    exports = (
        SaftExport.objects.for_period(period)
        .filter(account__in=accounts)
        .exclude(status=SaftExport.Status.FAILED)
        .select_related("account", "requested_by")
    )
    submissions = {
        s.account_id: s
        for s in SaftSubmission.objects.for_period(period)
        .filter(account__in=accounts)
        .select_related("submitted_by")
    }
    ready: dict[int, SaftExport] = {}
    pending: dict[int, SaftExport] = {}
    invalid: dict[int, SaftExport] = {}
    for export in exports:  # newest first (model ordering)
        if export.is_pending:
            pending.setdefault(export.account_id, export)
        elif export.is_invalid:
            # Archived as evidence; never offered as ready to submit.
            if export.is_complete_month:
                invalid.setdefault(export.account_id, export)
        elif export.is_complete_month:
            # Made before the month ended, it misses later documents: does not count.
            ready.setdefault(export.account_id, export)
    result = []
    days_left = (due - today).days
    for account in accounts:
        submission = submissions.get(account.pk)
        if submission is not None:
            state = DeadlineState.SUBMITTED
        elif days_left < 0:
            state = DeadlineState.OVERDUE
        else:
            state = DeadlineState.DUE
        result.append(
            Deadline(
                account=account,
                period=period,
                due=due,
                state=state,
                days_left=days_left,
                ready_export=ready.get(account.pk),
                pending_export=pending.get(account.pk),
                invalid_export=invalid.get(account.pk),
                submission=submission,
            )
        )
    return result
