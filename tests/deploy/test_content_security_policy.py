"""Content-Security-Policy: every response carries it, and no template needs an exception
(no inline script, style element, style attribute or event handler attribute)."""

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[2]
POLICY_PARTS = ("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'")


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


VALUES = {
    "account_slug": "acme",
    "type_path": "invoices",
    "account_name": "acme",
    "token": "00000000-0000-4000-8000-000000000001",
}


def concrete(route: str) -> str:
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: VALUES.get(m[1], "1"), route)
    # Admin routes are regular expressions: keep their literal part.
    route = route.replace("^", "").replace("$", "").replace("\\Z", "")
    return "/" + re.sub(r"\(.*?\)", "1", route)


@pytest.mark.django_db
def test_every_page_sends_the_policy(client, cast, fast_failures):
    routes = sorted({concrete(r) for r in walk(get_resolver().url_patterns)})
    assert len(routes) > 60, routes
    client.force_login(cast.manager)
    for url in routes + ["/no-such-page/"]:
        response = client.get(url)
        policy = response.headers.get("Content-Security-Policy", "")
        assert all(part in policy for part in POLICY_PARTS), f"GET {url} -> {policy!r}"
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_the_login_page_sends_the_policy_to_strangers_too(client, db):
    response = client.get("/accounts/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]


COMMENTS = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.S)
TEMPLATE_DIRS = [ROOT / "templates", ROOT / "sandbox" / "templates"]
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    # htmx runs these through eval, which the policy (and htmx-config allowEval) refuse.
    # (a "[" after from:/closest/find is a CSS selector, not a filter).
    (
        re.compile(
            r"hx-on[:-]|hx-vals=['\"]\s*js:|hx-trigger=\"[^\"]*?(?<!from:)(?<!closest )(?<!find )\[",
            re.I,
        ),
        "htmx eval",
    ),
]


def test_no_template_holds_inline_script_style_or_handlers():
    problems = []
    templates = [p for d in TEMPLATE_DIRS for p in d.rglob("*.html")]
    assert len(templates) > 30
    for path in templates:
        text = COMMENTS.sub(lambda m: "\n" * m.group(0).count("\n"), path.read_text())
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(ROOT)}:{line}: {what}: {match.group(0)!r}")
    assert problems == [], "\n".join(problems)
