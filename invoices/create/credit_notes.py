"""How much a credit note may take back: never more than remains of the invoice it corrects.

What remains (`invoices.create.credits.CreditPosition`) is the invoice less its issued credit notes.
The same rule, with the same figures, is the service's (the sandbox refuses it too).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from invoices.create.credits import CreditPosition, item_key, rounding_allowance
from invoices.create.forms import CREDIT_NOTE
from invoices.formatting import pt_money, pt_number

if TYPE_CHECKING:
    from invoices.create.entry import DocumentEntry


def credit_note_fits(entry: DocumentEntry, position: CreditPosition) -> bool:
    """A credit note takes back at most what remains; errors on the form (with figures) if not.

    A line the invoice does not have is allowed, but counts toward the total.
    """
    if entry.doc_type != CREDIT_NOTE:
        return True
    owner = position.owner
    number = owner.display_number
    fits = True
    lines = entry.items.filled_forms()
    wanted: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        wanted[item_key(line.cleaned_data["name"])] += line.cleaned_data["quantity"]
    for line in lines:
        credited = position.line(line.cleaned_data["name"])
        if credited is None:
            continue
        quantity = wanted[item_key(credited.name)]
        if quantity > credited.remaining:
            fits = False
            line.add_error(
                "quantity",
                _(
                    "Only %(remaining)s of “%(name)s” remain to be credited on %(number)s "
                    "(%(invoiced)s invoiced, %(credited)s already credited); this note "
                    "credits %(quantity)s."
                )
                % {
                    "remaining": quantity_text(credited.remaining),
                    "name": credited.name,
                    "number": number,
                    "invoiced": quantity_text(credited.invoiced),
                    "credited": quantity_text(credited.credited),
                    "quantity": quantity_text(quantity),
                },
            )
    total = entry.estimate().total
    if total > position.remaining_total + rounding_allowance(len(wanted)):
        fits = False
        entry.form.add_error(
            None,
            _(
                "A credit note cannot credit more than remains: %(number)s totals "
                "%(owner_total)s, %(credited)s already credited, %(remaining)s remain; "
                "this note about %(total)s."
            )
            % {
                "number": number,
                "owner_total": pt_money(owner.total, owner.currency),
                "credited": pt_money(position.credited_total, owner.currency),
                "remaining": pt_money(position.remaining_total, owner.currency),
                "total": pt_money(total, owner.currency),
            },
        )
    return fits


def quantity_text(value: Decimal) -> str:
    """4 -> "4", 1.5 -> "1,5": as many decimals as the quantity has."""
    exponent = value.normalize().as_tuple().exponent
    if not isinstance(exponent, int):  # "n", "N" or "F": the form fields refuse those
        raise ValueError(f"Not a finite quantity: {value}")
    return pt_number(value, places=max(0, -exponent))
