"""The client on the create form: its fields and checks, its JSON, and the look-up form.

Client name required, at most 100 characters; email; country from the service's list;
Portuguese NIF check digit (python-stdnum). See `create.forms` for the rules as a whole.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pt import nif as pt_nif

from invoices import countries
from invoices.forms import StyledForm

FINAL_CONSUMER_NIF = "999999990"


class ClientFields(StyledForm):
    """The client's fields of the document form, and the checks that need nothing else."""

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

    def clean_client_name(self) -> str:
        name = self.cleaned_data["client_name"].strip()
        if not name:
            raise ValidationError(_("The client's name is required."))
        return name

    def _clean_fiscal_id(self, data: dict[str, Any]) -> None:
        """Called from the form's `clean()`, not `clean_client_fiscal_id`: it needs the country."""
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

    def api_client(self) -> dict[str, str]:
        """The invoice's `client` object, from the cleaned form (empty fields left out)."""
        data = self.cleaned_data
        client = {"name": data["client_name"]}
        for key in ("code", "fiscal_id", "email", "address", "city", "postal_code", "phone"):
            value = (data.get(f"client_{key}") or "").strip()
            if value:
                client[key] = value
        client["country"] = data["client_country"]
        return client


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
