"""Regressions found in review: each test failed before its fix."""

import datetime as dt
from decimal import Decimal

import pytest

from invoices.invoicexpress import _Answer
from invoices.ix_records import Document, format_date


def _document(**fields):
    data = {"id": 1, "type": "Invoice", "status": "final", **fields}
    return Document.from_api(data)


def test_the_withholding_rounds_half_up_like_the_estimate():
    doc = _document(before_taxes=100.50, total=123.62, retention="25")
    # 25 % of 100,50 is 25,125: half-up withholds 25,13 (half-even would say 25,12)
    assert doc.total_payable == Decimal("123.62") - Decimal("25.13")


def test_dates_for_the_api_always_have_four_digit_years():
    assert format_date(dt.date(25, 1, 1)) == "01/01/0025"
    assert format_date(dt.date(2026, 11, 5)) == "05/11/2026"


def test_json_numbers_become_decimal_without_passing_through_float():
    data = _Answer(200, '{"total": 0.1, "n": 3}', "application/json").json()
    assert data == {"total": Decimal("0.1"), "n": 3}
    assert isinstance(data["total"], Decimal)


@pytest.mark.parametrize(
    ("permalink", "shown"),
    [
        (
            "https://www.app.invoicexpress.com/documents/abc",
            "https://www.app.invoicexpress.com/documents/abc",
        ),
        ("javascript:alert(1)", ""),
        ("http://plain.example/doc", ""),
        ("", ""),
    ],
)
def test_only_an_https_permalink_is_linked(permalink, shown):
    assert _document(permalink=permalink).safe_permalink == shown


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/c/acme/documents/invoices/99999999999999999999999/",
        "/c/acme/documents/invoices/99999999999999999999999/pdf/?copy=0",
        "/c/acme/documents/invoices/99999999999999999999999/pdf/download/",
        "/c/acme/sequences/99999999999999999999999/register/",
    ],
)
def test_an_id_too_long_for_any_record_is_a_404_not_a_500(client, cast, path):
    client.force_login(cast.manager)
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_the_csv_link_is_a_plain_link_so_a_refusal_shows_its_message(client, cast, monkeypatch):
    from invoices.ix_records import DocumentPage

    page = DocumentPage(
        documents=(_document(),), total_entries=1, total_pages=1, current_page=1, per_page=30
    )
    monkeypatch.setattr(
        "invoices.invoicexpress.InvoiceXpressClient.list_documents", lambda self, **kw: page
    )
    client.force_login(cast.viewer)
    html = client.get("/c/acme/documents/").content.decode()
    export_link = html.split('id="document-export"', 1)[1].split(">", 1)[0]
    assert " download" not in export_link


@pytest.mark.parametrize("typed", ["01/01/0025", "31/12/1989", "01/01/2100"])
def test_a_date_filter_with_an_implausible_year_is_refused_before_any_call(typed):
    from invoices.forms_documents import DocumentFilterForm

    form = DocumentFilterForm({"date_from": typed})
    assert not form.is_valid()
    assert "year between 1990 and 2099" in str(form.errors["date_from"])


def test_the_create_form_refuses_an_implausible_year():
    from invoices.forms_create import _date_field

    field = _date_field("Date")
    with pytest.raises(Exception, match="year between"):
        field.clean("01/01/0025")
    assert field.clean("05/11/2026") == dt.date(2026, 11, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("27/06/2017", dt.date(2017, 6, 27)),
        (" 1/2/2026 ", dt.date(2026, 2, 1)),
        ("31/02/2026", None),
        ("2026-01-01", None),
        ("27/06/17", None),
        ("٠١/٠١/٢٠٢٦", None),
        ("", None),
        (None, None),
    ],
)
def test_api_dates_parse_strictly_as_dd_mm_yyyy(text, expected):
    from invoices.ix_records import to_date

    assert to_date(text) == expected


@pytest.mark.parametrize(
    ("doc_type", "overdue"),
    [
        ("Invoice", True),
        ("DebitNote", True),
        ("VatMossInvoice", True),
        ("Receipt", False),
        ("CreditNote", False),
        ("InvoiceReceipt", False),
        ("SimplifiedInvoice", False),
    ],
)
def test_only_what_the_client_still_owes_can_be_overdue(doc_type, overdue):
    doc = _document(type=doc_type, status="final", due_date="01/10/2026")
    assert doc.is_overdue(dt.date(2026, 11, 21)) is overdue
    assert not _document(type=doc_type, status="settled", due_date="01/10/2026").is_overdue(
        dt.date(2026, 11, 21)
    )
