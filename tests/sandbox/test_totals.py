"""Document arithmetic: Decimal, half-up to cents per line, as the service computes it."""

from decimal import Decimal

import pytest

from sandbox.models import SandboxDocument
from sandbox.serializers import decimal_text
from sandbox.testing import api_fixture, sandbox_account_fixture  # noqa: F401
from sandbox.totals import document_totals, line_totals, retention_amount

D = Decimal


def test_it_computes_the_recorded_invoice():
    line = line_totals(D("1.0"), D("10.0"), D("0"), D("23"))
    assert line.subtotal == D("10.00") and line.tax_amount == D("2.30") and line.total == D("12.30")
    totals = document_totals([line])
    assert (totals.sum, totals.discount, totals.before_taxes, totals.taxes, totals.total) == (
        D("10.00"), D("0.00"), D("10.00"), D("2.30"), D("12.30")
    )  # fmt: skip


def test_it_computes_the_documented_example_with_four_decimal_prices():
    # documents-get.txt: unit_price "24.3902" at IVA23 -> subtotal 24.39, tax 5.61, total 30
    line = line_totals(D("1"), D("24.3902"), D("0"), D("23"))
    assert (line.subtotal, line.tax_amount, line.total) == (D("24.39"), D("5.61"), D("30.00"))


def test_it_rounds_half_up_at_each_step():
    # 3 x 0.335 = 1.005 -> 1.01; 5 % discount 0.0505 -> 0.05; tax 23 % of 0.96 = 0.2208 -> 0.22
    line = line_totals(D("3"), D("0.335"), D("5"), D("23"))
    assert (line.subtotal, line.discount_amount, line.tax_amount, line.total) == (
        D("1.01"), D("0.05"), D("0.22"), D("1.18")
    )  # fmt: skip
    # 0.125 -> 0.13 (half-up, not banker's rounding to 0.12)
    assert line_totals(D("1"), D("0.125"), D("0"), D("0")).subtotal == D("0.13")


def test_it_adds_up_rounded_lines_into_the_document_totals():
    lines = [
        line_totals(D("2"), D("12.50"), D("10"), D("23")),  # 25.00 - 2.50 = 22.50, tax 5.18 (5.175)
        line_totals(D("10"), D("1.80"), D("0"), D("6")),  # 18.00, tax 1.08
        line_totals(D("1"), D("450"), D("0"), D("0")),  # 450.00, no tax
    ]
    totals = document_totals(lines)
    assert totals.sum == D("493.00")
    assert totals.discount == D("2.50")
    assert totals.before_taxes == D("490.50")
    assert totals.taxes == D("6.26")
    assert totals.total == D("496.76")


def test_it_withholds_retention_without_changing_the_total():
    assert retention_amount(D("1000.00"), D("23")) == D("230.00")
    assert retention_amount(D("333.33"), D("11.5")) == D("38.33")
    assert retention_amount(D("100"), None) == D("0")


def test_it_writes_decimals_the_ruby_way():
    assert decimal_text(D("10.000000")) == "10.0"
    assert decimal_text(D("24.390200")) == "24.3902"
    assert decimal_text(D("1.5000")) == "1.5"
    assert decimal_text(D("100")) == "100.0"


@pytest.mark.django_db
def test_it_serves_the_totals_of_a_mixed_document(api):
    document = api.create(
        retention="23",
        tax_exemption="M07",
        items=[
            {"name": "Consulting", "unit_price": "12.50", "quantity": "2", "discount": "10"},
            {"name": "Bread", "unit_price": "1.80", "quantity": "10", "tax": {"name": "IVA6"}},
            {"name": "Training", "unit_price": "450", "quantity": "1", "tax": {"name": "Isento"}},
        ],
    )
    assert (document["sum"], document["discount"], document["before_taxes"]) == (493.0, 2.5, 490.5)
    assert (document["taxes"], document["total"]) == (6.26, 496.76)
    assert document["retention"] == "23.0"
    first = document["items"][0]
    assert (first["subtotal"], first["discount_amount"], first["tax_amount"], first["total"]) == (
        25.0, 2.5, 5.18, 27.68
    )  # fmt: skip
    stored = SandboxDocument.objects.get(pk=document["id"])
    assert stored.total == D("496.76") and isinstance(stored.total, Decimal)
