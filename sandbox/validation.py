"""The create rules of the service (invoices-create-xml-v1.txt + NOTES), as a pure check.

`validate_document(account, info, payload)` reads the database but never writes: it returns
every failed rule at once, like the service, or a `DocumentPlan` to persist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from sandbox import reference
from sandbox.credit_limits import over_credit_errors
from sandbox.doctypes import OWNER_TYPES, DocType, DocTypeInfo
from sandbox.models import (
    NUMBERED_STATUSES,
    SandboxAccount,
    SandboxClient,
    SandboxDocument,
    SandboxSequenceCounter,
    SandboxTax,
    Status,
)
from sandbox.totals import ZERO, LineTotals, document_totals, line_totals

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CLIENT_FIELDS = (
    "code", "email", "address", "city", "postal_code", "country", "fiscal_id", "website",
    "phone", "fax", "language", "observations",
)  # fmt: skip
MAX_TOTAL = Decimal("1e11")
OWNER_STATUSES = tuple(s for s in NUMBERED_STATUSES if s != Status.CANCELED)


@dataclass
class LinePlan:
    name: str
    description: str
    unit_price: Decimal
    unit: str
    quantity: Decimal
    discount: Decimal
    tax: SandboxTax | None
    totals: LineTotals

    @property
    def is_untaxed(self) -> bool:
        return self.tax is None or self.tax.value == 0


@dataclass
class DocumentPlan:
    date: date
    due_date: date
    reference: str
    observations: str
    retention: Decimal | None
    tax_exemption: str
    client: SandboxClient | None  # an existing client, or None to create one from client_fields
    client_fields: dict
    lines: list[LinePlan]
    counter: SandboxSequenceCounter | None
    owner: SandboxDocument | None
    errors: list[str] = field(default_factory=list)
    guide: dict = field(default_factory=dict)

    @property
    def totals(self):
        return document_totals([line.totals for line in self.lines])


def to_decimal(value) -> Decimal | None:
    """A loose number ("10.0", 10, 10.5) as Decimal; None when it is not a finite number."""
    if value is None or isinstance(value, (bool, dict, list)):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_date(value) -> date | None:
    try:
        return datetime.strptime(str(value).strip(), "%d/%m/%Y").date()
    except ValueError:
        return None


def _text(value, limit: int | None = None) -> str:
    text = "" if value is None else str(value).strip()
    return text[:limit] if limit else text


def validate_document(account: SandboxAccount, info: DocTypeInfo, payload: dict) -> DocumentPlan:
    errors: list[str] = []
    today = timezone.localdate()

    def required_date(key: str, label: str) -> date | None:
        raw = payload.get(key)
        if raw in (None, ""):
            errors.append(f"{label} can't be blank")
            return None
        return parse_date(raw) or today  # like the service: a malformed date becomes today

    doc_date = required_date("date", "Date")
    due_date = required_date("due_date", "Due date")
    if doc_date and due_date and due_date < doc_date:
        errors.append("Due date must be later than date")

    retention = None
    if payload.get("retention") not in (None, ""):
        retention = to_decimal(payload["retention"])
        if retention is None or not ZERO <= retention <= Decimal("99.99"):
            errors.append("Retention must be a number between 0 and 99.99")

    client, client_fields = _check_client(account, payload.get("client"), errors)
    lines = _check_items(account, payload.get("items"), errors)

    tax_exemption = ""
    if any(line.is_untaxed for line in lines):
        tax_exemption = _text(payload.get("tax_exemption")).upper()
        if tax_exemption in ("", reference.NO_EXEMPTION):
            errors.append("Tax exemption can't be blank when an item has no tax")
        elif tax_exemption not in reference.exemption_codes():
            errors.append(f"Tax exemption {tax_exemption} is not valid")
        elif error := reference.exemption_period_error(tax_exemption, doc_date or today):
            errors.append(error)

    plan = DocumentPlan(
        date=doc_date or today,
        due_date=due_date or today,
        reference=_text(payload.get("reference"), 200),
        observations=_text(payload.get("observations")),
        retention=retention,
        tax_exemption=tax_exemption,
        client=client,
        client_fields=client_fields,
        lines=lines,
        counter=_check_sequence(account, info, payload.get("sequence_id"), errors),
        owner=_check_owner(account, info, payload.get("owner_invoice_id"), errors),
        errors=errors,
    )
    if lines and plan.totals.total >= MAX_TOTAL:
        errors.append("Total is too big")
    if info.family == "guides":
        plan.guide = _check_guide(payload, errors)
    if info.doc_type == DocType.SIMPLIFIED_INVOICE and lines:
        errors.extend(simplified_invoice_errors(lines, plan.totals.total))
    if info.doc_type == DocType.CREDIT_NOTE and plan.owner is not None and lines:
        errors.extend(
            over_credit_errors(
                plan.owner, [(line.name, line.quantity) for line in lines], plan.totals.total
            )
        )
    return plan


def _check_guide(payload: dict, errors: list[str]) -> dict:
    """A guide says when the goods leave (dd/mm/yyyy hh:mm:ss) and from where to where."""
    loaded_at = _text(payload.get("loaded_at"))
    if not loaded_at:
        errors.append("Loaded at can't be blank")
    elif not re.fullmatch(r"\d{2}/\d{2}/\d{4}( \d{2}:\d{2}(:\d{2})?)?", loaded_at):
        errors.append("Loaded at is invalid")
    guide = {"loaded_at": loaded_at, "license_plate": _text(payload.get("license_plate"), 20)}
    for key in ("address_from", "address_to"):
        value = payload.get(key)
        if isinstance(value, dict):
            guide[key] = {k: _text(v, 200) for k, v in value.items() if isinstance(k, str)}
        else:
            guide[key] = _text(value, 200) or None
    return guide


SIMPLIFIED_LIMIT_GOODS = Decimal("1000")
SIMPLIFIED_LIMIT_OTHER = Decimal("100")
SERVICE_UNITS = frozenset({"service", "hour", "day", "month"})


def simplified_invoice_errors(lines: list[LinePlan], total: Decimal) -> list[str]:
    """CIVA art. 40: up to 1,000 EUR for retail sales of goods to final consumers, 100 EUR for
    anything else; a line in a service-like unit makes it "anything else". The acquirer's
    NIF is allowed (a consumer may ask for it)."""
    if any(line.unit in SERVICE_UNITS for line in lines):
        if total > SIMPLIFIED_LIMIT_OTHER:
            return ["Simplified invoices for services can't exceed 100.00 EUR"]
    elif total > SIMPLIFIED_LIMIT_GOODS:
        return ["Simplified invoices can't exceed 1000.00 EUR"]
    return []


def _check_client(account, data, errors) -> tuple[SandboxClient | None, dict]:
    if not isinstance(data, dict):
        errors.extend(["Client is invalid", "Nome é um campo obrigatório"])
        return None, {}
    name = _text(data.get("name"))
    if not name:
        errors.extend(["Client is invalid", "Nome é um campo obrigatório"])
        return None, {}
    if len(name) > 100:
        errors.extend(
            ["Client is invalid", "Nome é demasiado grande (o máximo é de 100 caracteres)"]
        )
        return None, {}
    code = _text(data.get("code"))
    clients = SandboxClient.objects.filter(account=account)
    existing = (code and clients.filter(code=code).first()) or clients.filter(name=name).first()
    if existing:  # like the service: the other client fields are ignored
        return existing, {}
    fields = {"name": name}
    for key in CLIENT_FIELDS:
        limit = SandboxClient._meta.get_field(key).max_length
        fields[key] = _text(data.get(key), limit)
    if fields["email"] and not EMAIL_RE.match(fields["email"]):
        errors.append("email must be an email address")
    if fields["country"]:
        country = reference.canonical_country(fields["country"])
        if country is None:
            errors.append(f"Country {fields['country']} was not found")
        else:
            fields["country"] = country
    return None, fields


def _check_items(account, items, errors) -> list[LinePlan]:
    if not isinstance(items, list):
        errors.append("Items element should be of type array")
        return []
    if not items:
        errors.append("Invoice must have at least one item")
        return []
    taxes = {tax.name: tax for tax in SandboxTax.objects.filter(account=account)}
    default_tax = next((tax for tax in taxes.values() if tax.is_default), None)
    checked = []
    for item in items:
        item_errors = []
        if not isinstance(item, dict):
            errors.append("Invoice items is invalid")
            continue
        name = _text(item.get("name"), 200)
        if not name:
            item_errors.append("Item name can't be blank")
        unit_price = to_decimal(item.get("unit_price"))
        if unit_price is None or unit_price >= MAX_TOTAL:
            item_errors.append("unit_price must be a number")
        elif unit_price < 0:
            item_errors.append("unit_price must be greater than or equal to 0")
        quantity = to_decimal(item.get("quantity"))
        if quantity is None or quantity <= 0 or quantity >= MAX_TOTAL:
            item_errors.append("quantity must be a number greater than 0")
        unit = item.get("unit")
        if unit is not None and unit not in reference.UNITS:
            item_errors.append(f"Unit {unit} is not included in the list of accepted units")
        discount = ZERO
        if item.get("discount") not in (None, ""):
            discount = to_decimal(item["discount"])
            if discount is None:
                item_errors.append("discount is not a number")
            elif not ZERO <= discount <= Decimal("100"):
                item_errors.append("discount must be between 0 and 100")
        if item_errors:
            errors.append("Invoice items is invalid")
            errors.extend(item_errors)
            continue
        tax_data = item.get("tax")
        tax_name = _text(tax_data.get("name")) if isinstance(tax_data, dict) else ""
        tax = taxes.get(tax_name, default_tax)  # unknown or absent: the default tax, silently
        unit_price = unit_price.quantize(Decimal("0.000001"))
        quantity = quantity.quantize(Decimal("0.0001"))
        totals = line_totals(quantity, unit_price, discount, tax.value if tax else ZERO)
        line = LinePlan(
            name=name,
            description=_text(item.get("description")),
            unit_price=unit_price,
            unit=unit or "",
            quantity=quantity,
            discount=discount,
            tax=tax,
            totals=totals,
        )
        checked.append(line)
    return checked


def _as_id(value) -> int | None:
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None


def _check_sequence(account, info, value, errors) -> SandboxSequenceCounter | None:
    if value in (None, ""):
        return None
    counter = (
        SandboxSequenceCounter.objects.select_related("sequence")
        .filter(pk=_as_id(value), sequence__account=account, kind=info.kind)
        .first()
    )
    if counter is None:
        errors.append(f"Sequence {value} was not found")
    return counter


def _check_owner(account, info, value, errors) -> SandboxDocument | None:
    if not info.has_owner or value in (None, ""):
        return None
    owner = (
        SandboxDocument.objects.visible()
        .filter(account=account, pk=_as_id(value), doc_type__in=OWNER_TYPES)
        .first()
    )
    if owner is None:
        errors.append(f"Owner invoice {value} was not found")
    elif owner.status not in OWNER_STATUSES:
        errors.append(f"Owner invoice {value} must be final or settled")
    return owner
