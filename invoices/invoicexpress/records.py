"""What InvoiceXpress answers, parsed into frozen dataclasses at the boundary.

The service's types are loose (the API documentation says so): totals come as numbers, item
prices and quantities as strings, tax values as number, string, "" or null, pagination as
numbers or strings. Everything money becomes `Decimal`; dates become `datetime.date`.
Views and templates only ever see these records, never raw dicts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from invoices.invoicexpress.document_types import (
    DocumentType,
    document_type,
    unknown_document_type,
)
from invoices.invoicexpress.errors import BadResponse

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


def as_text(value: Any) -> str:
    return "" if value is None else str(value)


def address_text(value: Any) -> str:
    """A guide's address: an object (detail, postal code, city, country) or plain text."""
    if isinstance(value, dict):
        parts = (value.get(k) for k in ("detail", "address", "postal_code", "city", "country"))
        return ", ".join(as_text(p).strip() for p in parts if p not in (None, ""))
    return as_text(value)


def expect_dict(data: Any, what: str) -> dict[str, Any]:
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
            name=as_text(data.get("name")),
            code=as_text(data.get("code")),
            fiscal_id=as_text(data.get("fiscal_id")),
            email=as_text(data.get("email")),
            address=as_text(data.get("address")),
            city=as_text(data.get("city")),
            postal_code=as_text(data.get("postal_code")),
            country=as_text(data.get("country")),
            phone=as_text(data.get("phone")),
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
            name=as_text(data.get("name")).strip(),
            description=as_text(data.get("description")),
            unit_price=money(data.get("unit_price")),
            quantity=money(data.get("quantity")),
            unit=as_text(data.get("unit")),
            tax_name=as_text(tax.get("name")),
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
    # Guides only: when and in what the goods leave, and from where to where.
    loaded_at: str = ""
    license_plate: str = ""
    address_from: str = ""
    address_to: str = ""

    @classmethod
    def from_api(cls, data: Any, default_type: str = "Invoice") -> Document:
        data = expect_dict(data, "document")
        doc_id = to_int(data.get("id"))
        if doc_id is None:
            raise BadResponse("InvoiceXpress sent a document without an id.")
        type_name = as_text(data.get("type")) or default_type
        try:
            doc_type = document_type(type_name)
        except ValueError:
            # A family this dashboard does not know yet: one such row must never fail a
            # whole list page or a CSV, so it is kept, read-only, under its own type name.
            doc_type = unknown_document_type(type_name[:60])
        mb = data.get("mb_reference")
        return cls(
            id=doc_id,
            type=doc_type,
            status=as_text(data.get("status")),
            archived=bool(data.get("archived")),
            sequence_number=as_text(data.get("sequence_number")),
            inverted_sequence_number=as_text(data.get("inverted_sequence_number")),
            atcud=as_text(data.get("atcud")),
            date=to_date(data.get("date")),
            due_date=to_date(data.get("due_date")),
            reference=as_text(data.get("reference")),
            observations=as_text(data.get("observations")),
            retention=to_decimal(data.get("retention")),
            permalink=as_text(data.get("permalink")),
            saft_hash=as_text(data.get("saft_hash")),
            sum=money(data.get("sum")),
            discount=money(data.get("discount")),
            before_taxes=money(data.get("before_taxes")),
            taxes=money(data.get("taxes")),
            total=money(data.get("total")),
            currency=as_text(data.get("currency")) or "Euro",
            client=Client.from_api(data.get("client")),
            items=tuple(Item.from_api(i) for i in (data.get("items") or []) if isinstance(i, dict)),
            sequence_id=as_text(data.get("sequence_id")),
            tax_exemption=as_text(data.get("tax_exemption")),
            mb_reference=MbReference(
                entity=as_text(mb.get("entity")),
                reference=as_text(mb.get("reference")),
                value=money(mb.get("value")),
            )
            if isinstance(mb, dict) and mb.get("reference")
            else None,
            owner_invoice_id=to_int(data.get("owner_invoice_id")),
            loaded_at=as_text(data.get("loaded_at")),
            license_plate=as_text(data.get("license_plate")),
            address_from=address_text(data.get("address_from")),
            address_to=address_text(data.get("address_to")),
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
        if not self.type.code:
            return self.inverted_sequence_number
        return f"{self.type.code} {self.inverted_sequence_number}"

    @property
    def issued_number(self) -> str:
        """The number in no language ("FT A/28"), "" for a draft: what the audit log stores,
        read later in whatever language (display_number's "Draft" is the writer's)."""
        if self.is_draft or not self.inverted_sequence_number:
            return ""
        return self.display_number

    def is_overdue(self, today: dt.date) -> bool:
        """An issued, unpaid receivable (invoice, debit note) past its due date."""
        return (
            self.type.receivable
            and self.status in ("final", "sent")
            and self.due_date is not None
            and self.due_date < today
        )

    @property
    def sign(self) -> int:
        """-1 for a credit note (it takes money back), +1 otherwise."""
        return -1 if self.type.subtracts else 1

    @property
    def signed_before_taxes(self) -> Decimal:
        return self.before_taxes * self.sign

    @property
    def signed_taxes(self) -> Decimal:
        return self.taxes * self.sign

    @property
    def signed_total(self) -> Decimal:
        return self.total * self.sign

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
class SignedTotals:
    """Amounts of several documents added with their sign: credit notes subtract.

    Canceled documents and drafts count nothing; receipts neither (they pay an invoice
    that is already counted). `currency` is "" when the documents mix currencies, and then
    the totals are not shown.
    """

    before_taxes: Decimal
    taxes: Decimal
    total: Decimal
    counted: int
    currency: str

    @classmethod
    def of(cls, documents: tuple[Document, ...] | list[Document]) -> SignedTotals:
        counted = [
            doc
            for doc in documents
            if doc.status not in ("canceled", "draft") and not doc.type.records_payment
        ]
        currencies = {doc.currency for doc in counted}
        return cls(
            before_taxes=sum((doc.signed_before_taxes for doc in counted), Decimal("0")),
            taxes=sum((doc.signed_taxes for doc in counted), Decimal("0")),
            total=sum((doc.signed_total for doc in counted), Decimal("0")),
            counted=len(counted),
            currency=currencies.pop() if len(currencies) == 1 else "",
        )


@dataclass(frozen=True)
class DocumentPage:
    documents: tuple[Document, ...]
    total_entries: int
    total_pages: int
    current_page: int
    per_page: int

    @classmethod
    def from_api(cls, data: Any, root: str = "invoices") -> DocumentPage:
        """One page of `GET /invoices.json` (or estimates.json, guides.json: `root`)."""
        data = expect_dict(data, "list")
        rows = data.get(root)
        if not isinstance(rows, list):
            raise BadResponse("InvoiceXpress sent a list without documents.")
        pagination = data.get("pagination") if isinstance(data.get("pagination"), dict) else {}
        default_type = {"estimates": "Quote", "guides": "Shipping"}.get(root, "Invoice")
        documents = tuple(Document.from_api(row, default_type) for row in rows)
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
        data = expect_dict(data, "tax")
        return cls(
            id=to_int(data.get("id")),
            name=as_text(data.get("name")),
            rate=money(data.get("value")),
            region=as_text(data.get("region")),
            is_default=bool(to_int(data.get("default_tax"))),
        )


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
