"""Random documents as a clerk types them into the create form, for the totals property tests.

Lines (1 to 5) with quantities, unit prices and discounts in the form's precision, any of
the company's taxes (mainland, Madeira, Azores, exempt), an exemption reason whenever a line
is at 0 %, and sometimes a withholding rate. Numbers are typed either way the form takes
them ("1234.5" or "1234,5").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from invoices.exemptions import EXEMPTION_CODES
from invoices.forms import plain_decimal

# Regional taxes a Madeira or Azores company sets up in InvoiceXpress (name, rate, region).
REGIONAL_TAXES = (
    ("IVA22", Decimal("22"), "PT-MA"),
    ("IVA12", Decimal("12"), "PT-MA"),
    ("IVA4M", Decimal("4"), "PT-MA"),
    ("IVA16", Decimal("16"), "PT-AC"),
    ("IVA9", Decimal("9"), "PT-AC"),
    ("IVA4A", Decimal("4"), "PT-AC"),
)
TAX_NAMES = ("IVA23", "IVA13", "IVA6", "Isento") + tuple(name for name, _, _ in REGIONAL_TAXES)
ZERO_RATED = {"Isento"}
UNITS = ("service", "unit", "hour", "day", "month", "other")


def _typed(value: Decimal, comma: bool) -> str:
    text = plain_decimal(value)
    return text.replace(".", ",") if comma else text


def _exemptions_on(day: dt.date) -> list[str]:
    return [entry.code for entry in EXEMPTION_CODES if entry.valid_on(day)]


@st.composite
def lines(draw):
    comma = draw(st.booleans())
    quantity = draw(st.decimals(Decimal("0.0001"), Decimal("9999"), places=4))
    unit_price = draw(st.decimals(Decimal("0"), Decimal("99999"), places=draw(st.integers(0, 6))))
    discount = draw(
        st.one_of(st.just(Decimal("0")), st.decimals(Decimal("0"), Decimal("100"), places=2))
    )
    return {
        "name": draw(st.sampled_from(("Consultoria", "Pastel de nata", "Livro", "Portes"))),
        "description": "",
        "quantity": _typed(quantity, comma),
        "unit": draw(st.sampled_from(UNITS)),
        "unit_price": _typed(unit_price, comma),
        "discount": _typed(discount, comma),
        "tax": draw(st.sampled_from(TAX_NAMES)),
    }


@st.composite
def documents(draw, day: dt.date):
    rows = draw(st.lists(lines(), min_size=1, max_size=5))
    retention = draw(st.one_of(st.none(), st.decimals(Decimal("0"), Decimal("99.99"), places=2)))
    exemption = ""
    if any(row["tax"] in ZERO_RATED for row in rows):
        exemption = draw(st.sampled_from(_exemptions_on(day)))
    return {
        "doc_type": draw(st.sampled_from(("invoices", "invoice_receipts", "debit_notes"))),
        "retention": "" if retention is None else plain_decimal(retention),
        "tax_exemption": exemption,
        "rows": rows,
    }


def form_post(document: dict, *, token: str, series: str, day: dt.date) -> dict[str, str]:
    """The create form's POST for `document`, as the browser sends it."""
    rows = document["rows"]
    data = {
        "token": token,
        "doc_type": document["doc_type"],
        "sequence": series,
        "date": f"{day:%d/%m/%Y}",
        "due_date": f"{day:%d/%m/%Y}",
        "retention": document["retention"],
        "tax_exemption": document["tax_exemption"],
        "client_name": "Cliente Propriedade, Lda.",
        "client_code": "PROP-1",
        "client_fiscal_id": "508025338",
        "client_country": "Portugal",
        "items-TOTAL_FORMS": str(len(rows)),
        "items-INITIAL_FORMS": "0",
        "submit_document": "1",
    }
    for i, row in enumerate(rows):
        data.update({f"items-{i}-{key}": value for key, value in row.items()})
    return data
