"""The IVA exemption codes (M01..M99): the wording printed on the invoice and where each applies.

Loaded once from `invoices/data/tax_exemption_codes.csv` (a copy of the service's reference
table, `;`-separated, UTF-8, with the ordinal "º" of Portuguese legal references, never the
degree sign "°"). Shared by the document pages and the create form, so keep the API stable:
`EXEMPTION_CODES` and `exemption_meaning(code)`.

Some codes hold only for a period (`valid_from`/`valid_to`, inclusive): M26, the zero-VAT
food basket of Lei n.º 17/2023, from 18/04/2023 to 04/01/2024. A document of another date
may not use it (`period_problem`), while an old document carrying it still reads its meaning.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import NamedTuple

from django.utils.translation import gettext as _

DATA_FILE = Path(__file__).resolve().parent / "data" / "tax_exemption_codes.csv"

# "No exemption": the service accepts it but the reference table does not list it.
NO_EXEMPTION = "M00"


class ExemptionCode(NamedTuple):
    code: str  # "M07"
    mention: str  # printed on the invoice: "Isento artigo 9.º do CIVA"
    applies_to: str  # the legal basis: "Artigo 9.º do CIVA"
    valid_from: dt.date | None = None  # first day it may be used, when limited
    valid_to: dt.date | None = None  # last day it may be used, when limited

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or day >= self.valid_from) and (
            self.valid_to is None or day <= self.valid_to
        )


def _date(text: str | None) -> dt.date | None:
    text = (text or "").strip()
    return dt.date.fromisoformat(text) if text else None


def _load(path: Path = DATA_FILE) -> list[ExemptionCode]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.DictReader(handle, delimiter=";")
        return [
            ExemptionCode(
                row["code"].strip().upper(),
                row["mention_on_invoice"].strip(),
                row["applies_to"].strip(),
                _date(row.get("valid_from")),
                _date(row.get("valid_to")),
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


def period_problem(code: str, day: dt.date) -> str:
    """Why a new document dated `day` may not use `code` (outside its period), or ""."""
    entry = exemption(code)
    if entry is None or entry.valid_on(day):
        return ""
    return _(
        "%(code)s (%(mention)s) applies only from %(start)s to %(end)s; this document is dated "
        "%(date)s."
    ) % {
        "code": entry.code,
        "mention": entry.mention,
        "start": entry.valid_from.strftime("%d/%m/%Y") if entry.valid_from else "…",
        "end": entry.valid_to.strftime("%d/%m/%Y") if entry.valid_to else "…",
        "date": day.strftime("%d/%m/%Y"),
    }


def exemption_meaning(code: str) -> str:
    """What `code` means, for people: "Isento artigo 9.º do CIVA (Artigo 9.º do CIVA)" for M07.

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
