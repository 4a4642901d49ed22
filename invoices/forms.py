"""The form pieces every feature's forms share: Bootstrap styling, Portuguese decimals, and
dates as people type them (one parser for filters and forms), within years an invoice can have."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 1990, 2099


def plausible_year(value: dt.date) -> None:
    """Refuse a typo like 01/01/0025: the service would take it for another date or none."""
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Enter a year between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code="year",
        )


# d/m/yy, dd/mm/yyyy, with "/", "-" or "." between; or ISO yyyy-mm-dd (what a browser's own
# date picker and many spreadsheets produce).
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
SHOWN_DATE_FORMAT = "%d/%m/%Y"  # shown the Portuguese way, as the API wants it


def parse_typed_date(text: str) -> dt.date | None:
    """A date as a clerk types it, or None when it is not one.

    "01/10/2026", "1/10/26", "01-10-2026", "01.10.2026" and "2026-10-01" are all the 1st of
    October 2026. A two-digit year is in this century (no invoice of 1926 is typed here).
    """
    text = text.strip()
    if match := _DAY_FIRST.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            year += 2000
    elif match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


class PtDateInput(forms.TextInput):
    """A text box for dd/mm/yyyy with a calendar button (app.js, `data-datepicker`): a bare
    browser date input would show the browser's own order (mm/dd/yyyy in English)."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {
                "placeholder": _("dd/mm/yyyy"),
                "inputmode": "numeric",
                "autocomplete": "off",
                "size": 10,
                "data-datepicker": _("Choose a date"),
                **(attrs or {}),
            }
        )

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return value.strftime(SHOWN_DATE_FORMAT)
        return super().format_value(value)


class PtDateField(forms.DateField):
    """The one date field of filters and forms: `parse_typed_date`, plausible years."""

    widget = PtDateInput
    default_error_messages = {
        "invalid": _("Enter a date as dd/mm/yyyy (or d/m/yy, or yyyy-mm-dd), e.g. 31/01/2026.")
    }
    default_validators = [plausible_year]

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        parsed = parse_typed_date(str(value))
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


# Beyond this many digits either side of the point a number is a typo or an attack, and
# Decimal arithmetic on it (quantize, the totals) would raise instead of refusing politely.
MAX_DECIMAL_EXPONENT = 30


class FiniteDecimalField(forms.DecimalField):
    """A DecimalField that refuses NaN, sNaN and Infinity (any sign, any case) in to_python.

    Django refuses them only in validate(), after to_python returned them, and
    `Field.has_changed()` compares the to_python value with the initial one: comparing a
    `Decimal("sNaN")` raises InvalidOperation, a 500 on a formset row. Refusing them here
    keeps every later step (has_changed, min/max validators, totals) on finite numbers.
    Every decimal field of a form in invoices/ and saft/ is one of these (tests/fuzz checks).
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and (
            not value.is_finite() or abs(value.adjusted()) > MAX_DECIMAL_EXPONENT
        ):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class LooseDecimalField(FiniteDecimalField):
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


def plain_decimal(value: Decimal) -> str:
    """Decimal as the API takes it: "10.5", never "1E+1"."""
    return format(value.normalize(), "f")


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


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """`form.fields[name]` as the ChoiceField it is, for a form that fills its choices at run
    time (`form.fields` is typed as plain `Field`s, which have no `choices`)."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a choice field.")
    return field
