"""Template filters that show money and dates the Portuguese way, whatever the locale."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext_lazy as _

from invoices.invoicexpress.sequences import CodeStatus

register = template.Library()

CURRENCY_SYMBOLS = {"Euro": "€", "EUR": "€", "USD": "US$", "GBP": "£"}


_PT_SEPARATORS = str.maketrans({",": ".", ".": ","})


@register.filter
def pt_number(value, places: int = 2) -> str:
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


@register.filter
def pt_money(value, currency: str = "Euro") -> str:
    """1234.5 -> "1.234,50 €"."""
    if value is None or value == "":
        return ""
    symbol = CURRENCY_SYMBOLS.get(currency or "Euro", currency)
    return f"{pt_number(value)}\u00a0{symbol}"


@register.filter
def pt_quantity(value) -> str:
    """A quantity with as many decimals as it has: 15 -> "15", 1.5 -> "1,5"."""
    if value is None:
        return ""
    value = Decimal(value)
    return pt_number(value, places=max(0, -value.normalize().as_tuple().exponent))


@register.filter
def pt_percent(value) -> str:
    """23 -> "23 %"; 11.5 -> "11,5 %"."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value)).normalize()
    places = max(0, -number.as_tuple().exponent)
    return f"{pt_number(number, places)}\u00a0%"


@register.filter(expects_localtime=True)
def pt_date(value) -> str:
    """A date as dd/mm/yyyy."""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


STATUS_BADGES = {
    "draft": ("secondary", _("Draft")),
    "sent": ("info", _("Sent")),
    "final": ("primary", _("Final")),
    "settled": ("success", _("Settled")),
    "canceled": ("danger", _("Canceled")),
    "second_copy": ("dark", _("Second copy")),
}


@register.filter
def status_colour(status: str) -> str:
    return STATUS_BADGES.get(status, ("light", status))[0]


@register.filter
def status_label(status: str) -> str:
    return STATUS_BADGES.get(status, ("light", status))[1]


@register.inclusion_tag("invoices/_status_badge.html")
def status_badge(status: str):
    colour, label = STATUS_BADGES.get(status, ("light", status))
    return {"colour": colour, "label": label, "status": status}


ATCUD_MEANINGS = {
    CodeStatus.NOT_REGISTERED: _(
        "Series relevant for ATCUD but not registered with the Tax Authority"
    ),
    CodeStatus.NOT_APPLICABLE: _("Series not relevant for ATCUD"),
}


@register.filter
def atcud_meaning(atcud: str) -> str:
    """Words for an ATCUD of N/D or N/A; "" for a real one."""
    return ATCUD_MEANINGS.get(code_status(atcud), "") if atcud else ""


@register.filter
def is_overdue_on(document, today) -> bool:
    return document.is_overdue(today)


@register.filter
def code_status(validation_code: str) -> str:
    """A validation code / ATCUD state in words: registered, N/D, N/A."""
    code = (validation_code or "").strip().upper()
    if code.startswith("N/D"):
        return CodeStatus.NOT_REGISTERED
    if code.startswith("N/A") or not code:
        return CodeStatus.NOT_APPLICABLE
    return CodeStatus.REGISTERED
