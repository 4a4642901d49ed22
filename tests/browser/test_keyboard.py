"""The keyboard alone: a skip link, focus where the clerk continues after every htmx swap,
Enter that never submits a line, and a confirmation that takes focus and closes on Esc."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from sandbox.models import SandboxDocument
from tests.documents.helpers import make_document

pytestmark = pytest.mark.browser


def active(page) -> str:
    """The focused element as 'tag#id[name]'."""
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return `${e.tagName.toLowerCase()}#${e.id}[${e.getAttribute('name') || ''}]`; }"
    )


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus (as a person would)."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never took the focus; last: {active(page)}")


def test_the_first_tab_reaches_a_skip_link_to_the_content(live_company, login):
    page = login(live_company.clerk)
    page.goto(f"{live_company.live_server.url}/c/acme/documents/new/")
    page.keyboard.press("Tab")
    assert active(page).startswith("a#")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_a_clerk_creates_an_invoice_with_the_keyboard_alone(live_company, login):
    cache.clear()
    page = login(live_company.clerk)
    page.goto(f"{live_company.live_server.url}/c/acme/documents/new/")

    tab_to(page, '[name="client_name"]')
    page.keyboard.type("Maria Silva")
    tab_to(page, '[name="client_fiscal_id"]')
    page.keyboard.type("123456789")
    tab_to(page, '[name="items-0-name"]')
    page.keyboard.type("Consultoria")
    # Enter in a line's field moves to the next field: nothing is sent, nothing re-rendered.
    page.keyboard.press("Enter")
    assert active(page).endswith("[items-0-description]")
    tab_to(page, '[name="items-0-unit_price"]')
    page.keyboard.type("100")

    # "+ Add line" with the keyboard: the focus lands in the new line's first field.
    tab_to(page, "#add-line")
    page.keyboard.press("Enter")
    expect(page.locator("tr.item-row")).to_have_count(2)
    expect(page.locator('[name="items-1-name"]')).to_be_focused()
    page.keyboard.type("Deslocação")
    tab_to(page, '[name="items-1-unit_price"]')
    page.keyboard.type("50")

    # Removing a line puts the focus on "+ Add line", not on the page's body.
    tab_to(page, 'button[name="remove_line"][value="1"]')
    page.keyboard.press("Space")
    expect(page.locator("tr.item-row")).to_have_count(1)
    expect(page.locator("#add-line")).to_be_focused()

    tab_to(page, "#submit-document")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/c/acme/documents/invoices/\d+/$"), timeout=15000)
    doc = SandboxDocument.objects.get()
    assert [line.name for line in doc.lines.all()] == ["Consultoria"]
    assert str(doc.total) == "123.00"


def test_a_confirmation_takes_the_focus_and_esc_gives_it_back(live_company, login):
    doc = make_document(live_company.sandbox, status="final")
    page = login(live_company.manager)
    page.goto(f"{live_company.live_server.url}/c/acme/documents/invoices/{doc.pk}/")

    tab_to(page, "#action-settle")
    page.keyboard.press("Enter")
    dialog = page.locator("#lifecycle-confirm[data-dialog]")
    expect(dialog).to_be_visible()
    page.wait_for_function("() => document.activeElement.closest('#lifecycle-confirm')")
    # Tab stays inside the confirmation.
    for _ in range(6):
        page.keyboard.press("Tab")
        assert page.evaluate("() => !!document.activeElement.closest('#lifecycle-confirm')")

    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(page.locator("#action-settle")).to_be_focused()
    doc.refresh_from_db()
    assert doc.status == "final"
