"""Where a create form's first values come from, as the strings a browser would send back.

A fresh form; a note's form, copied from the invoice it corrects (`?type=&owner=`); and a
form rebuilt from a submission, from what was sent upstream.
"""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone

from invoices import countries
from invoices.create.credits import CreditPosition
from invoices.create.entry import RawEntry
from invoices.create.forms import CREATABLE_TYPES, DocumentForm
from invoices.create.lines import ITEM_DEFAULTS, default_tax_name
from invoices.formatting import UNIT_LABELS
from invoices.forms import plain_decimal
from invoices.invoicexpress.records import Client, Document, Tax, format_date
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
            "unit": item.unit if item.unit in UNIT_LABELS else ITEM_DEFAULTS["unit"],
            "unit_price": plain_decimal(item.unit_price),
            "discount": plain_decimal(item.discount),
            "tax": item.tax_name if item.tax_name in names else fallback,
        }
        for item, quantity in lines
    ]


# The form's client fields are "client_" + these (an InvoiceXpress client's own names).
CLIENT_KEYS = ("name", "code", "fiscal_id", "email", "address", "city", "postal_code", "country", "phone")  # fmt: skip


def header_from_client(
    client: Client, *, country: str = countries.DEFAULT_COUNTRY
) -> dict[str, str]:
    """The form's client fields from a known client; `country` where its own is not one we list."""
    header = {f"client_{key}": getattr(client, key) for key in CLIENT_KEYS}
    header["client_country"] = countries.canonical_country(client.country) or country
    return header


def header_from_document(document: Document) -> dict[str, str]:
    return {
        "owner_invoice_id": str(document.id),
        "owner_number": document.display_number,
        "reference": document.reference,
        "tax_exemption": document.tax_exemption if document.tax_exemption != "M00" else "",
        "retention": plain_decimal(document.retention) if document.retention else "",
        **header_from_client(document.client),
    }


# What a submission's payload holds as the form had it (header, then each line).
SENT_HEADER_KEYS = ("owner_invoice_id", "date", "due_date", "reference", "observations", "retention", "tax_exemption")  # fmt: skip
SENT_LINE_KEYS = ("name", "description", "quantity", "unit", "unit_price")


def _texts(sent: dict, keys: tuple[str, ...]) -> dict[str, str]:
    """Each key's value as the form's text ("" for a missing or empty one)."""
    return {key: str(sent.get(key) or "") for key in keys}


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
            **_texts(payload, SENT_HEADER_KEYS),
        }
    )
    header.update({f"client_{key}": text for key, text in _texts(client, CLIENT_KEYS).items()})
    rows = [
        {
            **_texts(item, SENT_LINE_KEYS),
            "discount": str(item.get("discount") or "0"),
            "tax": str((item.get("tax") or {}).get("name") or ""),
        }
        for item in payload.get("items") or []
        if isinstance(item, dict)
    ]
    return RawEntry(header=header, rows=rows)


def raw_from_document(
    document: Document,
    *,
    sequences: list[Sequence],
    taxes: list[Tax],
    token: uuid.UUID,
    doc_type: str,
    as_copy: bool = False,
) -> RawEntry:
    """A document as the create form's input: the draft to edit, or (`as_copy`) the start of
    a new draft, dated today with the same payment term."""
    header = dict.fromkeys(DocumentForm.base_fields, "")
    header.update(header_from_document(document))
    header.update(
        {
            "token": str(token),
            "doc_type": doc_type,
            # The document it corrects, by id (its number is not in this answer); never
            # the document's own number, which header_from_document puts there for a note.
            "owner_invoice_id": str(document.owner_invoice_id or ""),
            "owner_number": "",
            "observations": document.observations,
        }
    )
    default = next((s for s in sequences if s.is_default), sequences[0] if sequences else None)
    header["sequence"] = str(default.id) if default else ""
    for sequence in sequences:
        if document.sequence_id and any(
            c.sequence_id == document.sequence_id for c in sequence.counters
        ):
            header["sequence"] = str(sequence.id)
    day, due = document.date, document.due_date
    if as_copy or day is None:
        term = (due - day) if (day and due and due >= day) else None
        day = timezone.localdate()
        due = day + term if term is not None else day
    header["date"] = format_date(day)
    header["due_date"] = format_date(due or day)
    return RawEntry(header=header, rows=rows_from_document(document, taxes))
