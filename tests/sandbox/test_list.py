"""GET /invoices.json: every filter of invoices-list.txt, the per-type lists, pagination."""

import pytest

from sandbox.models import SandboxDocument
from sandbox.testing import api_fixture, sandbox_account_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs(api):
    """Six documents of several types, dates and amounts; returns their ids by nickname."""
    made = {
        "old_invoice": api.create(
            date="10/01/2025", due_date="10/02/2025", reference="PO-77",
            client={"name": "Café Central", "code": "C1", "fiscal_id": "508025338"},
            items=[{"name": "Pão de forma", "unit_price": "50", "quantity": "1"}],
        ),
        "receipt_like": api.create(
            "invoice_receipts.json", date="15/03/2025", due_date="15/03/2025",
            observations="Entrega urgente", client={"name": "Hotel Miramar"},
            items=[{"name": "Bolo", "description": "Bolo de aniversário", "unit_price": "150", "quantity": "1"}],
        ),
        "simplified": api.create(
            "simplified_invoices.json", date="20/03/2025", due_date="20/03/2025",
            items=[{"name": "Sumo", "unit_price": "2.5", "quantity": "2"}],
        ),
        "credit": api.create(
            "credit_notes.json", date="01/04/2025", due_date="01/04/2025",
            items=[{"name": "Sumo", "unit_price": "300", "quantity": "1"}],
        ),
        "archived": api.create(
            date="01/02/2024", due_date="01/02/2024",
            items=[{"name": "Sumo", "unit_price": "1000", "quantity": "1"}],
        ),
        "newest": api.create(
            date="30/04/2025", due_date="30/06/2025",
            items=[{"name": "Sumo", "unit_price": "20", "quantity": "1"}],
        ),
    }  # fmt: skip
    ids = {name: doc["id"] for name, doc in made.items()}
    SandboxDocument.objects.filter(pk=ids["archived"]).update(
        archived=True,
        status="final",
        number=9,
        sequence_number="9/A",
        inverted_sequence_number="A/9",
    )
    SandboxDocument.objects.filter(pk=ids["old_invoice"]).update(status="settled")
    return ids


def listed(api, params=(), path="invoices.json", root="invoices"):
    response = api.get(path, list(params))
    assert response.status_code == 200
    return [doc["id"] for doc in response.json()[root]]


def test_it_lists_every_type_newest_first(api, docs):
    assert listed(api) == [
        docs["newest"], docs["credit"], docs["simplified"], docs["receipt_like"],
        docs["old_invoice"], docs["archived"],
    ]  # fmt: skip


def test_it_breaks_date_ties_by_newest_id(api):
    first, second = api.create()["id"], api.create()["id"]
    assert listed(api) == [second, first]


# (query, expected nicknames newest first; None: no filter applied, everything listed)
FILTER_CASES = [
    ([("type[]", "CreditNote")], ["credit"]),
    (
        [("type[]", "InvoiceReceipt"), ("type[]", "SimplifiedInvoice")],
        ["simplified", "receipt_like"],
    ),
    ([("type[]", "Receipt")], []),
    ([("status[]", "settled")], ["old_invoice"]),
    ([("status[]", "final"), ("status[]", "settled")], ["old_invoice", "archived"]),
    ([("status[]", "draft"), ("type[]", "Invoice")], ["newest"]),
    ([("text", "café")], ["old_invoice"]),  # client name, case-insensitive
    ([("text", "C1")], ["old_invoice"]),  # client code
    ([("text", "50802533")], ["old_invoice"]),  # client NIF
    ([("text", "pão")], ["old_invoice"]),  # item name
    ([("text", "aniversário")], ["receipt_like"]),  # item description
    ([("text", "PO-77")], ["old_invoice"]),  # reference
    ([("text", "urgente")], ["receipt_like"]),  # observations
    ([("text", "rascunho")], ["newest", "credit", "simplified", "receipt_like", "old_invoice"]),
    ([("reference", "po-7")], ["old_invoice"]),
    (
        [("date[from]", "15/03/2025"), ("date[to]", "01/04/2025")],
        ["credit", "simplified", "receipt_like"],
    ),
    ([("date[from]", "2025-03-15")], None),  # malformed: ignored, like the service
    ([("due_date[from]", "01/05/2025")], ["newest"]),
    ([("due_date[to]", "01/02/2024")], ["archived"]),
    (
        [("total_before_taxes[from]", "100.00"), ("total_before_taxes[to]", "300")],
        ["credit", "receipt_like"],
    ),
    ([("total_before_taxes[from]", "abc")], None),
    ([("archived", "true")], ["archived"]),
    (
        [("archived", "false"), ("non_archived", "true")],
        ["newest", "credit", "simplified", "receipt_like", "old_invoice"],
    ),
    ([("archived", "true"), ("non_archived", "true")], None),
]


