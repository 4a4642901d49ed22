from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

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
