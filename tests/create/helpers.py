"""Shared by the create-form tests: the form's URL, valid form data, and fixture bodies.

Without the sandbox (test_document_create.py, _validation, _submissions): acme's taxes and
series are given, not loaded (`serve_company_lists`), and `form_data()` is a valid invoice.
Against the sandbox (test_document_create_live*.py, _concurrency): `fresh_form()` renders a
form for its token and series, and `live_form_data(token, series)` fills it in.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from decimal import Decimal as D

from django.core.cache import cache

from invoices import company_cache
from invoices.invoicexpress.records import Tax
from invoices.invoicexpress.sequences import Sequence, SequenceCounter
from sandbox.models import SandboxDocument

URL = "/c/acme/documents/new/"
HTMX = {"HX-Request": "true"}

# ---- without the sandbox -------------------------------------------------------------------

TAXES = [
    Tax(id=1, name="IVA23", rate=D("23"), region="", is_default=True),
    Tax(id=2, name="IVA13", rate=D("13"), region="", is_default=False),
    Tax(id=3, name="IVA6", rate=D("6"), region="", is_default=False),
    Tax(id=4, name="Isento", rate=D("0"), region="", is_default=False),
]


def _counters(*kinds: str) -> tuple[SequenceCounter, ...]:
    return tuple(
        SequenceCounter(type_key=kind, number=0, sequence_id=str(100 + i), validation_code="AB12")
        for i, kind in enumerate(kinds)
    )


ALL_KINDS = ("invoice", "invoice_receipt", "simplified_invoice", "credit_note", "debit_note")
SEQUENCES = [
    Sequence(id=7, serie="OLD", is_default=False, counters=_counters("invoice")),
    Sequence(id=8, serie="2026", is_default=True, counters=_counters(*ALL_KINDS)),
]


def serve_company_lists(monkeypatch) -> Iterator[list[bool]]:
    """The body of each module's autouse `company_lists` fixture: yields the `refresh=` asked."""
    cache.clear()
    refreshed = []

    def get_taxes(account, *, refresh=False):
        refreshed.append(refresh)
        return TAXES

    monkeypatch.setattr(company_cache, "get_taxes", get_taxes)
    monkeypatch.setattr(company_cache, "get_sequences", lambda account, refresh=False: SEQUENCES)
    yield refreshed
    cache.clear()


def form_data(**changes) -> dict[str, str]:
    """A valid invoice with one line; `items` replaces the lines (a list of dicts)."""
    items = changes.pop("items", [{"name": "Consulting"}])
    data = {
        "token": str(uuid.uuid4()),
        "doc_type": "invoices",
        "sequence": "8",
        "date": "21/11/2026",
        "due_date": "21/12/2026",
        "reference": "PO-1",
        "observations": "",
        "retention": "",
        "tax_exemption": "",
        "owner_invoice_id": "",
        "owner_number": "",
        "client_name": "Maria Silva",
        "client_code": "",
        "client_fiscal_id": "123456789",
        "client_email": "maria@example.com",
        "client_address": "Rua A, 1",
        "client_city": "Lisboa",
        "client_postal_code": "1000-001",
        "client_country": "Portugal",
        "client_phone": "",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": "0",
        "submit_document": "1",
    }
    line_defaults = {
        "name": "",
        "description": "",
        "quantity": "1",
        "unit": "service",
        "unit_price": "100",
        "discount": "0",
        "tax": "IVA23",
    }
    for i, item in enumerate(items):
        for key, value in {**line_defaults, **item}.items():
            data[f"items-{i}-{key}"] = value
    data.update(changes)
    return data


# ---- against the sandbox -------------------------------------------------------------------


def fresh_live_cache(settings) -> Iterator[None]:
    """The body of each live module's autouse `fresh_cache` fixture."""
    settings.IXPORTAL_RESOLVE_PAUSES = (0.0, 0.2)
    cache.clear()
    yield
    cache.clear()


def fresh_form(client, query: str = "") -> tuple[str, str, str]:
    """(token, selected series id, page html) of a newly rendered form."""
    html = client.get(URL + query).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html)[1]
    series = re.search(
        r'<select name="sequence"[^>]*>.*?<option value="(\d+)" selected', html, re.S
    )[1]
    return token, series, html


def live_form_data(token: str, series: str, **changes) -> dict[str, str]:
    items = changes.pop("items", [{"name": "Consultoria"}])
    data = {
        "token": token,
        "doc_type": "invoices",
        "sequence": series,
        "date": "20/11/2026",
        "due_date": "20/12/2026",
        "reference": "PO-77",
        "observations": "Obrigado pela preferência",
        "retention": "",
        "tax_exemption": "",
        "owner_invoice_id": "",
        "owner_number": "",
        "client_name": "Maria Silva",
        "client_code": "C-001",
        "client_fiscal_id": "123 456 789",
        "client_email": "maria@example.com",
        "client_address": "Rua Augusta, 10",
        "client_city": "Lisboa",
        "client_postal_code": "1100-053",
        "client_country": "Portugal",
        "client_phone": "+351 210 000 000",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": "0",
        "submit_document": "1",
    }
    defaults = {
        "name": "",
        "description": "",
        "quantity": "2",
        "unit": "hour",
        "unit_price": "50,5",
        "discount": "10",
        "tax": "IVA23",
    }
    for i, item in enumerate(items):
        for key, value in {**defaults, **item}.items():
            data[f"items-{i}-{key}"] = value
    data.update(changes)
    return data


def only_document(live_company) -> SandboxDocument:
    docs = list(SandboxDocument.objects.filter(account=live_company.sandbox))
    assert len(docs) == 1, f"expected exactly one document, the sandbox has {len(docs)}"
    return docs[0]
