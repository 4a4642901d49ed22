"""What an invoice still has to credit: invoiced, already credited, still creditable.

Read from the invoice and its related documents (`GET /document/{id}/related_documents.json`).
Only issued credit notes count (final, sent, settled, second copy): a draft may never be
finalized and a canceled note credited nothing. Lines are matched by item name, case and
spacing aside, several lines of one name adding up, the way the service matches items.
Shared by the document page (shows it) and the create form (prefills and caps with it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from invoices.invoicexpress.records import Document, Item

CREDITING_STATUSES = frozenset({"final", "sent", "settled", "second_copy"})
ZERO = Decimal("0")


def item_key(name: str) -> str:
    return " ".join((name or "").split()).casefold()


def rounding_allowance(line_count: int) -> Decimal:
    """Cents a fair note may exceed the remaining total by: each note rounds its own lines.

    Two notes for 1 unit at 1,005 € total 1,01 € each, while the invoice for 2 totals
    2,01 €: the second one must pass. A line rounds its subtotal and its tax: 2 cents a line.
    The sandbox allows the same (sandbox/credit_limits.py).
    """
    return Decimal("0.02") * max(line_count, 1)


@dataclass(frozen=True)
class CreditedLine:
    name: str  # as the invoice spells it
    invoiced: Decimal  # quantity
    credited: Decimal  # quantity, by issued credit notes

    @property
    def remaining(self) -> Decimal:
        return max(self.invoiced - self.credited, ZERO)


@dataclass(frozen=True)
class CreditPosition:
    owner: Document
    credit_notes: tuple[Document, ...]  # issued credit notes of the owner, oldest first
    related: tuple[Document, ...]  # every related document (receipts and drafts too)
    lines: tuple[CreditedLine, ...]
    credited_total: Decimal

    @property
    def invoiced_total(self) -> Decimal:
        return self.owner.total

    @property
    def remaining_total(self) -> Decimal:
        return max(self.owner.total - self.credited_total, ZERO)

    @property
    def fully_credited(self) -> bool:
        return self.remaining_total == 0

    def line(self, name: str) -> CreditedLine | None:
        key = item_key(name)
        return next((line for line in self.lines if item_key(line.name) == key), None)

    def remaining_items(self) -> list[tuple[Item, Decimal]]:
        """The owner's items with the quantity each may still credit (0 left out), in order."""
        left = {item_key(line.name): line.remaining for line in self.lines}
        rows = []
        for item in self.owner.items:
            key = item_key(item.name)
            quantity = min(item.quantity, left.get(key, ZERO))
            if quantity > 0:
                rows.append((item, quantity))
                left[key] -= quantity
        return rows


def credit_position(owner: Document, related: tuple[Document, ...]) -> CreditPosition:
    notes = tuple(
        doc
        for doc in related
        if doc.type.name == "CreditNote"
        and doc.status in CREDITING_STATUSES
        and doc.owner_invoice_id in (None, owner.id)
    )
    invoiced: dict[str, Decimal] = defaultdict(Decimal)
    names: dict[str, str] = {}
    for item in owner.items:
        invoiced[item_key(item.name)] += item.quantity
        names.setdefault(item_key(item.name), item.name)
    credited: dict[str, Decimal] = defaultdict(Decimal)
    for note in notes:
        for item in note.items:
            credited[item_key(item.name)] += item.quantity
    return CreditPosition(
        owner=owner,
        credit_notes=notes,
        related=related,
        lines=tuple(
            CreditedLine(name=names[key], invoiced=quantity, credited=credited[key])
            for key, quantity in invoiced.items()
        ),
        credited_total=sum((note.total for note in notes), ZERO),
    )
