"""What an e-mail's row and its audit entry keep: our sentences as codes with parameters
(shown in the reader's language), InvoiceXpress's own words apart (quoted, never translated)."""

from __future__ import annotations

from django.conf import settings

from invoices.models import AuditEntry, SentEmail
from sandbox import faults
from tests.email.test_email import email_form, email_url
from tests.payments.helpers import final_invoice

REFUSED = {"msgid": "InvoiceXpress refused it (422).", "params": {"status": 422}}
SAID = "Email: is an invalid email"


def speak_portuguese(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pt-pt"


def test_a_refused_address_is_stored_as_codes_and_the_services_words_apart(client, live_company):
    invoice = final_invoice(live_company)
    client.force_login(live_company.clerk)
    client.post(email_url(invoice), email_form(to="someone@localhost"))
    sent = SentEmail.objects.get()
    assert (sent.status, sent.sentences, sent.said) == ("failed", [REFUSED], SAID)
    entry = AuditEntry.objects.get(action="document.email")
    assert entry.sentences == [
        {"msgid": "To %(who)s.", "params": {"who": "someone@localhost"}},
        REFUSED,
    ]
    assert entry.detail == SAID


def test_a_refused_address_reads_in_portuguese_with_the_services_words_quoted(client, live_company):
    invoice = final_invoice(live_company)
    client.force_login(live_company.manager)
    speak_portuguese(client)
    form = client.post(email_url(invoice), email_form(to="someone@localhost")).content.decode()
    assert f"O InvoiceXpress recusou-o (422). O InvoiceXpress disse: «{SAID}»" in form

    page = client.get(f"/c/acme/documents/invoices/{invoice.id}/").content.decode()
    assert "O InvoiceXpress recusou-o (422)." in page
    assert f"O InvoiceXpress disse: «{SAID}»" in page and "refused it" not in page
    audit = client.get("/c/acme/audit/").content.decode()
    assert "Para someone@localhost. O InvoiceXpress recusou-o (422)." in audit
    assert f"O InvoiceXpress disse: «{SAID}»" in audit


def test_an_unanswered_send_reads_in_the_readers_language(client, live_company):
    invoice = final_invoice(live_company)
    client.force_login(live_company.clerk)
    faults.inject("acme", "503", count=None, path_prefix=f"invoices/{invoice.id}/email-document")
    client.post(email_url(invoice), email_form())
    faults.clear("acme")
    sent = SentEmail.objects.get()
    assert sent.status == "unknown"
    assert sent.sentences == [
        {"msgid": "InvoiceXpress failed (error %(status)s).", "params": {"status": 503}},
        {
            "msgid": "We do not know whether InvoiceXpress sent it; check with the client "
            "before sending again.",
            "params": {},
        },
    ]
    page_url = f"/c/acme/documents/invoices/{invoice.id}/"
    english = client.get(page_url).content.decode()
    assert "InvoiceXpress failed (error 503). We do not know whether InvoiceXpress sent it" in (
        english
    )
    speak_portuguese(client)
    portuguese = client.get(page_url).content.decode()
    assert "O InvoiceXpress falhou (erro 503). Não sabemos se o InvoiceXpress o enviou" in (
        portuguese
    )
    assert "We do not know" not in portuguese
