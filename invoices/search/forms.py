from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search every company"),
        min_length=2,
        max_length=100,
        strip=True,
        error_messages={"min_length": _("Type at least 2 characters.")},
    )
