"""Payments registered from the dashboard, each one a receipt upstream.

A payment row is written before InvoiceXpress is called, under the form's one-time token:
`POST /documents/{id}/partial_payments.json` has no idempotency key, so the row is what keeps
a double click or a resubmit from paying twice. The invoice page reads its receipts from here
(the receipts this dashboard made); the service's related documents add the others at merge.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from invoices.invoicexpress.redaction import redact
from invoices.sentences import message_text

# SAF-T (PT) 1.04_01 PaymentMechanism codes, as InvoiceXpress takes them.
PAYMENT_MECHANISMS = (
    ("TB", _("Bank transfer")),
    ("MB", _("Multibanco reference")),
    ("NU", _("Cash")),
    ("CC", _("Credit card")),
    ("CD", _("Debit card")),
    ("CH", _("Cheque")),
    ("DE", _("Electronic money")),
    ("CO", _("Gift cheque or card")),
    ("CS", _("Balance compensation")),
    ("LC", _("Commercial bill")),
    ("PR", _("Barter")),
    ("TR", _("Meal vouchers")),
    ("OU", _("Other")),
)


class PaymentQuerySet(models.QuerySet):
    def for_document(self, account, document_id: int) -> PaymentQuerySet:
        return self.filter(account=account, document_id=document_id)

    def paid_total(self) -> Decimal:
        """What the registered, not canceled receipts add up to."""
        total = self.filter(status=Payment.Status.REGISTERED).aggregate(s=Sum("amount"))["s"]
        return total or Decimal("0")


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Being registered")
        REGISTERED = "registered", _("Registered")
        FAILED = "failed", _("Refused")
        UNKNOWN = "unknown", _("Unknown (no answer)")
        CANCELED = "canceled", _("Canceled")

    account = models.ForeignKey("invoices.Account", on_delete=models.PROTECT, related_name="+")
    token = models.UUIDField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    document_type = models.CharField(max_length=40)  # the paid invoice's API path
    document_id = models.BigIntegerField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    payment_date = models.DateField()
    mechanism = models.CharField(max_length=2, choices=PAYMENT_MECHANISMS)
    note = models.CharField(max_length=200, blank=True)
    serie = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    receipt_id = models.BigIntegerField(null=True, blank=True)
    receipt_number = models.CharField(max_length=80, blank=True)
    # Our words about the outcome: sentence(...) items (invoices/sentences.py), translated
    # when shown; InvoiceXpress's own words apart, shown quoted and never translated.
    sentences = models.JSONField(default=list, blank=True)
    said = models.TextField(blank=True)
    cancel_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "token"], name="one_payment_per_token")
        ]
        indexes = [models.Index(fields=["account", "document_id"], name="payment_document")]
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.amount} on {self.document_type} {self.document_id} ({self.status})"

    @property
    def message_text(self) -> str:
        """The outcome's words as one plain text in the reader's language (a form error)."""
        return message_text(self.sentences, self.said)

    @classmethod
    def claim(cls, *, account, token, **fields) -> tuple[Payment, bool]:
        """(the row for this token, True if this request inserted it and so owns the call)."""
        try:
            with transaction.atomic():
                return cls.objects.create(account=account, token=token, **fields), True
        except IntegrityError:
            return cls.objects.get(account=account, token=token), False

    def mark_registered(self, receipt_id: int, receipt_number: str) -> None:
        self.status, self.receipt_id, self.receipt_number = (
            self.Status.REGISTERED,
            receipt_id,
            receipt_number,
        )
        self.save(update_fields=["status", "receipt_id", "receipt_number", "updated_at"])

    def mark(self, status: str, sentences: list[dict[str, Any]], *, said: str = "") -> None:
        self.status, self.sentences, self.said = status, list(sentences), redact(said)
        self.save(update_fields=["status", "sentences", "said", "updated_at"])

    def mark_canceled(self, reason: str) -> bool:
        """Filtered on the old status: of two cancels racing, one wins."""
        moved = Payment.objects.filter(pk=self.pk, status=self.Status.REGISTERED).update(
            status=self.Status.CANCELED, cancel_reason=reason, updated_at=timezone.now()
        )
        if moved:
            self.status, self.cancel_reason = self.Status.CANCELED, reason
        return bool(moved)
