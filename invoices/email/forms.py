"""E-mail a document: to (the client's address, editable), cc, bcc, subject, body."""

from __future__ import annotations

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from invoices.forms import StyledForm
from invoices.models.email import Language


def _address_list(value: str) -> str:
    """ "a@x.pt; b@y.pt" -> "a@x.pt, b@y.pt", or a ValidationError naming the bad one."""
    addresses = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    for address in addresses:
        try:
            validate_email(address)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("“%(address)s” is not an e-mail address.") % {"address": address}
            ) from None
    return ", ".join(addresses)


class LanguageForm(forms.Form):
    """`?language=en`: which template the form starts from."""

    language = forms.ChoiceField(choices=Language.choices, required=False)


class DocumentEmailForm(StyledForm):
    to = forms.EmailField(label=_("To"), max_length=254)
    cc = forms.CharField(
        label=_("Cc"), required=False, max_length=500, help_text=_("Several: separate with commas.")
    )
    bcc = forms.CharField(label=_("Bcc"), required=False, max_length=500)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}), max_length=5000
    )
    save_address = forms.BooleanField(label=_("Save this address on the client"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["save_address"].widget.attrs["class"] = "form-check-input"

    def clean_cc(self) -> str:
        return _address_list(self.cleaned_data["cc"])

    def clean_bcc(self) -> str:
        return _address_list(self.cleaned_data["bcc"])


class EmailTemplateForm(StyledForm):
    """The company's wording in one language; {document} {client} {company} {total} {due_date}."""

    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}), max_length=5000
    )
