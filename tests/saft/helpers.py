"""Helpers for the SAF-T tests: exports built straight in the database, Lisbon times."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from saft.archive import read_saft_zip, sha256_of
from saft.models import SaftExport
from saft.periods import Period
from tests.saft.test_archive import audit_file, zipped

LISBON = zoneinfo.ZoneInfo("Europe/Lisbon")
OCTOBER = Period(2026, 10)


def at_lisbon(year, month, day, hour=12):
    return dt.datetime(year, month, day, hour, tzinfo=LISBON)


def ready_export(account, period=OCTOBER, *, requested_at=None, user=None) -> SaftExport:
    xml = audit_file(start=period.first_day.isoformat(), end=period.last_day.isoformat(), entries=1)
    content = zipped(("saft.xml", xml))
    export = SaftExport.objects.create(
        account=account,
        year=period.year,
        month=period.month,
        requested_by=user,
        requested_at=requested_at or period.end_moment() + dt.timedelta(days=1),
    )
    assert export.mark_ready(content=content, sha256=sha256_of(content), summary=read_saft_zip(content))  # fmt: skip
    return export


def pending_export(account, period=OCTOBER) -> SaftExport:
    return SaftExport.objects.create(account=account, year=period.year, month=period.month)
