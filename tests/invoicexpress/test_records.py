"""Parsing what InvoiceXpress answers: dates, Decimal numbers, withholding, links, overdue."""

import datetime as dt
from decimal import Decimal

import pytest

from invoices.invoicexpress.client import _Answer
from invoices.invoicexpress.records import Document, format_date


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
    from invoices.invoicexpress.records import to_date

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
