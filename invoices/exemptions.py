"""The IVA exemption codes (M01..M99): the wording printed on the invoice and where each applies.

Loaded once from `invoices/data/tax_exemption_codes.csv` (a copy of the service's reference
table, `;`-separated, UTF-8). Shared by the document pages and the create form, so keep the
API stable: `EXEMPTION_CODES` and `exemption_meaning(code)`.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import NamedTuple

from django.utils.translation import gettext as _

DATA_FILE = Path(__file__).resolve().parent / "data" / "tax_exemption_codes.csv"

# "No exemption": the service accepts it but the reference table does not list it.
NO_EXEMPTION = "M00"


class ExemptionCode(NamedTuple):
    code: str  # "M07"
    mention: str  # printed on the invoice: "Isento artigo 9.° do CIVA"
    applies_to: str  # the legal basis: "Artigo 9.° do CIVA"


def _load(path: Path = DATA_FILE) -> list[ExemptionCode]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.DictReader(handle, delimiter=";")
        return [
            ExemptionCode(
                row["code"].strip().upper(),
                row["mention_on_invoice"].strip(),
                row["applies_to"].strip(),
            )
            for row in rows
            if row.get("code", "").strip()
        ]


# Ordered as the reference table: (code, mention, applies_to).
EXEMPTION_CODES: list[ExemptionCode] = _load()
_BY_CODE = {entry.code: entry for entry in EXEMPTION_CODES}


def exemption(code: str) -> ExemptionCode | None:
    """The table entry for `code` ("m07" works too), or None when unknown."""
    return _BY_CODE.get((code or "").strip().upper())


def exemption_meaning(code: str) -> str:
    """What `code` means, for people: "Isento artigo 9.° do CIVA (Artigo 9.° do CIVA)" for M07.

    "" for an empty code; M00 reads "no exemption"; an unknown code says so instead of
    guessing (M03 and M08 are retired and no longer listed).
    """
    code = (code or "").strip().upper()
    if not code:
        return ""
    if code == NO_EXEMPTION:
        return _("No exemption")
    entry = _BY_CODE.get(code)
    if entry is None:
        return _("Unknown exemption code")
    if entry.applies_to and entry.applies_to != entry.mention:
        return f"{entry.mention} ({entry.applies_to})"
    return entry.mention
