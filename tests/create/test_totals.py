"""The create form's estimate: Decimal, half-up to cents per line, like the service."""

from decimal import Decimal as D

from invoices.create.lines import ItemForm
from invoices.create.totals import LineInput, estimate, estimate_line
from invoices.invoicexpress.records import Tax
from sandbox.totals import document_totals, line_totals


def test_it_rounds_tax_half_up_to_cents_per_line():
    line = estimate_line(LineInput(quantity=D("1"), unit_price=D("0.50"), tax_rate=D("23")))
    assert line.tax_amount == D("0.12")  # 0.115 -> 0.12, not banker's 0.12/0.11
    line = estimate_line(LineInput(quantity=D("1"), unit_price=D("2.50"), tax_rate=D("13")))
    assert line.tax_amount == D("0.33")  # 0.325 -> 0.33


def test_it_applies_the_discount_before_the_tax():
    line = estimate_line(
        LineInput(quantity=D("2"), unit_price=D("50.5"), discount=D("10"), tax_rate=D("23"))
    )
    assert line.subtotal == D("101.00")
    assert line.discount_amount == D("10.10")
    assert line.before_taxes == D("90.90")
    assert line.tax_amount == D("20.91")  # 20.907
    assert line.total == D("111.81")


def test_it_adds_the_rounded_line_figures_and_groups_taxes_by_rate():
    result = estimate(
        [
            LineInput(D("1"), D("0.50"), tax_rate=D("23"), tax_name="IVA23"),
            LineInput(D("1"), D("0.50"), tax_rate=D("23"), tax_name="IVA23"),
            LineInput(D("3"), D("10"), discount=D("5"), tax_rate=D("6"), tax_name="IVA6"),
            LineInput(D("1"), D("7"), tax_rate=D("0"), tax_name="Isento"),
        ]
    )
    assert result.sum == D("38.00")
    assert result.discount == D("1.50")
    assert result.before_taxes == D("36.50")
    # per line: 0.12 + 0.12 (not 0.23 on 1.00 once), 28.50 x 6 % = 1.71, 0
    assert [(r.rate, r.names, r.base, r.amount) for r in result.taxes_by_rate] == [
        (D("23"), ("IVA23",), D("1.00"), D("0.24")),
        (D("6"), ("IVA6",), D("28.50"), D("1.71")),
        (D("0"), ("Isento",), D("7.00"), D("0.00")),
    ]
    assert result.taxes == D("1.95")
    assert result.total == D("38.45")
    assert result.has_zero_rate


def test_retention_comes_off_what_the_client_pays_not_the_total():
    result = estimate([LineInput(D("1"), D("1000"), tax_rate=D("23"))], retention=D("11.5"))
    assert result.total == D("1230.00")
    assert result.retention == D("115.00")
    assert result.payable == D("1115.00")
    assert estimate([LineInput(D("1"), D("10"), tax_rate=D("23"))]).retention == D("0.00")


def test_it_rounds_the_subtotal_of_fractional_quantities_and_prices():
    line = estimate_line(LineInput(quantity=D("0.333"), unit_price=D("3.333333"), tax_rate=D("23")))
    assert line.subtotal == D("1.11")  # 1.10999989
    assert line.tax_amount == D("0.26")  # 0.2553


def test_an_empty_form_estimates_zero():
    result = estimate([])
    assert (result.sum, result.taxes, result.total, result.payable) == (D("0"),) * 4
    assert result.taxes_by_rate == ()


def test_it_agrees_with_the_sandbox_arithmetic_on_awkward_lines():
    lines = [
        (D("3"), D("19.99"), D("12.5"), D("23")),
        (D("0.5"), D("0.01"), D("0"), D("6")),
        (D("7"), D("1.005"), D("33.33"), D("13")),
        (D("1"), D("99999.995"), D("0"), D("23")),
    ]
    ours = estimate(LineInput(q, p, d, t) for q, p, d, t in lines)
    theirs = document_totals([line_totals(q, p, d, t) for q, p, d, t in lines])
    assert (ours.sum, ours.discount, ours.before_taxes, ours.taxes, ours.total) == (
        theirs.sum,
        theirs.discount,
        theirs.before_taxes,
        theirs.taxes,
        theirs.total,
    )


def test_a_regional_tax_says_where_it_applies_in_the_line_choices():
    taxes = [
        Tax(id=1, name="IVA23", rate=D("23"), region="", is_default=True),
        Tax(id=2, name="IVA22", rate=D("22"), region="PT-MA", is_default=False),
        Tax(id=3, name="IVA16", rate=D("16"), region="PT-AC", is_default=False),
    ]
    choices = ItemForm(taxes=taxes).fields["tax"].choices
    assert [(value, str(label)) for value, label in choices] == [
        ("IVA23", "IVA23"),
        ("IVA22", "IVA22 (Madeira)"),
        ("IVA16", "IVA16 (Azores)"),
    ]
