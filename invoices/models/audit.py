"""The append-only audit log: every write the dashboard made (or tried) upstream."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from invoices.invoicexpress.redaction import redact
from invoices.models.accounts import Account


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("The audit log is append-only.")

    def delete(self):
        raise ValidationError("The audit log is append-only.")


class AuditEntry(models.Model):
    """One write the dashboard made (or tried) upstream. Append-only; never holds the key."""

    class Outcome(models.TextChoices):
        OK = "ok", _("OK")
        FAILED = "failed", _("Failed")
        UNKNOWN = "unknown", _("Unknown (no answer)")

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="audit_entries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    username = models.CharField(max_length=150)
    action = models.CharField(
        max_length=40
    )  # e.g. document.create, sequence.register, saft.request
    document_type = models.CharField(max_length=40, blank=True)
    document_id = models.BigIntegerField(null=True, blank=True)
    target = models.CharField(max_length=200, blank=True)  # what was acted on, in words
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.outcome}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("The audit log is append-only.")

    @classmethod
    def record(
        cls,
        *,
        account: Account,
        user,
        action: str,
        outcome: str,
        document_type: str = "",
        document_id: int | None = None,
        target: str = "",
        detail: str = "",
    ) -> AuditEntry:
        return cls.objects.create(
            account=account,
            user=user if getattr(user, "pk", None) else None,
            username=getattr(user, "username", "") or "system",
            action=action,
            outcome=outcome,
            document_type=document_type,
            document_id=document_id,
            target=target[:200],
            detail=redact(detail),
        )
