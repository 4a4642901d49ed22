"""An accessibility scan (axe-core, run in the browser) of every page, as a clerk and as a
manager, in English and in Portuguese: no serious or critical finding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from invoices.models import AuditEntry
from invoices.sentences import sentence
from tests.documents.helpers import make_document

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected as a script the pages' Content-Security-Policy rightly refuses.
    return {**browser_context_args, "bypass_csp": True}


AXE = Path(__file__).resolve().parents[1] / "fixtures" / "axe-core" / "axe.min.js"
SCAN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " :: " + (n.any[0] && n.any[0].message || "") + " :: " + n.html.slice(0, 120))}));
}"""


def pages(draft_id: int, final_id: int, role: str) -> list[str]:
    company = "/c/acme"
    common = [
        "/",
        f"{company}/documents/",
        f"{company}/documents/?status=draft&page=1",  # "More filters" open
        f"{company}/documents/?text=FT",
        f"{company}/documents/invoices/{draft_id}/",
        f"{company}/documents/invoices/{final_id}/",
        f"{company}/documents/new/",
        f"{company}/documents/new/?type=credit_notes&owner={final_id}",
        f"{company}/sequences/",
        "/sequences/",
        f"{company}/saft/",
        "/saft/",
    ]
    if role == "manager":
        common += [
            f"{company}/documents/invoices/{draft_id}/finalize/",
            f"{company}/documents/invoices/{final_id}/settle/",
            f"{company}/documents/invoices/{final_id}/cancel/",
            f"{company}/documents/finalize/",
            f"{company}/audit/",
        ]
    return common


@pytest.mark.parametrize("language", ["en", "pt-pt"])
def test_no_page_has_a_serious_or_critical_accessibility_finding(live_company, login, language):
    cache.clear()
    draft = make_document(live_company.sandbox, status="draft", number=None)
    final = make_document(live_company.sandbox, status="final", number=7)
    # The audit log with a translated sentence and a quote of InvoiceXpress's own words.
    AuditEntry.record(
        account=live_company.account,
        user=live_company.manager,
        action="document.cancel",
        outcome="failed",
        target="FT 2025/7",
        sentences=[sentence("%(number)s was canceled.", number="FT 2025/7")],
        said="Document can't be canceled.",
    )
    findings: dict[str, list] = {}
    for role in ("clerk", "manager"):
        page = login(getattr(live_company, role))
        page.context.add_cookies(
            [
                {
                    "name": settings.LANGUAGE_COOKIE_NAME,
                    "value": language,
                    "url": live_company.live_server.url,
                }
            ]
        )
        for path in pages(draft.pk, final.pk, role):
            response = page.goto(f"{live_company.live_server.url}{path}")
            assert response.status == 200, (role, path, response.status)
            assert page.locator("html").get_attribute("lang") == language
            page.add_script_tag(path=str(AXE))
            found = page.evaluate(SCAN)
            if found:
                findings[f"{role} {path}"] = found
    # Logged out: the login page.
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.LANGUAGE_COOKIE_NAME,
                "value": language,
                "url": live_company.live_server.url,
            }
        ]
    )
    page.goto(f"{live_company.live_server.url}/accounts/login/")
    page.add_script_tag(path=str(AXE))
    if found := page.evaluate(SCAN):
        findings["anonymous /accounts/login/"] = found
    assert findings == {}, json.dumps(findings, indent=1, ensure_ascii=False)
