"""Payments: partial_payments makes receipts until the invoice is settled; a receipt can be
canceled (managers); receipts are in the sandbox's SAF-T. Real client, sandbox over HTTP."""

from __future__ import annotations

import datetime as dt
import json
import uuid
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
import responses
from django.utils import timezone

from invoices.invoicexpress.errors import Rejected
from invoices.models import AuditEntry, Payment
from sandbox.models import SandboxDocument
from sandbox.saft_xml import NAMESPACE, audit_file
from tests.lifecycle.helpers import create_draft
from tests.payments.helpers import final_invoice

TODAY = timezone.localdate


def pay_url(doc) -> str:
    return f"/c/acme/documents/invoices/{doc.id}/payments/"


def pay_form(amount: str, **more) -> dict:
    return {
        "token": str(uuid.uuid4()),
        "amount": amount,
        "payment_date": TODAY().strftime("%d/%m/%Y"),
        "mechanism": "TB",
        "note": "",
        "serie": "",
        **more,
    }


# ---- the client against the sandbox ---------------------------------------------------------


def test_partial_payments_make_receipts_until_the_invoice_is_settled(live_company):
    invoice = final_invoice(live_company)
    api = live_company.account.client()
    first = api.register_payment(
        invoice.id, amount=Decimal("100.00"), payment_date=TODAY(), mechanism="TB", note="1/2"
    )
    assert first.type.name == "Receipt" and first.status == "final"
    assert first.owner_invoice_id == invoice.id and first.total == Decimal("100.00")
    assert first.display_number.startswith("RG ")
    assert api.get_document("invoices", invoice.id).status == "final"
    api.register_payment(invoice.id, amount=Decimal("146.00"), payment_date=TODAY(), mechanism="NU")
    assert api.get_document("invoices", invoice.id).status == "settled"


@pytest.mark.parametrize(
    ("amount", "mechanism", "message"),
    [
        ("300.00", "TB", "Amount can't be greater than the amount due (246.00)"),
        ("0", "TB", "Amount must be greater than 0"),
        ("10.00", "XX", "Payment mechanism is not included in the list"),
    ],
)
def test_the_sandbox_refuses_a_bad_payment_with_the_services_messages(
    live_company, amount, mechanism, message
):
    invoice = final_invoice(live_company)
    with pytest.raises(Rejected) as caught:
        live_company.account.client().register_payment(
            invoice.id, amount=Decimal(amount), payment_date=TODAY(), mechanism=mechanism
        )
    assert caught.value.errors == [message]


def test_a_draft_takes_no_payment(live_company):
    draft = create_draft(live_company)
    with pytest.raises(Rejected) as caught:
        live_company.account.client().register_payment(
            draft.id, amount=Decimal("1"), payment_date=TODAY(), mechanism="TB"
        )
    assert caught.value.errors == ["A draft document can't receive payments"]


def test_canceling_a_receipt_unsettles_the_invoice(live_company):
    invoice = final_invoice(live_company)
    api = live_company.account.client()
    receipt = api.register_payment(
        invoice.id, amount=Decimal("246.00"), payment_date=TODAY(), mechanism="MB"
    )
    assert api.get_document("invoices", invoice.id).status == "settled"
    canceled = api.cancel_receipt(receipt.id, "Cheque devolvido")
    assert canceled.status == "canceled"
    assert api.get_document("invoices", invoice.id).status == "final"
    with pytest.raises(Rejected):
        api.cancel_receipt(receipt.id, "again")


def test_receipts_are_in_the_sandboxs_saft(live_company):
    invoice = final_invoice(live_company)
    api = live_company.account.client()
    receipt = api.register_payment(
        invoice.id, amount=Decimal("46.00"), payment_date=TODAY(), mechanism="CC"
    )
    today = TODAY()
    root = ET.fromstring(audit_file(live_company.sandbox, today.year, today.month))
    ns = {"s": NAMESPACE}
    payments = root.find("s:SourceDocuments/s:Payments", ns)
    assert payments.findtext("s:NumberOfEntries", namespaces=ns) == "1"
    assert payments.findtext("s:TotalCredit", namespaces=ns) == "46.00"
    payment = payments.find("s:Payment", ns)
    assert payment.findtext("s:PaymentRefNo", namespaces=ns) == receipt.display_number
    assert payment.findtext("s:PaymentMethod/s:PaymentMechanism", namespaces=ns) == "CC"
    origin = payment.findtext("s:Line/s:SourceDocumentID/s:OriginatingON", namespaces=ns)
    assert origin == invoice.display_number


# ---- the invoice page -----------------------------------------------------------------------


def test_a_clerk_pays_an_invoice_in_two_parts_and_sees_its_receipts(client, live_company):
    invoice = final_invoice(live_company)
    client.force_login(live_company.clerk)
    page = client.get(f"/c/acme/documents/invoices/{invoice.id}/").content.decode()
    assert 'id="payment-open"' in page and 'id="payment-form"' not in page
    form = client.get(pay_url(invoice), headers={"HX-Request": "true"}).content.decode()
    assert 'id="payment-form"' in form and 'value="246.00"' in form  # full pending by default
    assert 'id="payment-form"' in client.get(pay_url(invoice)).content.decode()  # without JS
    response = client.post(pay_url(invoice), pay_form("100,00", note="first half"))
    assert response.status_code == 302
    page = client.get(f"/c/acme/documents/invoices/{invoice.id}/").content.decode()
    assert "146,00" in page and "first half" in page
    client.post(pay_url(invoice), pay_form("146.00", mechanism="NU"))
    page = client.get(f"/c/acme/documents/invoices/{invoice.id}/").content.decode()
    assert 'data-status="settled"' in page and 'id="payment-open"' not in page
    assert Payment.objects.filter(status="registered").count() == 2
    receipts = SandboxDocument.objects.filter(doc_type="Receipt", owner_id=invoice.id)
    assert sorted(r.total for r in receipts) == [Decimal("100.00"), Decimal("146.00")]
    assert AuditEntry.objects.filter(action="payment.register", outcome="ok").count() == 2


