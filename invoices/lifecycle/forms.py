"""The inputs of the lifecycle pages: a state change's confirmation and reason, the PDF
widget's query string, and the drafts chosen for a bulk finalize."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from invoices.lifecycle.actions import ActionSpec

MAX_REASON_LENGTH = 255  # kept short: it is printed on the canceled document's record
MAX_PDF_POLLS = 30  # about a minute at one poll every 2 s
MAX_BULK = 500  # the whole draft list (bulk_finalize.MAX_DRAFT_PAGES pages of 100)


class StateChangeForm(forms.Form):
    """What a state change needs besides the document: a confirmation, maybe a reason.

    The confirm panel posts `confirm=1`; a POST without it (a stale button, a crafted
    request) shows the panel instead of acting. A cancellation needs a reason.
    """

    def __init__(self, *args: Any, spec: ActionSpec, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        if spec.confirm:
            self.fields["confirm"] = forms.BooleanField(
                required=True,
                widget=forms.HiddenInput,
                error_messages={"required": _("Confirm first: this cannot be undone.")},
            )
        if spec.reason:
            self.fields["reason"] = forms.CharField(
                label=_("Reason for the cancellation"),
                max_length=MAX_REASON_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Required. Kept with the document at InvoiceXpress."),
                error_messages={
                    "required": _("Give a reason: a cancellation always needs one."),
                },
            )

    @property
    def message(self) -> str:
        return self.cleaned_data.get("reason", "") if self.is_valid() else ""


class _ZeroOrOne(forms.TypedChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=[("0", "0"), ("1", "1")],
            coerce=lambda value: value == "1",
            # django-stubs types empty_value as `str | None`; Django returns it as given.
            empty_value=False,  # type: ignore[arg-type]
            required=False,
            **kwargs,
        )


class PdfForm(forms.Form):
    """`?copy=0|1&attempt=N` of the PDF widget; anything invalid falls back to the defaults."""

    copy = _ZeroOrOne()
    attempt = forms.IntegerField(required=False, min_value=0, max_value=MAX_PDF_POLLS)

    def values(self) -> tuple[bool, int]:
        self.is_valid()
        data = self.cleaned_data
        return bool(data.get("copy")), data.get("attempt") or 0


class IdListField(forms.Field):
    """Several positive ids from checkboxes with the same name."""

    widget = forms.CheckboxSelectMultiple
    default_error_messages = {
        "required": _("Choose at least one draft."),
        "invalid": _("The selection is not valid; reload the page."),
        "too_many": _("Choose at most %(limit)s drafts at a time."),
    }

    def __init__(self, *, limit: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.limit = limit

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        try:
            ids = sorted({int(v) for v in values})
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if any(i <= 0 or i >= 2**63 for i in ids):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(ids) > self.limit:
            raise ValidationError(
                self.error_messages["too_many"], code="too_many", params={"limit": self.limit}
            )
        return ids


class BulkFinalizeForm(forms.Form):
    documents = IdListField(limit=MAX_BULK)


class BulkSelectForm(forms.Form):
    """`?select=all`: the page with every draft ticked (no JavaScript needed)."""

    select = forms.ChoiceField(choices=[("all", "all"), ("none", "none")], required=False)

    @property
    def select_all(self) -> bool:
        return self.is_valid() and self.cleaned_data["select"] == "all"
