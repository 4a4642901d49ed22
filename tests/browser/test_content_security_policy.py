"""The pages under the real Content-Security-Policy in chromium: no violation reported,
while htmx swaps fragments (its injected indicator style would be one)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.documents.helpers import make_document

pytestmark = pytest.mark.browser

# Injected by the browser's devtools, so the policy does not apply to the listener itself.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def watched(page):
    page.add_init_script(LISTEN)
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )

    def violations():
        return console + page.evaluate("window.__cspViolations || []")

    return violations


def test_the_pages_run_without_a_policy_violation(live_company, login, page, watched):
    make_document(live_company.sandbox, number=1, date=dt.date(2025, 1, 2))
    make_document(live_company.sandbox, number=2, client_name="Padaria Lusitana")
    base = live_company.live_server.url

    page.goto(f"{base}/accounts/login/")
    expect(page.locator("input[name=password]")).to_be_visible()
    assert "default-src 'self'" in page.evaluate(
        "fetch(location.href).then(r => r.headers.get('content-security-policy'))"
    )

    login(live_company.manager)
    for path in (
        "/",
        "/c/acme/documents/new/",
        "/c/acme/sequences/",
        "/c/acme/saft/",
        "/c/acme/audit/",
    ):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")

    # htmx at work: the live search swaps the table (and shows its indicator).
    page.goto(f"{base}/c/acme/documents/")
    page.get_by_label("Search").press_sequentially("Padaria")
    expect(page.locator("#document-table tbody tr")).to_have_count(1)
    # Bootstrap's JavaScript at work: the company switcher opens.
    page.click("#company-switcher button")
    expect(page.locator("#company-switcher .dropdown-menu")).to_be_visible()
    assert watched() == []


def test_the_admin_and_the_sandbox_page_run_without_a_policy_violation(
    live_company, login, page, watched
):
    login(live_company.superuser)
    base = live_company.live_server.url
    for path in (
        "/admin/",
        "/admin/invoices/account/",
        f"/admin/invoices/account/{live_company.account.pk}/change/",
        "/sandbox/",
    ):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    assert watched() == []
