"""Creating and getting documents: the shapes of the recordings, clients, items, uids."""

import pytest

from sandbox.doctypes import DOC_TYPES, TYPE_PATHS
from sandbox.models import SandboxAccount, SandboxClient, SandboxDocument, SandboxItem
from sandbox.models.documents import DocumentQuerySet
from sandbox.testing import (  # noqa: F401  (fixtures)
    SandboxApi,
    api_fixture,
    invoice_payload,
    sandbox_account_fixture,
)

pytestmark = pytest.mark.django_db

CREATABLE = [info for info in DOC_TYPES if info.creatable]


def test_it_creates_an_invoice_like_the_recording(api):
    response = api.post("invoices.json", {"invoice": invoice_payload()})
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json; charset=utf-8"
    invoice = response.json()["invoice"]
    assert list(invoice) == [
        "id", "status", "archived", "type", "sequence_number", "date", "due_date", "reference",
        "observations", "retention", "permalink", "sum", "discount", "before_taxes", "taxes",
        "total", "currency", "client", "items",
    ]  # fmt: skip
    assert invoice["status"] == "draft"
    assert invoice["archived"] is False
    assert invoice["type"] == "Invoice"
    assert invoice["sequence_number"] == "rascunho"
    assert "atcud" not in invoice and "inverted_sequence_number" not in invoice
    assert (invoice["date"], invoice["due_date"]) == ("07/05/2017", "08/05/2017")
    assert invoice["reference"] is None and invoice["retention"] is None
    assert invoice["permalink"].startswith(
        f"https://www.app.invoicexpress.com/documents/{invoice['id']}"
    )
    assert invoice["client"] == {"id": invoice["client"]["id"], "name": "John", "code": "100"}
    assert invoice["currency"] == "Euro"
    item = invoice["items"][0]
    assert item["unit_price"] == "10.0" and item["quantity"] == "1.0" and item["unit"] is None
    assert item["tax"]["name"] == "IVA23" and item["tax"]["value"] == 23.0
    # Totals are JSON numbers written like the service: 10.0, not 10 or "10.00".
    assert (
        b'"sum":10.0,"discount":0.0,"before_taxes":10.0,"taxes":2.3,"total":12.3'
        in response.content
    )


@pytest.mark.parametrize("info", CREATABLE, ids=lambda info: info.path)
def test_it_creates_every_creatable_type_under_its_own_root(api, info):
    # Guides also say when the goods are loaded.
    guide = {"loaded_at": "02/12/2017 19:00:00"} if info.family == "guides" else {}
    payload = invoice_payload(**guide)
    response = api.post(f"{info.path}.json", {"invoice": payload})
    assert response.status_code == 201
    document = response.json()[info.root]
    assert document["type"] == info.doc_type
    assert document["status"] == "draft"
    fetched = api.get(f"{info.path}/{document['id']}.json")
    assert fetched.status_code == 200
    assert fetched.json() == {info.root: document}


def test_it_refuses_to_create_receipts_like_an_unknown_route(api):
    response = api.post("receipts.json", {"invoice": invoice_payload()})
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("type_path", TYPE_PATHS)
def test_it_answers_an_empty_404_for_an_unknown_id(api, type_path):
    response = api.get(f"{type_path}/999999.json")
    assert response.status_code == 404
    assert response.content == b""


def test_it_answers_404_for_a_document_under_another_types_path(api):
    invoice = api.create()
    response = api.get(f"invoice_receipts/{invoice['id']}.json")
    assert response.status_code == 404
    assert response.content == b""


def test_it_hides_other_accounts_documents(api, client):
    other = SandboxApi(client, SandboxAccount.objects.create(account_name="other", api_key="k2"))
    invoice = api.create()
    assert other.get(f"invoices/{invoice['id']}.json").status_code == 404
    assert other.get("invoices.json").json()["invoices"] == []


def test_it_refuses_a_reused_proprietary_uid(api):
    body = {"invoice": invoice_payload(), "proprietary_uid": "order-42"}
    assert api.post("invoices.json", body).status_code == 201
    again = api.post("invoices.json", body)
    assert again.status_code == 409
    assert again.json() == {"errors": [{"error": "Proprietary uid has already been taken"}]}
    assert SandboxDocument.objects.count() == 1


def test_it_refuses_a_reused_uid_across_types_but_not_across_accounts(api, client):
    body = {"invoice": invoice_payload(), "proprietary_uid": "same"}
    assert api.post("invoices.json", body).status_code == 201
    assert api.post("invoice_receipts.json", body).status_code == 409
    other = SandboxApi(client, SandboxAccount.objects.create(account_name="other", api_key="k2"))
    assert other.post("invoices.json", body).status_code == 201


def test_it_keeps_the_uid_of_a_deleted_draft(api):
    body = {"invoice": invoice_payload(), "proprietary_uid": "gone"}
    draft = api.post("invoices.json", body).json()["invoice"]
    assert api.change_state("invoices", draft["id"], "deleted").status_code == 200
    assert api.post("invoices.json", body).status_code == 409


