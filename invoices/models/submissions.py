"""One attempt to create a document upstream, recorded before InvoiceXpress is called.

The row is the lock that makes a create happen once: every form render carries a one-time
token; the first request to insert (account, token) owns the upstream call, every other
request with that token (a double click, a resubmit, the back button, 50 at once) finds the
row and shows its outcome instead of calling again. The token also travels upstream as
`proprietary_uid`, so even a resend after a timeout cannot make a second document there: the
service answers 409 and the existing document is looked up.

Imported by `invoices/models.py` so Django finds the model; lives here to keep that module
the lead's.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from invoices.invoicexpress.redaction import redact
from invoices.sentences import message_text

# A pending row older than this was left by a request that died mid-call (worker killed):
# nobody will finish it, so a retry may claim it. Longer than any upstream call can take.
STALE_AFTER = dt.timedelta(minutes=2)


class SubmissionQuerySet(models.QuerySet):
    def pending(self) -> SubmissionQuerySet:
        return self.filter(status=Submission.Status.PENDING)

    def for_account(self, account) -> SubmissionQuerySet:
        return self.filter(account=account)


class Submission(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Being created")
        CREATED = "created", _("Created")
        FAILED = "failed", _("Refused")
        UNKNOWN = "unknown", _("Unknown (no answer)")

    account = models.ForeignKey(
        "invoices.Account", on_delete=models.PROTECT, related_name="submissions"
    )
    token = models.UUIDField(_("one-time token"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    document_type = models.CharField(max_length=40)  # the API path: "invoices", "credit_notes"
    payload = models.JSONField(default=dict)  # the `invoice` object sent (and resent) upstream
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    document_id = models.BigIntegerField(null=True, blank=True)
    # Our words about the outcome: sentence(...) items (invoices/sentences.py), translated
    # when shown; InvoiceXpress's own words apart, shown quoted and never translated.
    sentences = models.JSONField(default=list, blank=True)
    said = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "token"], name="one_submission_per_token")
        ]
        indexes = [models.Index(fields=["account", "document_id"], name="submission_document")]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.document_type} {self.token} {self.status}"

    @property
    def uid(self) -> str:
        """What goes upstream as `proprietary_uid`."""
        return str(self.token)

    @property
    def message_text(self) -> str:
        """The outcome's words as one plain text in the reader's language (a form error)."""
        return message_text(self.sentences, self.said)

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_created(self) -> bool:
        return self.status == self.Status.CREATED and self.document_id is not None

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_unknown(self) -> bool:
        return self.status == self.Status.UNKNOWN

    @property
    def is_stale(self) -> bool:
        return self.is_pending and self.updated_at < timezone.now() - STALE_AFTER

    # ---- claiming: only the request that claims a row may call upstream ----------------

    @classmethod
    def claim(
        cls, *, account, token: uuid.UUID, user, document_type: str, payload: dict
    ) -> tuple[Submission, bool]:
        """The row for (account, token) and whether this call created it (and owns the send).

        The INSERT is committed on its own before anything goes upstream; a concurrent
        insert of the same token hits the unique constraint and gets the winner's row.
        """
        existing = cls.objects.filter(account=account, token=token).first()
        if existing is not None:
            return existing, False
        row = cls(
            account=account,
            token=token,
            user=user if getattr(user, "pk", None) else None,
            document_type=document_type,
            payload=payload,
        )
        connection = transaction.get_connection()
        try:
            if connection.in_atomic_block:
                # Inside a caller's transaction a savepoint keeps it usable after the
                # IntegrityError (on PostgreSQL a racing insert of the same token waits
                # for that transaction to end, so the claim still holds).
                with transaction.atomic():
                    row.save(force_insert=True)
            else:
                # Autocommit (views run without ATOMIC_REQUESTS): the INSERT is committed
                # by itself, before anything goes upstream, so every other request sees it.
                row.save(force_insert=True)
        except IntegrityError:
            return cls.objects.get(account=account, token=token), False
        return row, True

    def claim_retry(self) -> bool:
        """Take an unknown (or abandoned pending) row back to pending; True for one caller only.

        A filtered UPDATE is the lock: of many simultaneous retries exactly one changes the
        row, and only that one resends.
        """
        now = timezone.now()
        claimable = models.Q(status=self.Status.UNKNOWN) | models.Q(
            status=self.Status.PENDING, updated_at__lt=now - STALE_AFTER
        )
        claimed = (
            Submission.objects.filter(claimable, pk=self.pk)
            .filter(document_id__isnull=True)
            .update(status=self.Status.PENDING, updated_at=now)
        )
        self.refresh_from_db()
        return bool(claimed)

    # ---- outcomes: each moves a pending row once ---------------------------------------

    def _finish(
        self,
        status: str,
        *,
        document_id: int | None = None,
        sentences: list[dict[str, Any]] | None = None,
        said: str = "",
    ) -> bool:
        fields: dict[str, Any] = {
            "status": status,
            "sentences": list(sentences or ()),
            "said": redact(said),
            "updated_at": timezone.now(),
        }
        if document_id is not None:
            fields["document_id"] = document_id
        updated = Submission.objects.filter(pk=self.pk, status=self.Status.PENDING).update(**fields)
        self.refresh_from_db()
        return bool(updated)

    def mark_created(self, document_id: int, sentences: list[dict[str, Any]] | None = None) -> bool:
        return self._finish(self.Status.CREATED, document_id=document_id, sentences=sentences)

    def mark_failed(self, sentences: list[dict[str, Any]], *, said: str = "") -> bool:
        return self._finish(self.Status.FAILED, sentences=sentences, said=said)

    def mark_unknown(self, sentences: list[dict[str, Any]], *, said: str = "") -> bool:
        return self._finish(self.Status.UNKNOWN, sentences=sentences, said=said)

    def wait_until_settled(self, timeout: float, interval: float = 0.2) -> Submission:
        """Re-read the row until it leaves pending or `timeout` seconds pass (for the losers)."""
        deadline = time.monotonic() + timeout
        while self.is_pending and time.monotonic() < deadline:
            time.sleep(interval)
            self.refresh_from_db()
        return self
