"""The create form refuses what the service would refuse, before sending anything.

Every rule InvoiceXpress enforces on `POST /{type}.json`, checked on the form (header,
lines, and the rules that need both). Without the sandbox: acme's taxes and series are
given, and an invalid form never reaches upstream.
"""

import datetime as dt
import re
import uuid

import pytest

from invoices.models.submissions import Submission
from tests.create.helpers import HTMX, URL, form_data, serve_company_lists


@pytest.fixture(autouse=True)
def company_lists(monkeypatch):
    """Acme's taxes and series, as the shared cache would hold them."""
    yield from serve_company_lists(monkeypatch)


@pytest.fixture
def clerk(client, cast):
    client.force_login(cast.clerk)
    return client


def errors_of(response) -> str:
    return " ".join(
        re.findall(r'class="invalid-feedback d-block">([^<]*)<', response.content.decode())
    )


def assert_refused(response, *fragments: str) -> None:
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="form-errors"' in text
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not on the page: {errors_of(response)}"
    assert not Submission.objects.exists(), "an invalid form must never be sent"


# ---- every rule the service enforces, checked first ---------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date": "2026-13-45"}, "Enter a date as dd/mm/yyyy"),
        ({"date": ""}, "This field is required."),
        ({"due_date": "20/11/2026"}, "The due date cannot be before the document date."),
        ({"retention": "100"}, "Retention must be a number between 0 and 99.99"),
        ({"retention": "-1"}, "Retention must be a number between 0 and 99.99"),
        ({"retention": "12,345"}, "Retention must be a number between 0 and 99.99"),
        ({"client_name": "   "}, "The client&#x27;s name is required."),
        ({"client_name": "x" * 101}, "at most 100 characters (it has 101)"),
        ({"client_email": "maria@"}, "Enter a valid email address"),
        (
            {"client_country": "PT"},
            "Select a valid choice. PT is not one of the available choices.",
        ),
        ({"client_country": "Germani"}, "Germani is not one of the available choices."),
        ({"client_fiscal_id": "123456788"}, "This is not a valid Portuguese NIF"),
        ({"client_fiscal_id": "12345"}, "This is not a valid Portuguese NIF"),
        ({"sequence": "999"}, "Select a valid choice."),
        ({"doc_type": "receipts"}, "Select a valid choice."),
        ({"doc_type": "credit_notes"}, "A credit note corrects an issued invoice"),
        (
            {"doc_type": "credit_notes", "sequence": "7"},
            "Series OLD cannot issue this document type.",
        ),
    ],
)
def test_it_refuses_a_bad_header(clerk, changes, message):
    assert_refused(clerk.post(URL, form_data(**changes)), message)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"name": ""}, "Name the item."),
        ({"quantity": "0"}, "The quantity must be greater than 0."),
        ({"quantity": "-2"}, "The quantity must be greater than 0."),
        ({"quantity": "abc"}, "Enter a number."),
        ({"unit_price": "-0.01"}, "The unit price cannot be negative."),
        ({"unit_price": ""}, "Give a unit price (0 is fine)."),
        ({"discount": "100.01"}, "The discount is a percentage between 0 and 100."),
        ({"discount": "-5"}, "The discount is a percentage between 0 and 100."),
        ({"unit": "kg"}, "Select a valid choice. kg is not one of the available choices."),
        ({"tax": "IVA20"}, "Select a valid choice. IVA20 is not one of the available choices."),
    ],
)
def test_it_refuses_a_bad_line(clerk, line, message):
    data = form_data(items=[{"name": "Consulting", **line}])
    assert_refused(clerk.post(URL, data), message)


NOT_NUMBERS = [
    "NaN",
    "nan",
    "-nan",
    "sNaN",
    "-sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "-inf",
    "+Inf",
    "1e999999",
    "-1e999999",
    "1e-999999",
    "sNaN,5",
    "Infinity,0",
]


@pytest.mark.parametrize("field", ["quantity", "unit_price", "discount"])
@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_a_line_refuses_nan_and_infinity_as_a_field_error(clerk, field, value):
    # sNaN used to raise InvalidOperation in Field.has_changed (a 500 on the formset).
    data = form_data(items=[{"name": "Consulting", field: value}])
    response = clerk.post(URL, data, headers=HTMX)
    assert response.status_code == 200
    assert not Submission.objects.exists()
    assert re.search(
        rf'name="items-0-{field}"[^>]*is-invalid|is-invalid[^>]*name="items-0-{field}"',
        response.content.decode(),
    )


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_retention_refuses_nan_and_infinity(clerk, value):
    assert_refused(clerk.post(URL, form_data(retention=value)), "Retention must be a number")


