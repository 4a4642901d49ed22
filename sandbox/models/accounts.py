from __future__ import annotations

import secrets
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone

from sandbox.saft_defects import DEFECT_CHOICES


class FaultMode(models.TextChoices):
    NONE = "none", "none"
    TOO_MANY_REQUESTS = "429", "429 Too Many Requests"
    SERVER_ERROR = "500", "500 Internal Server Error"
    BAD_GATEWAY = "502", "502 Bad Gateway"
    UNAVAILABLE = "503", "503 Service Unavailable"
    TIMEOUT = "timeout", "timeout (answer after the client gave up)"
    HTML = "html", "200 with an HTML body"
    BROKEN_JSON = "broken_json", "truncated JSON body"
    REJECT_A = "422_a", '422 {"errors":[{"error":".."}]} (writes only)'
    REJECT_B = "422_b", '422 {"errors":{"error":".."}} (writes only)'
    REJECT_C = "422_c", '422 {"errors":[".."]} (writes only)'
    REJECT_D = "422_d", '422 [["name","não está disponível."]] (writes only)'
    REJECT_XML = "422_xml", "422 <errors><error>..</error></errors> (writes only)"
    REJECT_HTML = "422_html", "422 with an HTML error page (writes only)"
    SAFT_500 = "saft_500", "SAF-T generation fails (500)"
    SEQUENCE_000 = "sequence_000", "sequence create/register fails with code 000"


# A new Portuguese account's taxes, as GET /taxes.json lists them (region null, like the recording).
DEFAULT_TAXES = (
    ("IVA23", Decimal("23"), True),
    ("IVA13", Decimal("13"), False),
    ("IVA6", Decimal("6"), False),
    ("Isento", Decimal("0"), False),
)


def new_api_key() -> str:
    return secrets.token_hex(20)


class SandboxAccount(models.Model):
    """One stand-in InvoiceXpress account, reached under /sandbox/<account_name>/."""

    account_name = models.SlugField(max_length=100, unique=True)
    api_key = models.CharField(max_length=100, default=new_api_key)
    company_name = models.CharField(max_length=200, blank=True)
    fiscal_id = models.CharField(max_length=20, default="999999990")
    address = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)

    # Tax Authority state, for the sequence codes 004 and 005.
    has_at_credentials = models.BooleanField(
        "AT credentials set", default=True, help_text="Off: sequence create/register fail with 004."
    )
    has_open_activity = models.BooleanField(
        "open activity at AT",
        default=True,
        help_text="Off: sequence create/register fail with 005.",
    )
    sequence_registering_seconds = models.PositiveIntegerField(
        default=0,
        help_text="A new sequence stays 'being registered' (codes N/D, 409 code 006) this long.",
    )
    mb_references = models.BooleanField(
        "MB references", default=False, help_text="Finalized invoices get a Multibanco reference."
    )
    loose_types = models.BooleanField(
        "loose number types",
        default=False,
        help_text='Send pagination as strings and tax values as strings or "", as the service may.',
    )
    pdf_pending_calls = models.PositiveSmallIntegerField(
        "PDF pending calls",
        default=2,
        help_text="PDF requests answered 202 before the 200 with the link.",
    )
    saft_defect = models.CharField(
        "SAF-T defect",
        max_length=40,
        blank=True,
        choices=DEFECT_CHOICES,
        help_text="Serve the SAF-T file with this one defect (or another company's), for the demo.",
    )
    saft_pending_calls = models.PositiveSmallIntegerField(
        "SAF-T pending calls",
        default=3,
        help_text="SAF-T requests answered 202 before the 200 with the link.",
    )

    # Faults, applied to every API request of this account.
    latency_ms = models.PositiveIntegerField("added latency (ms)", default=0)
    fault_mode = models.CharField(max_length=20, choices=FaultMode.choices, default=FaultMode.NONE)
    fault_remaining = models.PositiveIntegerField(
        "for the next N requests",
        null=True,
        blank=True,
        help_text="Empty: always. Counted down exactly, across processes.",
    )
    fault_path_prefix = models.CharField(
        "only paths starting with",
        max_length=100,
        blank=True,
        help_text="Relative to the account, e.g. 'invoices.json' or 'api/pdf/'. Empty: all.",
    )
    fault_timeout_seconds = models.FloatField(
        default=30.0, help_text="How long the 'timeout' mode sleeps before answering."
    )

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["account_name"]

    def __str__(self) -> str:
        return self.account_name

    def __repr__(self) -> str:  # never the key
        return f"<SandboxAccount {self.account_name}>"

    def save(self, *args, **kwargs):
        creating = self._state.adding
        with transaction.atomic():
            super().save(*args, **kwargs)
            if creating:
                self.seed_defaults()

    def seed_defaults(self) -> None:
        """What a new account has: the PT taxes and a registered default sequence."""
        from sandbox.models.sequences import SandboxSequence

        SandboxTax.objects.bulk_create(
            SandboxTax(account=self, name=name, value=value, is_default=default)
            for name, value, default in DEFAULT_TAXES
        )
        SandboxSequence.objects.create_with_counters(
            account=self, serie=str(timezone.localdate().year), is_default=True, registered=True
        )

    @property
    def display_name(self) -> str:
        return self.company_name or self.account_name

    def default_tax(self) -> SandboxTax | None:
        return self.taxes.filter(is_default=True).first()


class SandboxTax(models.Model):
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="taxes")
    name = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=5, decimal_places=2)
    region = models.CharField(max_length=10, null=True, blank=True)  # the API sends null
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["account", "name"], name="sandbox_tax_name_unique")
        ]

    def __str__(self) -> str:
        return self.name
