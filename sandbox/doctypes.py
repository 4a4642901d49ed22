"""The InvoiceXpress document types: path segment, JSON root key, `type`, sequence kind.

One table so the URLs, the serializer, the sequences and SAF-T all agree.
"""

from dataclasses import dataclass

from django.db import models


class DocType(models.TextChoices):
    INVOICE = "Invoice"
    INVOICE_RECEIPT = "InvoiceReceipt"
    SIMPLIFIED_INVOICE = "SimplifiedInvoice"
    VAT_MOSS_INVOICE = "VatMossInvoice"
    CREDIT_NOTE = "CreditNote"
    DEBIT_NOTE = "DebitNote"
    RECEIPT = "Receipt"
    # Accepted by the list filter like the service; the sandbox never holds these.
    CASH_INVOICE = "CashInvoice"
    VAT_MOSS_RECEIPT = "VatMossReceipt"
    VAT_MOSS_CREDIT_NOTE = "VatMossCreditNote"
    # Estimates (GET /estimates.json) and guides (GET /guides.json).
    QUOTE = "Quote"
    PROFORMA = "Proforma"
    FEES_NOTE = "FeesNote"
    SHIPPING = "Shipping"
    TRANSPORT = "Transport"
    DEVOLUTION = "Devolution"


class SequenceKind(models.TextChoices):
    """Every per-type counter of a sequence, in the order the service lists them."""

    INVOICE = "invoice"
    INVOICE_RECEIPT = "invoice_receipt"
    SIMPLIFIED_INVOICE = "simplified_invoice"
    CREDIT_NOTE = "credit_note"
    DEBIT_NOTE = "debit_note"
    RECEIPT = "receipt"
    SHIPPING = "shipping"
    TRANSPORT = "transport"
    DEVOLUTION = "devolution"
    PROFORMA = "proforma"
    QUOTE = "quote"
    FEES_NOTE = "fees_note"
    PURCHASE_ORDER = "purchase_order"
    VAT_MOSS_INVOICE = "vat_moss_invoice"
    VAT_MOSS_CREDIT_NOTE = "vat_moss_credit_note"
    VAT_MOSS_RECEIPT = "vat_moss_receipt"


# Kinds the Tax Authority does not give a validation code to: always "N/A".
KINDS_WITHOUT_ATCUD = frozenset(
    {
        SequenceKind.FEES_NOTE,
        SequenceKind.PURCHASE_ORDER,
        SequenceKind.VAT_MOSS_INVOICE,
        SequenceKind.VAT_MOSS_CREDIT_NOTE,
        SequenceKind.VAT_MOSS_RECEIPT,
    }
)


@dataclass(frozen=True)
class DocTypeInfo:
    doc_type: DocType
    path: str  # URL segment and list root key: "invoice_receipts"
    root: str  # single-document root key: "invoice_receipt"
    kind: SequenceKind
    code: str  # Portuguese document code, as printed and in SAF-T: "FR"
    label: str  # printed title
    creatable: bool = True
    settled_when_finalized: bool = False  # paid on the spot
    can_own_notes: bool = False  # may be the owner_invoice_id of a credit/debit note
    has_owner: bool = False  # carries owner_invoice_id
    in_saft_sales: bool = True  # listed in SAF-T SourceDocuments/SalesInvoices
    family: str = "invoices"  # the list endpoint that holds it: invoices, estimates, guides
    routed: bool = True  # has its own /{path}.json; False: only seen in lists


