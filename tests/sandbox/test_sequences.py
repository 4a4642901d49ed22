"""Sequences: the create answer of sequences-create.txt, codes 000-006, register, set current."""

import re

import pytest

from sandbox import faults
from sandbox.doctypes import SequenceKind
from sandbox.models import SandboxAccount, SandboxSequence
from sandbox.sequence_rules import SEQUENCE_NAME_PATTERN, is_allowed_sequence_name
from sandbox.testing import api_fixture, sandbox_account_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

NOT_RELEVANT = {
    "fees_note",
    "purchase_order",
    "vat_moss_invoice",
    "vat_moss_credit_note",
    "vat_moss_receipt",
}


def create(api, serie="2027", default="1"):
    return api.post("sequences.json", {"sequence": {"serie": serie, "default_sequence": default}})


def refused(response, status, code, message):
    assert response.status_code == status, response.content
    assert response.json() == {"code": code, "message": message}


def test_it_creates_a_registered_sequence_with_every_field(api):
    response = create(api)
    assert response.status_code == 201
    sequence = response.json()["sequence"]
    assert sequence["serie"] == "2027"
    assert sequence["default_sequence"] == 1
    for kind in SequenceKind:
        assert sequence[f"current_{kind}_number"] == 0
        assert isinstance(sequence[f"current_{kind}_sequence_id"], int)
        code = sequence[f"current_{kind}_validation_code"]
        if kind in NOT_RELEVANT:
            assert code == "N/A"
        else:
            assert re.fullmatch(r"[A-Z0-9]{8}", code), (kind, code)
    ids = [sequence[f"current_{kind}_sequence_id"] for kind in SequenceKind]
    assert len(set(ids)) == len(ids)
    assert len(sequence) == 3 + 3 * len(SequenceKind)


def test_it_lists_and_gets_sequences_and_makes_the_new_one_default(api):
    created = create(api).json()["sequence"]
    listed = api.get("sequences.json").json()["sequences"]
    assert [s["default_sequence"] for s in listed] == [0, 1]
    assert api.get(f"sequences/{created['id']}.json").json() == {"sequence": created}
    missing = api.get("sequences/0.json")
    assert (missing.status_code, missing.content) == (404, b"")


def test_it_accepts_the_recorded_integer_serie_without_default(api):
    response = api.post("sequences.json", {"sequence": {"serie": 2017, "default_sequence": 0}})
    assert response.status_code == 201
    assert response.json()["sequence"]["default_sequence"] == 0


@pytest.mark.parametrize("serie", ["", None])
def test_it_refuses_a_sequence_without_a_name_with_003(api, serie):
    refused(create(api, serie=serie), 422, "003", "Invalid sequence.")


def test_it_refuses_a_body_without_a_sequence_with_003(api):
    refused(api.post("sequences.json", {"serie": "A"}), 422, "003", "Invalid sequence.")


@pytest.mark.parametrize(
    "serie", ["A/B", "two words", "ÁGUA", "A-1", "X" * 11, "2027!", "loja", "Loja2"]
)
def test_it_refuses_a_name_outside_the_rule_with_001(api, serie):
    assert not is_allowed_sequence_name(serie)
    refused(create(api, serie=serie), 422, "001", "Sequence name not allowed.")


def test_it_publishes_the_name_rule():
    assert SEQUENCE_NAME_PATTERN == r"^[A-Z0-9]{1,10}$"
    assert is_allowed_sequence_name("2027") and is_allowed_sequence_name("LOJA2")


def test_it_refuses_an_existing_name_with_002_whatever_its_case(api):
    create(api, serie="LOJA")
    refused(create(api, serie="LOJA"), 422, "002", "Sequence already exists.")


def test_it_refuses_without_tax_authority_credentials_with_004(api, sandbox_account):
    SandboxAccount.objects.filter(pk=sandbox_account.pk).update(has_at_credentials=False)
    refused(create(api), 422, "004", "Invalid Tax Authority credentials.")


def test_it_refuses_without_open_activity_with_005(api, sandbox_account):
    SandboxAccount.objects.filter(pk=sandbox_account.pk).update(has_open_activity=False)
    refused(
        create(api), 422, "005", "Account fiscal ID doesn’t have open activity in Tax Authority."
    )


def test_it_answers_409_006_while_a_name_is_being_registered(api, sandbox_account):
    SandboxAccount.objects.filter(pk=sandbox_account.pk).update(sequence_registering_seconds=60)
    first = create(api).json()["sequence"]
    assert first["current_invoice_validation_code"] == "N/D"  # not registered yet
    assert first["current_fees_note_validation_code"] == "N/A"
    refused(create(api), 409, "006", "The sequence is already being registered.")
    SandboxSequence.objects.filter(pk=first["id"]).update(registering_until=None)
    registered = api.get(f"sequences/{first['id']}.json").json()["sequence"]
    assert re.fullmatch(r"[A-Z0-9]{8}", registered["current_invoice_validation_code"])
    refused(create(api), 422, "002", "Sequence already exists.")


def test_it_fails_with_000_on_demand(api, sandbox_account):
    faults.inject(sandbox_account.account_name, "sequence_000", count=1)
    refused(create(api), 422, "000", "Unknown error.")
    assert create(api).status_code == 201


@pytest.fixture
def unregistered(sandbox_account):
    return SandboxSequence.objects.create_with_counters(
        account=sandbox_account, serie="OLD", registered=False
    )


def test_it_shows_an_unregistered_sequence_as_n_d(api, unregistered):
    sequence = api.get(f"sequences/{unregistered.pk}.json").json()["sequence"]
    for kind in SequenceKind:
        expected = "N/A" if kind in NOT_RELEVANT else "N/D"
        assert sequence[f"current_{kind}_validation_code"] == expected


def test_it_registers_an_unregistered_sequence(api, unregistered):
    response = api.put(f"sequences/{unregistered.pk}/register.json")
    assert response.status_code == 200
    sequence = response.json()["sequence"]
    assert re.fullmatch(r"[A-Z0-9]{8}", sequence["current_receipt_validation_code"])
    assert sequence["current_vat_moss_invoice_validation_code"] == "N/A"
    again = api.put(f"sequences/{unregistered.pk}/register.json")
    refused(again, 409, "006", "The sequence is already being registered.")


@pytest.mark.parametrize(
    ("flag", "code"), [("has_at_credentials", "004"), ("has_open_activity", "005")]
)
def test_it_refuses_to_register_for_the_tax_authority_reasons(api, unregistered, flag, code):
    SandboxAccount.objects.filter(pk=unregistered.account_id).update(**{flag: False})
    response = api.put(f"sequences/{unregistered.pk}/register.json")
    assert response.json()["code"] == code
    assert (
        api.get(f"sequences/{unregistered.pk}.json").json()["sequence"][
            "current_invoice_validation_code"
        ]
        == "N/D"
    )


def test_it_fails_registration_with_000_on_demand(api, unregistered):
    faults.inject("acme", "sequence_000", count=1)
    refused(api.put(f"sequences/{unregistered.pk}/register.json"), 422, "000", "Unknown error.")


def test_it_sets_the_current_sequence(api, unregistered):
    response = api.put(f"sequences/{unregistered.pk}/set_current.json")
    assert response.status_code == 200
    assert response.json()["sequence"]["default_sequence"] == 1
    defaults = [
        s["serie"] for s in api.get("sequences.json").json()["sequences"] if s["default_sequence"]
    ]
    assert defaults == ["OLD"]
    draft = api.create()
    assert api.finalize("invoices", draft["id"])["sequence_number"] == "1/OLD"
    assert api.put("sequences/0/set_current.json").status_code == 404
