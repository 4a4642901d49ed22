"""A cancel that InvoiceXpress refuses or fails keeps the typed reason in its form, in every
failure mode the sandbox can inject (over real HTTP), with and without JavaScript."""

from __future__ import annotations

import re
from html import unescape

import pytest

from invoices.models import AuditEntry
from sandbox import faults
from tests.lifecycle.helpers import HTMX, create_draft, doc_url, last_audit, sandbox_doc, wait_for

REASON = "Cliente errado: era a Globex & Filhos <Lda>"


@pytest.fixture
def manager(client, live_company, settings):
    settings.IXPORTAL_WRITE_DEADLINE = 0.5
    client.force_login(live_company.manager)
    return client


@pytest.fixture
def final_invoice(live_company):
    draft = create_draft(live_company)
    return live_company.account.client().change_state("invoices", draft.id, "finalized")


def kept_reason(html: str) -> str:
    found = re.search(r'<textarea name="reason"[^>]*>(.*?)</textarea>', html, re.S)
    assert found, "the cancel form is not on the page"
    return unescape(found[1])


FAILURES = [
    ("429", "failed"),
    ("500", "unknown"),
    ("502", "unknown"),
    ("503", "unknown"),
    ("html", "unknown"),
    ("broken_json", "unknown"),
    ("timeout", "unknown"),
    ("422_a", "failed"),
    ("422_d", "failed"),
    ("422_xml", "failed"),
    ("422_html", "failed"),
]


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
@pytest.mark.parametrize(("mode", "outcome"), FAILURES)
def test_a_failed_cancel_keeps_the_reason_in_its_form(manager, final_invoice, mode, outcome, htmx):
    faults.inject(
        "acme",
        mode,
        count=None,
        path_prefix=f"invoices/{final_invoice.id}/change-state",
        timeout_seconds=1.0,
    )
    response = manager.post(
        doc_url(final_invoice, "cancel"),
        {"confirm": "1", "reason": REASON},
        headers=HTMX if htmx else {},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert kept_reason(html) == REASON
    assert 'id="lifecycle-notice"' in html
    assert last_audit("document.cancel").outcome == outcome
    if outcome == "unknown":
        assert 'id="check-again"' in html
    if mode == "422_xml":
        assert "Your current plan does not allow you to do this" in html
    if mode == "timeout":  # the sandbox finishes the write after the client gave up
        assert wait_for(lambda: sandbox_doc(final_invoice.id).status == "canceled")
    faults.clear("acme")


def test_sending_the_kept_reason_again_after_an_unknown_outcome_never_cancels_twice(
    manager, final_invoice
):
    faults.inject(
        "acme", "broken_json", count=1, path_prefix=f"invoices/{final_invoice.id}/change-state"
    )
    url = doc_url(final_invoice, "cancel")
    first = manager.post(url, {"confirm": "1", "reason": REASON}, headers=HTMX).content.decode()
    assert kept_reason(first) == REASON
    assert sandbox_doc(final_invoice.id).status == "canceled"  # it did go through
    again = manager.post(url, {"confirm": "1", "reason": REASON}, headers=HTMX).content.decode()
    assert "Not possible now" in again
    assert AuditEntry.objects.filter(action="document.cancel").count() == 1


def test_a_cancel_whose_document_cannot_be_read_first_keeps_the_reason(manager, final_invoice):
    faults.inject("acme", "503", count=None, path_prefix=f"invoices/{final_invoice.id}.json")
    response = manager.post(
        doc_url(final_invoice, "cancel"), {"confirm": "1", "reason": REASON}, headers=HTMX
    )
    html = response.content.decode()
    assert response["HX-Retarget"] == "#lifecycle-panel"
    assert "Nothing was changed." in html
    assert kept_reason(html) == REASON
    assert "Cancel this document?" in html
    faults.clear("acme")
    assert sandbox_doc(final_invoice.id).status == "final"
