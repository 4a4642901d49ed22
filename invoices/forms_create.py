"""The create-document form: header, client and lines, checked the way the service checks.

Every rule InvoiceXpress enforces on `POST /{type}.json` (invoices-create-xml-v1.txt, NOTES)
is checked here first, with the same meaning as the service's message, so a clerk sees the
problem next to the field instead of a refusal after the fact:

- date and due date dd/mm/yyyy, due date not before date ("Due date must be later than date");
- retention 0-99.99; client name required, at most 100 characters; email; country from the
  service's list; Portuguese NIF check digit (python-stdnum);
- at least one line; quantity > 0; unit price >= 0; discount 0-100; unit and tax from lists;
- an exemption reason when any line is at 0 %; a series that can issue the chosen type;
- credit notes name the invoice they correct; simplified invoices only for a final consumer
  and within the legal limits.

`DocumentEntry` holds the header form and the lines formset together, because several rules
need both (exemption, simplified-invoice limits).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pt import nif as pt_nif

from invoices import countries, exemptions
from invoices.ix_records import DOCUMENT_TYPES, Document, Sequence, Tax, format_date
from invoices.totals import Estimate, LineInput, estimate

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]  # shown and sent as dd/mm/yyyy
CREATABLE_TYPES = tuple(t for t in DOCUMENT_TYPES if t.can_create)
NOTE_TYPES = ("credit_notes", "debit_notes")  # carry owner_invoice_id
OWNER_REQUIRED_TYPES = ("credit_notes",)
SIMPLIFIED = "simplified_invoices"
FINAL_CONSUMER_NIF = "999999990"
# Simplified invoices: retail sales of goods to final consumers up to EUR 1,000; anything
# else up to EUR 100 (CIVA art. 40). A line in a service-like unit makes the sale a service.
SIMPLIFIED_LIMIT_GOODS = Decimal("1000")
SIMPLIFIED_LIMIT_SERVICES = Decimal("100")
SERVICE_UNITS = frozenset({"service", "hour", "day", "month"})
MAX_TOTAL = Decimal("1e11")  # the service refuses "Total is too big" from here
MAX_LINES = 100

UNIT_CHOICES = (
    ("unit", _("Unit")),
    ("service", _("Service")),
    ("hour", _("Hour")),
    ("day", _("Day")),
    ("month", _("Month")),
    ("other", _("Other")),
)
ITEM_FIELDS = ("name", "description", "quantity", "unit", "unit_price", "discount", "tax")
ITEM_DEFAULTS = {"quantity": "1", "unit": "unit", "discount": "0"}


class LooseDecimalField(forms.DecimalField):
    """A DecimalField that also takes the Portuguese way of typing numbers.

    "10,5" and "1.234,56" (comma decimals, dot thousands) as well as "10.5". Without a comma
    the dot is the decimal point, so "1.234" is one and a bit: the live estimate shows it
    the Portuguese way ("1,23 €") before anything is sent.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and "," in value:
            value = value.replace(" ", "").replace("\u00a0", "").replace(".", "").replace(",", ".")
        return super().to_python(value)


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": "dd/mm/aaaa", "inputmode": "numeric", "autocomplete": "off"},
        ),
        error_messages={"invalid": _("Enter the date as dd/mm/yyyy.")},
    )


