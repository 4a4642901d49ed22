"""The transition table in `invoices.lifecycle.actions` against the sandbox: every type, every status,
every action, allowed or refused; then each type walked through the document page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from invoices.invoicexpress.document_types import STATUSES
from invoices.invoicexpress.errors import Rejected
from invoices.invoicexpress.records import Document
from invoices.invoicexpress.sequences import Sequence
from invoices.lifecycle import actions as lifecycle
from invoices.lifecycle.actions import Action
from invoices.models import Role
from tests.documents.helpers import make_document
from tests.lifecycle.helpers import HTMX, create_draft, doc_url, offered_actions, sandbox_doc

CREATABLE = {
    "Invoice": "invoices",
    "InvoiceReceipt": "invoice_receipts",
    "SimplifiedInvoice": "simplified_invoices",
    "CreditNote": "credit_notes",
    "DebitNote": "debit_notes",
    "VatMossInvoice": "vat_moss_invoices",
}
PATHS = {**CREATABLE, "Receipt": "receipts"}
LEADS_TO = {
    Action.DELETE: "deleted",
    Action.CANCEL: "canceled",
    Action.SETTLE: "settled",
    Action.UNSETTLE: "final",
}


def _document_in(company, type_name: str, status: str) -> int:
    """A document of `type_name` in `status`: drafts through the client where the API can."""
    if status == "draft" and type_name in CREATABLE:
        return create_draft(company, CREATABLE[type_name]).id
    return make_document(
        company.sandbox, doc_type=type_name, status=status, date=timezone.localdate()
    ).pk


@pytest.mark.parametrize("type_name", sorted(PATHS))
def test_the_table_matches_what_the_service_accepts_and_refuses(live_company, type_name):
    client = live_company.account.client()
    assert type_name in lifecycle.TRANSITIONS
    for status in STATUSES:
        allowed = lifecycle.TRANSITIONS[type_name].get(status, ())
        for action in Action:
            doc_id = _document_in(live_company, type_name, status)
            state = lifecycle.SPECS[action].state
            where = f"{type_name} {status} {action}"
            if action in allowed:
                changed = client.change_state(PATHS[type_name], doc_id, state, "Teste")
                expected = (
                    lifecycle.FINALIZED_STATUS.get(type_name, "final")
                    if action == Action.FINALIZE
                    else LEADS_TO[action]
                )
                assert changed.status == expected, where
                assert sandbox_doc(doc_id).status == expected, where
            else:
                with pytest.raises(Rejected):
                    client.change_state(PATHS[type_name], doc_id, state, "Teste")
                assert sandbox_doc(doc_id).status == status, where


def test_a_cancellation_without_a_message_is_refused_by_the_service(live_company):
    doc_id = _document_in(live_company, "Invoice", "final")
    with pytest.raises(Rejected) as refused:
        live_company.account.client().change_state("invoices", doc_id, "canceled")
    assert "message is required" in refused.value.message


# ---- each type through the page ---------------------------------------------------------------


@pytest.mark.parametrize("type_name", sorted(CREATABLE))
def test_each_type_walks_its_transitions_through_the_page(client, live_company, type_name):
    client.force_login(live_company.manager)
    draft = create_draft(live_company, CREATABLE[type_name])
    html = client.get(doc_url(draft)).content.decode()
    assert 'id="action-finalize"' in html and 'id="action-delete"' in html

    client.post(doc_url(draft, "finalize"), {"confirm": "1"}, headers=HTMX)
    status = lifecycle.FINALIZED_STATUS.get(type_name, "final")
    assert sandbox_doc(draft.id).status == status
    walk = {
        "final": [("settle", "settled"), ("unsettle", "final"), ("cancel", "canceled")],
        "settled": [("cancel", "canceled")],
    }[status]
    for action, leads_to in walk:
        now = sandbox_doc(draft.id).status
        expected = {a.value for a in lifecycle.TRANSITIONS[type_name][now]}
        assert offered_actions(client.get(doc_url(draft)).content.decode()) == expected, action
        response = client.post(
            doc_url(draft, action), {"confirm": "1", "reason": "Erro de faturação"}, headers=HTMX
        )
        assert response.status_code == 200
        assert sandbox_doc(draft.id).status == leads_to, action
        assert f'data-status="{leads_to}"' in response.content.decode()
    assert offered_actions(client.get(doc_url(draft)).content.decode()) == set()


# ---- the rules, without the service -------------------------------------------------------------

TODAY = dt.date(2026, 11, 20)


def _doc(type_name: str = "Invoice", status: str = "final", date: str = "20/11/2026", **more):
    return Document.from_api(
        {
            "id": 7,
            "type": type_name,
            "status": status,
            "date": date,
            "inverted_sequence_number": "A/3",
            **more,
        }
    )


def _actions(doc: Document, role: Role = Role.MANAGER, mine: bool = False):
    return lifecycle.allowed_actions(doc, role=role, today=TODAY, created_by_user=lambda: mine)


def test_a_same_day_final_invoice_can_be_canceled_but_not_once_older_or_sent():
    assert Action.CANCEL in _actions(_doc())
    assert Action.CANCEL not in _actions(_doc(date="19/11/2026"))
    assert Action.CANCEL not in _actions(_doc(status="sent"))
    assert Action.CANCEL not in _actions(_doc(date=""))
    assert Action.SETTLE in _actions(_doc(status="sent"))


def test_a_clerk_may_only_delete_their_own_drafts_and_a_viewer_nothing():
    draft = _doc(status="draft")
    assert _actions(draft, Role.MANAGER) == (Action.FINALIZE, Action.DELETE)
    assert _actions(draft, Role.CLERK, mine=True) == (Action.DELETE,)
    assert _actions(draft, Role.CLERK, mine=False) == ()
    assert _actions(_doc(), Role.CLERK, mine=True) == ()
    assert _actions(draft, Role.VIEWER, mine=True) == ()


def test_canceled_and_unknown_types_offer_nothing():
    assert _actions(_doc(status="canceled")) == ()
    assert _actions(_doc(type_name="CashInvoice")) == ()


def _sequences() -> list[Sequence]:
    def seq(i, serie, default, number, code, counter_id):
        return Sequence.from_api(
            {
                "id": i,
                "serie": serie,
                "default_sequence": 1 if default else 0,
                "current_invoice_number": number,
                "current_invoice_sequence_id": counter_id,
                "current_invoice_validation_code": code,
            }
        )

    return [seq(1, "2026", True, 28, "ABCD1234", "11"), seq(2, "B", False, 4, "N/D", "21")]


def test_the_next_number_comes_from_the_drafts_series_or_else_the_default():
    on_b = lifecycle.next_number(_doc(status="draft", sequence_id="21"), _sequences())
    assert (on_b.display, on_b.atcud, on_b.not_registered) == ("FT B/5", "", True)
    default = lifecycle.next_number(_doc(status="draft"), _sequences())
    assert (default.display, default.atcud) == ("FT 2026/29", "ABCD1234-29")
    assert lifecycle.next_number(_doc(status="draft", sequence_id="99"), _sequences()) is None
