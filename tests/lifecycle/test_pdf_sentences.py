"""What the audit log keeps of a PDF asked for: our sentences as codes with parameters,
shown in the reader's language."""

from __future__ import annotations

import pytest
from django.conf import settings

from invoices.models import AuditEntry
from sandbox import faults
from tests.lifecycle.helpers import HTMX, create_draft, doc_url
from tests.lifecycle.test_pdf import pending_calls

NO_PDF = {"msgid": "A draft has no PDF yet: finalize it first.", "params": {}}
SECOND_COPY = {"msgid": "(second copy)", "params": {}}


@pytest.fixture
def invoice(live_company):
    draft = create_draft(live_company)
    return live_company.account.client().change_state("invoices", draft.id, "finalized")


def audit_in_portuguese(client, company) -> str:
    client.force_login(company.manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pt-pt"
    return client.get("/c/acme/audit/").content.decode()


def test_a_drafts_missing_second_copy_is_stored_as_codes_and_read_in_portuguese(
    client, live_company
):
    draft = create_draft(live_company)
    client.force_login(live_company.viewer)
    client.get(doc_url(draft, "pdf") + "?copy=1", headers=HTMX)
    entry = AuditEntry.objects.get(action="document.pdf")
    assert (entry.outcome, entry.sentences) == ("failed", [NO_PDF, SECOND_COPY])
    html = audit_in_portuguese(client, live_company)
    assert "Um rascunho ainda não tem PDF: finalize-o primeiro. (segunda via)" in html
    assert "finalize it first" not in html


def test_a_failing_service_is_stored_as_codes(client, live_company, invoice):
    client.force_login(live_company.viewer)
    faults.inject("acme", "503", count=None, path_prefix="api/pdf/")
    client.get(doc_url(invoice, "pdf") + "?copy=0", headers=HTMX)
    faults.clear("acme")
    entry = AuditEntry.objects.get(action="document.pdf")
    assert entry.sentences == [
        {"msgid": "InvoiceXpress failed (error %(status)s).", "params": {"status": 503}}
    ]
    assert "O InvoiceXpress falhou (erro 503)." in audit_in_portuguese(client, live_company)


def test_a_downloaded_second_copy_says_so_in_the_readers_language(client, live_company, invoice):
    pending_calls(live_company, 0)
    client.force_login(live_company.viewer)
    response = client.get(doc_url(invoice, "pdf/download") + "?copy=1")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="document.pdf")
    assert (entry.outcome, entry.sentences) == ("ok", [SECOND_COPY])
    assert "(segunda via)" in audit_in_portuguese(client, live_company)
