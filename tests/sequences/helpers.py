"""Helpers for the sequence tests: seed sandbox series, read the cards and rows of the list."""

from __future__ import annotations

import re

from invoices.models import AuditEntry
from sandbox.models import SandboxSequence

HTMX = {"HX-Request": "true"}
LIST = "/c/acme/sequences/"
CREATE = "/c/acme/sequences/new/"


def sandbox_series(live, serie: str, *, registered: bool = True, default: bool = False):
    return SandboxSequence.objects.create_with_counters(
        account=live.sandbox, serie=serie, is_default=default, registered=registered
    )


def code_of(sequence: SandboxSequence, kind: str) -> str:
    return sequence.counters.get(kind=kind).validation_code


def default_series(live) -> SandboxSequence:
    return SandboxSequence.objects.get(account=live.sandbox, is_default=True)


def card(html: str, sequence_id: int) -> str:
    """The HTML of one series' card on the list."""
    match = re.search(
        rf'<section[^>]*id="series-{sequence_id}".*?</section>', html, flags=re.DOTALL
    )
    assert match, f"no card for series {sequence_id}"
    return match.group(0)


def row(html: str, type_key: str) -> str:
    match = re.search(rf'<tr[^>]*data-type="{type_key}".*?</tr>', html, flags=re.DOTALL)
    assert match, f"no row for {type_key}"
    return match.group(0)


def only_audit_entry(action: str) -> AuditEntry:
    entry = AuditEntry.objects.get()
    assert entry.action == action
    return entry


def register_url(sequence) -> str:
    return f"/c/acme/sequences/{sequence.pk}/register/"


def set_default_url(sequence) -> str:
    return f"/c/acme/sequences/{sequence.pk}/set-default/"