def test_the_same_form_sent_twice_pays_once(client, live_company):
    invoice = final_invoice(live_company)
    client.force_login(live_company.clerk)
    form = pay_form("10.00")
    client.post(pay_url(invoice), form)
    client.post(pay_url(invoice), form)
    assert SandboxDocument.objects.filter(doc_type="Receipt").count() == 1


def test_more_than_pending_is_refused_in_the_form_and_nothing_is_sent(client, live_company):
    invoice = final_invoice(live_company)
    client.force_login(live_company.clerk)
    response = client.post(pay_url(invoice), pay_form("500"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="document-payments"' in html
    assert "only 246,00 € left to pay" in html and 'value="500"' in html
    assert not SandboxDocument.objects.filter(doc_type="Receipt").exists()


def test_an_upstream_refusal_shows_in_the_form(client, live_company):
    invoice = final_invoice(live_company)
    client.force_login(live_company.clerk)
    future = (TODAY() - dt.timedelta(days=400)).strftime("%d/%m/%Y")
    response = client.post(pay_url(invoice), pay_form("10", payment_date=future))
    assert "Payment date can&#x27;t be earlier than the document date" in response.content.decode()
    assert Payment.objects.get().status == "failed"


def test_a_manager_cancels_a_receipt_with_a_reason_and_a_clerk_may_not(client, live_company):
    invoice = final_invoice(live_company)
    client.force_login(live_company.clerk)
    client.post(pay_url(invoice), pay_form("246.00"))
    payment = Payment.objects.get()
    cancel = f"/c/acme/documents/invoices/{invoice.id}/payments/{payment.pk}/cancel/"
    assert client.post(cancel, {"reason": "engano"}).status_code == 403
    client.force_login(live_company.manager)
    page = client.get(f"/c/acme/documents/invoices/{invoice.id}/").content.decode()
    assert "Cancel receipt" in page
    client.post(cancel, {"reason": "Transferência devolvida"})
    payment.refresh_from_db()
    assert payment.status == "canceled" and payment.cancel_reason == "Transferência devolvida"
    assert SandboxDocument.objects.get(pk=payment.receipt_id).status == "canceled"
    assert SandboxDocument.objects.get(pk=invoice.id).status == "final"
    assert AuditEntry.objects.filter(action="receipt.cancel", outcome="ok").count() == 1


def test_viewers_and_outsiders_cannot_pay(client, live_company):
    invoice = final_invoice(live_company)
    client.force_login(live_company.viewer)
    page = client.get(f"/c/acme/documents/invoices/{invoice.id}/").content.decode()
    assert 'id="document-payments"' in page and 'id="payment-open"' not in page
    assert client.get(pay_url(invoice)).status_code == 403
    assert client.post(pay_url(invoice), pay_form("1")).status_code == 403
    client.force_login(live_company.outsider)
    assert client.post(pay_url(invoice), pay_form("1")).status_code == 404
    assert (
        client.post(f"/c/acme/documents/invoices/{invoice.id}/payments/1/cancel/").status_code
        == 404
    )
    assert not SandboxDocument.objects.filter(doc_type="Receipt").exists()


def test_a_document_settled_without_payments_here_shows_no_payments_card(client, live_company):
    invoice = final_invoice(live_company)
    live_company.account.client().change_state("invoices", invoice.id, "settled")
    client.force_login(live_company.clerk)
    page = client.get(f"/c/acme/documents/invoices/{invoice.id}/").content.decode()
    assert 'id="document-payments"' not in page


def test_a_lost_answer_is_marked_unknown_and_never_resent(client, live_company, settings):
    from sandbox import faults

    settings.IXPORTAL_READ_TIMEOUT = 0.5
    invoice = final_invoice(live_company)
    client.force_login(live_company.clerk)
    # The service takes the payment but answers too late: the receipt exists upstream.
    faults.inject("acme", "timeout", path_prefix="documents/", timeout_seconds=1.5)
    form = pay_form("50.00")
    client.post(pay_url(invoice), form)
    payment = Payment.objects.get()
    assert payment.status == "unknown" and "check the invoice's receipts" in payment.message_text
    faults.clear("acme")
    client.post(pay_url(invoice), form)  # the same form again: nothing is sent
    assert Payment.objects.count() == 1
    assert AuditEntry.objects.get(action="payment.register").outcome == "unknown"
    page = client.get(f"/c/acme/documents/invoices/{invoice.id}/").content.decode()
    assert 'data-payment-status="unknown"' in page


@responses.activate
def test_an_empty_answer_to_a_receipt_cancel_reads_the_receipt_back(cast):
    base = "http://127.0.0.1:9"
    responses.add(responses.PUT, f"{base}/receipts/8/change-state.json", body="", status=200)
    responses.add(
        responses.GET,
        f"{base}/receipts/8.json",
        json={"receipt": {"id": 8, "type": "Receipt", "status": "canceled", "total": 5}},
    )
    receipt = cast.account.client().cancel_receipt(8, "engano")
    assert (receipt.id, receipt.status, receipt.type.name) == (8, "canceled", "Receipt")
    assert json.loads(responses.calls[0].request.body) == {
        "receipt": {"state": "canceled", "message": "engano"}
    }
