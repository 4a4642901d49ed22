"""The sandbox refuses a credit note beyond what remains of its invoice, and lists related documents."""

import pytest

from sandbox.models import SandboxDocument
from sandbox.testing import api_fixture, sandbox_account_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

NATA = {"name": "Pastel de nata", "unit_price": "1.20", "quantity": "15", "unit": "unit"}


def nata(quantity: str) -> list[dict]:
    return [{**NATA, "quantity": quantity}]


@pytest.fixture
def invoice(api) -> dict:
    """An invoice for 15 "Pastel de nata", finalized."""
    draft = api.create(items=nata("15"))
    return api.finalize("invoices", draft["id"])


def credit_note(api, invoice, quantity: str):
    return api.post(
        "credit_notes.json",
        {
            "invoice": {
                "date": "07/05/2017",
                "due_date": "07/05/2017",
                "client": {"name": "John", "code": "100"},
                "owner_invoice_id": invoice["id"],
                "items": nata(quantity),
            }
        },
    )


def test_a_second_note_beyond_what_remains_is_refused_with_the_figures(api, invoice):
    first = credit_note(api, invoice, "2")
    assert first.status_code == 201
    api.finalize("credit_notes", first.json()["credit_note"]["id"])
    second = credit_note(api, invoice, "14")
    assert second.status_code == 422
    number = f"FT {invoice['inverted_sequence_number']}"
    assert [e["error"] for e in second.json()["errors"]] == [
        f"Quantity of Pastel de nata exceeds what remains to be credited on {number}: "
        "13 remain (15 invoiced, 2 already credited), this note credits 14",
        f"Total exceeds what remains to be credited on {number}: 19.19 remain (22.14 invoiced, "
        "2.95 already credited), this note totals 20.66",
    ]
    assert credit_note(api, invoice, "13").status_code == 201


def test_drafts_and_canceled_notes_do_not_count_as_credited(api, invoice):
    draft = credit_note(api, invoice, "15")
    assert draft.status_code == 201
    canceled = credit_note(api, invoice, "15").json()["credit_note"]
    api.finalize("credit_notes", canceled["id"])
    assert api.change_state("credit_notes", canceled["id"], "canceled", "wrong").status_code == 200
    assert credit_note(api, invoice, "15").status_code == 201


def test_finalizing_a_draft_note_rechecks_what_remains(api, invoice):
    # Two drafts for 10 each fit alone; once the first is issued the second no longer fits.
    first = credit_note(api, invoice, "10").json()["credit_note"]
    second = credit_note(api, invoice, "10").json()["credit_note"]
    api.finalize("credit_notes", first["id"])
    refused = api.change_state("credit_notes", second["id"], "finalized")
    assert refused.status_code == 422
    assert (
        "5 remain (15 invoiced, 10 already credited), this note credits 10"
        in (refused.json()["errors"][0]["error"])
    )
    assert SandboxDocument.objects.get(pk=second["id"]).status == "draft"


def test_related_documents_lists_the_notes_tied_to_an_invoice(api, invoice):
    note = credit_note(api, invoice, "2").json()["credit_note"]
    api.create(items=nata("1"))  # unrelated
    response = api.get(f"document/{invoice['id']}/related_documents.json")
    assert response.status_code == 200
    documents = response.json()["documents"]
    assert [(d["id"], d["type"], d["owner_invoice_id"]) for d in documents] == [
        (note["id"], "CreditNote", invoice["id"])
    ]
    assert documents[0]["items"][0]["quantity"] == "2.0"


def test_related_documents_of_an_unknown_document_is_404(api):
    assert api.get("document/999/related_documents.json").status_code == 404
    # The hyphenated per-type path some client libraries use does not exist.
    assert api.get("invoices/1/related-documents.json").status_code == 404


def test_rounding_on_each_note_never_blocks_crediting_what_remains(api):
    # 2 x 1.005 invoiced (2.01 + 23 % = 2.47); each note for 1 rounds up to 1.01 + 0.23.
    draft = api.create(items=[{"name": "Clip", "unit_price": "1.005", "quantity": "2"}])
    invoice = api.finalize("invoices", draft["id"])
    for _ in range(2):
        note = api.post(
            "credit_notes.json",
            {
                "invoice": {
                    "date": "07/05/2017", "due_date": "07/05/2017",
                    "client": {"name": "John", "code": "100"}, "owner_invoice_id": invoice["id"],
                    "items": [{"name": "Clip", "unit_price": "1.005", "quantity": "1"}],
                }
            },
        )  # fmt: skip
        assert note.status_code == 201, note.content
        api.finalize("credit_notes", note.json()["credit_note"]["id"])
