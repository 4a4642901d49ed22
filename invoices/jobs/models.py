"""A job the user can watch: long work done by a background worker (django-tasks).

A job has a kind, who started it, its company, progress (n of N), one row per item with
its outcome, and a result (a summary, maybe a file). A running job holds a lease: the worker
renews it while it lives, and another worker may take the job over once it has run out (a
worker killed mid-job), so a job is never run by two workers at once and never lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from invoices.invoicexpress.redaction import redact
from invoices.models.accounts import Account


def lease_length() -> dt.timedelta:
    return dt.timedelta(seconds=settings.IXPORTAL_JOB_LEASE_SECONDS)


class JobQuerySet(models.QuerySet["Job"]):
    def for_account(self, account: Account) -> JobQuerySet:
        return self.filter(account=account)

    def unfinished(self) -> JobQuerySet:
        return self.filter(status__in=(Job.Status.QUEUED, Job.Status.RUNNING))

    def abandoned(self, now: dt.datetime) -> JobQuerySet:
        """Unfinished jobs nobody holds and nobody was asked to run for a lease's length:
        a dead worker's job (its lease ran out), or a queued job whose task was lost."""
        return (
            self.unfinished()
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - lease_length()))
        )

    def recent(self) -> JobQuerySet:
        return self.order_by("-created_at", "-pk")


class Job(models.Model):
    class Kind(models.TextChoices):
        BULK_FINALIZE = "bulk_finalize", _("Finalize drafts")
        SAFT_VALIDATE = "saft_validate", _("Validate a SAF-T")
        SAFT_PACK = "saft_pack", _("Accountant's pack")
        BULK_PDF = "bulk_pdf", _("PDFs as one zip")
        BULK_EMAIL = "bulk_email", _("E-mail documents to their clients")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="jobs")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    params = models.JSONField(default=dict, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)  # outcome -> count, when finished
    result_file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)  # last handed to the queue
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    runs = models.PositiveSmallIntegerField(default=0)  # >1: taken over after a worker died

    objects = JobQuerySet.as_manager()

    class Meta:
        app_label = "invoices"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["account", "-created_at"], name="job_account_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if not self.is_running else 0
        return min(100, self.done * 100 // self.total)

    # ---- the lease: one worker at a time --------------------------------------------------

    def claim(self, owner: str) -> bool:
        """Take the job for `owner` if it is unfinished and nobody holds a live lease."""
        now = timezone.now()
        taken = (
            Job.objects.filter(pk=self.pk)
            .unfinished()
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .update(
                status=self.Status.RUNNING,
                lease_owner=owner,
                lease_until=now + lease_length(),
                started_at=Coalesce(F("started_at"), Value(now)),
                runs=F("runs") + 1,
            )
        )
        if taken:
            self.refresh_from_db()
        return bool(taken)

    def renew(self, owner: str) -> bool:
        """Extend the lease; False when another worker has taken the job over."""
        return bool(
            Job.objects.filter(pk=self.pk, lease_owner=owner, status=self.Status.RUNNING).update(
                lease_until=timezone.now() + lease_length()
            )
        )

    def record_progress(self, owner: str) -> None:
        done = self.items.exclude(outcome__in=(JobItem.PENDING, JobItem.STARTED)).count()
        Job.objects.filter(pk=self.pk, lease_owner=owner).update(done=done)

    def finish(self, owner: str, *, summary: dict, error: str = "") -> bool:
        updated = (
            Job.objects.filter(pk=self.pk, lease_owner=owner)
            .unfinished()
            .update(
                status=self.Status.FAILED if error else self.Status.DONE,
                summary=summary,
                error=error,
                finished_at=timezone.now(),
                lease_until=None,
            )
        )
        if updated:
            self.refresh_from_db()
        return bool(updated)


class JobItem(models.Model):
    """One thing a job works through (a draft to finalize), with its outcome.

    `outcome` is "pending", "started" (a write was sent and its answer not yet recorded:
    a run that takes the job over reads the item's state again before anything else), or the
    kind's own word for how it ended (e.g. "finalized", "refused").
    """

    PENDING = "pending"
    STARTED = "started"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    key = models.CharField(max_length=64)
    data = models.JSONField(default=dict, blank=True)  # what the item was (type, date, client)
    outcome = models.CharField(max_length=20, default=PENDING)
    result = models.JSONField(default=dict, blank=True)  # what it became (number, ATCUD)
    # Our own words about the item: sentence(...) items (invoices/sentences.py), msgid +
    # params, translated when shown (`{{ item.message|sentences }}`).
    message = models.JSONField(default=list, blank=True)
    # InvoiceXpress's own words about it (a refusal's reasons): shown quoted, never translated.
    said = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "invoices"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["job", "key"], name="job_item_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.key} {self.outcome}"

    def record(
        self,
        outcome: str,
        *,
        message: Sequence[dict[str, Any]] = (),
        said: str = "",
        result: dict | None = None,
    ) -> None:
        """How the item ended: `message` our sentence items, `said` InvoiceXpress's words."""
        self.outcome = outcome
        self.message = list(message)
        self.said = redact(said)
        self.result = result or {}
        self.save(update_fields=["outcome", "message", "said", "result", "updated_at"])


class PeriodicSlot(models.Model):
    """When the periodic job is next due: one row shared by every worker on every host.

    A worker's scheduler starts the periodic job only if it moves `due_at` on with a
    conditional update, so however many workers run, it starts once per interval.
    """

    name = models.CharField(max_length=64, primary_key=True)
    due_at = models.DateTimeField()

    class Meta:
        app_label = "invoices"

    def __str__(self) -> str:
        return self.name
