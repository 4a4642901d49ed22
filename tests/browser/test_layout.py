"""Layouts measured in a real browser, at 1366x768 and 1024 wide, in English and Portuguese:
the documents list shows fifteen rows or more without scrolling the page, and no page (list,
create form, document) scrolls sideways, even with a long unbroken name and a huge total."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.cache import cache
from playwright.sync_api import expect

from tests.documents.helpers import make_document

pytestmark = pytest.mark.browser

LONG_NAME = "Sociedade_Comercial_de_Representacoes_Internacionais_do_Norte_e_Ilhas_Unipessoal_Lda"
HUGE = "987654321.76"
SIZES = [(1366, 768), (1024, 768)]

ROWS_IN_SIGHT = """() => Array.from(document.querySelectorAll('#documents tbody tr'))
  .filter((row) => row.getBoundingClientRect().bottom <= window.innerHeight).length"""
SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def documents(live_company):
    cache.clear()
    names = [
        "Café Central, Lda.",
        "Hotel Miramar, S.A.",
        "Mercearia Silva & Filhos",
        "João Pereira",
    ]
    for n in range(1, 21):
        make_document(
            live_company.sandbox,
            number=n,
            date=dt.date(2025, 3, 1) + dt.timedelta(days=n),
            client_name=names[n % len(names)],
            client_fields={"fiscal_id": "507996941"},
        )
    # The oldest: a long unbroken name and a huge total, at the end of the first page.
    return make_document(
        live_company.sandbox,
        number=21,
        date=dt.date(2025, 2, 1),
        client_name=LONG_NAME,
        before_taxes=HUGE,
        item_name=LONG_NAME,
        client_fields={"fiscal_id": "507996941"},
    )


def _open(login, live_company, language, width, height):
    page = login(live_company.manager)
    page.set_viewport_size({"width": width, "height": height})
    page.context.add_cookies(
        [
            {
                "name": settings.LANGUAGE_COOKIE_NAME,
                "value": language,
                "url": live_company.live_server.url,
            }
        ]
    )
    return page


@pytest.mark.parametrize("language", ["en", "pt-pt"])
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_list_shows_fifteen_rows_and_no_page_scrolls_sideways(
    live_company, login, documents, language, width, height
):
    base = live_company.live_server.url
    page = _open(login, live_company, language, width, height)

    page.goto(f"{base}/c/acme/documents/")
    expect(page.locator("#documents tbody tr")).to_have_count(21)
    # The filters beyond the search box are folded away; the search box is in sight.
    expect(page.locator("#more-filters")).not_to_have_attribute("open", "")
    expect(page.locator('#document-filters input[name="text"]')).to_be_visible()
    assert page.evaluate(ROWS_IN_SIGHT) >= 15, (language, width, page.evaluate(ROWS_IN_SIGHT))
    assert page.evaluate(SIDEWAYS) <= 0, ("list", language, width)
    if width >= 1200:  # the navigation bar keeps to one line (below 1200 it folds into a menu)
        nav = page.locator("nav.navbar").bounding_box()
        assert nav is not None and nav["height"] < 70, (language, nav)

    page.goto(f"{base}/c/acme/documents/invoices/{documents.pk}/")
    expect(page.locator("#document-number")).to_be_visible()
    assert page.evaluate(SIDEWAYS) <= 0, ("document", language, width)

    page.goto(f"{base}/c/acme/documents/new/")
    page.locator('[name="items-0-name"]').fill(LONG_NAME)
    page.locator('[name="items-0-unit_price"]').fill("987654321098,76")
    page.locator("#add-line").click()
    expect(page.locator("tr.item-row")).to_have_count(2)
    assert page.evaluate(SIDEWAYS) <= 0, ("create", language, width)
    # The totals card is sticky: scrolled down to the lines, the total is still in sight.
    page.locator("#add-line").scroll_into_view_if_needed()
    box = page.locator('#totals-preview [data-total="total"]').bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, box


def test_a_filter_in_use_opens_the_folded_filters(live_company, login, documents):
    page = _open(login, live_company, "en", 1366, 768)
    page.goto(f"{live_company.live_server.url}/c/acme/documents/?status=final")
    expect(page.locator("#more-filters")).to_have_attribute("open", "")
    expect(page.locator('input[name="status"][value="final"]')).to_be_checked()
