"""An accessibility scan (axe-core, run in the browser) of every page (accessibility_pages.py),
as a clerk and as a manager, in English and in Portuguese: no serious or critical finding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser.accessibility_pages import (
    ANONYMOUS,
    ANONYMOUS_WITH_EMAIL,
    build_world,
    pages,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected as a script the pages' Content-Security-Policy rightly refuses.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


AXE = Path(__file__).resolve().parents[1] / "fixtures" / "axe-core" / "axe.min.js"
SCAN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " :: " + (n.any[0] && n.any[0].message || "") + " :: " + n.html.slice(0, 120))}));
}"""


@pytest.mark.parametrize("language", ["en", "pt-pt"])
def test_no_page_has_a_serious_or_critical_accessibility_finding(
    live_company, login, settings, language
):
    ids = build_world(live_company)
    url = live_company.live_server.url
    language_cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": url}
    findings: dict[str, list] = {}
    wrong: list[tuple[str, str, int]] = []
    page = login(live_company.clerk)  # one browser page for everyone, axe loaded on each page
    page.context.add_init_script(path=str(AXE))

    def scan(who: str, path: str, status: int) -> None:
        response = page.goto(f"{url}{path}")
        if response.status != status:
            wrong.append((who, path, response.status))
            return
        assert page.locator("html").get_attribute("lang") == language, (who, path)
        if found := page.evaluate(SCAN):
            findings[f"{who} {path}"] = found

    for role in ("clerk", "manager"):
        page.context.clear_cookies()
        login(getattr(live_company, role))
        page.context.add_cookies([language_cookie])
        for path, status in pages(ids, role):
            scan(role, path, status)
    # Signed out: the sign-in pages, with e-mail off and on.
    page.context.clear_cookies()
    page.context.add_cookies([language_cookie])
    for path, status in ANONYMOUS:
        scan("anonymous", path, status)
    settings.IXPORTAL_EMAIL_ENABLED = True
    for path, status in ANONYMOUS_WITH_EMAIL:
        scan("anonymous, e-mail on", path, status)
    assert (wrong, findings) == ([], {}), json.dumps(
        {"unexpected status": wrong, "findings": findings}, indent=1, ensure_ascii=False
    )
