"""The country names InvoiceXpress accepts for a client (English names: "Portugal", not "PT").

Loaded once from `invoices/data/countries.txt`, a copy of the service's own list, in its
order (Portugal and a few frequent ones first). Anything else is refused upstream with
"Country X was not found", so the create form offers exactly these.
"""

from __future__ import annotations

from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "countries.txt"

DEFAULT_COUNTRY = "Portugal"


def _load(path: Path = DATA_FILE) -> tuple[str, ...]:
    names = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(dict.fromkeys(name for name in names if name))


COUNTRIES: tuple[str, ...] = _load()
_BY_LOWER = {name.casefold(): name for name in COUNTRIES}


def canonical_country(name: str) -> str | None:
    """The accepted spelling of `name` ("portugal" -> "Portugal"), or None if refused."""
    return _BY_LOWER.get((name or "").strip().casefold())


def country_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in COUNTRIES]
