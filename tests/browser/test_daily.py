"""In a real browser, a clerk's day on one invoice: edit the draft, finalize it, register a
partial and then the remaining payment (the invoice is settled), e-mail it, and see its
receipts on its page. And a list page with an estimate and a guide among invoices."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from sandbox.models import SandboxDocument, SandboxEmail
from tests.lifecycle.helpers import create_draft, minimal_invoice

pytestmark = pytest.mark.browser


def test_edit_finalize_pay_in_two_parts_and_email_an_invoice(live_company, login):
    cache.clear()
    draft = create_draft(live_company)
    page = login(live_company.manager)
    detail = f"{live_company.live_server.url}/c/acme/documents/invoices/{draft.id}/"
    page.goto(detail)

    page.locator("#action-edit").click()
    page.locator("#id_reference").fill("PO-77")
    page.locator("#id_items-0-quantity").fill("3")  # 3 × 100 + IVA 23 % = 369,00
    page.locator("#submit-document").click()
    expect(page.locator("#document-details")).to_contain_text("PO-77")
    expect(page.locator("#document-total")).to_contain_text("369,00")

    page.locator("#action-finalize").click()
    page.locator("#confirm-finalize").click()
    expect(page.locator("#document-status")).to_contain_text("Final")
    page.reload()  # the payments card belongs to the page, not to the header

    page.locator("#payment-open").click()
    expect(page.locator("#id_amount")).to_have_value("369.00")
    page.locator("#id_amount").fill("100,00")
    page.locator("#id_note").fill("Primeira prestação")
    page.locator("#payment-submit").click()
    expect(page.locator("#payments-pending")).to_contain_text("269,00")
    expect(page.locator("#document-status")).to_contain_text("Final")

    page.locator("#payment-open").click()
    expect(page.locator("#id_amount")).to_have_value("269.00")
    page.locator("#payment-submit").click()
    expect(page.locator("#document-status")).to_contain_text("Settled")
    expect(page.locator("#payments-pending")).to_contain_text("0,00")
    expect(page.locator("#payment-open")).to_have_count(0)

    page.locator("#action-email").click()
    page.locator("#id_to").fill("contas@cliente.pt")
    page.locator("#id_cc").fill("financeiro@cliente.pt")
    page.locator("#email-submit").click()
    expect(page.locator("#document-emails")).to_contain_text("contas@cliente.pt")

    receipts = page.locator('#document-receipts tr[data-payment-status="registered"]')
    expect(receipts).to_have_count(2)
    expect(page.locator("#document-receipts")).to_contain_text("Primeira prestação")
    expect(page.locator("#document-receipts")).to_contain_text("RG ")
    assert SandboxDocument.objects.get(pk=draft.id).status == "settled"
    assert SandboxEmail.objects.get().cc == "financeiro@cliente.pt"


def test_a_list_with_an_estimate_and_a_guide_among_invoices_renders(live_company, login):
    cache.clear()
    api = live_company.account.client()
    invoice = create_draft(live_company)
    quote = api.create_document("quotes", minimal_invoice(), proprietary_uid=uuid.uuid4().hex)
    guide = api.create_document(
        "shippings",
        minimal_invoice(loaded_at="02/12/2017 19:00:00", license_plate="AA-00-BB"),
        proprietary_uid=uuid.uuid4().hex,
    )
    cash = create_draft(live_company)
    SandboxDocument.objects.filter(pk=cash.id).update(doc_type="CashInvoice")
    page = login(live_company.viewer)
    base = live_company.live_server.url
    page.goto(f"{base}/c/acme/documents/")
    expect(page.locator(f'tr[data-document-id="{invoice.id}"]')).to_be_visible()
    expect(page.locator(f'tr[data-document-id="{cash.id}"]')).to_contain_text("Cash invoice")
    page.get_by_role("link", name="Estimates").click()
    expect(page.locator(f'tr[data-document-id="{quote.id}"]')).to_contain_text("Quote")
    page.get_by_role("link", name="Guides").click()
    expect(page.locator(f'tr[data-document-id="{guide.id}"]')).to_contain_text("AA-00-BB")
