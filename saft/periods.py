"""Months as SAF-T periods, and the Tax Authority deadline that follows each one.

Dates are Lisbon dates (settings.TIME_ZONE): a month ends at midnight in Lisbon, and the
SAF-T of a month is due by day 5 of the following month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

DEADLINE_DAY = 5


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int

    @classmethod
    def of(cls, day: dt.date) -> Period:
        return cls(day.year, day.month)

    @classmethod
    def current(cls, today: dt.date | None = None) -> Period:
        return cls.of(today or timezone.localdate())

    @classmethod
    def last_closed(cls, today: dt.date | None = None) -> Period:
        return cls.current(today).previous()

    def previous(self) -> Period:
        return Period(self.year - 1, 12) if self.month == 1 else Period(self.year, self.month - 1)

    def following(self) -> Period:
        return Period(self.year + 1, 1) if self.month == 12 else Period(self.year, self.month + 1)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return self.following().first_day - dt.timedelta(days=1)

    def end_moment(self) -> dt.datetime:
        """Midnight in Lisbon when the month is over (an aware datetime)."""
        following = self.following().first_day
        return timezone.make_aware(dt.datetime(following.year, following.month, 1))

    @property
    def deadline(self) -> dt.date:
        """The last day to send this month's SAF-T: day 5 of the following month."""
        return self.following().first_day.replace(day=DEADLINE_DAY)

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """ "October 2026" in the active language ("outubro de 2026" in Portuguese)."""
        month = str(MONTHS[self.month])
        if (translation.get_language() or "").startswith("pt"):
            month = month.lower()  # Portuguese writes month names in lower case mid-sentence
        return _("%(month)s %(year)s") % {"month": month, "year": self.year}

    def __str__(self) -> str:
        return self.key
