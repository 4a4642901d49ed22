"""What InvoiceXpress answers, parsed into frozen dataclasses at the boundary.

The service's types are loose (see shared/api-docs/NOTES.md): totals come as numbers, item
prices and quantities as strings, tax values as number, string, "" or null, pagination as
numbers or strings. Everything money becomes `Decimal`; dates become `datetime.date`.
Views and templates only ever see these records, never raw dicts.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from invoices.ix_errors import BadResponse


@dataclass(frozen=True)
class DocumentType:
    name: str  # the `type` value and the list filter value: "Invoice"
    path: str  # the URL segment: "invoices"
    root: str  # the JSON root key of one document: "invoice"
    code: str  # the Portuguese document code printed before the number: "FT"
    label: Any  # for people
    can_create: bool = False
    sequence_key: str = ""  # the <type> in a sequence's current_<type>_number


DOCUMENT_TYPES: tuple[DocumentType, ...] = (
    DocumentType("Invoice", "invoices", "invoice", "FT", _("Invoice"), True, "invoice"),
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
        "CreditNote", "credit_notes", "credit_note", "NC", _("Credit note"), True, "credit_note"
    ),
    DocumentType(
        "DebitNote", "debit_notes", "debit_note", "ND", _("Debit note"), True, "debit_note"
    ),
    DocumentType("Receipt", "receipts", "receipt", "RG", _("Receipt"), False, "receipt"),
    DocumentType(
        "VatMossInvoice",
        "vat_moss_invoices",
        "vat_moss_invoice",
        "FT",
        _("VAT MOSS invoice"),
        False,
        "vat_moss_invoice",
    ),
    # Listed by the list endpoint's type[] filter; no path of their own for get/create.
    DocumentType("CashInvoice", "cash_invoices", "cash_invoice", "VD", _("Cash invoice")),
    DocumentType(
        "VatMossReceipt", "vat_moss_receipts", "vat_moss_receipt", "RG", _("VAT MOSS receipt")
    ),
    DocumentType(
        "VatMossCreditNote",
        "vat_moss_credit_notes",
        "vat_moss_credit_note",
        "NC",
        _("VAT MOSS credit note"),
    ),
)
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
)
STATUSES = ("draft", "sent", "final", "settled", "canceled", "second_copy")


def document_type(name_or_path: str) -> DocumentType:
    """The type for "Invoice" or "invoices"; ValueError for anything else."""
    found = _BY_NAME.get(name_or_path) or _BY_PATH.get(name_or_path)
    if found is None:
        raise ValueError(f"Unknown document type: {name_or_path!r}")
    return found


# ---- tolerant parsing ---------------------------------------------------------------


def to_decimal(value: Any) -> Decimal | None:
    """Decimal from a JSON number, a numeric string, "" or null (None)."""
    # Fast paths first: a list page parses thousands of these.
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def money(value: Any) -> Decimal:
    """A money amount; absent means zero."""
    number = to_decimal(value)
    return Decimal("0") if number is None else number


def to_int(value: Any) -> int | None:
    number = to_decimal(value)
    return None if number is None else int(number)


def to_date(value: Any) -> dt.date | None:
    """A dd/mm/yyyy string as a date; anything else None."""
    if not value or not isinstance(value, str):
        return None
    # Not strptime: it is several times slower, and a list page parses two dates a row.
    day, _, rest = value.strip().partition("/")
    month, _, year = rest.partition("/")
    digits = day + month + year
    if not (digits.isascii() and digits.isdigit() and len(year) == 4 and day and month):
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def format_date(value: dt.date) -> str:
    # Not strftime: it does not zero-pad years before 1000 ("01/01/25" for year 25).
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _expect_dict(data: Any, what: str) -> dict:
    if not isinstance(data, dict):
        raise BadResponse(f"InvoiceXpress sent an unexpected {what}.")
    return data


# ---- records ------------------------------------------------------------------------


@dataclass(frozen=True)
class Client:
    id: int | None
    name: str
    code: str = ""
    fiscal_id: str = ""
    email: str = ""
    address: str = ""
    city: str = ""
    postal_code: str = ""
    country: str = ""
    phone: str = ""

    @classmethod
    def from_api(cls, data: Any) -> Client:
        data = data if isinstance(data, dict) else {}
        return cls(
            id=to_int(data.get("id")),
            name=_text(data.get("name")),
            code=_text(data.get("code")),
            fiscal_id=_text(data.get("fiscal_id")),
            email=_text(data.get("email")),
            address=_text(data.get("address")),
            city=_text(data.get("city")),
            postal_code=_text(data.get("postal_code")),
            country=_text(data.get("country")),
            phone=_text(data.get("phone")),
        )


@dataclass(frozen=True)
class Item:
    name: str
    description: str
    unit_price: Decimal
    quantity: Decimal
    unit: str
    tax_name: str
    tax_rate: Decimal | None
    discount: Decimal  # percent
    subtotal: Decimal
    tax_amount: Decimal
    discount_amount: Decimal
    total: Decimal

    @classmethod
    def from_api(cls, data: Any) -> Item:
        data = data if isinstance(data, dict) else {}
        tax = data.get("tax") if isinstance(data.get("tax"), dict) else {}
        return cls(
            name=_text(data.get("name")).strip(),
            description=_text(data.get("description")),
            unit_price=money(data.get("unit_price")),
            quantity=money(data.get("quantity")),
            unit=_text(data.get("unit")),
            tax_name=_text(tax.get("name")),
            tax_rate=to_decimal(tax.get("value")),
            discount=money(data.get("discount")),
            subtotal=money(data.get("subtotal")),
            tax_amount=money(data.get("tax_amount")),
            discount_amount=money(data.get("discount_amount")),
            total=money(data.get("total")),
        )


@dataclass(frozen=True)
class MbReference:
    entity: str
    reference: str
    value: Decimal


@dataclass(frozen=True)
class Document:
    id: int
    type: DocumentType
    status: str
    archived: bool
    sequence_number: str
    inverted_sequence_number: str
    atcud: str
    date: dt.date | None
    due_date: dt.date | None
    reference: str
    observations: str
    retention: Decimal | None
    permalink: str
    saft_hash: str
    sum: Decimal
    discount: Decimal
    before_taxes: Decimal
    taxes: Decimal
    total: Decimal
    currency: str
    client: Client
    items: tuple[Item, ...] = ()
    sequence_id: str = ""
    tax_exemption: str = ""
    mb_reference: MbReference | None = None
    owner_invoice_id: int | None = None

    @classmethod
    def from_api(cls, data: Any) -> Document:
        data = _expect_dict(data, "document")
        doc_id = to_int(data.get("id"))
        if doc_id is None:
            raise BadResponse("InvoiceXpress sent a document without an id.")
        try:
            doc_type = document_type(_text(data.get("type")) or "Invoice")
        except ValueError:
            raise BadResponse("InvoiceXpress sent a document of an unknown type.") from None
        mb = data.get("mb_reference")
        return cls(
            id=doc_id,
            type=doc_type,
            status=_text(data.get("status")),
            archived=bool(data.get("archived")),
            sequence_number=_text(data.get("sequence_number")),
            inverted_sequence_number=_text(data.get("inverted_sequence_number")),
            atcud=_text(data.get("atcud")),
            date=to_date(data.get("date")),
            due_date=to_date(data.get("due_date")),
            reference=_text(data.get("reference")),
            observations=_text(data.get("observations")),
            retention=to_decimal(data.get("retention")),
            permalink=_text(data.get("permalink")),
            saft_hash=_text(data.get("saft_hash")),
            sum=money(data.get("sum")),
            discount=money(data.get("discount")),
            before_taxes=money(data.get("before_taxes")),
            taxes=money(data.get("taxes")),
            total=money(data.get("total")),
            currency=_text(data.get("currency")) or "Euro",
            client=Client.from_api(data.get("client")),
            items=tuple(Item.from_api(i) for i in (data.get("items") or []) if isinstance(i, dict)),
            sequence_id=_text(data.get("sequence_id")),
            tax_exemption=_text(data.get("tax_exemption")),
            mb_reference=MbReference(
                entity=_text(mb.get("entity")),
                reference=_text(mb.get("reference")),
                value=money(mb.get("value")),
            )
            if isinstance(mb, dict) and mb.get("reference")
            else None,
            owner_invoice_id=to_int(data.get("owner_invoice_id")),
        )

    @property
    def safe_permalink(self) -> str:
        """The link to the document on InvoiceXpress, only if it is a plain https link."""
        return self.permalink if self.permalink.startswith("https://") else ""

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def display_number(self) -> str:
        """The number as people say it: "FT A/28"; drafts have none yet."""
        if self.is_draft or not self.inverted_sequence_number:
            return str(_("Draft"))
        return f"{self.type.code} {self.inverted_sequence_number}"

    def is_overdue(self, today: dt.date) -> bool:
        """Final (issued, unpaid) and past its due date."""
        return (
            self.status in ("final", "sent") and self.due_date is not None and self.due_date < today
        )

    @property
    def total_payable(self) -> Decimal:
        """What the client pays: the total less the withholding on the taxable amount."""
        if not self.retention:
            return self.total
        withheld = (self.before_taxes * self.retention / 100).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        return self.total - withheld


@dataclass(frozen=True)
class DocumentPage:
    documents: tuple[Document, ...]
    total_entries: int
    total_pages: int
    current_page: int
    per_page: int

    @classmethod
    def from_api(cls, data: Any, root: str = "invoices") -> DocumentPage:
        data = _expect_dict(data, "list")
        rows = data.get(root)
        if not isinstance(rows, list):
            raise BadResponse("InvoiceXpress sent a list without documents.")
        pagination = data.get("pagination") if isinstance(data.get("pagination"), dict) else {}
        documents = tuple(Document.from_api(row) for row in rows)
        per_page = to_int(pagination.get("per_page")) or max(len(documents), 10)
        total_entries = to_int(pagination.get("total_entries"))
        if total_entries is None:
            total_entries = len(documents)
        return cls(
            documents=documents,
            total_entries=total_entries,
            total_pages=to_int(pagination.get("total_pages")) or (1 if total_entries else 0),
            current_page=to_int(pagination.get("current_page")) or 1,
            per_page=per_page,
        )


@dataclass(frozen=True)
class Tax:
    id: int | None
    name: str
    rate: Decimal
    region: str
    is_default: bool

    @classmethod
    def from_api(cls, data: Any) -> Tax:
        data = _expect_dict(data, "tax")
        return cls(
            id=to_int(data.get("id")),
            name=_text(data.get("name")),
            rate=money(data.get("value")),
            region=_text(data.get("region")),
            is_default=bool(to_int(data.get("default_tax"))),
        )


class CodeStatus:
    REGISTERED = "registered"
    NOT_REGISTERED = "not_registered"  # N/D: relevant for ATCUD, not registered: refused
    NOT_APPLICABLE = "not_applicable"  # N/A


@dataclass(frozen=True)
class SequenceCounter:
    """One document type's counter inside a series."""

    type_key: str  # "invoice", "credit_note", ...
    number: int
    sequence_id: str  # send as invoice.sequence_id to issue this type on this series
    validation_code: str  # "ABCD1234", "N/D", "N/A" or "" when not reported

    @property
    def code_status(self) -> str:
        code = self.validation_code.strip().upper()
        if code == "N/D":
            return CodeStatus.NOT_REGISTERED
        if code in ("N/A", ""):
            return CodeStatus.NOT_APPLICABLE
        return CodeStatus.REGISTERED

    @property
    def next_atcud(self) -> str:
        if self.code_status != CodeStatus.REGISTERED:
            return ""
        return f"{self.validation_code}-{self.number + 1}"


