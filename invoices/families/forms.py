"""The filters of the read-only estimate and guide lists (the same ones as /invoices.json)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from invoices.forms import choice_field
from invoices.invoicexpress.document_types import family_types

MAX_PAGE = 100_000
PER_PAGE = 30
# Estimates may also be accepted or refused; guides are final or canceled once issued.
FAMILY_STATUSES = {
    "estimates": (
        ("draft", _("Draft")),
        ("final", _("Final")),
        ("accepted", _("Accepted")),
        ("refused", _("Refused")),
        ("canceled", _("Canceled")),
    ),
    "guides": (("draft", _("Draft")), ("final", _("Final")), ("canceled", _("Canceled"))),
}


class FamilyFilterForm(forms.Form):
    text = forms.CharField(label=_("Search"), required=False, max_length=200, strip=True)
    type = forms.MultipleChoiceField(
        label=_("Type"), required=False, widget=forms.CheckboxSelectMultiple
    )
    status = forms.MultipleChoiceField(
        label=_("Status"), required=False, widget=forms.CheckboxSelectMultiple
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput
    )

    def __init__(self, data: Any, *, family: str) -> None:
        super().__init__(data)
        self.family = family
        choice_field(self, "type").choices = [(t.name, t.label) for t in family_types(family)]
        choice_field(self, "status").choices = FAMILY_STATUSES[family]

    def upstream_filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "family": self.family,
            "text": data.get("text") or "",
            "types": list(data.get("type") or ()),
            "statuses": list(data.get("status") or ()),
            "page": data.get("page") or 1,
            "per_page": PER_PAGE,
        }
