"""What a bulk action works on: documents picked on the list, as (type path, id) pairs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from invoices.invoicexpress.document_types import GETTABLE_TYPE_PATHS

# progress(done, total): called after each document, so a job can report how far it got.
Progress = Callable[[int, int], None]
MAX_SELECTION = 500


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
    """The valid, distinct selections in the order given (at most MAX_SELECTION)."""
    picked = []
    for value in values:
        selection = Selection.parse(value)
        if selection is not None and selection not in picked:
            picked.append(selection)
    return picked[:MAX_SELECTION]


@dataclass
class Outcome:
    selection: Selection
    ok: bool
    label: str = ""  # "FT A/12", or the id when the document could not be read
    message: str = ""


@dataclass
class BulkResult:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def done(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.ok]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]


def no_progress(done: int, total: int) -> None:
    """The progress callback when nobody is watching."""
