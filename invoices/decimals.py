"""Decimals as a clerk types them ("1.234,56") and as the API takes them ("1234.56")."""

from __future__ import annotations

from decimal import Decimal

from django import forms


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


def plain_decimal(value: Decimal) -> str:
    """Decimal as the API takes it: "10.5", never "1E+1"."""
    text = format(value.normalize(), "f")
    return text