_COUNTER_KEY = re.compile(r"^current_(?P<type>[a-z_]+?)_number$")


@dataclass(frozen=True)
class Sequence:
    id: int
    serie: str
    is_default: bool
    counters: tuple[SequenceCounter, ...] = field(default_factory=tuple)

    @classmethod
    def from_api(cls, data: Any) -> Sequence:
        data = _expect_dict(data, "sequence")
        seq_id = to_int(data.get("id"))
        if seq_id is None:
            raise BadResponse("InvoiceXpress sent a sequence without an id.")
        counters = []
        for key in data:
            match = _COUNTER_KEY.match(key)
            if not match:
                continue
            type_key = match["type"]
            counters.append(
                SequenceCounter(
                    type_key=type_key,
                    number=to_int(data.get(key)) or 0,
                    sequence_id=_text(data.get(f"current_{type_key}_sequence_id")),
                    validation_code=_text(data.get(f"current_{type_key}_validation_code")),
                )
            )
        return cls(
            id=seq_id,
            serie=_text(data.get("serie")),
            is_default=bool(to_int(data.get("default_sequence"))),
            counters=tuple(counters),
        )

    def counter(self, type_key: str) -> SequenceCounter | None:
        return next((c for c in self.counters if c.type_key == type_key), None)

    @property
    def has_unregistered(self) -> bool:
        return any(c.code_status == CodeStatus.NOT_REGISTERED for c in self.counters)


@dataclass(frozen=True)
class ClientPage:
    clients: tuple[Client, ...]
    total_entries: int
    total_pages: int
    current_page: int


@dataclass(frozen=True)
class PdfResult:
    ready: bool  # False: 202, still rendering; ask again in a few seconds
    url: str = ""


@dataclass(frozen=True)
class SaftResult:
    ready: bool  # False: 202, still generating
    url: str = ""
    message: str = ""
