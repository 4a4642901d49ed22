"""In a real browser: tick documents on the list, get their PDFs as one zip and e-mail them,
each as a job whose progress bar shows under the buttons, the page never reloaded."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from sandbox.models import SandboxEmail
from tests.payments.helpers import final_invoice

pytestmark = pytest.mark.browser


def test_a_clerk_zips_and_emails_ticked_documents_from_the_list(live_company, login):
    cache.clear()
    one = final_invoice(live_company, client={"name": "Um", "email": "um@cliente.pt"})
    two = final_invoice(live_company, client={"name": "Dois", "email": "dois@cliente.pt"})
    page = login(live_company.clerk)
    page.goto(f"{live_company.live_server.url}/c/acme/documents/")
    page.evaluate("window.__samePage = true")  # gone if anything reloads the page

    page.locator(f'input[name="doc"][value="invoices:{one.id}"]').check()
    page.locator(f'input[name="doc"][value="invoices:{two.id}"]').check()
    page.locator("#bulk-pdf").click()
    link = page.locator("#bulk-jobs [data-job-download]")
    expect(link).to_be_visible(timeout=15000)
    expect(page.locator("#bulk-jobs")).to_contain_text("2 of 2")
    with page.expect_download() as info:
        link.click()
    with open(info.value.path(), "rb") as stored:
        names = zipfile.ZipFile(io.BytesIO(stored.read())).namelist()
    assert len(names) == 2 and all(n.endswith(".pdf") for n in names)

    page.locator(f'input[name="doc"][value="invoices:{two.id}"]').uncheck()
    page.locator("#bulk-email").click()
    expect(page.locator('#bulk-jobs [data-outcome="emailed"]')).to_be_visible(timeout=15000)
    assert [e.to for e in SandboxEmail.objects.all()] == ["um@cliente.pt"]
    # The form's token was renewed: ticking another and sending again is a new job.
    page.locator(f'input[name="doc"][value="invoices:{one.id}"]').uncheck()
    page.locator(f'input[name="doc"][value="invoices:{two.id}"]').check()
    first = page.locator("#bulk-jobs .job-progress").get_attribute("id")
    page.locator("#bulk-email").click()
    expect(page.locator(f"#{first}")).to_have_count(0, timeout=15000)  # the new job's bar
    expect(page.locator('#bulk-jobs [data-outcome="emailed"]')).to_be_visible()
    assert sorted(e.to for e in SandboxEmail.objects.all()) == ["dois@cliente.pt", "um@cliente.pt"]
    assert page.evaluate("window.__samePage") is True
