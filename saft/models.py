"""SAF-T exports: one row per request to InvoiceXpress, kept forever as the company's history."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from invoices.models import Account
from saft.periods import Period

if TYPE_CHECKING:
    from saft.archive import SaftSummary
    from saft.report import ValidationReport


class SaftExportQuerySet(models.QuerySet):
    def pending(self) -> SaftExportQuerySet:
        return self.filter(status=SaftExport.Status.PENDING)

    def ready(self) -> SaftExportQuerySet:
        return self.filter(status=SaftExport.Status.READY)

    def unvalidated(self) -> SaftExportQuerySet:
        """Archived files nobody has validated yet (too large to check inline, or older)."""
        return self.ready().filter(validation=SaftExport.Validation.UNCHECKED)

    def for_period(self, period: Period) -> SaftExportQuerySet:
        return self.filter(year=period.year, month=period.month)

    def complete_for(self, period: Period) -> SaftExportQuerySet:
        """Ready exports of `period` requested after it ended, so they hold the whole month."""
        return self.ready().for_period(period).filter(requested_at__gte=period.end_moment())


def _unguessable_name(export: SaftExport, filename: str) -> str:
    # A random folder per file: even someone who can read the storage listing of one
    # export cannot derive another's path, and a leaked path is useless without the view.
    return f"saft/{export.account_id}/{secrets.token_urlsafe(18)}/{filename}"


class SaftExport(models.Model):
    """One SAF-T export of one company's month, from the request until the file is archived."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Generating")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="saft_exports")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    # When InvoiceXpress was first asked: its generation starts there, so the maximum wait
    # counts from it, not from `requested_at` (an export requested for every company at
    # once is first asked by its row's poll, maybe long after the request).
    first_checked_at = models.DateTimeField(_("first checked upstream"), null=True, blank=True)
    checked_at = models.DateTimeField(_("last checked upstream"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("upstream checks"), default=0)
    # Our own words about the export: a list of sentence(...) items (invoices/sentences.py),
    # msgid + params, translated when shown (`{{ export.message|sentences }}`).
    message = models.JSONField(_("message"), default=list, blank=True)
    # InvoiceXpress's own words about the export ("Please keep requesting until you get back
    # the url."): shown quoted, never translated; `message` holds ours.
    said = models.TextField(_("InvoiceXpress said"), blank=True)
    file = models.FileField(_("file"), upload_to=_unguessable_name, max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # The summary read from the archived XML (Header and SourceDocuments/SalesInvoices).
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    number_of_entries = models.PositiveIntegerField(_("sales documents"), null=True, blank=True)
    total_debit = models.DecimalField(
        _("total debit"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    total_credit = models.DecimalField(
        _("total credit"), max_digits=18, decimal_places=2, null=True, blank=True
    )

    class Validation(models.TextChoices):
        UNCHECKED = "unchecked", _("Not checked yet")
        VALID = "valid", _("Valid")
        WARNINGS = "warnings", _("Valid with warnings")
        INVALID = "invalid", _("Invalid")

    # The result of `saft.validation` on the archived file. An invalid file stays archived
    # (it is evidence of what InvoiceXpress produced) but is never offered as ready to submit.
    validation = models.CharField(
        _("validation"), max_length=10, choices=Validation.choices, default=Validation.UNCHECKED
    )
    validation_report = models.JSONField(_("validation report"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    # A file over the inline limits is validated by a background job; its row shows the
    # job's progress while it runs.
    validation_job = models.ForeignKey(
        "invoices.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validation job"),
    )

    objects = SaftExportQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("SAF-T export")
        verbose_name_plural = _("SAF-T exports")
        constraints = [
            # The database, not a check-then-insert, keeps one live export per month:
            # two concurrent requests cannot both create one (the loser joins the winner).
            models.UniqueConstraint(
                fields=["account", "year", "month"],
                condition=Q(status="pending"),
                name="saft_one_pending_export_per_month",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="saft_month_in_range"
            ),
        ]
        indexes = [models.Index(fields=["account", "year", "month"], name="saft_period_idx")]

    def __str__(self) -> str:
        return f"SAF-T {self.period.label} {self.account} ({self.status})"

    @property
    def period(self) -> Period:
        return Period(self.year, self.month)

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_invalid(self) -> bool:
        return self.validation == self.Validation.INVALID

    @property
    def is_validated(self) -> bool:
        return self.validation != self.Validation.UNCHECKED

    @property
    def is_submittable(self) -> bool:
        """Ready, checked and not invalid: the only file the page offers as ready to submit."""
        return self.is_ready and self.validation in (
            self.Validation.VALID,
            self.Validation.WARNINGS,
        )

    @property
    def report(self) -> ValidationReport | None:
        from saft.report import ValidationReport

        if self.validation_report is None:
            return None
        return ValidationReport.from_json(self.validation_report)

    @property
    def is_complete_month(self) -> bool:
        """False for an export asked for before its month ended: it misses later documents."""
        return self.requested_at >= self.period.end_moment()

    @property
    def download_name(self) -> str:
        return f"SAFT-PT_{self.account.slug}_{self.year:04d}-{self.month:02d}.zip"

    # ---- state changes: each a filtered update on the old state (STYLE 7/22) ------------

    def claim_check(self, *, now: dt.datetime, interval: dt.timedelta) -> bool:
        """Take the right to ask InvoiceXpress now. True for exactly one caller per interval.

        However many tabs, people or cron hosts poll the same export, the conditional
        update lets one of them through; the others see 0 rows and leave the service alone.
        """
        claimed = (
            SaftExport.objects.filter(pk=self.pk, status=self.Status.PENDING)
            .filter(Q(checked_at__isnull=True) | Q(checked_at__lte=now - interval))
            .update(
                checked_at=now,
                first_checked_at=Coalesce(F("first_checked_at"), Value(now)),
                attempts=F("attempts") + 1,
            )
        )
        if claimed:
            # Read back rather than guessed: another caller may have been first to ask.
            self.refresh_from_db(fields=["checked_at", "first_checked_at", "attempts"])
        return bool(claimed)

    def note_progress(self, message: list[dict[str, Any]], *, said: str = "") -> bool:
        """Still generating (or a passing failure): keep it pending, remember what was said.

        `message` is ours (sentence items, translated when shown); `said` is the service's.
        """
        updated = SaftExport.objects.filter(pk=self.pk, status=self.Status.PENDING).update(
            message=message, said=said
        )
        if updated:
            self.message, self.said = message, said
        return bool(updated)

    def mark_failed(
        self, message: list[dict[str, Any]], *, said: str = "", now: dt.datetime | None = None
    ) -> bool:
        """Finish it as failed: `message` our sentence items, `said` the service's words."""
        now = now or timezone.now()
        updated = SaftExport.objects.filter(pk=self.pk, status=self.Status.PENDING).update(
            status=self.Status.FAILED, message=message, said=said, completed_at=now
        )
        if updated:
            self.status, self.completed_at = self.Status.FAILED, now
            self.message, self.said = message, said
        return bool(updated)

    def mark_ready(
        self,
        *,
        content: bytes,
        sha256: str,
        summary: SaftSummary,
        message: list[dict[str, Any]] | None = None,
        now: dt.datetime | None = None,
    ) -> bool:
        """Archive the file and finish the export. False (and nothing kept) if another won.

        The file is written first and the row flipped after, so a ready row always has its
        file; a writer that loses the race deletes its copy.
        """
        now = now or timezone.now()
        message = list(message or ())
        name = self.file.field.generate_filename(self, self.download_name)
        name = default_storage.save(name, ContentFile(content))
        updated = SaftExport.objects.filter(pk=self.pk, status=self.Status.PENDING).update(
            status=self.Status.READY,
            file=name,
            size=len(content),
            sha256=sha256,
            message=message,
            completed_at=now,
            period_start=summary.start_date,
            period_end=summary.end_date,
            number_of_entries=summary.number_of_entries,
            total_debit=summary.total_debit,
            total_credit=summary.total_credit,
        )
        if not updated:
            default_storage.delete(name)
            return False
        self.status, self.file.name, self.size, self.sha256 = (
            self.Status.READY,
            name,
            len(content),
            sha256,
        )
        self.message, self.completed_at = message, now
        self.period_start, self.period_end = summary.start_date, summary.end_date
        self.number_of_entries = summary.number_of_entries
        self.total_debit, self.total_credit = summary.total_debit, summary.total_credit
        return True

    def record_validation(
        self, report: ValidationReport, *, now: dt.datetime | None = None
    ) -> bool:
        """Store a validation result on a ready export (the latest check wins)."""
        now = now or timezone.now()
        data = report.to_json()
        updated = SaftExport.objects.filter(pk=self.pk, status=self.Status.READY).update(
            validation=report.verdict, validation_report=data, validated_at=now
        )
        if updated:
            self.validation, self.validation_report, self.validated_at = report.verdict, data, now
        return bool(updated)


class SaftDeadline(models.Model):
    """A month whose SAF-T deadline is not day 5 of the next month (the Tax Authority
    sometimes extends it): data, edited in the admin, read by `saft.deadlines`."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    deadline = models.DateField(_("deadline"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("SAF-T deadline override")
        verbose_name_plural = _("SAF-T deadline overrides")
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="saft_one_deadline_per_month"),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="saft_deadline_month_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period.key}: {self.deadline.isoformat()}"

    @property
    def period(self) -> Period:
        return Period(self.year, self.month)


def _receipt_name(submission: SaftSubmission, filename: str) -> str:
    # Like the exports: a random folder, and the file only ever served by the checked view.
    return (
        f"saft/{submission.account_id}/receipts/{secrets.token_urlsafe(18)}/"
        f"receipt_{submission.year:04d}-{submission.month:02d}.pdf"
    )


class SaftSubmissionQuerySet(models.QuerySet):
    def for_period(self, period: Period) -> SaftSubmissionQuerySet:
        return self.filter(year=period.year, month=period.month)


class SaftSubmission(models.Model):
    """A company's month marked as submitted to the Tax Authority, by a manager.

    `export` is the dashboard's file that was submitted; empty when the month was exported
    and submitted outside the dashboard.
    """

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="saft_submissions")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    submitted_on = models.DateField(_("submitted on"))
    receipt_number = models.CharField(_("receipt number"), max_length=64, blank=True)
    receipt_pdf = models.FileField(
        _("receipt PDF"), upload_to=_receipt_name, max_length=255, blank=True
    )
    export = models.ForeignKey(
        SaftExport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=_("submitted file"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    created_at = models.DateTimeField(_("marked at"), auto_now_add=True)

    objects = SaftSubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("SAF-T submission")
        verbose_name_plural = _("SAF-T submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "year", "month"], name="saft_one_submission_per_month"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="saft_submission_month_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.period.key} submitted {self.submitted_on.isoformat()}"

    @property
    def period(self) -> Period:
        return Period(self.year, self.month)

    @property
    def is_outside(self) -> bool:
        return self.export_id is None
