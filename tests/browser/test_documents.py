"""The document list in a real browser: htmx filters, pager, history, and opening a document."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.documents.helpers import make_document

pytestmark = pytest.mark.browser

ROWS = "#document-table tbody tr"


@pytest.fixture
def seeded(live_company):
    sandbox = live_company.sandbox
    for number in range(1, 26):
        make_document(sandbox, number=number, date=dt.date(2025, 1, 1) + dt.timedelta(days=number))
    make_document(
        sandbox,
        doc_type="CreditNote",
        number=1,
        date=dt.date(2025, 3, 1),
        client_name="Padaria Lusitana",
    )
    return live_company


def test_filter_page_go_back_and_open_a_document(seeded, login):
    page = login(seeded.viewer)
    base = seeded.live_server.url
    page.goto(f"{base}/c/acme/documents/?per_page=10")
    expect(page.locator(ROWS)).to_have_count(10)
    expect(page.locator("#document-count")).to_contain_text("26 documents")
    # A marker that survives only as long as the page is not reloaded.
    page.evaluate("window.__sameDocument = true")

    # The filters beyond the search box are folded away until asked for.
    expect(page.get_by_label("Credit note", exact=True)).to_be_hidden()
    page.locator("#more-filters > summary").click()

    # A filter swaps the table and pushes a URL worth bookmarking.
    page.get_by_label("Credit note", exact=True).check()
    expect(page.locator(ROWS)).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/c/acme/documents/\?type=CreditNote&per_page=10$"))
    page.get_by_label("Credit note", exact=True).uncheck()
    expect(page.locator(ROWS)).to_have_count(10)

    # A bad date: a message beside the field, the table says nothing was searched.
    page.get_by_label("Date from", exact=True).fill("32/01/2025")
    page.get_by_label("Date from", exact=True).press("Tab")
    expect(page.locator("#filter-error-date_from")).to_contain_text("dd/mm/yyyy")
    expect(page.locator("#document-filter-errors")).to_be_visible()
    page.get_by_label("Date from", exact=True).fill("")
    page.get_by_label("Date from", exact=True).press("Tab")
    expect(page.locator("#filter-error-date_from")).to_have_text("")
    # The cleared filter's own answer is in (a click racing it may lose to it: hx-sync).
    expect(page.locator("#document-filter-errors")).to_be_hidden()
    expect(page.locator(ROWS)).to_have_count(10)
    page.wait_for_load_state("networkidle")

    # The pager swaps the table too.
    page.locator('#document-pager a[rel="next"]').click()
    expect(page).to_have_url(re.compile(r"per_page=10&page=2$"))
    expect(page.locator(ROWS).first).to_contain_text("FT 2025/16")

    # Typing in the search box searches after a pause.
    page.get_by_label("Search").press_sequentially("Padaria")
    expect(page.locator(ROWS)).to_have_count(1)
    expect(page.locator(ROWS).first).to_contain_text("NC 2025/1")
    assert page.evaluate("window.__sameDocument") is True

    # Back: the previous view (page 2 of everything), filters included.
    page.go_back()
    expect(page).to_have_url(re.compile(r"per_page=10&page=2$"))
    expect(page.locator(ROWS).first).to_contain_text("FT 2025/16")
    expect(page.get_by_label("Search")).to_have_value("")

    # Open a document from its row.
    page.locator(ROWS).first.get_by_role("link").click()
    expect(page.locator("#document-number")).to_have_text("FT 2025/16")
    expect(page.locator("#document-header")).to_contain_text("ABCD1234-16")
    # Nothing may still be in flight when the live server stops.
    page.wait_for_load_state("networkidle")
