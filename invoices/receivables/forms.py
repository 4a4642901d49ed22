from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from invoices.forms import PtDateField


class StatementForm(forms.Form):
    """A client's statement: which client (InvoiceXpress id) and which period (default: the
    year so far)."""

    client = forms.IntegerField(min_value=1, max_value=10**12, widget=forms.HiddenInput)
    date_from = PtDateField(label=_("From"), required=False)
    date_to = PtDateField(label=_("To"), required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        today = timezone.localdate()
        cleaned["date_to"] = cleaned.get("date_to") or today
        cleaned["date_from"] = cleaned.get("date_from") or dt.date(cleaned["date_to"].year, 1, 1)
        if cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", _("“To” must not be before “From”."))
        return cleaned