def test_it_filters_like_the_service(api, docs):
    # One test over all cases: the six documents are made once (each create is an HTTP call).
    everything = listed(api)
    for params, expected in FILTER_CASES:
        wanted = everything if expected is None else [docs[name] for name in expected]
        assert listed(api, params) == wanted, params


def test_it_finds_a_finalized_document_by_its_number(api, docs):
    api.finalize("invoices", docs["newest"])
    number = SandboxDocument.objects.get(pk=docs["newest"]).inverted_sequence_number
    assert listed(api, [("text", number)]) == [docs["newest"]]


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("invoice_receipts", ["receipt_like"]),
        ("simplified_invoices", ["simplified"]),
        ("credit_notes", ["credit"]),
        ("debit_notes", []),
        ("receipts", []),
        ("vat_moss_invoices", []),
    ],
)
def test_it_lists_one_type_under_its_own_path_and_root(api, docs, path, names):
    assert listed(api, path=f"{path}.json", root=path) == [docs[name] for name in names]


def test_it_ignores_type_filters_on_a_per_type_list(api, docs):
    assert listed(api, [("type[]", "Invoice")], "credit_notes.json", "credit_notes") == [
        docs["credit"]
    ]


def test_it_paginates_with_ten_per_page_by_default(api):
    ids = [api.create()["id"] for _ in range(12)][::-1]
    first = api.get("invoices.json").json()
    assert first["pagination"] == {
        "total_entries": 12,
        "total_pages": 2,
        "current_page": 1,
        "per_page": 10,
    }
    assert [doc["id"] for doc in first["invoices"]] == ids[:10]
    second = api.get("invoices.json", {"page": "2"}).json()
    assert [doc["id"] for doc in second["invoices"]] == ids[10:]
    assert second["pagination"]["current_page"] == 2
    custom = api.get("invoices.json", {"per_page": "5", "page": "3"}).json()
    assert [doc["id"] for doc in custom["invoices"]] == ids[10:]
    assert custom["pagination"] == {
        "total_entries": 12,
        "total_pages": 3,
        "current_page": 3,
        "per_page": 5,
    }
    beyond = api.get("invoices.json", {"page": "9"}).json()
    assert beyond["invoices"] == [] and beyond["pagination"]["current_page"] == 9


def test_it_caps_and_defaults_odd_page_sizes(api):
    api.create()
    assert api.get("invoices.json", {"per_page": "1000"}).json()["pagination"]["per_page"] == 100
    assert api.get("invoices.json", {"per_page": "x", "page": "-3"}).json()["pagination"] == {
        "total_entries": 1, "total_pages": 1, "current_page": 1, "per_page": 10,
    }  # fmt: skip


def test_it_lists_an_empty_account(api):
    assert api.get("invoices.json").json() == {
        "invoices": [],
        "pagination": {"total_entries": 0, "total_pages": 0, "current_page": 1, "per_page": 10},
    }


def test_it_never_lists_a_deleted_draft(api, docs):
    api.change_state("invoices", docs["newest"], "deleted")
    assert docs["newest"] not in listed(api)
    assert listed(api, [("status[]", "deleted")]) == []
