"""pytest fixtures and helpers for driving the sandbox (used by tests/test_sandbox_*.py).

from sandbox.testing import api_fixture, sandbox_account_fixture  # noqa: F401

def test_it_lists(api):
    assert api.get("invoices.json").status_code == 200
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from sandbox.models import SandboxAccount

API_KEY = "sandbox-test-key"
ACCOUNT_NAME = "acme"


class SandboxApi:
    """Django test client calls to one sandbox account, api_key added."""

    def __init__(self, client, account: SandboxAccount) -> None:
        self.client = client
        self.account = account

    def url(self, path: str, params=None) -> str:
        query = [("api_key", self.account.api_key)]
        if isinstance(params, dict):
            params = list(params.items())
        query += list(params or [])
        return f"/sandbox/{self.account.account_name}/{path}?{urlencode(query, doseq=True)}"

    def get(self, path: str, params=None):
        return self.client.get(self.url(path, params))

    def post(self, path: str, body, params=None):
        return self.client.post(
            self.url(path, params), json.dumps(body), content_type="application/json"
        )

    def put(self, path: str, body=None, params=None):
        return self.client.put(
            self.url(path, params), json.dumps(body or {}), content_type="application/json"
        )

    def create(self, path: str = "invoices.json", **invoice) -> dict:
        """Create a document (recorded payload + `invoice` overrides); its JSON."""
        uid = invoice.pop("proprietary_uid", None)
        body = {"invoice": invoice_payload(**invoice)}
        if uid:
            body["proprietary_uid"] = uid
        response = self.post(path, body)
        assert response.status_code == 201, response.content
        return next(iter(response.json().values()))

    def change_state(self, type_path: str, document_id: int, state: str, message: str = ""):
        return self.put(
            f"{type_path}/{document_id}/change-state.json",
            {"invoice": {"state": state, "message": message}},
        )

    def finalize(self, type_path: str, document_id: int) -> dict:
        response = self.change_state(type_path, document_id, "finalized")
        assert response.status_code == 200, response.content
        return next(iter(response.json().values()))


def invoice_payload(**overrides) -> dict:
    """The invoice of the recording store_a_new_invoice.yml, with overrides."""
    payload = {
        "date": "07/05/2017",
        "due_date": "08/05/2017",
        "client": {"name": "John", "code": "100"},
        "items": [
            {
                "name": "Product A",
                "description": "Cleaning product",
                "unit_price": "10.0",
                "quantity": "1.0",
            }
        ],
    }
    payload.update(overrides)
    return payload


# Imported under the function names, requested under the fixture names (keeps ruff's F811 quiet).
@pytest.fixture(name="sandbox_account")
def sandbox_account_fixture(db) -> SandboxAccount:
    return SandboxAccount.objects.create(
        account_name=ACCOUNT_NAME,
        api_key=API_KEY,
        company_name="Acme Comércio, Lda.",
        fiscal_id="508025338",
        address="Rua Augusta 1",
        city="Lisboa",
        postal_code="1100-048",
    )


@pytest.fixture(name="api")
def api_fixture(client, sandbox_account) -> SandboxApi:
    return SandboxApi(client, sandbox_account)
