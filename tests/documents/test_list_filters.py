"""The document list's filters: each reaches InvoiceXpress as the API expects; bad values stop at the form."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from invoices.documents.forms import DocumentFilterForm
from tests.documents.helpers import make_document, numbers_in

URL = "/c/acme/documents/"
HTMX = {"HX-Request": "true"}


# ---- filters reach InvoiceXpress as the API expects ----------------------------------------


def test_every_filter_reaches_invoicexpress_in_its_own_spelling(client, live_company, upstream):
    client.force_login(live_company.viewer)
    response = client.get(
        URL,
        {
            "text": "padaria",
            "type": ["Invoice", "CreditNote"],
            "status": ["final", "settled"],
            "date_from": "01/01/2025",
            "date_to": "31/01/2025",
            "due_date_from": "01/02/2025",
            "due_date_to": "28/02/2025",
            "total_from": "100",
            "total_to": "1.234,5",
            "archived": "non_archived",
            "reference": "PO-7",
            "per_page": "20",
            "page": "2",
        },
    )

    assert response.status_code == 200
    [call] = upstream
    assert call.method == "GET" and call.path == "/sandbox/acme/invoices.json"
    assert call.params == [
        ("text", "padaria"),
        ("type[]", "Invoice"),
        ("type[]", "CreditNote"),
        ("status[]", "final"),
        ("status[]", "settled"),
        ("date[from]", "01/01/2025"),
        ("date[to]", "31/01/2025"),
        ("due_date[from]", "01/02/2025"),
        ("due_date[to]", "28/02/2025"),
        ("total_before_taxes[from]", "100.00"),
        ("total_before_taxes[to]", "1234.50"),
        ("archived", "false"),
        ("non_archived", "true"),
        ("reference", "PO-7"),
        ("page", "2"),
        ("per_page", "20"),
    ]


def test_with_no_filters_it_asks_for_the_first_page_of_thirty(client, live_company, upstream):
    client.force_login(live_company.viewer)
    client.get(URL)
    [call] = upstream
    assert call.params == [("page", "1"), ("per_page", "30")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"text": "Padaria"}, ["FT 2025/1"]),
        ({"type": "CreditNote"}, ["NC 2025/1"]),
        ({"type": ["CreditNote", "InvoiceReceipt"]}, ["FR 2025/1", "NC 2025/1"]),
        ({"status": "settled"}, ["FR 2025/1"]),
        ({"status": ["draft", "canceled"]}, ["Draft", "FT 2025/3"]),
        ({"date_from": "01/02/2025"}, ["Draft", "FR 2025/1", "NC 2025/1"]),
        ({"date_to": "31/01/2025"}, ["FT 2025/3", "FT 2025/2", "FT 2025/1"]),
        ({"due_date_from": "01/04/2025", "due_date_to": "30/04/2025"}, ["FR 2025/1"]),
        ({"total_from": "500"}, ["FT 2025/2"]),
        ({"total_to": "50,00"}, ["NC 2025/1"]),
        ({"archived": "archived"}, ["FT 2025/3"]),
        (
            {"archived": "non_archived"},
            ["Draft", "FR 2025/1", "NC 2025/1", "FT 2025/2", "FT 2025/1"],
        ),
        ({"reference": "PO-77"}, ["FT 2025/2"]),
    ],
)
def test_each_filter_narrows_the_list_at_invoicexpress(client, live_company, query, expected):
    sandbox = live_company.sandbox
    jan = dt.date(2025, 1, 10)
    make_document(sandbox, number=1, date=jan, client_name="Padaria Lusitana")
    make_document(sandbox, number=2, date=jan, before_taxes="900", reference="PO-77")
    make_document(sandbox, number=3, date=jan, status="canceled", archived=True)
    make_document(
        sandbox, doc_type="CreditNote", number=1, date=dt.date(2025, 2, 3), before_taxes="40"
    )
    make_document(
        sandbox,
        doc_type="InvoiceReceipt",
        status="settled",
        number=1,
        date=dt.date(2025, 3, 5),
        due_date=dt.date(2025, 4, 4),
    )
    draft_day = dt.date(2025, 3, 20)
    make_document(sandbox, status="draft", number=None, date=draft_day, due_date=draft_day)
    client.force_login(live_company.viewer)

    response = client.get(URL, query)

    assert response.status_code == 200
    assert numbers_in(response) == expected


# ---- bad filter values: an inline message and no upstream call ------------------------------


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"date_from": "2025-13-31"}, "date_from", "Enter a date as dd/mm/yyyy"),
        ({"date_to": "31/02/2025"}, "date_to", "Enter a date as dd/mm/yyyy"),
        ({"due_date_from": "yesterday"}, "due_date_from", "Enter a date as dd/mm/yyyy"),
        (
            {"due_date_from": "02/02/2025", "due_date_to": "01/02/2025"},
            "due_date_to",
            "must not be before",
        ),
        ({"date_from": "02/02/2025", "date_to": "01/02/2025"}, "date_to", "must not be before"),
        ({"total_from": "abc"}, "total_from", "Enter a number."),
        ({"total_from": "-5"}, "total_from", "greater than or equal to 0"),
        ({"total_to": "1,234"}, "total_to", "no more than 2 decimal places"),
        ({"total_from": "300", "total_to": "200"}, "total_to", "must not be before"),
        ({"type": "Quote"}, "type", "Select a valid choice."),
        ({"status": "deleted"}, "status", "Select a valid choice."),
        ({"per_page": "1000"}, "per_page", "Select a valid choice."),
        ({"archived": "maybe"}, "archived", "Select a valid choice."),
        ({"text": "x" * 201}, "text", "at most 200 characters"),
    ],
)
def test_a_bad_filter_gets_an_inline_message_and_no_upstream_call(
    client, cast, upstream, query, field, message
):
    client.force_login(cast.viewer)

    page = client.get(URL, query)
    fragment = client.get(URL, query, headers=HTMX)

    assert page.status_code == fragment.status_code == 200
    page_html = page.content.decode()
    assert re.search(
        rf'id="filter-error-{field}" class="invalid-feedback d-block">[^<]*{re.escape(message)}',
        page_html,
    )
    assert "nothing was searched" in page_html
    fragment_html = fragment.content.decode()
    assert "nothing was searched" in fragment_html
    # The field's message lands beside the field, out of band, without re-rendering the form.
    assert re.search(
        rf'<div id="filter-error-{field}" class="invalid-feedback d-block" hx-swap-oob="true">[^<]*{re.escape(message)}',
        fragment_html,
    )
    assert upstream == []


@pytest.mark.parametrize("page", ["0", "abc", "-1", "9999999"])
def test_a_bad_page_number_gets_a_message_and_no_upstream_call(client, cast, upstream, page):
    client.force_login(cast.viewer)
    response = client.get(URL, {"page": page}, headers=HTMX)
    assert response.status_code == 200
    assert "Page:" in response.content.decode()
    assert upstream == []


def test_the_form_keeps_what_was_typed(client, cast):
    client.force_login(cast.viewer)
    html = client.get(
        URL, {"date_from": "31/02/2025", "total_to": "12,5", "type": "Receipt"}
    ).content.decode()
    assert 'value="31/02/2025"' in html
    assert 'value="12,5"' in html
    assert re.search(r'value="Receipt" id="[^"]+" checked', html)


def test_dates_and_amounts_are_parsed_the_portuguese_way():
    form = DocumentFilterForm(_query(date_from="05/03/2025", total_from="1.234,56"))
    assert form.is_valid(), form.errors
    filters = form.upstream_filters()
    assert filters["date_from"] == dt.date(2025, 3, 5)
    assert str(filters["total_before_taxes_from"]) == "1234.56"


def _query(**values):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query.update(values)
    return query


# ---- a number typed as the list shows it -----------------------------------------------------


def test_a_number_typed_as_shown_is_sent_as_its_number_and_type(client, live_company, upstream):
    client.force_login(live_company.viewer)
    response = client.get(URL, {"text": "FT 2026/33"})

    assert response.status_code == 200
    [call] = upstream
    assert ("text", "2026/33") in call.params
    assert [value for key, value in call.params if key == "type[]"] == [
        "Invoice",
        "VatMossInvoice",
    ]
    assert 'value="FT 2026/33"' in response.content.decode()  # the box keeps what was typed


def test_a_number_typed_as_shown_finds_only_that_document(client, live_company):
    sandbox = live_company.sandbox
    for doc_type in ("Invoice", "InvoiceReceipt", "SimplifiedInvoice"):
        make_document(sandbox, doc_type=doc_type, serie="2026", number=33)
    make_document(sandbox, serie="2026", number=34)
    client.force_login(live_company.viewer)

    assert numbers_in(client.get(URL, {"text": "ft 2026/33"})) == ["FT 2026/33"]
    assert numbers_in(client.get(URL, {"text": "FS  2026/33"})) == ["FS 2026/33"]


@pytest.mark.parametrize(
    ("text", "chosen", "expected"),
    [
        ("FT 2026/33", [], ("2026/33", ["Invoice", "VatMossInvoice"])),
        ("rg A/7", [], ("A/7", ["Receipt", "VatMossReceipt"])),
        ("NC 2026/1", [], ("2026/1", ["CreditNote", "VatMossCreditNote"])),
        ("VD 2026/1", [], ("2026/1", ["CashInvoice"])),
        ("FT 2026/33", ["Invoice", "CreditNote"], ("2026/33", ["Invoice"])),
        # None of the chosen types carries the code: the search stays as typed.
        ("FT 2026/33", ["CreditNote"], ("FT 2026/33", ["CreditNote"])),
        # Not a number: an unknown code, or no digit after a known one.
        ("XY 2026/33", [], ("XY 2026/33", [])),
        ("NC Software", [], ("NC Software", [])),
        ("2026/33", [], ("2026/33", [])),
    ],
)
def test_only_a_known_code_then_a_number_becomes_a_type_filter(text, chosen, expected):
    query = _query(text=text)
    query.setlist("type", chosen)
    form = DocumentFilterForm(query)
    assert form.is_valid(), form.errors
    filters = form.upstream_filters()
    assert (filters["text"], filters["types"]) == expected


@pytest.mark.parametrize("typed", ["01/01/0025", "31/12/1989", "01/01/2100"])
def test_a_date_filter_with_an_implausible_year_is_refused_before_any_call(typed):
    from invoices.documents.forms import DocumentFilterForm

    form = DocumentFilterForm({"date_from": typed})
    assert not form.is_valid()
    assert "year between 1990 and 2099" in str(form.errors["date_from"])


# ---- the folded "More filters" panel ---------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "active"),
    [
        ({}, 0),
        ({"text": "padaria", "per_page": "100", "page": "2"}, 0),
        ({"status": ["final", "settled"]}, 1),
        ({"date_from": "01/01/2025", "reference": "PO-7", "archived": "archived"}, 3),
        ({"date_from": "32/01/2025"}, 1),  # refused: open, so its message is in sight
        ({"date_from": "", "reference": ""}, 0),
    ],
)
def test_the_panel_counts_the_filters_in_use_beyond_the_search_box(query, active):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for key, value in query.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    form = DocumentFilterForm(data)
    form.is_valid()
    assert form.more_filters_active() == active


def test_the_panel_is_folded_unless_a_filter_in_it_is_used(client, cast):
    client.force_login(cast.viewer)
    folded = client.get(URL, {"text": "padaria"}).content.decode()
    assert '<details id="more-filters">' in folded
    opened = client.get(URL, {"status": "final"}).content.decode()
    assert '<details id="more-filters" open>' in opened
    assert "1 in use" in opened
