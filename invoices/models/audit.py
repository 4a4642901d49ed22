"""The append-only audit log: every write the dashboard made (or tried) upstream."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from invoices.invoicexpress.redaction import redact
from invoices.models.accounts import Account
from invoices.sentences import render_sentences

# What each action code means, in the reader's language: the page never shows a code.
ACTION_LABELS = {
    "document.create": pgettext_lazy("audit action", "Created a draft"),
    "document.edit": pgettext_lazy("audit action", "Edited a draft"),
    "document.finalize": pgettext_lazy("audit action", "Finalized"),
    "document.delete": pgettext_lazy("audit action", "Deleted a draft"),
    "document.cancel": pgettext_lazy("audit action", "Canceled"),
    "document.settle": pgettext_lazy("audit action", "Marked as settled"),
    "document.unsettle": pgettext_lazy("audit action", "Marked as unsettled"),
    "document.email": pgettext_lazy("audit action", "Sent by e-mail"),
    "document.pdf": pgettext_lazy("audit action", "Asked for the PDF"),
    "payment.register": pgettext_lazy("audit action", "Registered a payment"),
    "receipt.cancel": pgettext_lazy("audit action", "Canceled a receipt"),
    "sequence.create": pgettext_lazy("audit action", "Created a series"),
    "sequence.register": pgettext_lazy("audit action", "Registered a series"),
    "sequence.set_default": pgettext_lazy("audit action", "Made a series the default"),
    "saft.request": pgettext_lazy("audit action", "Requested the SAF-T"),
    "saft.submitted": pgettext_lazy("audit action", "Marked the SAF-T submitted"),
    "account.nif": pgettext_lazy("audit action", "Confirmed the company NIF"),
}


def _redacted(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redacted(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_redacted(item) for item in value]
    return value


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
    # Our own words: a list of sentence(...) items (msgid + params), translated when shown.
    sentences = models.JSONField(default=list, blank=True)
    # InvoiceXpress's own words, as it sent them (shown quoted, never translated).
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

    @property
    def action_label(self) -> str:
        label = ACTION_LABELS.get(self.action)
        return str(label) if label is not None else self.action

    @property
    def text(self) -> str:
        """Our sentences in the reader's language."""
        return render_sentences(self.sentences)

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
        sentences: list[dict[str, Any]] | None = None,
        said: str = "",
    ) -> AuditEntry:
        """`sentences`: our words as sentence(...) items (invoices/sentences.py), translated
        when shown; `said`: InvoiceXpress's own words, quoted as they came. Every text is
        redacted: a parameter or a quote can never carry an API key into the log."""
        items = [_redacted(item) for item in sentences or ()]
        return cls.objects.create(
            account=account,
            user=user if getattr(user, "pk", None) else None,
            username=getattr(user, "username", "") or "system",
            action=action,
            outcome=outcome,
            document_type=document_type,
            document_id=document_id,
            target=target[:200],
            sentences=items,
            detail=redact(said),
        )
