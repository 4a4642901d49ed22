"""The create form and its lines together: what the browser sent (`RawEntry`, kept as typed
while lines come and go) and the header form with the lines formset (`DocumentEntry`),
validated together because several rules need both (exemption, simplified-invoice limits,
the total's ceiling). The header's own rules are in `create.forms`, the lines' in
`create.lines`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from invoices import exemptions
from invoices.create.forms import (
    MAX_TOTAL,
    NOTE_TYPES,
    SERVICE_UNITS,
    SIMPLIFIED,
    SIMPLIFIED_LIMIT_GOODS,
    SIMPLIFIED_LIMIT_SERVICES,
    DocumentForm,
    SimplifiedCase,
)
from invoices.create.lines import (
    ITEM_FIELDS,
    ITEMS_PREFIX,
    MAX_LINES,
    BaseItemFormSet,
    ItemFormSet,
    blank_row,
    default_tax_name,
)
from invoices.create.totals import Estimate, estimate
from invoices.formatting import pt_number
from invoices.forms import plain_decimal
from invoices.invoicexpress.records import Tax, format_date
from invoices.invoicexpress.sequences import Sequence

# ---- raw form data: add / remove lines without losing what was typed -------------------


@dataclass
class RawEntry:
    """What the browser sent, as strings: header fields and one dict per line."""

    header: dict[str, str]
    rows: list[dict[str, str]]

    @classmethod
    def from_post(cls, post) -> RawEntry:
        header = {name: post.get(name, "") for name in DocumentForm.base_fields}
        try:
            total = int(post.get(f"{ITEMS_PREFIX}-TOTAL_FORMS", "0"))
        except ValueError:
            total = 0
        total = max(0, min(total, MAX_LINES))
        rows = [
            {name: post.get(f"{ITEMS_PREFIX}-{i}-{name}", "") for name in ITEM_FIELDS}
            for i in range(total)
        ]
        return cls(header=header, rows=rows)

    def add_line(self, default_tax: str) -> None:
        if len(self.rows) < MAX_LINES:
            self.rows.append(blank_row(default_tax))

    def remove_line(self, index: str) -> None:
        try:
            position = int(index)
        except (TypeError, ValueError):
            return
        if 0 <= position < len(self.rows):
            del self.rows[position]

    def data(self) -> dict[str, str]:
        """Form data with the lines renumbered 0..n-1, every line an extra (optional) form."""
        data = dict(self.header)
        data.update(
            {
                f"{ITEMS_PREFIX}-TOTAL_FORMS": str(len(self.rows)),
                f"{ITEMS_PREFIX}-INITIAL_FORMS": "0",
                f"{ITEMS_PREFIX}-MIN_NUM_FORMS": "0",
                f"{ITEMS_PREFIX}-MAX_NUM_FORMS": str(MAX_LINES),
            }
        )
        for i, row in enumerate(self.rows):
            data.update({f"{ITEMS_PREFIX}-{i}-{name}": value for name, value in row.items()})
        return data


# ---- the form and its lines together ----------------------------------------------------


class DocumentEntry:
    """The header form and the lines formset, validated together.

    `bound=True`: validates `raw` and shows errors (a submit). `bound=False`: shows `raw` as
    typed, without errors (first render, a line added or removed, a client picked). The
    estimate is computed from `raw` either way, so it never lags behind the lines.
    """

    def __init__(
        self, *, sequences: list[Sequence], taxes: list[Tax], raw: RawEntry, bound: bool = False
    ) -> None:
        self.sequences = sequences
        self.taxes = taxes
        self.raw = raw
        self.bound = bound
        if not raw.rows:
            raw.rows.append(blank_row(default_tax_name(taxes)))
        if bound:
            self.form, self.items = self._bound_pair()
        else:
            self.form = DocumentForm(initial=dict(raw.header), sequences=sequences)
            self.items = ItemFormSet(
                initial=raw.rows, prefix=ITEMS_PREFIX, form_kwargs={"taxes": taxes}
            )
        self._estimate: Estimate | None = None
        self.incomplete_lines = 0  # lines typed into but not yet valid (set by estimate())

    def _bound_pair(self) -> tuple[DocumentForm, BaseItemFormSet]:
        data = self.raw.data()
        form = DocumentForm(data, sequences=self.sequences)
        items = ItemFormSet(data, prefix=ITEMS_PREFIX, form_kwargs={"taxes": self.taxes})
        return form, items

    def is_valid(self) -> bool:
        if not self.bound:
            return False
        form_ok = self.form.is_valid()
        items_ok = self.items.is_valid()
        if items_ok:  # every mistake at once, even when the header has some too
            self._check_document()
        return form_ok and items_ok and not self.form.errors

    def _check_document(self) -> None:
        """Rules that need the header and the lines together."""
        data = self.form.cleaned_data
        lines = self.items.filled_forms()
        totals = self.estimate()
        if any(line.tax_rate == 0 for line in lines) and not data.get("tax_exemption"):
            self.form.add_error(
                "tax_exemption",
                _("A line is at 0 % tax: choose the exemption reason that applies."),
            )
        if data.get("tax_exemption") and data.get("date"):
            problem = exemptions.period_problem(data["tax_exemption"], data["date"])
            if problem:
                self.form.add_error("tax_exemption", problem)
        if totals.total >= MAX_TOTAL:
            self.form.add_error(None, _("The total is too large for InvoiceXpress."))
        if data.get("doc_type") == SIMPLIFIED and data.get("simplified_case"):
            self._check_simplified(data["simplified_case"], lines, totals.total)

    def _check_simplified(self, case: str, lines, total: Decimal) -> None:
        services = [
            line.cleaned_data["name"]
            for line in lines
            if line.cleaned_data["unit"] in SERVICE_UNITS
        ]
        if case == SimplifiedCase.RETAIL_GOODS and services:
            self.form.add_error(
                "simplified_case",
                _(
                    "“%(name)s” is a service (its unit): the 1.000 € limit is only for retail "
                    "sales of goods; choose the other case (up to 100 €)."
                )
                % {"name": services[0]},
            )
            return
        retail = case == SimplifiedCase.RETAIL_GOODS
        limit = SIMPLIFIED_LIMIT_GOODS if retail else SIMPLIFIED_LIMIT_SERVICES
        if total > limit:
            self.form.add_error(
                "simplified_case",
                _(
                    "A simplified invoice may not exceed %(limit)s € (%(what)s); this one "
                    "totals about %(total)s €. Issue an invoice or an invoice-receipt instead."
                )
                % {
                    "limit": pt_number(limit, 0),
                    "what": _("retail sale of goods")
                    if retail
                    else _("anything but retail sales of goods"),
                    "total": pt_number(total),
                },
            )

    def estimate(self) -> Estimate:
        """The totals of the lines that are complete, whether or not the rest is valid."""
        if self._estimate is None:
            form, items = (self.form, self.items) if self.bound else self._bound_pair()
            lines = [f.line_input() for f in items.forms if f.is_valid() and f.has_changed()]
            form.is_valid()
            retention = (
                form.cleaned_data.get("retention") if "retention" not in form.errors else None
            )
            self._estimate = estimate(lines, retention)
            self.incomplete_lines = sum(
                1 for f in items.forms if f.has_changed() and not f.is_valid()
            )
        return self._estimate

    @property
    def token(self) -> uuid.UUID | None:
        return self.form.cleaned_data.get("token") if self.bound else None

    @property
    def doc_type(self) -> str:
        return self.form.cleaned_data["doc_type"]

    def invoice(self) -> dict[str, Any]:
        """The `invoice` object for `POST /{type}.json`, JSON-ready (strings for numbers)."""
        data = self.form.cleaned_data
        lines = self.items.filled_forms()
        invoice: dict[str, Any] = {
            "date": format_date(data["date"]),
            "due_date": format_date(data["due_date"]),
        }
        if data.get("sequence_counter_id"):
            counter = data["sequence_counter_id"]  # an id: sent as the number it is
            invoice["sequence_id"] = int(counter) if counter.isdigit() else counter
        for key in ("reference", "observations"):
            if data.get(key):
                invoice[key] = data[key].strip()
        if data.get("retention"):
            invoice["retention"] = plain_decimal(data["retention"])
        if any(line.tax_rate == 0 for line in lines) and data.get("tax_exemption"):
            invoice["tax_exemption"] = data["tax_exemption"]
        if data["doc_type"] in NOTE_TYPES and data.get("owner_invoice_id"):
            invoice["owner_invoice_id"] = data["owner_invoice_id"]
        invoice["client"] = self.form.api_client()
        invoice["items"] = [line.api_item() for line in lines]
        return invoice
