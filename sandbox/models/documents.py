from __future__ import annotations

import secrets
from decimal import Decimal

from django.db import models
from django.db.models import Exists, OuterRef, Q

from sandbox.doctypes import DocType, info_for
from sandbox.models.accounts import SandboxAccount
from sandbox.models.catalog import SandboxClient
from sandbox.models.sequences import SandboxSequenceCounter

MONEY = {"max_digits": 14, "decimal_places": 2, "default": Decimal("0")}


def new_permalink_token() -> str:
    return secrets.token_hex(20)


class Status(models.TextChoices):
    DRAFT = "draft"
    SENT = "sent"
    FINAL = "final"
    SETTLED = "settled"
    CANCELED = "canceled"
    SECOND_COPY = "second_copy"
    DELETED = "deleted"  # never shown: a deleted draft answers 404
    ACCEPTED = "accepted"  # estimates only
    REFUSED = "refused"  # estimates only


# Statuses of a document that has a number (was finalized).
NUMBERED_STATUSES = (Status.SENT, Status.FINAL, Status.SETTLED, Status.CANCELED, Status.SECOND_COPY)


class DocumentQuerySet(models.QuerySet):
    def visible(self) -> DocumentQuerySet:
        return self.exclude(status=Status.DELETED)

    def newest_first(self) -> DocumentQuerySet:
        return self.order_by("-date", "-pk")

    def matching_text(self, text: str) -> DocumentQuerySet:
        """The service's `text` search: number, client, items, reference, observations."""
        lines = SandboxLine.objects.filter(document=OuterRef("pk")).filter(
            Q(name__icontains=text) | Q(description__icontains=text)
        )
        return self.filter(
            Q(sequence_number__icontains=text)
            | Q(inverted_sequence_number__icontains=text)
            | Q(client__name__icontains=text)
            | Q(client__code__icontains=text)
            | Q(client__fiscal_id__icontains=text)
            | Q(reference__icontains=text)
            | Q(observations__icontains=text)
            | Exists(lines)
        )

    def finalized_in(self, year: int, month: int) -> DocumentQuerySet:
        return self.filter(status__in=NUMBERED_STATUSES, date__year=year, date__month=month)


class SandboxDocument(models.Model):
    """Any document of the invoice family (invoice, credit note, receipt, ...)."""

    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(max_length=30, choices=DocType.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    archived = models.BooleanField(default=False)
    # The caller's idempotency key; NULLs never clash, so documents without one are fine.
    proprietary_uid = models.CharField(max_length=255, null=True, blank=True)
    client = models.ForeignKey(SandboxClient, on_delete=models.CASCADE, related_name="documents")
    counter = models.ForeignKey(
        SandboxSequenceCounter, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    number = models.PositiveIntegerField(null=True, blank=True)
    sequence_number = models.CharField(max_length=80, default="rascunho")
    inverted_sequence_number = models.CharField(max_length=80, blank=True)
    atcud = models.CharField(max_length=80, blank=True)
    date = models.DateField()
    due_date = models.DateField()
    reference = models.CharField(max_length=200, blank=True)
    observations = models.TextField(blank=True)
    retention = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    tax_exemption = models.CharField(max_length=5, blank=True)
    permalink_token = models.CharField(max_length=40, default=new_permalink_token)
    saft_hash = models.CharField(max_length=200, blank=True)  # the full signature (172)
    sum = models.DecimalField(**MONEY)
    discount = models.DecimalField(**MONEY)
    before_taxes = models.DecimalField(**MONEY)
    taxes = models.DecimalField(**MONEY)
    total = models.DecimalField(**MONEY)
    owner = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="notes"
    )
    mb_entity = models.CharField(max_length=10, blank=True)
    mb_reference = models.CharField(max_length=20, blank=True)
    state_message = models.TextField(blank=True)  # the last change-state message (cancel reason)
    # Guides: loaded_at, license_plate, address_from, address_to, as the service echoes them.
    guide = models.JSONField(default=dict, blank=True)
    # Receipts made by partial_payments: the SAF-T payment mechanism (TB, NU, MB, ...).
    payment_mechanism = models.CharField(max_length=2, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finalized_at = models.DateTimeField(null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "proprietary_uid"], name="sandbox_document_uid_unique"
            )
        ]
        indexes = [
            models.Index(fields=["account", "-date", "-id"], name="sandbox_doc_newest"),
            models.Index(fields=["account", "doc_type", "status"], name="sandbox_doc_type_status"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_type} {self.sequence_number}"

    @property
    def info(self):
        return info_for(self.doc_type)

    @property
    def permalink(self) -> str:
        return f"https://www.app.invoicexpress.com/documents/{self.pk}{self.permalink_token}"

    @property
    def hash_chars(self) -> str:
        """The four characters printed on the document and sent as `saft_hash`."""
        h = self.saft_hash
        return "".join(h[i] for i in (0, 10, 20, 30) if i < len(h))

    @property
    def display_number(self) -> str:
        """The Portuguese way: "FT 2026/28"."""
        if self.number is None:
            return "rascunho"
        return f"{self.info.code} {self.inverted_sequence_number}"


class SandboxLine(models.Model):
    """A document line: a snapshot of the item, its tax and its computed amounts."""

    document = models.ForeignKey(SandboxDocument, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    unit_price = models.DecimalField(max_digits=18, decimal_places=6)
    unit = models.CharField(max_length=20, blank=True)
    quantity = models.DecimalField(max_digits=14, decimal_places=4)
    discount = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    tax_ref = models.BigIntegerField(null=True, blank=True)  # the tax's id when the line was made
    tax_name = models.CharField(max_length=40, blank=True)
    tax_value = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    tax_region = models.CharField(max_length=10, blank=True)  # "" (mainland), PT-MA, PT-AC
    subtotal = models.DecimalField(**MONEY)
    discount_amount = models.DecimalField(**MONEY)
    tax_amount = models.DecimalField(**MONEY)
    total = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class SandboxEmail(models.Model):
    """A document the service was asked to e-mail (PUT /{type}/{id}/email-document.json)."""

    document = models.ForeignKey(SandboxDocument, on_delete=models.CASCADE, related_name="emails")
    to = models.CharField(max_length=254)
    cc = models.TextField(blank=True)
    bcc = models.TextField(blank=True)
    subject = models.TextField(blank=True)
    body = models.TextField(blank=True)
    logo = models.BooleanField(default=False)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.document_id} to {self.to}"