DOC_TYPES = (
    DocTypeInfo(
        DocType.INVOICE, "invoices", "invoice", SequenceKind.INVOICE, "FT", "Fatura",
        can_own_notes=True,
    ),
    DocTypeInfo(
        DocType.INVOICE_RECEIPT, "invoice_receipts", "invoice_receipt",
        SequenceKind.INVOICE_RECEIPT, "FR", "Fatura-Recibo",
        settled_when_finalized=True, can_own_notes=True,
    ),
    DocTypeInfo(
        DocType.SIMPLIFIED_INVOICE, "simplified_invoices", "simplified_invoice",
        SequenceKind.SIMPLIFIED_INVOICE, "FS", "Fatura Simplificada",
        settled_when_finalized=True, can_own_notes=True,
    ),
    DocTypeInfo(
        DocType.CREDIT_NOTE, "credit_notes", "credit_note", SequenceKind.CREDIT_NOTE, "NC",
        "Nota de Crédito", has_owner=True,
    ),
    DocTypeInfo(
        DocType.DEBIT_NOTE, "debit_notes", "debit_note", SequenceKind.DEBIT_NOTE, "ND",
        "Nota de Débito", has_owner=True,
    ),
    DocTypeInfo(
        DocType.RECEIPT, "receipts", "receipt", SequenceKind.RECEIPT, "RG", "Recibo",
        creatable=False, has_owner=True, in_saft_sales=False,
    ),
    DocTypeInfo(
        DocType.VAT_MOSS_INVOICE, "vat_moss_invoices", "vat_moss_invoice",
        SequenceKind.VAT_MOSS_INVOICE, "FT", "Fatura (VAT MOSS)",
        can_own_notes=True, in_saft_sales=False,
    ),
    # Listed by /invoices.json's type[] filter; the service gives them no path of their own.
    DocTypeInfo(
        DocType.CASH_INVOICE, "cash_invoices", "cash_invoice", SequenceKind.INVOICE, "VD",
        "Venda a Dinheiro", creatable=False, in_saft_sales=False, routed=False,
    ),
    DocTypeInfo(
        DocType.VAT_MOSS_RECEIPT, "vat_moss_receipts", "vat_moss_receipt",
        SequenceKind.VAT_MOSS_RECEIPT, "RG", "Recibo (VAT MOSS)", creatable=False,
        in_saft_sales=False, routed=False,
    ),
    DocTypeInfo(
        DocType.VAT_MOSS_CREDIT_NOTE, "vat_moss_credit_notes", "vat_moss_credit_note",
        SequenceKind.VAT_MOSS_CREDIT_NOTE, "NC", "Nota de Crédito (VAT MOSS)", creatable=False,
        in_saft_sales=False, routed=False,
    ),
    DocTypeInfo(
        DocType.QUOTE, "quotes", "quote", SequenceKind.QUOTE, "OR", "Orçamento",
        in_saft_sales=False, family="estimates",
    ),
    DocTypeInfo(
        DocType.PROFORMA, "proformas", "proforma", SequenceKind.PROFORMA, "PF", "Fatura Pró-forma",
        in_saft_sales=False, family="estimates",
    ),
    DocTypeInfo(
        DocType.FEES_NOTE, "fees_notes", "fees_note", SequenceKind.FEES_NOTE, "NH",
        "Nota de Honorários", in_saft_sales=False, family="estimates",
    ),
    DocTypeInfo(
        DocType.SHIPPING, "shippings", "shipping", SequenceKind.SHIPPING, "GR", "Guia de Remessa",
        in_saft_sales=False, family="guides",
    ),
    DocTypeInfo(
        DocType.TRANSPORT, "transports", "transport", SequenceKind.TRANSPORT, "GT",
        "Guia de Transporte", in_saft_sales=False, family="guides",
    ),
    DocTypeInfo(
        DocType.DEVOLUTION, "devolutions", "devolution", SequenceKind.DEVOLUTION, "GD",
        "Guia de Devolução", in_saft_sales=False, family="guides",
    ),
)  # fmt: skip

BY_PATH = {info.path: info for info in DOC_TYPES if info.routed}
BY_TYPE = {info.doc_type: info for info in DOC_TYPES}
TYPE_PATHS = tuple(BY_PATH)
FAMILIES = ("invoices", "estimates", "guides")


def family_doc_types(family: str) -> tuple[str, ...]:
    return tuple(info.doc_type for info in DOC_TYPES if info.family == family)


CREATABLE_PATHS = tuple(info.path for info in DOC_TYPES if info.creatable)
OWNER_TYPES = tuple(info.doc_type for info in DOC_TYPES if info.can_own_notes)


def info_for(doc_type: str) -> DocTypeInfo:
    return BY_TYPE[DocType(doc_type)]
