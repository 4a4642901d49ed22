"""Every create rule of invoices-create-xml-v1.txt and NOTES, with the service's messages."""

import pytest
import time_machine

from sandbox.models import SandboxDocument
from sandbox.testing import api_fixture, invoice_payload, sandbox_account_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def item(**overrides):
    return {"name": "Product A", "unit_price": "10.0", "quantity": "1.0", **overrides}


def rejected(api, path="invoices.json", **overrides):
    before = SandboxDocument.objects.count()
    response = api.post(path, {"invoice": invoice_payload(**overrides)})
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert all(set(error) == {"error"} for error in errors)
    assert SandboxDocument.objects.count() == before
    return [error["error"] for error in errors]


@pytest.mark.parametrize(
    ("overrides", "messages"),
    [
        ({"date": ""}, ["Date can't be blank"]),
        ({"due_date": None}, ["Due date can't be blank"]),
        ({"date": "09/05/2017", "due_date": "08/05/2017"}, ["Due date must be later than date"]),
        ({"retention": "100"}, ["Retention must be a number between 0 and 99.99"]),
        ({"retention": "-1"}, ["Retention must be a number between 0 and 99.99"]),
        ({"retention": "lots"}, ["Retention must be a number between 0 and 99.99"]),
        ({"client": None}, ["Client is invalid", "Nome é um campo obrigatório"]),
        ({"client": {"code": "1"}}, ["Client is invalid", "Nome é um campo obrigatório"]),
        (
            {"client": {"name": "x" * 101}},
            ["Client is invalid", "Nome é demasiado grande (o máximo é de 100 caracteres)"],
        ),
        ({"client": {"name": "New", "email": "not-an-email"}}, ["email must be an email address"]),
        ({"client": {"name": "New", "country": "Germani"}}, ["Country Germani was not found"]),
        ({"client": {"name": "New", "country": "PT"}}, ["Country PT was not found"]),
        ({"items": []}, ["Invoice must have at least one item"]),
        ({"items": {"name": "x"}}, ["Items element should be of type array"]),
        ({"items": ["x"]}, ["Invoice items is invalid"]),
        ({"items": [item(name="")]}, ["Invoice items is invalid", "Item name can't be blank"]),
        (
            {"items": [item(quantity="0")]},
            ["Invoice items is invalid", "quantity must be a number greater than 0"],
        ),
        (
            {"items": [item(quantity="abc")]},
            ["Invoice items is invalid", "quantity must be a number greater than 0"],
        ),
        (
            {"items": [item(unit_price="ten")]},
            ["Invoice items is invalid", "unit_price must be a number"],
        ),
        (
            {"items": [item(unit_price="-1")]},
            ["Invoice items is invalid", "unit_price must be greater than or equal to 0"],
        ),
        (
            {"items": [item(unit="kg")]},
            ["Invoice items is invalid", "Unit kg is not included in the list of accepted units"],
        ),
        (
            {"items": [item(unit="")]},
            ["Invoice items is invalid", "Unit  is not included in the list of accepted units"],
        ),
        ({"items": [item(discount="x")]}, ["Invoice items is invalid", "discount is not a number"]),
        (
            {"items": [item(discount="100.5")]},
            ["Invoice items is invalid", "discount must be between 0 and 100"],
        ),
        (
            {"items": [item(tax={"name": "Isento"})]},
            ["Tax exemption can't be blank when an item has no tax"],
        ),
        (
            {"items": [item(tax={"name": "Isento"})], "tax_exemption": "M00"},
            ["Tax exemption can't be blank when an item has no tax"],
        ),
        (
            {"items": [item(tax={"name": "Isento"})], "tax_exemption": "M03"},
            ["Tax exemption M03 is not valid"],
        ),
        ({"sequence_id": "424242"}, ["Sequence 424242 was not found"]),
    ],
)
def test_it_refuses_a_document_breaking_a_rule(api, overrides, messages):
    assert rejected(api, **overrides) == messages


