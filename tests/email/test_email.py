"""E-mail a document: PUT /{type}/{id}/email-document.json through the real client against
the sandbox (empty success body, 422 messages), the form, the templates, roles and tenancy."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
import responses

from invoices.email.wording import fill
from invoices.invoicexpress.errors import Rejected
from invoices.models import AuditEntry, EmailTemplate, SentEmail
from sandbox.models import SandboxClient, SandboxDocument, SandboxEmail
from tests.lifecycle.helpers import create_draft
from tests.payments.helpers import final_invoice


def email_url(doc) -> str:
    return f"/c/acme/documents/invoices/{doc.id}/email/"


def email_form(**changes) -> dict:
    data = {
        "to": "contas@cliente.pt",
        "cc": "",
        "bcc": "",
        "language": "pt",
        "subject": "Fatura",
        "body": "Segue a fatura.",
    }
    data.update(changes)
    return data


# ---- the client against the sandbox ---------------------------------------------------------


def test_the_client_sends_and_accepts_the_empty_answer(live_company):
    invoice = final_invoice(live_company)
    result = live_company.account.client().email_document(
        "invoices",
        invoice.id,
        to="a@b.pt",
        subject="S",
        body="B",
        cc="c@d.pt",
        save_client_email=True,
    )
    assert result is None
    sent = SandboxEmail.objects.get()
    assert (sent.to, sent.cc, sent.subject) == ("a@b.pt", "c@d.pt", "S")
    assert SandboxClient.objects.get(documents__pk=invoice.id).email == "a@b.pt"
    assert SandboxDocument.objects.get(pk=invoice.id).status == "sent"


def test_the_sandbox_names_each_bad_address(live_company):
    invoice = final_invoice(live_company)
    with pytest.raises(Rejected) as caught:
        live_company.account.client().email_document(
            "invoices", invoice.id, to="nope", subject="S", body="B", cc="x@y.pt, bad", bcc="@"
        )
    assert caught.value.errors == [
        "Email: is an invalid email",
        "Cc: is an invalid email",
        "Bcc: is an invalid email",
    ]


def test_the_sandbox_does_not_send_a_draft(live_company):
    draft = create_draft(live_company)
    with pytest.raises(Rejected):
        live_company.account.client().email_document(
            "invoices", draft.id, to="a@b.pt", subject="S", body="B"
        )
    assert not SandboxEmail.objects.exists()


@responses.activate
def test_a_json_body_on_success_is_accepted_too(cast):
    responses.add(responses.PUT, "http://127.0.0.1:9/invoices/3/email-document.json", json={})
    cast.account.client().email_document("invoices", 3, to="a@b.pt", subject="S", body="B")


# ---- the page -------------------------------------------------------------------------------


def test_the_form_starts_with_the_clients_address_and_the_company_template(client, live_company):
    invoice = final_invoice(
        live_company, client={"name": "Cliente, Lda.", "email": "geral@cliente.pt"}
    )
    client.force_login(live_company.clerk)
    html = client.get(email_url(invoice)).content.decode()
    assert 'value="geral@cliente.pt"' in html
    assert f"Fatura {invoice.display_number} de Acme, Lda." in html.replace("&#x27;", "'")
    EmailTemplate.objects.create(
        account=live_company.account,
        language="en",
        subject="Your {document}",
        body="Hi {client}, {total}",
    )
    html = client.get(email_url(invoice) + "?language=en").content.decode()
    assert f"Your Invoice {invoice.display_number}" in html
    assert "Hi Cliente, Lda., 246,00" in html


def test_a_clerk_emails_a_final_invoice_and_the_page_shows_it(client, live_company):
    invoice = final_invoice(live_company)
    client.force_login(live_company.clerk)
    response = client.post(email_url(invoice), email_form(cc="a@x.pt; b@y.pt", save_address="on"))
    assert response.status_code == 302
    sent = SandboxEmail.objects.get()
    assert (sent.to, sent.cc) == ("contas@cliente.pt", "a@x.pt, b@y.pt")
    row = SentEmail.objects.get()
    assert (row.status, row.to, row.user) == ("sent", "contas@cliente.pt", live_company.clerk)
    audit = AuditEntry.objects.get(action="document.email")
    assert audit.outcome == "ok" and "contas@cliente.pt" in audit.text
    page = client.get(f"/c/acme/documents/invoices/{invoice.id}/").content.decode()
    assert 'id="document-emails"' in page and "contas@cliente.pt" in page


def test_a_refused_address_comes_back_in_the_form_with_the_input_kept(client, live_company):
    invoice = final_invoice(live_company)
    client.force_login(live_company.clerk)
    # Django accepts this address; the service's stricter rule refuses it.
    response = client.post(email_url(invoice), email_form(to="someone@localhost", body="Typed"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Email: is an invalid email" in html and "Typed" in html
    assert SentEmail.objects.get().status == "failed"


def test_bad_cc_is_caught_before_sending(client, live_company):
    invoice = final_invoice(live_company)
    client.force_login(live_company.clerk)
    response = client.post(email_url(invoice), email_form(cc="ok@x.pt, not-an-address"))
    assert "is not an e-mail address" in response.content.decode()
    assert not SentEmail.objects.exists()


def test_a_draft_is_not_offered_for_emailing(client, live_company):
    draft = create_draft(live_company)
    client.force_login(live_company.clerk)
    response = client.get(email_url(draft), follow=True)
    assert "Only a finalized document can be e-mailed" in response.content.decode()
    assert 'id="action-email"' not in response.content.decode()


def test_viewers_and_outsiders_cannot_email(client, live_company):
    invoice = final_invoice(live_company)
    client.force_login(live_company.viewer)
    assert client.post(email_url(invoice), email_form()).status_code == 403
    client.force_login(live_company.outsider)
    assert client.get(email_url(invoice)).status_code == 404
    assert not SandboxEmail.objects.exists()


def test_only_known_placeholders_are_filled():
    doc = SimpleNamespace(
        type=SimpleNamespace(label="Invoice"),
        display_number="FT A/1",
        client=SimpleNamespace(name="C"),
        total_payable=Decimal("1.5"),
        currency="Euro",
        due_date=None,
    )
    account = SimpleNamespace(name="Acme")
    text = fill("{document} {unknown} {client} {total} {due_date} {company} {", doc, account)
    assert text == "Invoice FT A/1 {unknown} C 1,50\u00a0€ — Acme {"


def test_a_manager_changes_the_companys_wording(client, cast):
    client.force_login(cast.manager)
    page = client.get("/c/acme/email/templates/").content.decode()
    assert "Caro(a) {client}" in page and "Dear {client}" in page
    data = {
        "pt-subject": "Documento {document}",
        "pt-body": "Olá {client}",
        "en-subject": "Document {document}",
        "en-body": "Hello {client}",
    }
    assert client.post("/c/acme/email/templates/", data).status_code == 302
    assert EmailTemplate.wording(cast.account, "pt") == ("Documento {document}", "Olá {client}")
    assert EmailTemplate.wording(cast.other_account, "pt")[0] == "{document} de {company}"


def test_only_managers_change_the_wording(client, cast):
    client.force_login(cast.clerk)
    assert client.get("/c/acme/email/templates/").status_code == 403
    client.force_login(cast.outsider)
    assert client.post("/c/acme/email/templates/", {}).status_code == 404
    assert not EmailTemplate.objects.exists()
