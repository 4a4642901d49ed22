"""PUT <type>/<id>/change-state.json: the transition table, numbering, ATCUD, signatures."""

import datetime as dt

import pytest
from django.utils import timezone

from sandbox import faults
from sandbox.models import NOT_REGISTERED, SandboxAccount, SandboxDocument, SandboxSequence
from sandbox.testing import api_fixture, sandbox_account_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def error_of(response) -> str:
    assert response.status_code == 422, response.content
    return response.json()["errors"][0]["error"]


def default_sequence(api) -> dict:
    return next(s for s in api.get("sequences.json").json()["sequences"] if s["default_sequence"])


def test_it_finalizes_a_draft_with_number_atcud_and_signature(api):
    draft = api.create()
    sequence = default_sequence(api)
    final = api.finalize("invoices", draft["id"])
    serie, code = sequence["serie"], sequence["current_invoice_validation_code"]
    assert final["status"] == "final"
    assert final["sequence_number"] == f"1/{serie}"
    assert final["inverted_sequence_number"] == f"{serie}/1"
    assert final["atcud"] == f"{code}-1"
    assert final["sequence_id"] == sequence["current_invoice_sequence_id"]
    assert len(final["saft_hash"]) == 4
    assert api.get(f"invoices/{draft['id']}.json").json()["invoice"] == final
    assert default_sequence(api)["current_invoice_number"] == 1


def test_it_numbers_each_type_on_its_own_counter(api):
    numbers = []
    for path in ("invoices", "invoices", "invoice_receipts", "invoices"):
        document = api.create(f"{path}.json")
        numbers.append(api.finalize(path, document["id"])["inverted_sequence_number"].split("/")[1])
    assert numbers == ["1", "2", "1", "3"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("invoices", "final"),
        ("invoice_receipts", "settled"),
        ("simplified_invoices", "settled"),
        ("credit_notes", "final"),
        ("debit_notes", "final"),
        ("vat_moss_invoices", "final"),
    ],
)
def test_it_finalizes_each_type_into_its_status(api, path, status):
    document = api.create(f"{path}.json")
    assert api.finalize(path, document["id"])["status"] == status


def test_it_gives_vat_moss_invoices_an_atcud_of_n_a(api):
    document = api.create("vat_moss_invoices.json")
    assert api.finalize("vat_moss_invoices", document["id"])["atcud"] == "N/A"


def test_it_gives_an_unregistered_sequence_an_atcud_of_n_d(api, sandbox_account):
    unregistered = SandboxSequence.objects.create_with_counters(
        account=sandbox_account, serie="B", registered=False
    )
    sequence_id = unregistered.counters.get(kind="invoice").pk
    document = api.create(sequence_id=sequence_id)
    final = api.finalize("invoices", document["id"])
    assert (final["sequence_number"], final["atcud"]) == ("1/B", NOT_REGISTERED)


def test_it_refuses_to_finalize_before_the_last_finalized_date(api):
    later = api.create(date="10/05/2017", due_date="10/05/2017")
    earlier = api.create(date="09/05/2017", due_date="10/05/2017")
    api.finalize("invoices", later["id"])
    message = error_of(api.change_state("invoices", earlier["id"], "finalized"))
    assert "10/05/2017" in message and "earlier" in message
    assert SandboxDocument.objects.get(pk=earlier["id"]).status == "draft"
    same_day = api.create(date="10/05/2017", due_date="10/05/2017")
    assert api.finalize("invoices", same_day["id"])["sequence_number"].startswith("2/")


def test_it_deletes_a_draft_which_then_answers_404(api):
    draft = api.create()
    response = api.change_state("invoices", draft["id"], "deleted")
    assert response.status_code == 200
    assert response.json()["invoice"]["status"] == "deleted"
    gone = api.get(f"invoices/{draft['id']}.json")
    assert (gone.status_code, gone.content) == (404, b"")
    assert api.change_state("invoices", draft["id"], "finalized").status_code == 404


def test_it_cancels_a_final_document_only_with_a_message(api):
    document = api.finalize("invoices", api.create()["id"])
    assert error_of(api.change_state("invoices", document["id"], "canceled")) == (
        "A message is required to cancel a document"
    )
    canceled = api.change_state("invoices", document["id"], "canceled", "Wrong client").json()[
        "invoice"
    ]
    assert canceled["status"] == "canceled"
    assert canceled["sequence_number"] == document["sequence_number"]  # keeps its number


