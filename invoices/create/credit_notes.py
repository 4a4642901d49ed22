"""How much a credit note may take back: never more than the invoice it corrects charged."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from invoices.create.forms import CREDIT_NOTE
from invoices.formatting import pt_money, pt_number
from invoices.invoicexpress.records import Document

if TYPE_CHECKING:
    from invoices.create.forms import DocumentEntry


def credit_note_fits(entry: DocumentEntry, owner: Document) -> bool:
    """A credit note takes back at most what its invoice charged; errors on the form if not.

    Lines are matched to the invoice's by item name (several lines of one name add up);
    a line the invoice does not have is allowed, but counts toward the total.
    """
    if entry.doc_type != CREDIT_NOTE:
        return True
    fits = True
    charged: dict[str, Decimal] = defaultdict(Decimal)
    names: dict[str, str] = {}
    for item in owner.items:
        charged[_item_key(item.name)] += item.quantity
        names.setdefault(_item_key(item.name), item.name)
    credited: dict[str, Decimal] = defaultdict(Decimal)
    lines = entry.items.filled_forms()
    for line in lines:
        credited[_item_key(line.cleaned_data["name"])] += line.cleaned_data["quantity"]
    for line in lines:
        key = _item_key(line.cleaned_data["name"])
        if key in charged and credited[key] > charged[key]:
            fits = False
            line.add_error(
                "quantity",
                _(
                    "More than the invoice charged: %(number)s has %(quantity)s of "
                    "“%(name)s”, this note credits %(credited)s."
                )
                % {
                    "number": owner.display_number or owner.id,
                    "quantity": _quantity_text(charged[key]),
                    "name": names[key],
                    "credited": _quantity_text(credited[key]),
                },
            )
    total = entry.estimate().total
    if total > owner.total:
        fits = False
        entry.form.add_error(
            None,
            _(
                "A credit note cannot exceed the invoice it corrects: %(number)s totals "
                "%(owner_total)s, this note about %(total)s."
            )
            % {
                "number": owner.display_number or owner.id,
                "owner_total": pt_money(owner.total, owner.currency),
                "total": pt_money(total, owner.currency),
            },
        )
    return fits


def _item_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _quantity_text(value: Decimal) -> str:
    """4 -> "4", 1.5 -> "1,5": as many decimals as the quantity has."""
    return pt_number(value, places=max(0, -value.normalize().as_tuple().exponent))
