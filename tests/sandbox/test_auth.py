"""Authentication, routing and the answer shapes every endpoint shares."""

import pytest

from sandbox.testing import api_fixture, sandbox_account_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

INVALID_KEY = {"errors": [{"error": "Invalid API key"}]}


def test_it_refuses_a_wrong_api_key(client, sandbox_account):
    response = client.get("/sandbox/acme/invoices.json?api_key=nope")
    assert response.status_code == 401
    assert response.json() == INVALID_KEY
    assert response["Content-Type"] == "application/json; charset=utf-8"


def test_it_refuses_a_missing_api_key(client, sandbox_account):
    response = client.get("/sandbox/acme/taxes.json")
    assert response.status_code == 401
    assert response.json() == INVALID_KEY


def test_it_refuses_an_unknown_account(client, sandbox_account):
    response = client.get(f"/sandbox/nobody/invoices.json?api_key={sandbox_account.api_key}")
    assert response.status_code == 401
    assert response.json() == INVALID_KEY


def test_it_answers_an_unknown_route_with_an_html_page(api):
    response = api.get("clients/0/invoices.json")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"doesn" in response.content


def test_it_answers_an_unknown_method_with_an_html_page(api):
    response = api.put("invoices.json", {})
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_it_lists_the_taxes_of_a_new_account_like_the_recording(api):
    response = api.get("taxes.json")
    assert response.status_code == 200
    taxes = response.json()["taxes"]
    assert [(t["name"], t["value"], t["region"], t["default_tax"]) for t in taxes] == [
        ("IVA23", 23.0, None, 1),
        ("IVA13", 13.0, None, 0),
        ("IVA6", 6.0, None, 0),
        ("Isento", 0.0, None, 0),
    ]
    assert set(taxes[0]) == {"id", "name", "value", "region", "default_tax"}
    assert b'"value":23.0' in response.content


def test_it_gets_one_tax_or_an_empty_404(api):
    tax_id = api.get("taxes.json").json()["taxes"][1]["id"]
    assert api.get(f"taxes/{tax_id}.json").json()["tax"]["name"] == "IVA13"
    missing = api.get("taxes/0.json")
    assert missing.status_code == 404
    assert missing.content == b""
