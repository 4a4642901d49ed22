"""What a fuzzing user types: hostile numbers, dates in every shape, long and odd text, and
keys repeated or missing, over a valid base so the deep paths (totals, formsets, upstream
calls) are reached too."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence

from hypothesis import strategies as st

# Values that broke, or could break, a Django form or what it feeds.
NASTY = (
    "",
    " ",
    "0",
    "-0",
    "1",
    "-1",
    "00",
    "NaN",
    "nan",
    "-NaN",
    "sNaN",
    "-sNaN",
    "snan",
    "Infinity",
    "-Infinity",
    "inf",
    "-inf",
    "+Inf",
    "1e999999",
    "-1e999999",
    "1e-999999",
    "1E+30",
    "9e99",
    "0e-30",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "9223372036854775808",
    "18446744073709551616",
    "0.0000000001",
    "1,5",
    "1.234,56",
    "12,345",
    ",",
    ".",
    "1..2",
    "1 000,00",
    "\u00a01\u00a0000,5",
    "١٢٣",  # Arabic-Indic digits: int() and Decimal() take them
    "31/02/2026",
    "29/02/2025",
    "00/00/0000",
    "01/01/0001",
    "31/12/9999",
    "2026-13-45",
    "2026-02-30",
    "1/1/26",
    "on",
    "true",
    "false",
    "all",
    "none",
    "1\x00",
    "\x00",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "%s%n",
    "' OR 1=1 --",
    "../../etc/passwd",
    "\u202e\u0301",
    "😀" * 3,
    "a" * 5000,
    "FT 2026/33",
    "FT A/",
    "/",
)

_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


def _pt_date(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


VALUE = st.one_of(
    st.sampled_from(NASTY),
    _TEXT,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.dates(min_value=dt.date(1, 1, 1)).map(_pt_date),
    st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat),
)
# One value, or a key sent several times (checkboxes), or sent with no value at all.
VALUES = st.one_of(VALUE, VALUE, VALUE, st.lists(VALUE, max_size=3))


def fuzzed(fields: Sequence[str], base: Mapping[str, object] | None = None):
    """Form data: `base` with some of its keys dropped and some of `fields` (or junk keys)
    replaced by hostile values."""
    frozen = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in (base or {}).items())
    return _fuzzed(tuple(fields), frozen)


@functools.cache
def _fuzzed(fields: tuple[str, ...], base_items: tuple):
    # Cached: hypothesis works out a strategy's properties when it first draws from it, and
    # a new strategy per example cost more than many of the requests it feeds.
    base = {k: list(v) if isinstance(v, tuple) else v for k, v in base_items}
    keys = list(dict.fromkeys([*fields, *base]))
    key = st.sampled_from(keys) if keys else _TEXT
    changes = st.dictionaries(st.one_of(key, key, key, _TEXT), VALUES, max_size=len(keys) + 2)
    dropped = st.sets(st.sampled_from(keys), max_size=3) if keys else st.just(set())

    def combine(changed: dict, gone: set) -> dict:
        data = {k: v for k, v in base.items() if k not in gone}
        data.update(changed)
        return {k: v for k, v in data.items() if v != []}

    return st.builds(combine, changes, dropped)
