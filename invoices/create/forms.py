"""The create-document form: header, client and lines, checked the way the service checks.

Every rule InvoiceXpress enforces on `POST /{type}.json` (invoices-create-xml-v1.txt, NOTES)
is checked here first, with the same meaning as the service's message, so a clerk sees the
problem next to the field instead of a refusal after the fact:

- date and due date dd/mm/yyyy, due date not before date ("Due date must be later than date");
- retention 0-99.99; client name required, at most 100 characters; email; country from the
  service's list; Portuguese NIF check digit, python-stdnum (in `create.client_fields`);
- at least one line; quantity > 0; unit price >= 0; discount 0-100; unit and tax from lists
  (in `create.lines`);
- an exemption reason when any line is at 0 %; a series that can issue the chosen type;
- credit notes name the invoice they correct; simplified invoices only for a final consumer
  and within the legal limits.

`create.entry.DocumentEntry` holds this form and the lines formset together, because
several rules need both (exemption, simplified-invoice limits). What a form starts with is
in `create.prefill`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from invoices import exemptions
from invoices.create.client_fields import ClientFields
from invoices.forms import LooseDecimalField, PtDateField, choice_field
from invoices.invoicexpress.document_types import DOCUMENT_TYPES, NUMBER_RE
from invoices.invoicexpress.sequences import CodeStatus, Sequence

CREATABLE_TYPES = tuple(t for t in DOCUMENT_TYPES if t.can_create)
NOTE_TYPES = ("credit_notes", "debit_notes")  # carry owner_invoice_id
OWNER_REQUIRED_TYPES = ("credit_notes",)
CREDIT_NOTE = "credit_notes"
SIMPLIFIED = "simplified_invoices"
# Simplified invoices (CIVA art. 40): retail sales of goods to final consumers up to
# EUR 1,000; anything else up to EUR 100. The clerk says which case applies; a line in a
# service-like unit is not a sale of goods (the service applies the 100 EUR limit to it).
SIMPLIFIED_LIMIT_GOODS = Decimal("1000")
SIMPLIFIED_LIMIT_SERVICES = Decimal("100")
SERVICE_UNITS = frozenset({"service", "hour", "day", "month"})


class SimplifiedCase(models.TextChoices):
    RETAIL_GOODS = "retail_goods", _("Retail sale of goods to a final consumer (up to 1.000 €)")
    OTHER = "other", _("Anything else: services, or sales not retail (up to 100 €)")


MAX_TOTAL = Decimal("1e11")  # the service refuses "Total is too big" from here


def _date_field(label) -> forms.DateField:
    return PtDateField(label=label)


class DocumentForm(ClientFields):
    """The document header, and its client (fields and NIF check in `ClientFields`)."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    doc_type = forms.ChoiceField(
        label=_("Document type"), choices=[(t.path, t.label) for t in CREATABLE_TYPES]
    )
    sequence = forms.ChoiceField(label=_("Series"))
    owner_number = forms.CharField(
        label=_("Corrects document"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "FT 2026/33", "autocomplete": "off"}),
        help_text=_(
            "The number of the invoice this note corrects, as printed (FT 2026/33); "
            "type part of it to search."
        ),
    )
    # Set by the server only (a link from the invoice's page, a suggestion picked): the
    # clerk chooses by number; the number wins when both are there.
    owner_invoice_id = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )
    simplified_case = forms.ChoiceField(
        label=_("Simplified invoice for"),
        required=False,
        choices=[("", "—"), *SimplifiedCase.choices],
        help_text=_(
            "The law allows a simplified invoice up to 1.000 € for retail sales of goods to "
            "final consumers, and up to 100 € for anything else. The consumer's NIF may be on "
            "it if they ask."
        ),
    )
    date = _date_field(_("Date"))
    accept_date = forms.BooleanField(
        label=_("Create the draft with this date anyway (change it before finalizing)"),
        required=False,
    )
    due_date = _date_field(_("Due date"))
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=200,
        help_text=_("Usually the client's purchase order."),
    )
    observations = forms.CharField(
        label=_("Observations"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Printed on the document."),
    )
    retention = LooseDecimalField(
        label=_("Withholding (retention) %"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("99.99"),
        decimal_places=2,
        error_messages={
            key: _("Retention must be a number between 0 and 99.99, with at most two decimals.")
            for key in ("min_value", "max_value", "max_decimal_places", "invalid")
        },
    )
    tax_exemption = forms.ChoiceField(
        label=_("Tax exemption reason"),
        required=False,
        help_text=_("Required when a line is at 0 %: the law requires the reason on the invoice."),
    )

    def __init__(self, *args, sequences: list[Sequence], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sequences = {str(s.id): s for s in sequences}
        default = next((s for s in sequences if s.is_default), sequences[0] if sequences else None)
        choice_field(self, "sequence").choices = [(str(s.id), series_label(s)) for s in sequences]
        if default is not None:
            self.fields["sequence"].initial = str(default.id)
        choice_field(self, "tax_exemption").choices = [("", "—")] + [
            (e.code, exemption_choice_label(e)) for e in exemptions.EXEMPTION_CODES
        ]
        today = timezone.localdate()
        self.fields["date"].initial = today
        self.fields["due_date"].initial = today
        self.fields["doc_type"].initial = "invoices"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        date, due_date = data.get("date"), data.get("due_date")
        if date and due_date and due_date < date:
            self.add_error("due_date", _("The due date cannot be before the document date."))
        self._clean_fiscal_id(data)
        self._clean_sequence(data)
        doc_type = data.get("doc_type")
        if doc_type in OWNER_REQUIRED_TYPES and not (
            data.get("owner_number") or data.get("owner_invoice_id")
        ):
            self.add_error(
                "owner_number",
                _("A credit note corrects an issued invoice: give that invoice's number."),
            )
        if doc_type == SIMPLIFIED and not data.get("simplified_case"):
            self.add_error(
                "simplified_case",
                _("Say which case applies: its limit is 1.000 € or 100 €."),
            )
        return data

    def clean_owner_number(self) -> str:
        number = " ".join(self.cleaned_data["owner_number"].split())
        if not number:
            return ""
        match = NUMBER_RE.fullmatch(number)
        if match is None:
            raise forms.ValidationError(
                _("Give the number as printed: type code, space, series/number (FT 2026/33).")
            )
        return f"{match['code'].upper()} {match['rest']}"

    def _clean_sequence(self, data: dict[str, Any]) -> None:
        sequence = self.sequences.get(data.get("sequence") or "")
        doc_type = data.get("doc_type")
        if sequence is None or not doc_type:
            return
        kind = next(t for t in CREATABLE_TYPES if t.path == doc_type)
        counter = sequence.counter(kind.sequence_key)
        if counter is None or not counter.sequence_id:
            self.add_error(
                "sequence",
                _("Series %(serie)s cannot issue this document type.") % {"serie": sequence.serie},
            )
            return
        if counter.code_status == CodeStatus.NOT_REGISTERED:
            # InvoiceXpress takes the draft, then refuses to finalize it (no ATCUD).
            self.add_error("sequence", unregistered_message(sequence))
            return
        data["sequence_counter_id"] = counter.sequence_id

    def sequence_warning(self) -> str:
        """Why the chosen series cannot issue the chosen type for real, or "" (shown at once)."""
        value = self.data.get("sequence") if self.is_bound else self.initial.get("sequence")
        sequence = self.sequences.get(str(value or self.fields["sequence"].initial or ""))
        doc_type = (self.data if self.is_bound else self.initial).get("doc_type") or "invoices"
        kind = next((t for t in CREATABLE_TYPES if t.path == doc_type), None)
        if sequence is None or kind is None:
            return ""
        counter = sequence.counter(kind.sequence_key)
        if counter is not None and counter.code_status == CodeStatus.NOT_REGISTERED:
            return unregistered_message(sequence)
        return ""


def exemption_choice_label(entry: exemptions.ExemptionCode) -> str:
    label = f"{entry.code} · {entry.mention}"
    if entry.valid_from or entry.valid_to:
        start = entry.valid_from.strftime("%d/%m/%Y") if entry.valid_from else "…"
        end = entry.valid_to.strftime("%d/%m/%Y") if entry.valid_to else "…"
        label += f" ({start}–{end})"
    return label


def series_label(sequence: Sequence) -> str:
    label = sequence.serie
    if sequence.is_default:
        label = _("%(serie)s (default)") % {"serie": label}
    if sequence.has_unregistered:
        label = _("%(serie)s — not registered (N/D)") % {"serie": label}
    return label


def unregistered_message(sequence: Sequence) -> str:
    return _(
        "Series %(serie)s is not registered with the Tax Authority (N/D) for this document "
        "type: documents on a series not registered with the Tax Authority are refused when "
        "finalized; register it on the Sequences page first."
    ) % {"serie": sequence.serie}


class OwnerSearchForm(forms.Form):
    """The invoice look-up: whatever the clerk is typing into "Corrects document"."""

    owner_number = forms.CharField(required=False, max_length=60)

    @property
    def query(self) -> str:
        return self.cleaned_data.get("owner_number", "").strip() if self.is_valid() else ""