def plain_decimal(value: Decimal) -> str:
    """Decimal as the API takes it: "10.5", never "1E+1"."""
    text = format(value.normalize(), "f")
    return text


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, and `is-invalid` on the ones with an error."""

    compact = False  # small controls, labelled by aria-label (table rows)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        size = "-sm" if self.compact else ""
        for field in self.fields.values():
            widget = field.widget
            if widget.is_hidden:
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{css} {css}{size}" if size else css
            if self.compact:
                widget.attrs.setdefault("aria-label", str(field.label))

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        for name in self.errors:
            widget = self.fields[name].widget if name in self.fields else None
            if widget is not None and "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class DocumentForm(StyledForm):
    """The document header and its client."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    doc_type = forms.ChoiceField(
        label=_("Document type"), choices=[(t.path, t.label) for t in CREATABLE_TYPES]
    )
    sequence = forms.ChoiceField(label=_("Series"))
    owner_invoice_id = forms.IntegerField(
        label=_("Corrects document (id)"),
        required=False,
        min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=_("The InvoiceXpress id of the invoice this note corrects."),
    )
    date = _date_field(_("Date"))
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

    client_name = forms.CharField(
        label=_("Client name"),
        max_length=100,
        error_messages={
            "required": _("The client's name is required."),
            "max_length": _(
                "The client's name can have at most 100 characters (it has %(show_value)d)."
            ),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    client_code = forms.CharField(label=_("Client code"), required=False, max_length=50)
    client_fiscal_id = forms.CharField(
        label=_("NIF"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        help_text=_("Empty, or 999999990, for a final consumer."),
    )
    client_email = forms.EmailField(
        label=_("Email"),
        required=False,
        error_messages={"invalid": _("Enter a valid email address, like name@example.com.")},
    )
    client_address = forms.CharField(label=_("Address"), required=False, max_length=200)
    client_city = forms.CharField(label=_("City"), required=False, max_length=100)
    client_postal_code = forms.CharField(label=_("Postal code"), required=False, max_length=20)
    client_country = forms.ChoiceField(
        label=_("Country"), initial=countries.DEFAULT_COUNTRY, choices=countries.country_choices
    )
    client_phone = forms.CharField(label=_("Phone"), required=False, max_length=30)

    def __init__(self, *args, sequences: list[Sequence], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sequences = {str(s.id): s for s in sequences}
        default = next((s for s in sequences if s.is_default), sequences[0] if sequences else None)
        self.fields["sequence"].choices = [
            (str(s.id), f"{s.serie} ({_('default')})" if s.is_default else s.serie)
            for s in sequences
        ]
        if default is not None:
            self.fields["sequence"].initial = str(default.id)
        self.fields["tax_exemption"].choices = [("", "—")] + [
            (e.code, f"{e.code} · {e.mention}") for e in exemptions.EXEMPTION_CODES
        ]
        today = timezone.localdate()
        self.fields["date"].initial = today
        self.fields["due_date"].initial = today
        self.fields["doc_type"].initial = "invoices"

    def clean_client_name(self) -> str:
        name = self.cleaned_data["client_name"].strip()
        if not name:
            raise ValidationError(_("The client's name is required."))
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        date, due_date = data.get("date"), data.get("due_date")
        if date and due_date and due_date < date:
            self.add_error("due_date", _("The due date cannot be before the document date."))
        self._clean_fiscal_id(data)
        self._clean_sequence(data)
        doc_type = data.get("doc_type")
        if doc_type in OWNER_REQUIRED_TYPES and not data.get("owner_invoice_id"):
            self.add_error(
                "owner_invoice_id",
                _("A credit note corrects an issued invoice: give that invoice's id."),
            )
        if doc_type == SIMPLIFIED:
            fiscal_id = data.get("client_fiscal_id") or ""
            if fiscal_id not in ("", FINAL_CONSUMER_NIF):
                self.add_error(
                    "client_fiscal_id",
                    _(
                        "A simplified invoice is only for a final consumer (no NIF, or 999999990). "
                        "For a client with a NIF, issue an invoice or an invoice-receipt."
                    ),
                )
        return data

    def _clean_fiscal_id(self, data: dict[str, Any]) -> None:
        raw = (data.get("client_fiscal_id") or "").strip()
        country = data.get("client_country")
        if not raw:
            data["client_fiscal_id"] = ""
            return
        if country and country != countries.DEFAULT_COUNTRY:
            data["client_fiscal_id"] = raw  # a foreign VAT number: not ours to check
            return
        try:
            data["client_fiscal_id"] = pt_nif.validate(raw)
        except StdnumError:
            self.add_error(
                "client_fiscal_id",
                _("This is not a valid Portuguese NIF (9 digits with a matching check digit)."),
            )

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
        data["sequence_counter_id"] = counter.sequence_id


class ItemForm(StyledForm):
    compact = True

    name = forms.CharField(
        label=_("Item"),
        max_length=200,
        error_messages={"required": _("Name the item.")},
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=1000)
    quantity = LooseDecimalField(
        label=_("Quantity"),
        max_digits=14,
        decimal_places=4,
        error_messages={"required": _("Give a quantity.")},
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=UNIT_CHOICES, initial="unit")
    unit_price = LooseDecimalField(
        label=_("Unit price"),
        min_value=Decimal("0"),
        max_digits=18,
        decimal_places=6,
        error_messages={
            "required": _("Give a unit price (0 is fine)."),
            "min_value": _("The unit price cannot be negative."),
        },
    )
    discount = LooseDecimalField(
        label=_("Discount %"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        error_messages={
            "min_value": _("The discount is a percentage between 0 and 100."),
            "max_value": _("The discount is a percentage between 0 and 100."),
        },
    )
    tax = forms.ChoiceField(label=_("Tax"))

    def __init__(self, *args, taxes: list[Tax], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.taxes = {t.name: t for t in taxes}
        self.fields["tax"].choices = [(t.name, t.name) for t in taxes]
        default = next((t for t in taxes if t.is_default), taxes[0] if taxes else None)
        self.fields["tax"].initial = default.name if default else ""
        # Decimals, not strings: a row left at its defaults must compare as unchanged.
        self.fields["quantity"].initial = Decimal(ITEM_DEFAULTS["quantity"])
        self.fields["discount"].initial = Decimal(ITEM_DEFAULTS["discount"])

    def clean_quantity(self) -> Decimal:
        quantity = self.cleaned_data["quantity"]
        if quantity <= 0:
            raise ValidationError(_("The quantity must be greater than 0."))
        return quantity

    def clean_discount(self) -> Decimal:
        return self.cleaned_data.get("discount") or Decimal("0")

    @property
    def tax_rate(self) -> Decimal:
        tax = self.taxes.get(self.cleaned_data.get("tax", ""))
        return tax.rate if tax else Decimal("0")

    def line_input(self) -> LineInput:
        data = self.cleaned_data
        return LineInput(
            quantity=data["quantity"],
            unit_price=data["unit_price"],
            discount=data["discount"],
            tax_rate=self.tax_rate,
            tax_name=data["tax"],
        )


class BaseItemFormSet(forms.BaseFormSet):
    def filled_forms(self) -> list[ItemForm]:
        """Lines the clerk typed something into (a row left at its defaults is ignored)."""
        return [f for f in self.forms if f.has_changed()]

    def clean(self) -> None:
        if any(self.errors):
            return
        if not self.filled_forms():
            raise ValidationError(_("Add at least one line."))


ItemFormSet = formset_factory(
    ItemForm,
    formset=BaseItemFormSet,
    extra=0,
    max_num=MAX_LINES,
    absolute_max=MAX_LINES,
    validate_max=True,
)
ITEMS_PREFIX = "items"


# ---- raw form data: add / remove lines without losing what was typed -------------------


@dataclass
class RawEntry:
    """What the browser sent, as strings: header fields and one dict per line."""

    header: dict[str, str]
    rows: list[dict[str, str]]

    @classmethod
    def from_post(cls, post) -> RawEntry:
        header = {name: post.get(name, "") for name in DocumentForm.base_fields}
        try:
            total = int(post.get(f"{ITEMS_PREFIX}-TOTAL_FORMS", "0"))
        except ValueError:
            total = 0
        total = max(0, min(total, MAX_LINES))
        rows = [
            {name: post.get(f"{ITEMS_PREFIX}-{i}-{name}", "") for name in ITEM_FIELDS}
            for i in range(total)
        ]
        return cls(header=header, rows=rows)

    def add_line(self, default_tax: str) -> None:
        if len(self.rows) < MAX_LINES:
            self.rows.append(blank_row(default_tax))

    def remove_line(self, index: str) -> None:
        try:
            position = int(index)
        except (TypeError, ValueError):
            return
        if 0 <= position < len(self.rows):
            del self.rows[position]

    def data(self) -> dict[str, str]:
        """Form data with the lines renumbered 0..n-1, every line an extra (optional) form."""
        data = dict(self.header)
        data.update(
            {
                f"{ITEMS_PREFIX}-TOTAL_FORMS": str(len(self.rows)),
                f"{ITEMS_PREFIX}-INITIAL_FORMS": "0",
                f"{ITEMS_PREFIX}-MIN_NUM_FORMS": "0",
                f"{ITEMS_PREFIX}-MAX_NUM_FORMS": str(MAX_LINES),
            }
        )
        for i, row in enumerate(self.rows):
            data.update({f"{ITEMS_PREFIX}-{i}-{name}": value for name, value in row.items()})
        return data


def blank_row(default_tax: str) -> dict[str, str]:
    return {
        "name": "",
        "description": "",
        "quantity": ITEM_DEFAULTS["quantity"],
        "unit": ITEM_DEFAULTS["unit"],
        "unit_price": "",
        "discount": ITEM_DEFAULTS["discount"],
        "tax": default_tax,
    }


def default_tax_name(taxes: list[Tax]) -> str:
    default = next((t for t in taxes if t.is_default), taxes[0] if taxes else None)
    return default.name if default else ""


def rows_from_document(document: Document, taxes: list[Tax]) -> list[dict[str, str]]:
    """A document's lines as form rows (a credit note starts as a copy of its invoice)."""
    names = {t.name for t in taxes}
    fallback = default_tax_name(taxes)
    return [
        {
            "name": item.name,
            "description": item.description,
            "quantity": plain_decimal(item.quantity),
            "unit": item.unit if item.unit in dict(UNIT_CHOICES) else ITEM_DEFAULTS["unit"],
            "unit_price": plain_decimal(item.unit_price),
            "discount": plain_decimal(item.discount),
            "tax": item.tax_name if item.tax_name in names else fallback,
        }
        for item in document.items
    ]


def header_from_document(document: Document) -> dict[str, str]:
    client = document.client
    country = countries.canonical_country(client.country) or countries.DEFAULT_COUNTRY
    return {
        "owner_invoice_id": str(document.id),
        "reference": document.reference,
        "tax_exemption": document.tax_exemption if document.tax_exemption != "M00" else "",
        "retention": plain_decimal(document.retention) if document.retention else "",
        "client_name": client.name,
        "client_code": client.code,
        "client_fiscal_id": client.fiscal_id,
        "client_email": client.email,
        "client_address": client.address,
        "client_city": client.city,
        "client_postal_code": client.postal_code,
        "client_country": country,
        "client_phone": client.phone,
    }


def raw_from_submission(submission, sequences: list[Sequence]) -> RawEntry:
    """The form as it was when this submission was sent, rebuilt from what went upstream."""
    payload = submission.payload or {}
    client = payload.get("client") or {}
    series = ""
    sent_counter = str(payload.get("sequence_id") or "")
    for sequence in sequences:
        if any(c.sequence_id == sent_counter for c in sequence.counters):
            series = str(sequence.id)
    header = dict.fromkeys(DocumentForm.base_fields, "")
    header.update(
        {
            "token": str(submission.token),
            "doc_type": submission.document_type,
            "sequence": series,
            "owner_invoice_id": str(payload.get("owner_invoice_id") or ""),
            "date": str(payload.get("date") or ""),
            "due_date": str(payload.get("due_date") or ""),
            "reference": str(payload.get("reference") or ""),
            "observations": str(payload.get("observations") or ""),
            "retention": str(payload.get("retention") or ""),
            "tax_exemption": str(payload.get("tax_exemption") or ""),
        }
    )
    for key in (
        "name",
        "code",
        "fiscal_id",
        "email",
        "address",
        "city",
        "postal_code",
        "country",
        "phone",
    ):
        header[f"client_{key}"] = str(client.get(key) or "")
    rows = [
        {
            "name": str(item.get("name") or ""),
            "description": str(item.get("description") or ""),
            "quantity": str(item.get("quantity") or ""),
            "unit": str(item.get("unit") or ""),
            "unit_price": str(item.get("unit_price") or ""),
            "discount": str(item.get("discount") or "0"),
            "tax": str((item.get("tax") or {}).get("name") or ""),
        }
        for item in payload.get("items") or []
        if isinstance(item, dict)
    ]
    return RawEntry(header=header, rows=rows)


# ---- the form and its lines together ----------------------------------------------------


class DocumentEntry:
    """The header form and the lines formset, validated together.

    `bound=True`: validates `raw` and shows errors (a submit). `bound=False`: shows `raw` as
    typed, without errors (first render, a line added or removed, a client picked). The
    estimate is computed from `raw` either way, so it never lags behind the lines.
    """

    def __init__(
        self, *, sequences: list[Sequence], taxes: list[Tax], raw: RawEntry, bound: bool = False
    ) -> None:
        self.sequences = sequences
        self.taxes = taxes
        self.raw = raw
        self.bound = bound
        if not raw.rows:
            raw.rows.append(blank_row(default_tax_name(taxes)))
        if bound:
            self.form, self.items = self._bound_pair()
        else:
            self.form = DocumentForm(initial=dict(raw.header), sequences=sequences)
            self.items = ItemFormSet(
                initial=raw.rows, prefix=ITEMS_PREFIX, form_kwargs={"taxes": taxes}
            )
        self._estimate: Estimate | None = None
        self.incomplete_lines = 0  # lines typed into but not yet valid (set by estimate())

    def _bound_pair(self) -> tuple[DocumentForm, BaseItemFormSet]:
        data = self.raw.data()
        form = DocumentForm(data, sequences=self.sequences)
        items = ItemFormSet(data, prefix=ITEMS_PREFIX, form_kwargs={"taxes": self.taxes})
        return form, items

    def is_valid(self) -> bool:
        if not self.bound:
            return False
        form_ok = self.form.is_valid()
        items_ok = self.items.is_valid()
        if items_ok:  # every mistake at once, even when the header has some too
            self._check_document()
        return form_ok and items_ok and not self.form.errors

    def _check_document(self) -> None:
        """Rules that need the header and the lines together."""
        data = self.form.cleaned_data
        lines = self.items.filled_forms()
        totals = self.estimate()
        if any(line.tax_rate == 0 for line in lines) and not data.get("tax_exemption"):
            self.form.add_error(
                "tax_exemption",
                _("A line is at 0 % tax: choose the exemption reason that applies."),
            )
        if totals.total >= MAX_TOTAL:
            self.form.add_error(None, _("The total is too large for InvoiceXpress."))
        if data.get("doc_type") == SIMPLIFIED:
            services = any(line.cleaned_data["unit"] in SERVICE_UNITS for line in lines)
            limit = SIMPLIFIED_LIMIT_SERVICES if services else SIMPLIFIED_LIMIT_GOODS
            if totals.total > limit:
                self.form.add_error(
                    "doc_type",
                    _(
                        "A simplified invoice may not exceed %(limit)s € (%(what)s); this one "
                        "totals about %(total)s €. Issue an invoice or an invoice-receipt instead."
                    )
                    % {
                        "limit": f"{limit:,.0f}".replace(",", "."),
                        "what": _("services") if services else _("retail sale of goods"),
                        "total": f"{totals.total:.2f}".replace(".", ","),
                    },
                )

    def estimate(self) -> Estimate:
        """The totals of the lines that are complete, whether or not the rest is valid."""
        if self._estimate is None:
            form, items = (self.form, self.items) if self.bound else self._bound_pair()
            lines = [f.line_input() for f in items.forms if f.is_valid() and f.has_changed()]
            form.is_valid()
            retention = (
                form.cleaned_data.get("retention") if "retention" not in form.errors else None
            )
            self._estimate = estimate(lines, retention)
            self.incomplete_lines = sum(
                1 for f in items.forms if f.has_changed() and not f.is_valid()
            )
        return self._estimate

    @property
    def token(self) -> uuid.UUID | None:
        return self.form.cleaned_data.get("token") if self.bound else None

    @property
    def doc_type(self) -> str:
        return self.form.cleaned_data["doc_type"]

    def invoice(self) -> dict[str, Any]:
        """The `invoice` object for `POST /{type}.json`, JSON-ready (strings for numbers)."""
        data = self.form.cleaned_data
        client = {"name": data["client_name"]}
        for key in ("code", "fiscal_id", "email", "address", "city", "postal_code", "phone"):
            value = (data.get(f"client_{key}") or "").strip()
            if value:
                client[key] = value
        client["country"] = data["client_country"]
        lines = self.items.filled_forms()
        items = []
        for line in lines:
            row = line.cleaned_data
            item = {
                "name": row["name"].strip(),
                "unit_price": plain_decimal(row["unit_price"]),
                "quantity": plain_decimal(row["quantity"]),
                "unit": row["unit"],
                "discount": plain_decimal(row["discount"]),
                "tax": {"name": row["tax"]},
            }
            if row.get("description"):
                item["description"] = row["description"].strip()
            items.append(item)
        invoice: dict[str, Any] = {
            "date": format_date(data["date"]),
            "due_date": format_date(data["due_date"]),
        }
        if data.get("sequence_counter_id"):
            counter = data["sequence_counter_id"]  # an id: sent as the number it is
            invoice["sequence_id"] = int(counter) if counter.isdigit() else counter
        for key in ("reference", "observations"):
            if data.get(key):
                invoice[key] = data[key].strip()
        if data.get("retention"):
            invoice["retention"] = plain_decimal(data["retention"])
        if any(line.tax_rate == 0 for line in lines) and data.get("tax_exemption"):
            invoice["tax_exemption"] = data["tax_exemption"]
        if data["doc_type"] in NOTE_TYPES and data.get("owner_invoice_id"):
            invoice["owner_invoice_id"] = data["owner_invoice_id"]
        invoice["client"] = client
        invoice["items"] = items
        return invoice


def initial_header(
    *, sequences: list[Sequence], token: uuid.UUID, doc_type: str = "invoices"
) -> dict[str, str]:
    """A fresh form's header, as the strings a browser would send back."""
    today = format_date(timezone.localdate())
    default = next((s for s in sequences if s.is_default), sequences[0] if sequences else None)
    return {
        "token": str(token),
        "doc_type": doc_type,
        "sequence": str(default.id) if default else "",
        "date": today,
        "due_date": today,
        "client_country": countries.DEFAULT_COUNTRY,
    }


class ClientSearchForm(forms.Form):
    """The client look-up: whatever the clerk is typing into the name or NIF field."""

    client_name = forms.CharField(required=False, max_length=100)
    client_fiscal_id = forms.CharField(required=False, max_length=20)

    @property
    def query(self) -> str:
        if not self.is_valid():
            return ""
        return (
            self.cleaned_data.get("client_name") or self.cleaned_data.get("client_fiscal_id") or ""
        ).strip()


class PrefillForm(forms.Form):
    """`?type=credit_notes&owner=<id>`: what the "issue a credit note" button links with."""

    type = forms.ChoiceField(required=False, choices=[(t.path, t.label) for t in CREATABLE_TYPES])
    owner = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class RetryForm(forms.Form):
    token = forms.UUIDField()
