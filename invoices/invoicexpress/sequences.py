"""A company's document series as InvoiceXpress reports them, with their ATCUD state.

Each document type of a series has its own counter and validation code (`ABCD1234`, `N/D`
or `N/A`); ATCUD is `<code>-<number>`. (the API's sequences documentation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from invoices.invoicexpress.errors import BadResponse
from invoices.invoicexpress.records import as_text, expect_dict, to_int


class CodeStatus:
    REGISTERED = "registered"
    NOT_REGISTERED = "not_registered"  # N/D: relevant for ATCUD, not registered: refused
    NOT_APPLICABLE = "not_applicable"  # N/A


@dataclass(frozen=True)
class SequenceCounter:
    """One document type's counter inside a series."""

    type_key: str  # "invoice", "credit_note", ...
    number: int
    sequence_id: str  # send as invoice.sequence_id to issue this type on this series
    validation_code: str  # "ABCD1234", "N/D", "N/A" or "" when not reported

    @property
    def code_status(self) -> str:
        code = self.validation_code.strip().upper()
        if code == "N/D":
            return CodeStatus.NOT_REGISTERED
        if code in ("N/A", ""):
            return CodeStatus.NOT_APPLICABLE
        return CodeStatus.REGISTERED

    @property
    def next_atcud(self) -> str:
        if self.code_status != CodeStatus.REGISTERED:
            return ""
        return f"{self.validation_code}-{self.number + 1}"


_COUNTER_KEY = re.compile(r"^current_(?P<type>[a-z_]+?)_number$")


@dataclass(frozen=True)
class Sequence:
    id: int
    serie: str
    is_default: bool
    counters: tuple[SequenceCounter, ...] = field(default_factory=tuple)

    @classmethod
    def from_api(cls, data: Any) -> Sequence:
        data = expect_dict(data, "sequence")
        seq_id = to_int(data.get("id"))
        if seq_id is None:
            raise BadResponse("InvoiceXpress sent a sequence without an id.")
        counters = []
        for key in data:
            match = _COUNTER_KEY.match(key)
            if not match:
                continue
            type_key = match["type"]
            counters.append(
                SequenceCounter(
                    type_key=type_key,
                    number=to_int(data.get(key)) or 0,
                    sequence_id=as_text(data.get(f"current_{type_key}_sequence_id")),
                    validation_code=as_text(data.get(f"current_{type_key}_validation_code")),
                )
            )
        return cls(
            id=seq_id,
            serie=as_text(data.get("serie")),
            is_default=bool(to_int(data.get("default_sequence"))),
            counters=tuple(counters),
        )

    def counter(self, type_key: str) -> SequenceCounter | None:
        return next((c for c in self.counters if c.type_key == type_key), None)

    @property
    def has_unregistered(self) -> bool:
        return any(c.code_status == CodeStatus.NOT_REGISTERED for c in self.counters)
