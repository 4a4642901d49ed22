from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from invoices.forms import PtDateField, StyledForm
from saft.periods import Period

# SAF-T (PT) monthly exports exist since 2008; anything earlier is a typo.
FIRST_YEAR = 2008


class SaftPeriodForm(forms.Form):
    """A month to export: not in the future; the current month allowed, flagged incomplete."""

    month = forms.TypedChoiceField(
        label=_("Month"), choices=[(m, MONTHS[m]) for m in range(1, 13)], coerce=int
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=FIRST_YEAR,
        error_messages={"min_value": _("SAF-T exports start in %(limit_value)s.")},
    )

    def __init__(self, *args, today: dt.date | None = None, **kwargs) -> None:
        self.today = today or timezone.localdate()
        kwargs.setdefault("initial", {})
        last = Period.last_closed(self.today)
        kwargs["initial"] = {"month": last.month, "year": last.year, **kwargs["initial"]}
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.update({"max": self.today.year, "min": FIRST_YEAR})

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if year > self.today.year:
            raise forms.ValidationError(_("That year has not started yet."))
        return year

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        month, year = cleaned.get("month"), cleaned.get("year")
        if month and year:
            period = Period(year, month)
            if period > Period.current(self.today):
                self.add_error("month", _("That month has not started yet."))
            else:
                cleaned["period"] = period
        return cleaned

    @property
    def period(self) -> Period:
        return self.cleaned_data["period"]

    @property
    def is_current_month(self) -> bool:
        """The month is still running: its SAF-T will miss the documents of the days left."""
        return self.period == Period.current(self.today)


RECEIPT_MAX_BYTES = 5 * 1024 * 1024
OUTSIDE = ""


class SaftSubmissionForm(StyledForm):
    """A closed month marked submitted: when, with which file (or none: exported outside
    the dashboard), and optionally the Tax Authority's receipt number and PDF.

    Only files the dashboard offers as ready to submit (ready, checked, not invalid) are
    choices: an invalid or unchecked file can never be marked submitted.
    """

    month = forms.TypedChoiceField(
        label=_("Month"), choices=[(m, MONTHS[m]) for m in range(1, 13)], coerce=int
    )
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR)
    # dd/mm/yyyy with the calendar button, like every date of the dashboard (a bare browser
    # date input shows the browser's own order).
    submitted_on = PtDateField(label=_("Submitted on"))
    export = forms.ChoiceField(label=_("File submitted"), required=False)
    receipt_number = forms.RegexField(
        label=_("Receipt number"),
        required=False,
        max_length=64,
        regex=r"^[A-Za-z0-9][A-Za-z0-9 ./_-]*$",
        error_messages={"invalid": _("Letters, digits, spaces and . / _ - only.")},
    )
    receipt_pdf = forms.FileField(label=_("Receipt PDF"), required=False)

    def __init__(self, *args, account, today: dt.date | None = None, **kwargs) -> None:
        from saft.models import SaftExport

        self.today = today or timezone.localdate()
        last = Period.last_closed(self.today)
        self.exports = {
            e.pk: e
            for e in SaftExport.objects.filter(account=account)
            .ready()
            .filter(validation__in=(SaftExport.Validation.VALID, SaftExport.Validation.WARNINGS))
            .select_related("account")[:24]
            if e.is_complete_month
        }
        kwargs.setdefault("initial", {})
        newest = next((e for e in self.exports.values() if e.period == last), None)
        kwargs["initial"] = {
            "month": last.month,
            "year": last.year,
            "submitted_on": self.today,
            "export": newest.pk if newest else OUTSIDE,
            **kwargs["initial"],
        }
        super().__init__(*args, **kwargs)
        export_field = self.fields["export"]
        assert isinstance(export_field, forms.ChoiceField)
        export_field.choices = [
            (OUTSIDE, _("Exported outside the dashboard")),
            *(
                (
                    pk,
                    _("%(period)s, export #%(id)s (%(verdict)s)")
                    % {"period": e.period.label, "id": pk, "verdict": e.get_validation_display()},
                )
                for pk, e in self.exports.items()
            ),
        ]

    def clean_submitted_on(self) -> dt.date:
        day = self.cleaned_data["submitted_on"]
        if day > self.today:
            raise forms.ValidationError(_("That date has not come yet."))
        return day

    def clean_receipt_pdf(self):
        upload = self.cleaned_data.get("receipt_pdf")
        if not upload:
            return None
        if upload.size > RECEIPT_MAX_BYTES:
            raise forms.ValidationError(_("The receipt PDF may be at most 5 MB."))
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("The receipt must be a PDF file."))
        return upload

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        month, year = cleaned.get("month"), cleaned.get("year")
        if not (month and year):
            return cleaned
        period = Period(year, month)
        if period >= Period.current(self.today):
            self.add_error("month", _("Only a month that has ended can be submitted."))
            return cleaned
        cleaned["period"] = period
        day = cleaned.get("submitted_on")
        if day and day < period.following().first_day:
            self.add_error("submitted_on", _("A month is submitted after it ends."))
        chosen = cleaned.get("export")
        export = self.exports.get(int(chosen)) if chosen else None
        if export is not None and export.period != period:
            self.add_error(
                "export",
                _("That file is of %(period)s, not of the month you chose.")
                % {"period": export.period.label},
            )
        cleaned["export"] = export
        return cleaned
