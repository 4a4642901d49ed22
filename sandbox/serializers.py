"""Sandbox rows -> JSON dicts shaped exactly like the service's (see api-recordings/).

Types are the service's loose ones: totals are JSON numbers (10.0, 12.3), item unit_price and
quantity and the document retention are decimal strings ("10.0"), ids are numbers, dates
dd/mm/yyyy. Money is Decimal until here: float() is applied only at this boundary, and every
amount has at most two decimals, so the float prints exactly (12.3, 1234567.89).
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from sandbox.doctypes import SequenceKind
from sandbox.models import (
    NOT_REGISTERED,
    SandboxClient,
    SandboxDocument,
    SandboxSequence,
    SandboxTax,
)
from sandbox.models.sequences import NOT_APPLICABLE

DATE_FORMAT = "%d/%m/%Y"


def money(value: Decimal) -> float:
    return float(value)


def decimal_text(value: Decimal) -> str:
    """A decimal the Ruby way: "10.0", "24.3902", "1.5"."""
    text = format(value.normalize(), "f")
    return text if "." in text else f"{text}.0"


def date_text(value: date | None) -> str | None:
    return value.strftime(DATE_FORMAT) if value else None


def _or_none(value: str) -> str | None:
    return value or None


def document_client_json(client: SandboxClient) -> dict:
    """The client inside a document: id and name, then only the fields it has."""
    data = {"id": client.pk, "name": client.name}
    for field in (
        "email",
        "address",
        "city",
        "postal_code",
        "country",
        "code",
        "fiscal_id",
        "phone",
    ):
        value = getattr(client, field)
        if value:
            data[field] = value
    return data


def line_json(line) -> dict:
    return {
        "name": line.name,
        "description": line.description,
        "unit_price": decimal_text(line.unit_price),
        "unit": _or_none(line.unit),
        "quantity": decimal_text(line.quantity),
        "tax": {"id": line.tax_ref, "name": line.tax_name, "value": money(line.tax_value)},
        "discount": money(line.discount),
        "subtotal": money(line.subtotal),
        "tax_amount": money(line.tax_amount),
        "discount_amount": money(line.discount_amount),
        "total": money(line.total),
    }


def document_json(doc: SandboxDocument) -> dict:
    """One document. Expects `client` loaded and `lines` prefetched for lists."""
    data = {
        "id": doc.pk,
        "status": doc.status,
        "archived": doc.archived,
        "type": doc.doc_type,
        "sequence_number": doc.sequence_number,
    }
    numbered = doc.number is not None
    if numbered:
        data["inverted_sequence_number"] = doc.inverted_sequence_number
        data["atcud"] = doc.atcud
    if doc.counter_id is not None:
        data["sequence_id"] = doc.counter_id
    if doc.tax_exemption:
        data["tax_exemption"] = doc.tax_exemption
    data.update(
        {
            "date": date_text(doc.date),
            "due_date": date_text(doc.due_date),
            "reference": _or_none(doc.reference),
            "observations": _or_none(doc.observations),
            "retention": decimal_text(doc.retention) if doc.retention is not None else None,
            "permalink": doc.permalink,
        }
    )
    if numbered:
        data["saft_hash"] = doc.hash_chars
    data.update(
        {
            "sum": money(doc.sum),
            "discount": money(doc.discount),
            "before_taxes": money(doc.before_taxes),
            "taxes": money(doc.taxes),
            "total": money(doc.total),
            "currency": "Euro",
            "client": document_client_json(doc.client),
            "items": [line_json(line) for line in doc.lines.all()],
        }
    )
    if doc.mb_reference:
        data["mb_reference"] = {
            "entity": doc.mb_entity,
            "value": money(doc.total),
            "reference": doc.mb_reference,
        }
    if doc.info.has_owner and doc.owner_id is not None:
        data["owner_invoice_id"] = doc.owner_id
    if doc.info.family == "guides":
        for key in ("loaded_at", "license_plate", "address_from", "address_to"):
            data[key] = doc.guide.get(key)
    if doc.payment_mechanism:
        data["payment_mechanism"] = doc.payment_mechanism
    return data


def client_json(client: SandboxClient, *, detail: bool = False) -> dict:
    """A client as GET /clients.json lists it; `detail` adds what a single GET returns."""
    data = {
        "id": client.pk,
        "name": client.name,
        "code": _or_none(client.code),
        "language": _or_none(client.language),
        "email": _or_none(client.email),
        "address": _or_none(client.address),
        "city": _or_none(client.city),
        "postal_code": _or_none(client.postal_code),
        "fiscal_id": _or_none(client.fiscal_id),
        "website": _or_none(client.website),
    }
    if client.country:  # the service leaves the key out when there is no country
        data["country"] = client.country
    data.update(
        {
            "phone": _or_none(client.phone),
            "fax": _or_none(client.fax),
            "preferred_contact": {},
            "observations": _or_none(client.observations),
        }
    )
    if detail:
        data["open_account_link"] = (
            f"http://www.app.invoicexpress.com/suppliers/{client.pk:08x}{client.account_id:032x}"
        )
    data["send_options"] = None
    if detail:
        data.update({"payment_days": 0, "tax_exemption_code": "M00"})
    return data


def tax_json(tax: SandboxTax) -> dict:
    return {
        "id": tax.pk,
        "name": tax.name,
        "value": money(tax.value),
        "region": tax.region,
        "default_tax": int(tax.is_default),
    }


def sequence_json(sequence: SandboxSequence) -> dict:
    """Expects `counters` prefetched. While registering, relevant codes read N/D."""
    registering = sequence.is_registering
    data = {
        "id": sequence.pk,
        "serie": sequence.serie,
        "default_sequence": int(sequence.is_default),
    }
    counters = {counter.kind: counter for counter in sequence.counters.all()}
    for kind in SequenceKind:
        counter = counters[kind]
        code = counter.validation_code
        if registering and code != NOT_APPLICABLE:
            code = NOT_REGISTERED
        data[f"current_{kind}_number"] = counter.number
        data[f"current_{kind}_sequence_id"] = counter.pk
        data[f"current_{kind}_validation_code"] = code
    return data


def pagination_json(total_entries: int, page: int, per_page: int) -> dict:
    return {
        "total_entries": total_entries,
        "total_pages": math.ceil(total_entries / per_page),
        "current_page": page,
        "per_page": per_page,
    }
