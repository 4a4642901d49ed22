"""Edit a draft (PUT /{type}/{id}.json) and duplicate a document, through the views and the
real client against the sandbox over HTTP."""

from __future__ import annotations

import uuid

import pytest
import responses

from invoices import company_cache
from invoices.create.prefill import raw_from_document
from invoices.invoicexpress.errors import Rejected
from invoices.models import AuditEntry
from sandbox.models import SandboxDocument
from tests.lifecycle.helpers import create_draft, minimal_invoice


def edit_url(doc) -> str:
    return f"/c/acme/documents/{doc.type.path}/{doc.id}/edit/"


def form_post(company, doc, **header) -> dict:
    """What the browser posts from the edit form, with `header` changes."""
    account = company.account
    raw = raw_from_document(
        doc,
        sequences=company_cache.get_sequences(account),
        taxes=company_cache.get_taxes(account),
        token=uuid.uuid4(),
        doc_type=doc.type.path,
    )
    raw.header.update(header)
    data = raw.data()
    data["submit_document"] = "1"
    return data


# ---- the client and the sandbox -------------------------------------------------------------


def test_the_client_replaces_a_draft_wholesale(live_company):
    draft = create_draft(live_company)
    api = live_company.account.client()
    body = minimal_invoice(reference="PO-9")
    body["items"][0]["quantity"] = "3"
    updated = api.update_document("invoices", draft.id, body)
    assert updated.id == draft.id and updated.reference == "PO-9"
    assert updated.total == updated.before_taxes + updated.taxes
    assert [i.quantity for i in updated.items] == [3]


def test_the_sandbox_refuses_to_change_an_issued_document(live_company):
    draft = create_draft(live_company)
    api = live_company.account.client()
    api.change_state("invoices", draft.id, "finalized")
    with pytest.raises(Rejected) as caught:
        api.update_document("invoices", draft.id, minimal_invoice())
    assert caught.value.errors == ["Invoice can't be changed anymore"]


@responses.activate
def test_an_empty_answer_to_the_put_reads_the_draft_back(cast):
    base = "http://127.0.0.1:9"
    responses.add(responses.PUT, f"{base}/invoices/5.json", body="", status=200)
    responses.add(
        responses.GET,
        f"{base}/invoices/5.json",
        json={"invoice": {"id": 5, "type": "Invoice", "status": "draft", "total": 10}},
    )
    doc = cast.account.client().update_document("invoices", 5, minimal_invoice())
    assert (doc.id, doc.status) == (5, "draft")


# ---- the edit page --------------------------------------------------------------------------


def test_a_clerk_edits_a_draft_and_it_is_audited(client, live_company):
    draft = create_draft(live_company, reference="OLD")
    client.force_login(live_company.clerk)
    page = client.get(edit_url(draft))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="OLD"' in html and "Consultoria" in html and "Save draft" in html
    response = client.post(edit_url(draft), form_post(live_company, draft, reference="NEW"))
    assert response.status_code == 302
    assert response["Location"] == f"/c/acme/documents/invoices/{draft.id}/"
    stored = SandboxDocument.objects.get(pk=draft.id)
    assert stored.reference == "NEW" and stored.lines.count() == 1
    entry = AuditEntry.objects.get(action="document.edit")
    assert (entry.outcome, entry.document_id, entry.username) == ("ok", draft.id, "clerk")


def test_a_refusal_upstream_keeps_the_input_in_the_form(client, live_company):
    draft = create_draft(live_company)
    client.force_login(live_company.clerk)
    data = form_post(live_company, draft, reference="TYPED")
    live_company.account.client().change_state("invoices", draft.id, "finalized")
    response = client.post(edit_url(draft), data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Invoice can&#x27;t be changed anymore" in html and 'value="TYPED"' in html
    assert AuditEntry.objects.get(action="document.edit").outcome == "failed"


def test_the_form_checks_run_before_anything_is_sent(client, live_company):
    draft = create_draft(live_company)
    client.force_login(live_company.clerk)
    response = client.post(edit_url(draft), form_post(live_company, draft, due_date="01/01/2000"))
    assert response.status_code == 200
    assert "The due date cannot be before the document date." in response.content.decode()
    assert not AuditEntry.objects.filter(action="document.edit").exists()


def test_an_issued_document_is_not_offered_for_editing(client, live_company):
    draft = create_draft(live_company)
    live_company.account.client().change_state("invoices", draft.id, "finalized")
    client.force_login(live_company.clerk)
    response = client.get(edit_url(draft), follow=True)
    assert "Only a draft can be edited" in response.content.decode()
    assert 'id="action-edit"' not in response.content.decode()


def test_viewers_and_outsiders_cannot_edit(client, live_company):
    draft = create_draft(live_company)
    client.force_login(live_company.viewer)
    assert client.get(edit_url(draft)).status_code == 403
    assert client.post(edit_url(draft), {}).status_code == 403
    client.force_login(live_company.outsider)
    assert client.get(edit_url(draft)).status_code == 404
    assert client.get(f"/c/acme/documents/invoices/{draft.id}/duplicate/").status_code == 404


def test_the_document_page_offers_edit_and_duplicate_to_clerks_only(client, live_company):
    draft = create_draft(live_company)
    client.force_login(live_company.clerk)
    html = client.get(f"/c/acme/documents/invoices/{draft.id}/").content.decode()
    assert 'id="action-edit"' in html and 'id="action-duplicate"' in html
    client.force_login(live_company.viewer)
    html = client.get(f"/c/acme/documents/invoices/{draft.id}/").content.decode()
    assert 'id="action-edit"' not in html and 'id="action-duplicate"' not in html


def test_duplicate_prefills_the_create_form_and_creates_a_new_draft(client, live_company):
    original = create_draft(live_company, reference="DUP-1")
    live_company.account.client().change_state("invoices", original.id, "finalized")
    client.force_login(live_company.clerk)
    page = client.get(f"/c/acme/documents/invoices/{original.id}/duplicate/")
    html = page.content.decode()
    assert page.status_code == 200 and 'value="DUP-1"' in html and "Create draft" in html
    assert 'action="/c/acme/documents/new/"' in html
    copy = live_company.account.client().get_document("invoices", original.id)
    response = client.post("/c/acme/documents/new/", form_post(live_company, copy))
    assert response.status_code == 302
    drafts = SandboxDocument.objects.filter(reference="DUP-1").order_by("pk")
    assert [d.status for d in drafts] == ["final", "draft"]


def test_adding_a_line_on_the_edit_form_keeps_what_was_typed(client, live_company):
    draft = create_draft(live_company)
    client.force_login(live_company.clerk)
    data = form_post(live_company, draft, reference="KEEP")
    del data["submit_document"]
    data["add_line"] = "1"
    response = client.post(edit_url(draft), data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'value="KEEP"' in html and 'name="items-1-name"' in html
    assert f'hx-post="/c/acme/documents/invoices/{draft.id}/edit/"' in html
    assert SandboxDocument.objects.get(pk=draft.id).reference == ""
