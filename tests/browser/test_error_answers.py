"""An htmx request answered with an error status is shown, never silently dropped: htmx 2
does not swap 4xx/5xx, so app.js shows a whole error page in place of the main content, or a
banner."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from sandbox import faults
from tests.documents.helpers import make_document

pytestmark = pytest.mark.browser


def _list_page(live_company, login):
    cache.clear()
    make_document(live_company.sandbox, number=1)
    page = login(live_company.viewer)
    page.goto(f"{live_company.live_server.url}/c/acme/documents/")
    expect(page.locator("#documents tbody tr")).to_have_count(1)
    return page


def _htmx_get(page, path):
    # As a table link would: the answer is meant for #document-table.
    page.evaluate(
        "(path) => htmx.ajax('GET', path, {target: '#document-table', swap: 'outerHTML'})", path
    )


def test_a_404_answer_shows_the_not_found_page_whole(live_company, login):
    page = _list_page(live_company, login)
    _htmx_get(page, "/c/acme/documents/invoices/999999/")
    expect(page.locator("main#main[data-error-page]")).to_be_visible()
    expect(page.locator("main#main")).to_contain_text("999999")
    expect(page.locator("#document-filters")).to_have_count(0)  # not pasted into the table
    expect(page.locator("main#main")).to_be_focused()


def test_a_page_that_failed_upstream_answers_502_and_is_shown_whole(live_company, login):
    page = _list_page(live_company, login)
    doc = make_document(live_company.sandbox, number=2)
    faults.inject("acme", "500", count=None)
    with page.expect_response(lambda r: f"/invoices/{doc.pk}/" in r.url) as answer:
        _htmx_get(page, f"/c/acme/documents/invoices/{doc.pk}/")
    assert answer.value.status == 502
    expect(page.locator("main#main[data-error-page]")).to_contain_text("HTTP 500")
    faults.clear("acme")


def test_an_answer_that_is_not_a_page_becomes_a_banner(live_company, login):
    page = _list_page(live_company, login)
    # A GET-only URL asked with DELETE answers a bare 405, with no page in it.
    page.evaluate(
        "() => htmx.ajax('DELETE', '/c/acme/documents/', {target: '#document-table', swap: 'outerHTML'})"
    )
    expect(page.locator('#messages [data-error-answer="405"]')).to_contain_text("error 405")
    expect(page.locator("#documents tbody tr")).to_have_count(1)  # the table is left as it was
