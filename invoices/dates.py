"""Dates as people type them: dd/mm/yyyy, within years an invoice can have."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 1990, 2099


def plausible_year(value: dt.date) -> None:
    """Refuse a typo like 01/01/0025: the service would take it for another date or none."""
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Enter a year between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code="year",
        )
