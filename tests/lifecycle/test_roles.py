"""Who may act on a document: viewers never, clerks only on their own drafts, outsiders
not even see it (404), managers everything."""

from __future__ import annotations

import pytest

from tests.lifecycle.helpers import (
    HTMX,
    create_draft,
    doc_url,
    last_audit,
    sandbox_doc,
)

# ---- roles and tenancy ----------------------------------------------------------------------

ACTIONS = ["finalize", "delete", "cancel", "settle", "unsettle"]


@pytest.mark.parametrize("action", ACTIONS)
def test_a_viewer_is_refused_every_action(client, cast, action):
    client.force_login(cast.viewer)
    url = f"/c/acme/documents/invoices/1/{action}/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": "1", "reason": "x"}).status_code == 403


@pytest.mark.parametrize("action", ["finalize", "cancel", "settle", "unsettle"])
def test_a_clerk_may_not_finalize_cancel_or_settle(client, cast, action):
    client.force_login(cast.clerk)
    url = f"/c/acme/documents/invoices/1/{action}/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": "1", "reason": "x"}).status_code == 403


@pytest.mark.parametrize("action", ACTIONS)
def test_an_outsider_gets_404_for_every_action(client, cast, action):
    client.force_login(cast.outsider)
    url = f"/c/acme/documents/invoices/1/{action}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "1", "reason": "x"}).status_code == 404
    assert client.get("/c/acme/documents/invoices/1/header/").status_code == 404


def test_a_superuser_who_is_no_member_gets_404(client, cast):
    client.force_login(cast.superuser)
    assert client.post("/c/acme/documents/invoices/1/finalize/").status_code == 404


def test_an_unknown_document_type_is_404(client, cast):
    client.force_login(cast.manager)
    assert client.get("/c/acme/documents/proformas/1/finalize/").status_code == 404


def test_a_clerk_may_delete_a_draft_they_created_here(client, live_company):
    from invoices.models.submissions import Submission

    draft = create_draft(live_company)
    Submission.objects.create(
        account=live_company.account,
        token="6f1c7b1e-9d0a-4c6e-8f7e-3a2b1c0d9e8f",
        user=live_company.clerk,
        document_type="invoices",
        status=Submission.Status.CREATED,
        document_id=draft.id,
    )
    client.force_login(live_company.clerk)
    html = client.get(doc_url(draft)).content.decode()
    assert 'id="action-delete"' in html and 'id="action-finalize"' not in html
    response = client.post(doc_url(draft, "delete"), {"confirm": "1"}, headers=HTMX)
    assert response["HX-Redirect"] == "/c/acme/documents/"
    assert sandbox_doc(draft.id).status == "deleted"
    assert last_audit("document.delete").username == "clerk"


def test_a_clerk_may_not_delete_a_draft_someone_else_created(client, live_company):
    draft = create_draft(live_company)
    client.force_login(live_company.clerk)
    assert 'id="action-delete"' not in client.get(doc_url(draft)).content.decode()
    assert client.post(doc_url(draft, "delete"), {"confirm": "1"}).status_code == 403
    assert sandbox_doc(draft.id).status == "draft"
