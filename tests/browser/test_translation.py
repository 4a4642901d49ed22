"""The language switch in a real browser: a click on "Português" translates the page and stays."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_switching_to_portuguese_keeps_the_page_and_is_remembered(live_server, page, cast):
    page.goto(f"{live_server.url}/accounts/login/?next=/c/acme/")
    expect(page.locator("h1")).to_have_text("Log in to ixportal")

    page.get_by_role("button", name="Português").click()
    expect(page.locator("h1")).to_have_text("Iniciar sessão no ixportal")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/c/acme/$"))
    expect(page.locator("html")).to_have_attribute("lang", "pt-pt")

    # Signing in keeps the choice; the company page speaks Portuguese too.
    page.get_by_label("Nome de utilizador").fill("viewer")
    page.get_by_label("Palavra-passe").fill("pw")
    page.get_by_role("button", name="Iniciar sessão").click()
    expect(page).to_have_url(re.compile(r"/c/acme/"))
    expect(page.get_by_role("button", name="Terminar sessão")).to_be_visible()
    expect(page.get_by_role("link", name="Documentos", exact=True)).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
