"""Numbers, money, dates and words the Portuguese way, as pages and messages show them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from invoices.formatting import (
    atcud_meaning,
    code_status,
    pt_date,
    pt_money,
    pt_number,
    pt_percent,
    status_colour,
    status_label,
    unit_label,
)


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (Decimal("1234.5"), 2, "1.234,50"),
        (Decimal("0.005"), 2, "0,01"),  # half-up, not banker's rounding
        (Decimal("-1234567.891"), 2, "-1.234.567,89"),
        (1234, 0, "1.234"),
        ("12.3456", "4", "12,3456"),
        (None, 2, ""),
        ("not a number", 2, "not a number"),
    ],
)
def test_numbers_have_dot_thousands_and_a_decimal_comma(value, places, shown):
    assert pt_number(value, places) == shown


def test_money_puts_the_symbol_after_a_non_breaking_space():
    assert pt_money(Decimal("1518.44")) == "1.518,44\u00a0€"
    assert pt_money(Decimal("10"), "USD") == "10,00\u00a0US$"
    assert pt_money(Decimal("10"), "CHF") == "10,00\u00a0CHF"
    assert pt_money(None) == ""


def test_percentages_keep_only_the_places_they_have():
    assert pt_percent(Decimal("23")) == "23\u00a0%"
    assert pt_percent(Decimal("11.50")) == "11,5\u00a0%"


def test_dates_are_day_month_year():
    assert pt_date(dt.date(2026, 3, 5)) == "05/03/2026"
    assert pt_date(dt.datetime(2026, 3, 5, 9, 7)) == "05/03/2026 09:07"
    assert pt_date(None) == ""


def test_status_and_unit_words_follow_the_language_and_keep_unknown_words():
    with translation.override("pt-pt"):
        assert str(status_label("settled")) == "Liquidado"
        assert str(unit_label("hour")) == "Hora"
    assert (status_colour("draft"), status_label("mystery")) == ("secondary", "mystery")
    assert status_colour("mystery") == "light"
    assert unit_label("kg") == "kg"


def test_atcud_states_and_their_words():
    assert code_status("ABCD1234-7") == "registered"
    assert code_status("N/D-3") == "not_registered"
    assert code_status("") == "not_applicable"
    assert atcud_meaning("ABCD1234-7") == ""
    assert "not registered" in str(atcud_meaning("N/D"))


def test_the_template_filters_are_the_same_functions():
    template = Template(
        "{% load ix %}{{ n|pt_number }}|{{ n|pt_money:'EUR' }}|{{ d|pt_date }}|{{ s|status_label }}"
    )
    context = Context({"n": Decimal("1234.5"), "d": dt.date(2026, 1, 2), "s": "draft"})
    assert template.render(context) == "1.234,50|1.234,50\u00a0€|02/01/2026|Draft"
