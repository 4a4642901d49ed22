"""What the audit log keeps of a draft edit: our sentences as codes with parameters (shown
in the reader's language), InvoiceXpress's own words apart (quoted, never translated)."""

from __future__ import annotations

from django.conf import settings

from invoices.models import AuditEntry
from sandbox import faults
from tests.drafts.test_edit import edit_url, form_post
from tests.lifecycle.helpers import create_draft

AUDIT = "/c/acme/audit/"


def test_a_refused_edit_is_stored_as_codes_and_read_in_portuguese(client, live_company):
    draft = create_draft(live_company)
    client.force_login(live_company.clerk)
    data = form_post(live_company, draft, reference="TYPED")
    live_company.account.client().change_state("invoices", draft.id, "finalized")
    client.post(edit_url(draft), data)
    entry = AuditEntry.objects.get(action="document.edit")
    assert entry.sentences == [
        {"msgid": "InvoiceXpress refused it (422).", "params": {"status": 422}}
    ]
    assert entry.detail == "Invoice can't be changed anymore"

    client.force_login(live_company.manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pt-pt"
    html = client.get(AUDIT).content.decode()
    assert "O InvoiceXpress recusou-o (422)." in html and "refused it" not in html
    assert "O InvoiceXpress disse: «Invoice can&#x27;t be changed anymore»" in html


def test_an_edit_without_an_answer_is_unknown_in_the_readers_language(client, live_company):
    draft = create_draft(live_company)
    client.force_login(live_company.clerk)
    data = form_post(live_company, draft, reference="TYPED")
    faults.inject("acme", "503", count=None, path_prefix=f"invoices/{draft.id}.json")
    client.post(edit_url(draft), data)
    entry = AuditEntry.objects.get(action="document.edit")
    assert entry.outcome == "unknown"
    assert entry.sentences == [
        {"msgid": "InvoiceXpress failed (error %(status)s).", "params": {"status": 503}}
    ]
    assert entry.detail == ""

    faults.clear("acme")
    client.force_login(live_company.manager)
    assert "InvoiceXpress failed (error 503)." in client.get(AUDIT).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pt-pt"
    assert "O InvoiceXpress falhou (erro 503)." in client.get(AUDIT).content.decode()
