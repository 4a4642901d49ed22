"""In a real browser: finalize a draft through its confirm step, watch the header update in
place, then ask for the PDF (polled while InvoiceXpress renders it) and download it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from sandbox.models import SandboxAccount
from tests.lifecycle.helpers import create_draft, sandbox_doc

pytestmark = pytest.mark.browser


def test_a_manager_finalizes_a_draft_and_downloads_its_pdf(live_company, login):
    cache.clear()
    SandboxAccount.objects.filter(pk=live_company.sandbox.pk).update(pdf_pending_calls=1)
    draft = create_draft(live_company)
    number = f"FT {timezone.localdate().year}/1"
    page = login(live_company.manager)
    page.goto(f"{live_company.live_server.url}/c/acme/documents/invoices/{draft.id}/")
    page.evaluate("window.__samePage = true")  # gone if anything reloads the page

    page.locator("#action-finalize").click()
    panel = page.locator("#lifecycle-confirm")
    expect(panel).to_contain_text("This cannot be undone.")
    expect(page.locator("#next-number")).to_have_text(number)
    page.locator("#confirm-finalize").click()

    expect(page.locator("#document-number")).to_have_text(number)
    expect(page.locator("#document-status")).to_contain_text("Final")
    expect(page.locator("#lifecycle-notice")).to_contain_text(f"Finalized as {number}.")
    atcud = sandbox_doc(draft.id).atcud
    expect(page.locator("#document-atcud")).to_contain_text(atcud)
    assert page.evaluate("window.__samePage") is True

    page.locator("#pdf-original-request").click()
    expect(page.locator("#pdf-original")).to_have_attribute("data-pdf-state", "pending")
    link = page.locator("#pdf-original-download")
    expect(link).to_be_visible(timeout=10000)  # one 202, then the poll 2 s later
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == number.replace(" ", "_").replace("/", "-") + ".pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
