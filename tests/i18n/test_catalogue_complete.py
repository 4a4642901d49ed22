"""Every message the code and the templates ask to translate is in the catalogue.

The catalogue's own test (test_translation.py) checks that each entry is translated; this
one checks the other way: a msgid written in Python or in a `{% translate %}` tag that the
catalogue lacks would show English on a Portuguese page, silently (seen: `_('default')`
inside an f-string, which makemessages cannot see, left "2026 (default)" on the create form).
Pure Python (ast and a regex): a clean clone needs no gettext tools.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.conf import settings

from tests.i18n.test_translation import MESSAGES

BASE = Path(settings.BASE_DIR)
PACKAGES = ("invoices", "saft", "signin", "ixportal")
CATALOGUE = {(e["msgctxt"], e["msgid"]) for e in MESSAGES}

# name -> (index of the context argument or None, index of the msgid)
CALLS = {
    "_": (None, 0),
    "gettext": (None, 0),
    "gettext_lazy": (None, 0),
    "gettext_noop": (None, 0),
    "ngettext": (None, 0),
    "ngettext_lazy": (None, 0),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 1),
    "npgettext_lazy": (0, 1),
}
TEMPLATE_TAG = re.compile(
    r"""\{%\s*(?:translate|trans)\s+(["'])(?P<msgid>.*?)\1(?:\s+context\s+(["'])(?P<ctx>.*?)\3)?"""
)


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def python_msgids() -> set[tuple[str | None, str, str]]:
    found = set()
    for package in PACKAGES:
        for path in (BASE / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or _name(node.func) not in CALLS:
                    continue
                ctx_at, msgid_at = CALLS[_name(node.func)]
                args = node.args
                if len(args) <= msgid_at or not isinstance(args[msgid_at], ast.Constant):
                    continue
                msgid = args[msgid_at].value
                context = None
                if ctx_at is not None:
                    if not isinstance(args[ctx_at], ast.Constant):
                        continue
                    context = args[ctx_at].value
                if isinstance(msgid, str) and msgid:
                    where = f"{path.relative_to(BASE)}:{node.lineno}"
                    found.add((context, msgid, where))
    return found


def template_msgids() -> set[tuple[str | None, str, str]]:
    found = set()
    for path in (BASE / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in TEMPLATE_TAG.finditer(text):
            where = f"{path.relative_to(BASE)}:{text.count(chr(10), 0, match.start()) + 1}"
            found.add((match["ctx"], match["msgid"], where))
    return found


def test_the_scan_finds_what_it_looks_for():
    """The scan itself works: it sees a known msgid of each kind (it cannot pass empty)."""
    python = {(c, m) for c, m, _ in python_msgids()}
    templates = {(c, m) for c, m, _ in template_msgids()}
    assert len(python) > 300 and len(templates) > 300
    assert (None, "InvoiceXpress did not answer in time.") in python  # gettext_noop
    assert ("audit action", "Finalized") in python  # pgettext_lazy
    assert (None, "Retry safely") in templates


def test_every_python_msgid_is_in_the_catalogue():
    missing = sorted(
        f"{where}: {msgid!r}"
        for ctx, msgid, where in python_msgids()
        if (ctx, msgid) not in CATALOGUE
    )
    assert missing == []


def test_every_template_msgid_is_in_the_catalogue():
    missing = sorted(
        f"{where}: {msgid!r}"
        for ctx, msgid, where in template_msgids()
        if (ctx, msgid) not in CATALOGUE
    )
    assert missing == []