def test_it_lists_every_failed_rule_at_once(api):
    messages = rejected(
        api,
        due_date="01/01/2017",
        retention="120",
        items=[item(quantity="0"), item(unit="kg")],
    )
    assert messages == [
        "Due date must be later than date",
        "Retention must be a number between 0 and 99.99",
        "Invoice items is invalid",
        "quantity must be a number greater than 0",
        "Invoice items is invalid",
        "Unit kg is not included in the list of accepted units",
    ]


def test_it_refuses_a_body_without_an_invoice_object(api):
    for body in ({"document": {}}, {"invoice": "x"}, ["invoice"]):
        response = api.post("invoices.json", body)
        assert response.status_code == 422
        assert response.json() == {"errors": [{"error": "Invoice element should be an object"}]}
    garbage = api.client.post(
        api.url("invoices.json"), "{not json", content_type="application/json"
    )
    assert garbage.status_code == 422


def test_it_refuses_a_sequence_of_another_document_type(api):
    sequence = api.get("sequences.json").json()["sequences"][0]
    wrong = sequence["current_credit_note_sequence_id"]
    assert rejected(api, sequence_id=wrong) == [f"Sequence {wrong} was not found"]


def test_it_refuses_an_owner_that_is_not_a_final_invoice(api):
    draft = api.create()
    assert rejected(api, "credit_notes.json", owner_invoice_id=draft["id"]) == [
        f"Owner invoice {draft['id']} must be final or settled"
    ]
    assert rejected(api, "debit_notes.json", owner_invoice_id=999) == [
        "Owner invoice 999 was not found"
    ]


def test_it_accepts_the_limits_of_every_range(api):
    document = api.create(
        retention="99.99",
        date="08/05/2017",
        due_date="08/05/2017",
        items=[item(discount="100", unit_price="0", unit="month"), item(name="B", discount="0")],
    )
    assert document["retention"] == "99.99"
    assert [line["unit"] for line in document["items"]] == ["month", None]


@time_machine.travel("2026-03-15 12:00 +0000", tick=False)
def test_it_sets_a_malformed_date_to_today_like_the_service(api):
    document = api.create(date="2026-03-01", due_date="31/12/2026")
    assert document["date"] == "15/03/2026"


def test_it_accepts_loose_numbers(api):
    document = api.create(items=[item(unit_price=10, quantity=2.5, discount=" 10 ")])
    line = document["items"][0]
    assert (line["unit_price"], line["quantity"], line["discount"]) == ("10.0", "2.5", 10.0)
    assert line["subtotal"] == 25.0 and line["discount_amount"] == 2.5


def test_it_refuses_an_overlong_proprietary_uid(api):
    response = api.post(
        "invoices.json", {"invoice": invoice_payload(), "proprietary_uid": "u" * 256}
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("unit", "price", "message"),
    [
        ("service", "81.31", "Simplified invoices for services can't exceed 100.00 EUR"),
        ("hour", "40.66", "Simplified invoices for services can't exceed 100.00 EUR"),
        ("unit", "813.02", "Simplified invoices can't exceed 1000.00 EUR"),
    ],
)
def test_a_simplified_invoice_above_its_limit_is_refused(api, unit, price, message):
    items = [item(unit=unit, unit_price=price, quantity="2" if unit == "hour" else "1")]
    assert rejected(api, "simplified_invoices.json", items=items) == [message]


@pytest.mark.parametrize(("unit", "price"), [("service", "81.30"), ("unit", "813.00")])
def test_a_simplified_invoice_within_its_limit_may_carry_a_nif(api, unit, price):
    document = api.create(
        "simplified_invoices.json",
        client={"name": "Ana Sousa", "fiscal_id": "123456789"},
        items=[item(unit=unit, unit_price=price)],
    )
    assert document["client"]["fiscal_id"] == "123456789"


def test_m26_is_refused_outside_the_2023_food_basket_period(api):
    zero = [item(tax={"name": "Isento"})]
    assert rejected(
        api, date="05/01/2024", due_date="05/01/2024", items=zero, tax_exemption="M26"
    ) == ["Tax exemption M26 is only valid from 18/04/2023 to 04/01/2024"]
    document = api.create(date="04/01/2024", due_date="04/01/2024", items=zero, tax_exemption="M26")
    assert document["tax_exemption"] == "M26"
