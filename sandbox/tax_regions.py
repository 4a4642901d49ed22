"""VAT rates by tax region and their SAF-T (PT) TaxCode.

Regions as the service names them on a tax (`region`): PT (mainland; also the service's
null), PT-MA (Madeira), PT-AC (Azores). Rates: mainland 23/13/6; Madeira 22/12/4 (the
reduced rate was 5 % until 30/09/2024 and is 4 % since 01/10/2024); Azores 16/9/4.
SAF-T codes: NOR (normal), INT (intermediate), RED (reduced), ISE (exempt, 0 %); a rate
that is none of a region's is OUT (other), never coded as mainland.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

REGIONS = ("PT", "PT-MA", "PT-AC")


@dataclass(frozen=True)
class RegionalRate:
    region: str
    rate: Decimal
    code: str  # SAF-T TaxCode
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or day >= self.valid_from) and (
            self.valid_to is None or day <= self.valid_to
        )


MADEIRA_RED_CHANGE = dt.date(2024, 10, 1)
RATES = (
    RegionalRate("PT", Decimal("23"), "NOR"),
    RegionalRate("PT", Decimal("13"), "INT"),
    RegionalRate("PT", Decimal("6"), "RED"),
    RegionalRate("PT-MA", Decimal("22"), "NOR"),
    RegionalRate("PT-MA", Decimal("12"), "INT"),
    RegionalRate("PT-MA", Decimal("5"), "RED", valid_to=MADEIRA_RED_CHANGE - dt.timedelta(1)),
    RegionalRate("PT-MA", Decimal("4"), "RED", valid_from=MADEIRA_RED_CHANGE),
    RegionalRate("PT-AC", Decimal("16"), "NOR"),
    RegionalRate("PT-AC", Decimal("9"), "INT"),
    RegionalRate("PT-AC", Decimal("4"), "RED"),
)


def region_of(value: str | None) -> str:
    """A tax's region as SAF-T writes it: null or "" is the mainland, PT."""
    region = (value or "").strip().upper()
    return region if region in REGIONS else "PT"


def saft_code(region: str | None, rate: Decimal, on: dt.date) -> str:
    """The TaxCode of `rate` in `region` on `on`: NOR/INT/RED/ISE, OUT for anything else."""
    if rate == 0:
        return "ISE"
    region = region_of(region)
    for entry in RATES:
        if entry.region == region and entry.rate == rate and entry.valid_on(on):
            return entry.code
    return "OUT"


def rates_of(region: str, on: dt.date) -> tuple[Decimal, ...]:
    """The region's rates in force on `on`, highest first (for the tax table)."""
    return tuple(entry.rate for entry in RATES if entry.region == region and entry.valid_on(on))