def test_it_matches_a_client_by_code_then_by_name_and_ignores_its_other_fields(api):
    first = api.create(client={"name": "John", "code": "100", "email": "john@example.com"})
    by_code = api.create(client={"name": "Johnny", "code": "100", "email": "bad-address"})
    by_name = api.create(client={"name": "John", "country": "Nowhere"})
    assert by_code["client"]["id"] == by_name["client"]["id"] == first["client"]["id"]
    assert by_code["client"]["name"] == "John"
    assert SandboxClient.objects.count() == 1


def test_it_creates_a_client_with_all_its_fields(api):
    client = {
        "name": "Padaria Central, Lda.", "code": "C9", "email": "geral@padaria.pt",
        "address": "Rua Direita, 1", "city": "Porto", "postal_code": "4000-001",
        "country": "portugal", "fiscal_id": "508025338", "phone": "222000000",
    }  # fmt: skip
    document = api.create(client=client)
    assert document["client"] == {
        "id": document["client"]["id"], "name": "Padaria Central, Lda.",
        "email": "geral@padaria.pt", "address": "Rua Direita, 1", "city": "Porto",
        "postal_code": "4000-001", "country": "Portugal", "code": "C9",
        "fiscal_id": "508025338", "phone": "222000000",
    }  # fmt: skip


def test_it_creates_and_updates_items_by_name(api):
    api.create(items=[{"name": "Widget", "unit_price": "5", "quantity": "1", "unit": "unit"}])
    api.create(items=[{"name": "Widget", "unit_price": "7.5", "quantity": "2", "unit": "hour"}])
    item = SandboxItem.objects.get()
    assert (item.unit_price, item.unit) == (7.5, "hour")


def test_it_applies_a_tax_by_name_and_the_default_for_unknown_names(api):
    document = api.create(
        items=[
            {"name": "Bread", "unit_price": "1.00", "quantity": "10", "tax": {"name": "IVA6"}},
            {"name": "Cake", "unit_price": "10", "quantity": "1", "tax": {"name": "IVA99"}},
        ]
    )
    taxes = [(item["tax"]["name"], item["tax"]["value"]) for item in document["items"]]
    assert taxes == [("IVA6", 6.0), ("IVA23", 23.0)]
    assert document["taxes"] == 2.9


def test_it_keeps_the_exemption_of_a_zero_rated_document(api):
    document = api.create(
        tax_exemption="M07",
        items=[
            {"name": "Training", "unit_price": "100", "quantity": "1", "tax": {"name": "Isento"}}
        ],
    )
    assert document["tax_exemption"] == "M07"
    assert document["taxes"] == 0.0


def test_it_puts_a_draft_in_the_requested_sequence(api):
    sequence = api.get("sequences.json").json()["sequences"][0]
    sequence_id = sequence["current_invoice_receipt_sequence_id"]
    document = api.create("invoice_receipts.json", sequence_id=str(sequence_id))
    assert document["sequence_id"] == sequence_id


def test_it_links_a_credit_note_to_its_invoice(api):
    invoice = api.create()
    api.finalize("invoices", invoice["id"])
    note = api.create("credit_notes.json", owner_invoice_id=invoice["id"])
    assert note["owner_invoice_id"] == invoice["id"]
    assert (
        api.get(f"credit_notes/{note['id']}.json").json()["credit_note"]["owner_invoice_id"]
        == invoice["id"]
    )


def test_it_lists_clients_and_finds_them_by_code_and_name(api):
    api.create(client={"name": "Zeta", "code": "Z1"})
    api.create(client={"name": "Alpha", "code": "A1", "country": "Spain"})
    listed = api.get("clients.json").json()
    assert [c["name"] for c in listed["clients"]] == ["Alpha", "Zeta"]
    assert listed["pagination"] == {
        "total_entries": 2,
        "total_pages": 1,
        "current_page": 1,
        "per_page": 10,
    }
    found = api.get("clients/find-by-code.json", {"client_code": "Z1"}).json()["client"]
    assert (found["name"], found["tax_exemption_code"]) == ("Zeta", "M00")
    by_name = api.get("clients/find-by-name.json", {"client_name": "Alpha"}).json()["client"]
    assert by_name["country"] == "Spain"
    assert api.get(f"clients/{found['id']}.json").json()["client"]["code"] == "Z1"
    for path, params in [
        ("clients/find-by-code.json", {"client_code": "nope"}),
        ("clients/find-by-name.json", {"client_name": "Nobody"}),
        ("clients/0.json", {}),
    ]:
        missing = api.get(path, params)
        assert (missing.status_code, missing.content) == (404, b"")


def test_it_turns_a_lost_uid_race_into_a_conflict(api, monkeypatch):
    """Two requests both pass the early check; the unique constraint stops the second."""
    api.create(proprietary_uid="race")
    real_exists = DocumentQuerySet.exists
    checks = []

    def first_check_misses(queryset):
        checks.append(queryset)
        return False if len(checks) == 1 else real_exists(queryset)

    monkeypatch.setattr(DocumentQuerySet, "exists", first_check_misses)
    response = api.post("invoices.json", {"invoice": invoice_payload(), "proprietary_uid": "race"})
    assert response.status_code == 409
    assert len(checks) == 2  # the early check, then the one after the IntegrityError
    monkeypatch.undo()
    assert SandboxDocument.objects.count() == 1
    assert SandboxClient.objects.count() == 1
