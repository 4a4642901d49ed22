"""The service's reference lists (copied from the API docs into sandbox/data/)."""

import csv
import datetime as dt
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


@cache
def exemption_periods() -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """Codes valid only for a period (inclusive): M26, the 2023 zero-VAT food basket."""
    periods = {}
    with (DATA_DIR / "tax-exemption-codes.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            start, end = (row.get("valid_from") or "").strip(), (row.get("valid_to") or "").strip()
            if start or end:
                periods[row["code"]] = (
                    dt.date.fromisoformat(start) if start else None,
                    dt.date.fromisoformat(end) if end else None,
                )
    return periods


def exemption_period_error(code: str, on: dt.date) -> str | None:
    start, end = exemption_periods().get(code, (None, None))
    if (start and on < start) or (end and on > end):
        return (
            f"Tax exemption {code} is only valid from {start:%d/%m/%Y} to {end:%d/%m/%Y}"
            if start and end
            else f"Tax exemption {code} is not valid on {on:%d/%m/%Y}"
        )
    return None
