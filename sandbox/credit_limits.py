"""A credit note never credits more than remains of the document it corrects.

What remains is the owner's lines and total less every issued (numbered, not canceled)
credit note already tied to it. Lines are matched by item name, case and spacing aside;
several lines of one name add up. A line the owner does not have is allowed but counts
toward the total. Checked when a note is created and again when it is finalized (another
note may have been issued in between).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from sandbox.doctypes import DocType
from sandbox.models import NUMBERED_STATUSES, SandboxDocument, Status

CREDITING_STATUSES = tuple(s for s in NUMBERED_STATUSES if s != Status.CANCELED)


def item_key(name: str) -> str:
    return " ".join((name or "").split()).casefold()


def quantity_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def rounding_allowance(line_count: int) -> Decimal:
    """Cents a fair note may exceed the remaining total by: each note rounds its own lines.

    Two notes for 1 unit at 1,005 € total 1,01 € each, while the invoice for 2 totals 2,01 €:
    the second note must pass. Each line rounds its subtotal and its tax once: 2 cents a line.
    """
    return Decimal("0.02") * max(line_count, 1)


def over_credit_errors(
    owner: SandboxDocument,
    lines: Iterable[tuple[str, Decimal]],
    total: Decimal,
    *,
    exclude_pk: int | None = None,
) -> list[str]:
    """The service-style messages for a note of `lines` (name, quantity) and `total`, or []."""
    invoiced: dict[str, Decimal] = defaultdict(Decimal)
    names: dict[str, str] = {}
    for line in owner.lines.all():
        invoiced[item_key(line.name)] += line.quantity
        names.setdefault(item_key(line.name), line.name)
    notes = SandboxDocument.objects.filter(
        owner=owner, doc_type=DocType.CREDIT_NOTE, status__in=CREDITING_STATUSES
    ).prefetch_related("lines")
    if exclude_pk is not None:
        notes = notes.exclude(pk=exclude_pk)
    credited: dict[str, Decimal] = defaultdict(Decimal)
    credited_total = Decimal("0")
    for note in notes:
        credited_total += note.total
        for line in note.lines.all():
            credited[item_key(line.name)] += line.quantity
    wanted: dict[str, Decimal] = defaultdict(Decimal)
    for name, quantity in lines:
        wanted[item_key(name)] += quantity
    errors = []
    number = owner.display_number
    for key, quantity in wanted.items():
        if key not in invoiced:
            continue
        remaining = max(invoiced[key] - credited[key], Decimal("0"))
        if quantity > remaining:
            errors.append(
                f"Quantity of {names[key]} exceeds what remains to be credited on {number}: "
                f"{quantity_text(remaining)} remain ({quantity_text(invoiced[key])} invoiced, "
                f"{quantity_text(credited[key])} already credited), this note credits "
                f"{quantity_text(quantity)}"
            )
    remaining_total = max(owner.total - credited_total, Decimal("0"))
    if total > remaining_total + rounding_allowance(len(wanted)):
        errors.append(
            f"Total exceeds what remains to be credited on {number}: {remaining_total:.2f} "
            f"remain ({owner.total:.2f} invoiced, {credited_total:.2f} already credited), "
            f"this note totals {total:.2f}"
        )
    return errors
