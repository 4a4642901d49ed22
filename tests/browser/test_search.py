"""Search across companies in a real browser: a NIF with documents in two companies."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.documents.helpers import make_document

pytestmark = pytest.mark.browser


def test_search_a_nif_in_two_companies_and_open_a_document(two_live_companies, login):
    w = two_live_companies
    make_document(
        w.sandbox,
        number=4,
        client_name="Padaria Lusitana",
        client_fields={"fiscal_id": "508025338"},
    )
    beta_doc = make_document(
        w.beta_sandbox,
        number=12,
        serie="2026",
        client_name="Padaria Lusitana",
        client_fields={"fiscal_id": "508025338"},
    )
    make_document(w.sandbox, number=5, client_name="Outro")
    page = login(w.manager)
    page.goto(f"{w.live_server.url}/")

    box = page.locator("#navbar-search input[name=q]")
    box.fill("PT 508025338")
    box.press("Enter")

    expect(page.locator("#search-summary")).to_contain_text("2 documents found")
    expect(page.locator("section[data-company=acme] tbody tr")).to_have_count(1)
    expect(page.locator("section[data-company=beta] tbody tr")).to_have_count(1)
    page.locator("section[data-company=beta]").get_by_role("link", name="FT 2026/12").click()

    expect(page).to_have_url(f"{w.live_server.url}/c/beta/documents/invoices/{beta_doc.pk}/")
    expect(page.locator("h1")).to_contain_text("FT 2026/12")
