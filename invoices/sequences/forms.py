"""The forms of the Sequences pages: create a series, and the list's query string."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from invoices.invoicexpress.sequences import Sequence

# The series names InvoiceXpress accepts: 1 to 10 capital ASCII letters or digits. The
# service does not publish its rule; this is the one the sandbox enforces
# (sandbox/sequence_rules.py, SEQUENCE_NAME_PATTERN), mirrored here because app code never
# imports the sandbox. A "/" would break "FT A/28"; a space, an accent or a small letter is
# refused with code 001. Nothing is ever cut or changed silently: the input has no
# maxlength (a browser would drop the 11th letter without a word), and a name outside the
# rule is refused with what is wrong with it.
SERIE_NAME_PATTERN = r"^[A-Z0-9]{1,10}$"
SERIE_NAME_MAX_LENGTH = 10
_SERIE_NAME_RE = re.compile(SERIE_NAME_PATTERN)


class SequenceCreateForm(forms.Form):
    serie = forms.CharField(
        label=_("Series name"),
        help_text=_(
            "1 to 10 characters: capital letters A-Z (no accents) or digits 0-9; no spaces, "
            "small letters or symbols, e.g. 2026 or LOJA2. It cannot be changed later."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    make_default = forms.BooleanField(
        label=_("Make it the default series"),
        required=False,
        help_text=_("New documents are numbered on the default series unless one is chosen."),
    )
    confirm_registration = forms.BooleanField(
        label=_(
            "Register it with the Tax Authority now. I understand this cannot be undone: a "
            "registered series cannot be deleted or renamed."
        ),
        error_messages={
            "required": _("Tick the confirmation: registering a series cannot be undone.")
        },
    )

    def __init__(self, *args, existing: list[Sequence] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The company's series as last listed (may be stale or unknown: the service decides).
        self.existing = existing or []

    def clean_serie(self) -> str:
        serie = self.cleaned_data["serie"].strip()
        if len(serie) > SERIE_NAME_MAX_LENGTH:
            raise forms.ValidationError(
                gettext("“%(serie)s” has %(length)s characters; a series name has at most 10.")
                % {"serie": serie, "length": len(serie)},
                code="too_long",
            )
        if not _SERIE_NAME_RE.fullmatch(serie):
            if _SERIE_NAME_RE.fullmatch(serie.upper()):
                raise forms.ValidationError(
                    gettext("Use capital letters: “%(upper)s”, not “%(serie)s”.")
                    % {"upper": serie.upper(), "serie": serie},
                    code="lower_case",
                )
            raise forms.ValidationError(
                gettext(
                    "A series name is 1 to 10 capital letters (A-Z, without accents) or "
                    "digits: no spaces, no “/”, no symbols."
                ),
                code="invalid_name",
            )
        # InvoiceXpress compares names without regard to case ("a" exists when "A" does).
        if any(s.serie.casefold() == serie.casefold() for s in self.existing):
            raise forms.ValidationError(
                gettext("This company already has a series named “%(serie)s”.") % {"serie": serie},
                code="exists",
            )
        return serie


class SequenceRegisterForm(forms.Form):
    """The list's Register button: registering cannot be undone, so it is confirmed."""

    confirm_registration = forms.BooleanField(
        label=_("I understand this cannot be undone"),
    )


class SequenceListForm(forms.Form):
    """The list pages' query string: `?refresh=1` asks InvoiceXpress again instead of the
    cache; `?created=<id>` marks the series just created (the no-JS flow lands here)."""

    refresh = forms.BooleanField(required=False)
    created = forms.IntegerField(required=False, min_value=1)

    @property
    def wants_refresh(self) -> bool:
        return self.is_valid() and self.cleaned_data["refresh"]

    @property
    def created_id(self) -> int | None:
        return self.cleaned_data.get("created") if self.is_valid() else None