def test_it_needs_at_least_one_line(clerk):
    data = form_data(items=[{"name": "", "unit_price": "", "unit": "unit"}])
    assert_refused(clerk.post(URL, data), "Add at least one line.")


def test_a_zero_percent_line_needs_an_exemption_reason(clerk):
    data = form_data(items=[{"name": "Book", "tax": "Isento"}])
    assert_refused(clerk.post(URL, data), "A line is at 0 % tax: choose the exemption reason")


def test_m26_is_refused_for_a_document_outside_its_period(clerk):
    data = form_data(items=[{"name": "Pão", "tax": "Isento"}], tax_exemption="M26")
    assert_refused(
        clerk.post(URL, data),
        "M26 (Isenção de IVA com direito à dedução no cabaz alimentar) applies only from "
        "18/04/2023 to 04/01/2024; this document is dated 21/11/2026.",
    )


def test_m26_is_offered_with_its_period(clerk):
    html = clerk.get(URL).content.decode()
    assert (
        "M26 · Isenção de IVA com direito à dedução no cabaz alimentar (18/04/2023–04/01/2024)"
        in html
    )


def test_an_unknown_exemption_code_is_refused(clerk):
    data = form_data(items=[{"name": "Book", "tax": "Isento"}], tax_exemption="M03")
    assert_refused(clerk.post(URL, data), "M03 is not one of the available choices")


def test_a_simplified_invoice_asks_which_case_applies(clerk):
    data = form_data(
        doc_type="simplified_invoices", items=[{"name": "Pen", "unit": "unit", "unit_price": "5"}]
    )
    response = clerk.post(URL, data)
    assert_refused(response, "Say which case applies: its limit is 1.000 € or 100 €.")
    assert "up to 1.000 € for retail sales of goods to final consumers, and up to 100 €" in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("case", "unit", "price", "limit"),
    [
        ("other", "service", "81.31", "100"),  # 100,01 €
        ("other", "unit", "81.31", "100"),  # catering sold as units is still not retail
        ("retail_goods", "unit", "813.02", "1.000"),  # 1.000,01 €
    ],
)
def test_a_simplified_invoice_above_its_cases_limit_is_refused(clerk, case, unit, price, limit):
    data = form_data(
        doc_type="simplified_invoices", simplified_case=case, client_fiscal_id="999999990",
        items=[{"name": "Thing", "unit": unit, "unit_price": price}],
    )  # fmt: skip
    assert_refused(clerk.post(URL, data), f"may not exceed {limit} €")


def test_the_150_euro_catering_service_cannot_pass_as_retail(clerk):
    data = form_data(
        doc_type="simplified_invoices", simplified_case="retail_goods", client_fiscal_id="",
        items=[{"name": "Catering", "unit": "service", "unit_price": "121.95"}],
    )  # fmt: skip
    assert_refused(clerk.post(URL, data), "“Catering” is a service (its unit)")


def test_a_form_without_a_token_is_renewed_not_sent(clerk):
    data = form_data(token="not-a-uuid")
    response = clerk.post(URL, data)
    html = response.content.decode()
    assert "This form had expired" in html
    new_token = re.search(r'name="token" value="([^"]+)"', html)[1]
    assert uuid.UUID(new_token)
    assert 'value="Maria Silva"' in html
    assert not Submission.objects.exists()


def test_an_invalid_form_keeps_every_input(clerk):
    data = form_data(
        client_email="nope",
        observations="Obrigado",
        items=[
            {"name": "A", "description": "first", "unit_price": "1,5"},
            {"name": "B", "quantity": "0"},
        ],
    )
    html = clerk.post(URL, data, headers=HTMX).content.decode()
    for value in (
        "Maria Silva",
        "nope",
        "Rua A, 1",
        "1000-001",
        "PO-1",
        "first",
        "1,5",
        'value="B"',
    ):
        assert value in html
    assert "Obrigado</textarea>" in html
    assert data["token"] in html  # nothing was sent: the same token stays


def test_the_create_form_refuses_an_implausible_year():
    from invoices.create.forms import _date_field

    field = _date_field("Date")
    with pytest.raises(Exception, match="year between"):
        field.clean("01/01/0025")
    assert field.clean("05/11/2026") == dt.date(2026, 11, 5)
