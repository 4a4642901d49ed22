"""What a payment's row and its audit entries keep: our sentences as codes with parameters
(shown in the reader's language), InvoiceXpress's own words apart (quoted, never
translated), and a reason typed by a person as typed."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from invoices.models import AuditEntry, Payment
from sandbox import faults
from tests.payments.helpers import final_invoice
from tests.payments.test_payments import TODAY, pay_form, pay_url

REFUSED = {"msgid": "InvoiceXpress refused it (422).", "params": {"status": 422}}
SAID = "Payment date can't be earlier than the document date"


def speak_portuguese(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pt-pt"


def page_of(client, invoice) -> str:
    return client.get(f"/c/acme/documents/invoices/{invoice.id}/").content.decode()


def test_a_refusal_is_stored_as_codes_and_read_in_portuguese(client, live_company):
    invoice = final_invoice(live_company)
    client.force_login(live_company.manager)
    speak_portuguese(client)
    early = (TODAY() - dt.timedelta(days=400)).strftime("%d/%m/%Y")
    form = client.post(pay_url(invoice), pay_form("10", payment_date=early)).content.decode()
    assert "O InvoiceXpress recusou-o (422). O InvoiceXpress disse: «Payment date can&#x27;t" in (
        form
    )
    payment = Payment.objects.get()
    assert (payment.status, payment.sentences, payment.said) == ("failed", [REFUSED], SAID)
    entry = AuditEntry.objects.get(action="payment.register")
    assert (entry.sentences, entry.detail) == ([REFUSED], SAID)

    page = page_of(client, invoice)
    assert "O InvoiceXpress recusou-o (422)." in page and "refused it" not in page
    assert "O InvoiceXpress disse: «Payment date can&#x27;t be earlier" in page
    audit = client.get("/c/acme/audit/").content.decode()
    assert "O InvoiceXpress recusou-o (422)." in audit
    assert "O InvoiceXpress disse: «Payment date can&#x27;t be earlier" in audit


def test_an_unanswered_payment_reads_in_the_readers_language(client, live_company):
    invoice = final_invoice(live_company)
    client.force_login(live_company.clerk)
    faults.inject("acme", "503", count=None, path_prefix=f"documents/{invoice.id}/partial")
    client.post(pay_url(invoice), pay_form("10"))
    faults.clear("acme")
    payment = Payment.objects.get()
    assert payment.status == "unknown"
    assert [item["msgid"] for item in payment.sentences] == [
        "InvoiceXpress failed (error %(status)s).",
        "We do not know whether InvoiceXpress registered the payment: check the invoice's "
        "receipts on InvoiceXpress before registering it again.",
    ]
    assert "InvoiceXpress failed (error 503). We do not know" in page_of(client, invoice)
    speak_portuguese(client)
    portuguese = page_of(client, invoice)
    assert "O InvoiceXpress falhou (erro 503). Não sabemos se o InvoiceXpress registou" in (
        portuguese
    )
    assert "We do not know" not in portuguese


def test_a_receipt_and_a_typed_reason_are_parameters_of_our_sentences(client, live_company):
    invoice = final_invoice(live_company)
    client.force_login(live_company.manager)
    client.post(pay_url(invoice), pay_form("246.00"))
    payment = Payment.objects.get()
    registered = AuditEntry.objects.get(action="payment.register")
    assert registered.sentences == [
        {
            "msgid": "Receipt %(number)s (id %(id)s)",
            "params": {"number": payment.receipt_number, "id": payment.receipt_id},
        }
    ]
    cancel = f"/c/acme/documents/invoices/{invoice.id}/payments/{payment.pk}/cancel/"
    client.post(cancel, {"reason": "Transfer returned"})
    canceled = AuditEntry.objects.get(action="receipt.cancel")
    assert canceled.sentences == [
        {"msgid": "Reason given: “%(reason)s”.", "params": {"reason": "Transfer returned"}}
    ]

    speak_portuguese(client)
    audit = client.get("/c/acme/audit/").content.decode()
    assert f"Recibo {payment.receipt_number} (id {payment.receipt_id})" in audit
    # The person's own words stay as typed, inside our translated sentence.
    assert "Motivo indicado: «Transfer returned»." in audit
    assert "Reason given" not in audit