def test_it_settles_and_unsettles_an_invoice(api):
    document = api.finalize("invoices", api.create()["id"])
    settled = api.change_state("invoices", document["id"], "settled")
    assert settled.json()["invoice"]["status"] == "settled"
    unsettled = api.change_state("invoices", document["id"], "unsettled")
    assert unsettled.json()["invoice"]["status"] == "final"


def test_it_unsettles_a_credit_note(api):
    note = api.finalize("credit_notes", api.create("credit_notes.json")["id"])
    api.change_state("credit_notes", note["id"], "settled")
    response = api.change_state("credit_notes", note["id"], "unsettled")
    assert response.json()["credit_note"]["status"] == "final"


def test_it_cancels_a_settled_invoice_receipt(api):
    receipt = api.finalize("invoice_receipts", api.create("invoice_receipts.json")["id"])
    response = api.change_state("invoice_receipts", receipt["id"], "canceled", "Duplicado")
    assert response.json()["invoice_receipt"]["status"] == "canceled"


@pytest.mark.parametrize(
    ("path", "steps", "state", "message"),
    [
        ("invoices", [], "settled", "A draft Invoice can't be settled"),
        ("invoices", [], "canceled", "A draft Invoice can't be canceled"),
        ("invoices", [], "unsettled", "A draft Invoice can't be unsettled"),
        ("invoices", ["finalized"], "finalized", "A final Invoice can't be finalized"),
        ("invoices", ["finalized"], "deleted", "A final Invoice can't be deleted"),
        ("invoices", ["finalized"], "unsettled", "A final Invoice can't be unsettled"),
        ("invoices", ["finalized", "settled"], "settled", "A settled Invoice can't be settled"),
        (
            "invoice_receipts",
            ["finalized"],
            "unsettled",
            "A settled InvoiceReceipt can't be unsettled",
        ),
        ("invoices", [], "approved", "State approved is not valid"),
        ("invoices", [], "", "State (blank) is not valid"),
    ],
)
def test_it_refuses_a_transition_outside_the_table(api, path, steps, state, message):
    document = api.create(f"{path}.json")
    for step in steps:
        assert api.change_state(path, document["id"], step).status_code == 200
    assert error_of(api.change_state(path, document["id"], state)) == message


def test_it_refuses_a_canceled_document_every_state(api):
    document = api.finalize("invoices", api.create()["id"])
    api.change_state("invoices", document["id"], "canceled", "Erro")
    for state in ("finalized", "settled", "unsettled", "canceled", "deleted"):
        assert api.change_state("invoices", document["id"], state, "x").status_code == 422


def test_it_refuses_a_body_without_an_invoice_object(api):
    document = api.create()
    response = api.put(f"invoices/{document['id']}/change-state.json", {"state": "finalized"})
    assert error_of(response) == "Invoice element should be an object"


def test_it_answers_404_for_a_document_under_another_path(api):
    document = api.create()
    response = api.change_state("credit_notes", document["id"], "finalized")
    assert (response.status_code, response.content) == (404, b"")


def test_it_adds_a_multibanco_reference_when_the_account_has_them(api, sandbox_account):
    SandboxAccount.objects.filter(pk=sandbox_account.pk).update(mb_references=True)
    final = api.finalize("invoices", api.create()["id"])
    assert final["mb_reference"]["entity"] == "21217"
    assert final["mb_reference"]["value"] == 12.3
    assert len(final["mb_reference"]["reference"]) == 9


def test_it_chains_signatures_within_a_series(api):
    first = api.finalize("invoices", api.create()["id"])
    second = api.finalize("invoices", api.create()["id"])
    stored = SandboxDocument.objects.in_bulk([first["id"], second["id"]])
    assert len(stored[first["id"]].saft_hash) == 172
    assert stored[first["id"]].saft_hash != stored[second["id"]].saft_hash


def test_it_refuses_a_write_in_a_422_shape_on_demand(api, sandbox_account):
    draft = api.create()
    faults.inject(sandbox_account.account_name, "422_b", count=1)
    response = api.change_state("invoices", draft["id"], "finalized")
    assert response.json() == {
        "errors": {"error": "Your current plan does not allow you to do this"}
    }
    assert SandboxDocument.objects.get(pk=draft["id"]).status == "draft"


def test_a_draft_dated_after_today_cannot_be_finalized(api):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    draft = api.create(date=f"{tomorrow:%d/%m/%Y}", due_date=f"{tomorrow:%d/%m/%Y}")
    response = api.change_state("invoices", draft["id"], "finalized")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"error": f"Date can't be later than today ({tomorrow:%d/%m/%Y})"}
    ]
