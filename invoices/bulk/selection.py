"""What a bulk action works on: documents picked on the list, as (type path, id) pairs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from invoices.invoicexpress.document_types import GETTABLE_TYPE_PATHS

MAX_SELECTION = 500  # a background job's worth: each document is a request or two upstream


@dataclass(frozen=True)
class Selection:
    type_path: str
    document_id: int

    @classmethod
    def parse(cls, value: str) -> Selection | None:
        """ "invoices:12" -> Selection; anything else (or a type we cannot read) None."""
        type_path, _, number = str(value).partition(":")
        if type_path not in GETTABLE_TYPE_PATHS or not number.isdigit():
            return None
        document_id = int(number)
        if not 0 < document_id < 2**63:
            return None
        return cls(type_path, document_id)

    def __str__(self) -> str:
        return f"{self.type_path}:{self.document_id}"


def parse_selections(values: Iterable[str]) -> list[Selection]:
    """The valid, distinct selections in the order given; it stops reading after
    MAX_SELECTION + 1, so a caller can tell "too many" without holding them all."""
    picked: dict[Selection, None] = {}
    for value in values:
        selection = Selection.parse(value)
        if selection is not None:
            picked.setdefault(selection, None)
            if len(picked) > MAX_SELECTION:
                break
    return list(picked)
