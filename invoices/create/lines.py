"""The lines of the create form: one `ItemForm` per line, in `ItemFormSet`.

Per line, the service's rules: a name; quantity > 0; unit price >= 0; discount 0-100; unit
and tax from lists. At least one line. Rules that need the header too are in `create.forms`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from invoices.create.totals import LineInput
from invoices.formatting import UNIT_CHOICES
from invoices.forms import LooseDecimalField, StyledForm, choice_field, plain_decimal
from invoices.invoicexpress.records import Tax

MAX_LINES = 100
ITEM_FIELDS = ("name", "description", "quantity", "unit", "unit_price", "discount", "tax")
ITEM_DEFAULTS = {"quantity": "1", "unit": "unit", "discount": "0"}


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
        choice_field(self, "tax").choices = [(t.name, tax_label(t)) for t in taxes]
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

    def api_item(self) -> dict[str, Any]:
        """This line as one of the invoice's `items`, JSON-ready (strings for numbers)."""
        row = self.cleaned_data
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
        return item


REGION_LABELS = {"PT-MA": _("Madeira"), "PT-AC": _("Azores")}


def tax_label(tax: Tax) -> str:
    """ "IVA22 (Madeira)": a regional rate says where it applies; the mainland's stay plain."""
    region = REGION_LABELS.get((tax.region or "").upper())
    return f"{tax.name} ({region})" if region else tax.name


class BaseItemFormSet(forms.BaseFormSet):
    def filled_forms(self) -> list[ItemForm]:
        """Lines the clerk typed something into (a row left at its defaults is ignored)."""
        return [f for f in self.forms if f.has_changed()]

    def clean(self) -> None:
        if any(self.errors):
            return
        if not self.filled_forms():
            raise ValidationError(_("Add at least one line."))


# formset_factory returns a subclass of `formset`; django-stubs types it as the base class.
ItemFormSet = cast(
    "type[BaseItemFormSet]",
    formset_factory(
        ItemForm,
        formset=BaseItemFormSet,
        extra=0,
        max_num=MAX_LINES,
        absolute_max=MAX_LINES,
        validate_max=True,
    ),
)
ITEMS_PREFIX = "items"


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
