"""Numbers, money, dates, and status and unit words, shown the Portuguese way whatever the locale.

Templates reach these through the filters in `templatetags/ix.py`; domain code (messages,
the PDF name, the create checks) imports them from here.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from invoices.invoicexpress.sequences import CodeStatus

CURRENCY_SYMBOLS = {"Euro": "€", "EUR": "€", "USD": "US$", "GBP": "£"}

_PT_SEPARATORS = str.maketrans({",": ".", ".": ","})


def pt_number(value: Any, places: int | str = 2) -> str:
    """1234.5 -> "1.234,50" (dot thousands, comma decimals, half-up)."""
    if value is None or value == "":
        return ""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        places = int(places)
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{number:,.{places}f}".translate(_PT_SEPARATORS)


def pt_quantity(value: Any) -> str:
    """A quantity with as many decimals as it has: 15 -> "15", 1.5 -> "1,5"."""
    if value is None:
        return ""
    number = Decimal(value)
    exponent = number.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return pt_number(number, places=places)


def pt_money(value: Any, currency: str = "Euro") -> str:
    """1234.5 -> "1.234,50 €"."""
    if value is None or value == "":
        return ""
    symbol = CURRENCY_SYMBOLS.get(currency or "Euro", currency)
    return f"{pt_number(value)}\u00a0{symbol}"


def pt_percent(value: Any) -> str:
    """23 -> "23 %"; 11.5 -> "11,5 %"."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value)).normalize()
    exponent = number.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return f"{pt_number(number, places)}\u00a0%"


def pt_date(value: Any) -> str:
    """A date as dd/mm/yyyy; a datetime as dd/mm/yyyy hh:mm (as given: localize it first)."""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


# A document's status from the API: (Bootstrap colour, words).
STATUS_BADGES: dict[str, tuple[str, Promise]] = {
    "draft": ("secondary", _("Draft")),
    "sent": ("info", _("Sent")),
    "final": ("primary", _("Final")),
    "settled": ("success", _("Settled")),
    "canceled": ("danger", _("Canceled")),
    "second_copy": ("dark", _("Second copy")),
    # Estimates only.
    "accepted": ("success", _("Accepted")),
    "refused": ("warning", _("Refused")),
}


def status_badge(status: str) -> tuple[str, str | Promise]:
    """(colour, words) for a status; an unknown one keeps the API's word, in light grey."""
    return STATUS_BADGES.get(status, ("light", status))


def status_colour(status: str) -> str:
    return status_badge(status)[0]


def status_label(status: str) -> str | Promise:
    return status_badge(status)[1]


# The units a line may have (the API's words) and how the page says them.
UNIT_CHOICES = (
    ("unit", _("Unit")),
    ("service", _("Service")),
    ("hour", _("Hour")),
    ("day", _("Day")),
    ("month", _("Month")),
    ("other", _("Other")),
)
UNIT_LABELS = dict(UNIT_CHOICES)


def unit_label(unit: str) -> str | Promise:
    """The API's unit word ("hour") in the page's language; an unknown one as sent."""
    return UNIT_LABELS.get(unit, unit)


def code_status(validation_code: str) -> str:
    """A validation code / ATCUD state: registered, N/D (not registered) or N/A."""
    code = (validation_code or "").strip().upper()
    if code.startswith("N/D"):
        return CodeStatus.NOT_REGISTERED
    if code.startswith("N/A") or not code:
        return CodeStatus.NOT_APPLICABLE
    return CodeStatus.REGISTERED


ATCUD_MEANINGS = {
    CodeStatus.NOT_REGISTERED: _(
        "Series relevant for ATCUD but not registered with the Tax Authority"
    ),
    CodeStatus.NOT_APPLICABLE: _("Series not relevant for ATCUD"),
}


def atcud_meaning(atcud: str) -> str | Promise:
    """Words for an ATCUD of N/D or N/A; "" for a real one."""
    return ATCUD_MEANINGS.get(code_status(atcud), "") if atcud else ""
