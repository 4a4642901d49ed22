"""Marking a company's month as submitted to the Tax Authority (a manager, audited)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from invoices.formatting import pt_date
from invoices.models import Account, AuditEntry
from invoices.sentences import sentence
from saft.models import SaftExport, SaftSubmission
from saft.periods import Period


class AlreadySubmitted(Exception):
    def __init__(self, submission: SaftSubmission) -> None:
        self.submission = submission
        self.message = _("%(period)s was already marked submitted on %(date)s.") % {
            "period": submission.period.label,
            "date": pt_date(submission.submitted_on),
        }
        super().__init__(self.message)


def submission_record(
    *,
    account: Account,
    user,
    period: Period,
    submitted_on: dt.date,
    receipt_number: str = "",
    receipt_pdf: UploadedFile | None = None,
    export: SaftExport | None = None,
) -> SaftSubmission:
    """Record the month as submitted, with the audit entry, in one transaction.

    `export` must be a file the dashboard offers as ready to submit (the form checks; this
    checks again, as the last line); None means it was exported outside the dashboard.
    Raises AlreadySubmitted if the month is marked already (the database settles a race).
    """
    if export is not None and (
        not export.is_submittable or export.account_id != account.pk or export.period != period
    ):
        raise ValueError("only a valid file of that month may be marked submitted")
    submission = SaftSubmission(
        account=account,
        year=period.year,
        month=period.month,
        submitted_on=submitted_on,
        receipt_number=receipt_number,
        export=export,
        submitted_by=user if getattr(user, "pk", None) else None,
    )
    try:
        with transaction.atomic():
            if receipt_pdf is not None:
                submission.receipt_pdf.save("receipt.pdf", receipt_pdf, save=False)
            submission.save()
            ours = [
                sentence(
                    gettext_noop(
                        "Submitted on %(date)s, file: SAF-T export #%(id)s (SHA-256 %(sha)s)."
                    ),
                    date=pt_date(submitted_on),
                    id=export.pk,
                    sha=export.sha256,
                )
                if export is not None
                else sentence(
                    gettext_noop("Submitted on %(date)s, exported outside the dashboard."),
                    date=pt_date(submitted_on),
                )
            ]
            if receipt_number:
                ours.append(sentence(gettext_noop("Receipt %(number)s."), number=receipt_number))
            if receipt_pdf is not None:
                ours.append(sentence(gettext_noop("Receipt PDF kept.")))
            AuditEntry.record(
                account=account,
                user=user,
                action="saft.submitted",
                outcome=AuditEntry.Outcome.OK,
                target=period.key,
                sentences=ours,
            )
    except IntegrityError:
        if submission.receipt_pdf:
            submission.receipt_pdf.delete(save=False)
        existing = SaftSubmission.objects.get(account=account, year=period.year, month=period.month)
        raise AlreadySubmitted(existing) from None
    return submission
