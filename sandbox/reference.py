"""The service's reference lists (copied from the API docs into sandbox/data/)."""

import csv
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

UNITS = ("service", "unit", "hour", "day", "month", "other")
NO_EXEMPTION = "M00"


@cache
def countries() -> dict[str, str]:
    """Accepted country names, keyed by their lower-case form."""
    names = (DATA_DIR / "countries.txt").read_text(encoding="utf-8").splitlines()
    return {name.strip().lower(): name.strip() for name in names if name.strip()}


def canonical_country(name: str) -> str | None:
    """The accepted spelling of `name`, or None when the service would refuse it."""
    return countries().get(name.strip().lower())


@cache
def exemption_codes() -> dict[str, str]:
    """Exemption code -> wording printed on the invoice (M00, "no exemption", excluded)."""
    with (DATA_DIR / "tax-exemption-codes.csv").open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: row["mention_on_invoice"] for row in csv.DictReader(handle, delimiter=";")
        }
