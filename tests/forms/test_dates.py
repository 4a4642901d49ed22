"""One date parser for the list filters and the create form: the ways people type dates."""

import datetime as dt

import pytest

from invoices.create.forms import DocumentForm
from invoices.documents.forms import DocumentFilterForm
from invoices.forms import PtDateField, parse_typed_date

OCTOBER_1ST = dt.date(2026, 10, 1)


@pytest.mark.parametrize(
    "typed",
    ["01/10/2026", "1/10/26", "01-10-2026", "01.10.2026", "2026-10-01", " 1/10/2026 ", "1-10-26"],
)
def test_it_reads_each_way_of_typing_a_date(typed):
    assert parse_typed_date(typed) == OCTOBER_1ST


@pytest.mark.parametrize(
    "typed", ["31/02/2026", "2026-13-01", "10/2026", "yesterday", "01/10/026", "", "1/1/1"]
)
def test_it_refuses_what_is_not_a_date(typed):
    assert parse_typed_date(typed) is None


def test_the_filters_and_the_create_form_read_dates_alike():
    for typed in ["01-10-2026", "1/10/26", "2026-10-01"]:
        filters = DocumentFilterForm({"date_from": typed})
        assert filters.is_valid(), filters.errors
        assert filters.cleaned_data["date_from"] == OCTOBER_1ST
        assert DocumentForm.base_fields["date"].clean(typed) == OCTOBER_1ST


def test_a_refused_date_says_which_forms_are_accepted():
    with pytest.raises(Exception, match=r"dd/mm/yyyy \(or d/m/yy, or yyyy-mm-dd\)"):
        PtDateField().clean("31/02/2026")


def test_the_field_shows_a_date_the_portuguese_way_with_a_calendar_hook():
    html = PtDateField().widget.render("date", OCTOBER_1ST)
    assert 'value="01/10/2026"' in html and "data-datepicker" in html
