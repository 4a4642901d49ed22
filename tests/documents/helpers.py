"""Helpers for the document tests: seed sandbox documents, and watch what goes upstream."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlsplit

from invoices.invoicexpress.client import shared_session

_CODES = {
    "Invoice": "FT",
    "InvoiceReceipt": "FR",
    "SimplifiedInvoice": "FS",
    "CreditNote": "NC",
    "DebitNote": "ND",
    "Receipt": "RG",
    "VatMossInvoice": "FT",
}


def make_document(
    sandbox,
    *,
    doc_type: str = "Invoice",
    status: str = "final",
    number: int | None = 1,
    serie: str = "2025",
    date: dt.date = dt.date(2025, 1, 15),
    due_date: dt.date | None = None,
    before_taxes: Decimal | str = "100.00",
    tax_rate: Decimal | str = "23",
    client_name: str = "Cliente Exemplo, Lda.",
    client_fields: dict | None = None,
    reference: str = "",
    observations: str = "",
    archived: bool = False,
    atcud: str | None = None,
    retention: Decimal | str | None = None,
    tax_exemption: str = "",
    mb_reference: str = "",
    item_name: str = "Consultoria",
    quantity: Decimal | str = "1",
):
    """One sandbox document with one line, stored directly (fast; no API round trip).

    Drafts get no number; numbered statuses get "serie/number" and an ATCUD.
    """
    from sandbox.models import SandboxClient, SandboxDocument, SandboxLine

    before = Decimal(before_taxes).quantize(Decimal("0.01"))
    rate = Decimal(tax_rate)
    taxes = (before * rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    quantity = Decimal(quantity)
    client = SandboxClient.objects.create(
        account=sandbox, name=client_name, country="Portugal", **(client_fields or {})
    )
    numbered = status != "draft" and number is not None
    doc = SandboxDocument.objects.create(
        account=sandbox,
        doc_type=doc_type,
        status=status,
        archived=archived,
        client=client,
        number=number if numbered else None,
        sequence_number=f"{number}/{serie}" if numbered else "rascunho",
        inverted_sequence_number=f"{serie}/{number}" if numbered else "",
        atcud=(atcud if atcud is not None else f"ABCD1234-{number}") if numbered else "",
        date=date,
        due_date=due_date or date + dt.timedelta(days=30),
        reference=reference,
        observations=observations,
        retention=None if retention is None else Decimal(retention),
        tax_exemption=tax_exemption,
        sum=before,
        before_taxes=before,
        taxes=taxes,
        total=before + taxes,
        mb_entity="21217" if mb_reference else "",
        mb_reference=mb_reference,
    )
    SandboxLine.objects.create(
        document=doc,
        position=1,
        name=item_name,
        description="Horas de consultoria",
        unit_price=(before / quantity) if quantity else before,
        unit="hour",
        quantity=quantity,
        tax_name=f"IVA{rate.normalize():f}" if rate else "Isento",
        tax_value=rate,
        subtotal=before,
        tax_amount=taxes,
        total=before + taxes,
    )
    return doc


def display_number(doc) -> str:
    return f"{_CODES[doc.doc_type]} {doc.inverted_sequence_number}"


@dataclass
class Call:
    method: str
    path: str
    params: list[tuple[str, str]]  # without api_key

    def values(self, key: str) -> list[str]:
        return [value for name, value in self.params if name == key]

    def value(self, key: str) -> str | None:
        found = self.values(key)
        return found[0] if found else None


def spy_on_upstream(monkeypatch) -> list[Call]:
    """Every request the InvoiceXpress client sends from now on, as the sandbox receives it."""
    session = shared_session()
    original = session.request
    calls: list[Call] = []

    def request(method, url, params=None, **kwargs):
        calls.append(
            Call(
                method=method,
                path=urlsplit(url).path,
                params=[(k, str(v)) for k, v in (params or []) if k != "api_key"],
            )
        )
        return original(method, url, params=params, **kwargs)

    monkeypatch.setattr(session, "request", request)
    return calls


def numbers_in(response) -> list[str]:
    """The document numbers of the list table's rows, in order."""
    html = response.content.decode()
    return re.findall(
        r'<tr data-document-id="\d+"[^>]*>\s*<td[^>]*>\s*(?:<(?:a|span) [^>]*>)?([^<]+)<',
        html,
    )
