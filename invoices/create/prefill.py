"""Where a create form's first values come from, as the strings a browser would send back.

A fresh form; a note's form, copied from the invoice it corrects (`?type=&owner=`); and a
form rebuilt from a submission, from what was sent upstream.
"""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone

from invoices import countries
from invoices.create.forms import CREATABLE_TYPES, DocumentForm, RawEntry
from invoices.create.lines import ITEM_DEFAULTS, UNIT_CHOICES, default_tax_name
from invoices.credits import CreditPosition
from invoices.forms import plain_decimal
from invoices.invoicexpress.records import Document, Tax, format_date
from invoices.invoicexpress.sequences import Sequence


class PrefillForm(forms.Form):
    """`?type=credit_notes&owner=<id>`: what the "issue a credit note" button links with."""

    type = forms.ChoiceField(required=False, choices=[(t.path, t.label) for t in CREATABLE_TYPES])
    owner = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


def initial_header(
    *, sequences: list[Sequence], token: uuid.UUID, doc_type: str = "invoices"
) -> dict[str, str]:
    """A fresh form's header, as the strings a browser would send back."""
    today = format_date(timezone.localdate())
    default = next((s for s in sequences if s.is_default), sequences[0] if sequences else None)
    return {
        "token": str(token),
        "doc_type": doc_type,
        "sequence": str(default.id) if default else "",
        "date": today,
        "due_date": today,
        "client_country": countries.DEFAULT_COUNTRY,
    }


def rows_from_document(
    document: Document, taxes: list[Tax], position: CreditPosition | None = None
) -> list[dict[str, str]]:
    """A document's lines as form rows: a debit note starts as a copy of its invoice, a
    credit note (given the invoice's `position`) with only what remains to be credited."""
    names = {t.name for t in taxes}
    fallback = default_tax_name(taxes)
    if position is None:
        lines = [(item, item.quantity) for item in document.items]
    else:
        lines = position.remaining_items()
    return [
        {
            "name": item.name,
            "description": item.description,
            "quantity": plain_decimal(quantity),
            "unit": item.unit if item.unit in dict(UNIT_CHOICES) else ITEM_DEFAULTS["unit"],
            "unit_price": plain_decimal(item.unit_price),
            "discount": plain_decimal(item.discount),
            "tax": item.tax_name if item.tax_name in names else fallback,
        }
        for item, quantity in lines
    ]


def header_from_document(document: Document) -> dict[str, str]:
    client = document.client
    country = countries.canonical_country(client.country) or countries.DEFAULT_COUNTRY
    return {
        "owner_invoice_id": str(document.id),
        "owner_number": document.display_number,
        "reference": document.reference,
        "tax_exemption": document.tax_exemption if document.tax_exemption != "M00" else "",
        "retention": plain_decimal(document.retention) if document.retention else "",
        "client_name": client.name,
        "client_code": client.code,
        "client_fiscal_id": client.fiscal_id,
        "client_email": client.email,
        "client_address": client.address,
        "client_city": client.city,
        "client_postal_code": client.postal_code,
        "client_country": country,
        "client_phone": client.phone,
    }


def raw_from_submission(submission, sequences: list[Sequence]) -> RawEntry:
    """The form as it was when this submission was sent, rebuilt from what went upstream."""
    payload = submission.payload or {}
    client = payload.get("client") or {}
    series = ""
    sent_counter = str(payload.get("sequence_id") or "")
    for sequence in sequences:
        if any(c.sequence_id == sent_counter for c in sequence.counters):
            series = str(sequence.id)
    header = dict.fromkeys(DocumentForm.base_fields, "")
    header.update(
        {
            "token": str(submission.token),
            "doc_type": submission.document_type,
            "sequence": series,
            "owner_invoice_id": str(payload.get("owner_invoice_id") or ""),
            "date": str(payload.get("date") or ""),
            "due_date": str(payload.get("due_date") or ""),
            "reference": str(payload.get("reference") or ""),
            "observations": str(payload.get("observations") or ""),
            "retention": str(payload.get("retention") or ""),
            "tax_exemption": str(payload.get("tax_exemption") or ""),
        }
    )
    for key in (
        "name",
        "code",
        "fiscal_id",
        "email",
        "address",
        "city",
        "postal_code",
        "country",
        "phone",
    ):
        header[f"client_{key}"] = str(client.get(key) or "")
    rows = [
        {
            "name": str(item.get("name") or ""),
            "description": str(item.get("description") or ""),
            "quantity": str(item.get("quantity") or ""),
            "unit": str(item.get("unit") or ""),
            "unit_price": str(item.get("unit_price") or ""),
            "discount": str(item.get("discount") or "0"),
            "tax": str((item.get("tax") or {}).get("name") or ""),
        }
        for item in payload.get("items") or []
        if isinstance(item, dict)
    ]
    return RawEntry(header=header, rows=rows)
