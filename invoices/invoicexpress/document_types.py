"""The InvoiceXpress document types: path segment, JSON root key, Portuguese code, label.

As the API documentation names them: `invoices`/`invoice`/Invoice, and so on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class DocumentType:
    name: str  # the `type` value and the list filter value: "Invoice"
    path: str  # the URL segment: "invoices"
    root: str  # the JSON root key of one document: "invoice"
    code: str  # the Portuguese document code printed before the number: "FT"
    label: Any  # for people
    can_create: bool = False
    sequence_key: str = ""  # the <type> in a sequence's current_<type>_number
    # The client owes money on it until it is settled, so it can be overdue. Receipts
    # record a payment, credit notes owe the client, invoice-receipts are paid on issue.
    receivable: bool = False
    # Which list endpoint holds it: invoices.json, estimates.json or guides.json.
    family: str = "invoices"
    # False for a `type` this table does not know: listed read-only under its own name.
    known: bool = True
    # Its amounts take money back: every total the dashboard adds (list, CSV) subtracts it.
    subtracts: bool = False
    # It records the payment of an invoice already counted: page totals leave it out.
    records_payment: bool = False


DOCUMENT_TYPES: tuple[DocumentType, ...] = (
    DocumentType("Invoice", "invoices", "invoice", "FT", _("Invoice"), True, "invoice", True),
    DocumentType(
        "InvoiceReceipt",
        "invoice_receipts",
        "invoice_receipt",
        "FR",
        _("Invoice-receipt"),
        True,
        "invoice_receipt",
    ),
    DocumentType(
        "SimplifiedInvoice",
        "simplified_invoices",
        "simplified_invoice",
        "FS",
        _("Simplified invoice"),
        True,
        "simplified_invoice",
    ),
    DocumentType(
        "CreditNote",
        "credit_notes",
        "credit_note",
        "NC",
        _("Credit note"),
        True,
        "credit_note",
        subtracts=True,
    ),
    DocumentType(
        "DebitNote", "debit_notes", "debit_note", "ND", _("Debit note"), True, "debit_note", True
    ),
    DocumentType(
        "Receipt", "receipts", "receipt", "RG", _("Receipt"), False, "receipt", records_payment=True
    ),
    DocumentType(
        "VatMossInvoice",
        "vat_moss_invoices",
        "vat_moss_invoice",
        "FT",
        _("VAT MOSS invoice"),
        False,
        "vat_moss_invoice",
        True,
    ),
    # Listed by the list endpoint's type[] filter; no path of their own for get/create.
    DocumentType("CashInvoice", "cash_invoices", "cash_invoice", "VD", _("Cash invoice")),
    DocumentType(
        "VatMossReceipt",
        "vat_moss_receipts",
        "vat_moss_receipt",
        "RG",
        _("VAT MOSS receipt"),
        records_payment=True,
    ),
    DocumentType(
        "VatMossCreditNote",
        "vat_moss_credit_notes",
        "vat_moss_credit_note",
        "NC",
        _("VAT MOSS credit note"),
        subtracts=True,
    ),
    # Estimates (GET /estimates.json) and guides (GET /guides.json): read-only here.
    DocumentType("Quote", "quotes", "quote", "OR", _("Quote"), family="estimates"),
    DocumentType("Proforma", "proformas", "proforma", "PF", _("Proforma"), family="estimates"),
    DocumentType("FeesNote", "fees_notes", "fees_note", "NH", _("Fees note"), family="estimates"),
    DocumentType("Shipping", "shippings", "shipping", "GR", _("Shipping guide"), family="guides"),
    DocumentType(
        "Transport", "transports", "transport", "GT", _("Transport guide"), family="guides"
    ),
    DocumentType(
        "Devolution", "devolutions", "devolution", "GD", _("Devolution guide"), family="guides"
    ),
)
FAMILIES = ("invoices", "estimates", "guides")
_BY_NAME = {t.name: t for t in DOCUMENT_TYPES}
_BY_PATH = {t.path: t for t in DOCUMENT_TYPES}
# The types `GET /{type}/{id}.json` serves.
GETTABLE_TYPE_PATHS = (
    "invoices",
    "invoice_receipts",
    "simplified_invoices",
    "credit_notes",
    "debit_notes",
    "receipts",
    "vat_moss_invoices",
    "quotes",
    "proformas",
    "fees_notes",
    "shippings",
    "transports",
    "devolutions",
)
# The types whose lifecycle (finalize, cancel, settle...) the dashboard drives: the invoicing
# family. Estimates and guides are read here, never changed.
ACTIONABLE_TYPE_PATHS = tuple(p for p in GETTABLE_TYPE_PATHS if _BY_PATH[p].family == "invoices")
# A number as printed or typed: "FT 2026/33", "ft A/28", "FT2026/33": the type code, maybe a
# space, then series/number (which holds a digit, so "NC Software" stays a text search).
NUMBER_RE = re.compile(r"(?P<code>[A-Za-z]{2})\s*(?P<rest>\S*\d\S*)")
STATUSES = ("draft", "sent", "final", "settled", "canceled", "second_copy")


def family_types(family: str) -> tuple[DocumentType, ...]:
    return tuple(t for t in DOCUMENT_TYPES if t.family == family)


def unknown_document_type(name: str) -> DocumentType:
    """A `type` the dashboard does not know (a new family upstream): shown, never acted on."""
    return DocumentType(name=name, path="", root="", code="", label=name, known=False)


def document_type(name_or_path: str) -> DocumentType:
    """The type for "Invoice" or "invoices"; ValueError for anything else."""
    found = _BY_NAME.get(name_or_path) or _BY_PATH.get(name_or_path)
    if found is None:
        raise ValueError(f"Unknown document type: {name_or_path!r}")
    return found
