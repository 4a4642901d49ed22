"""A person logs in through the real form and finds their companies."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_logs_in_and_sees_only_their_companies(live_server, page, cast):
    page.goto(f"{live_server.url}/c/acme/")
    assert "/accounts/login/" in page.url  # login required everywhere
    page.fill("input[name=username]", "viewer")
    page.fill("input[name=password]", "pw")
    page.click("form[action='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/")
    cards = page.locator("#cockpit")
    assert "Acme, Lda." in cards.inner_text()
    assert "Globex" not in page.content()
    page.click("#company-switcher button")
    assert page.locator("#company-switcher .dropdown-menu").is_visible()


def test_a_wrong_password_is_refused_with_a_message(live_server, page, cast):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "viewer")
    page.fill("input[name=password]", "nope")
    page.click("form[action='/accounts/login/'] button[type=submit]")
    assert page.locator(".alert-danger").is_visible()
    assert "/accounts/login/" in page.url
