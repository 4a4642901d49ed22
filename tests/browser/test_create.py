"""Creating an invoice in a real browser: lines added and removed through htmx, the live
estimate, the submit button that cannot be clicked twice, and landing on the new draft."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from sandbox import faults
from sandbox.models import SandboxDocument

pytestmark = pytest.mark.browser


def test_a_clerk_adds_three_lines_removes_one_sees_the_estimate_and_lands_on_the_draft(
    live_company, login
):
    cache.clear()
    page = login(live_company.clerk)
    page.goto(f"{live_company.live_server.url}/c/acme/documents/new/")

    page.locator('[name="client_name"]').fill("Maria Silva")
    page.locator('[name="client_fiscal_id"]').fill("123456789")
    page.locator('[name="items-0-name"]').fill("Consultoria")
    page.locator('[name="items-0-unit_price"]').fill("100")

    # Two more lines; what was typed survives each server-side re-render.
    page.locator("#add-line").click()
    expect(page.locator("tr.item-row")).to_have_count(2)
    page.locator('[name="items-1-name"]').fill("Deslocação")
    page.locator('[name="items-1-unit_price"]').fill("999")
    page.locator("#add-line").click()
    expect(page.locator("tr.item-row")).to_have_count(3)
    expect(page.locator('[name="items-0-name"]')).to_have_value("Consultoria")
    page.locator('[name="items-2-name"]').fill("Formação")
    page.locator('[name="items-2-quantity"]').fill("2")
    page.locator('[name="items-2-unit_price"]').fill("25,5")
    page.locator('[name="items-2-tax"]').select_option("IVA6")

    # Remove the middle one: the third becomes the second, intact.
    page.locator('button[name="remove_line"][value="1"]').click()
    expect(page.locator("tr.item-row")).to_have_count(2)
    expect(page.locator('[name="items-1-name"]')).to_have_value("Formação")
    expect(page.locator('[name="items-1-unit_price"]')).to_have_value("25,5")

    # The estimate follows the form: 100 + 23 % and 51 + 6 %.
    page.locator('[name="items-1-quantity"]').fill("2")
    expect(page.locator('[data-total="total"]')).to_have_text("177,06\u00a0€")
    expect(page.locator('[data-total="taxes"]')).to_have_text("26,06\u00a0€")
    expect(page.locator("#totals-preview")).to_contain_text("estimate")

    # Create: the button is disabled while the (slow) request runs, then the draft opens.
    faults.set_latency("acme", 700)
    button = page.locator("#submit-document")
    button.click()
    expect(button).to_be_disabled()
    expect(page).to_have_url(re.compile(r"/c/acme/documents/invoices/\d+/$"), timeout=15000)
    expect(page.locator("#messages")).to_contain_text("created as a draft")
    faults.clear("acme")

    doc = SandboxDocument.objects.get()
    assert page.url.endswith(f"/c/acme/documents/invoices/{doc.pk}/")
    assert [line.name for line in doc.lines.all()] == ["Consultoria", "Formação"]
    assert str(doc.total) == "177.06"
