"""The real client against the sandbox over real HTTP: every endpoint and every error type."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.test import override_settings

from invoices.invoicexpress.client import InvoiceXpressClient
from invoices.invoicexpress.errors import (
    BadResponse,
    Conflict,
    NotAcceptable,
    NotFound,
    RateLimited,
    Rejected,
    ServerError,
    Unauthorized,
    Unreachable,
)
from sandbox import faults

INVOICE = {
    "date": "02/11/2026",
    "due_date": "02/12/2026",
    "reference": "PO-77",
    "client": {
        "name": "Cliente Exemplo, Lda.",
        "code": "C-1",
        "fiscal_id": "508332668",
        "country": "Portugal",
    },
    "items": [
        {
            "name": "Consultoria",
            "unit_price": "100.00",
            "quantity": "2",
            "unit": "hour",
            "tax": {"name": "IVA23"},
        },
        {
            "name": "Livro",
            "unit_price": "9.99",
            "quantity": "3",
            "unit": "unit",
            "tax": {"name": "IVA6"},
            "discount": "10",
        },
    ],
}


@pytest.fixture
def client(live_company):
    return InvoiceXpressClient.for_account(live_company.account)


def test_it_creates_a_draft_and_reads_it_back(client):
    created = client.create_document("invoices", INVOICE, proprietary_uid="uid-create-1")
    assert created.is_draft and created.display_number == "Draft"
    # 2 x 100 at 23 % + 3 x 9.99 less 10 % at 6 %
    assert created.before_taxes == Decimal("226.97")
    assert created.taxes == Decimal("47.62")
    assert created.total == Decimal("274.59")
    fetched = client.get_document("Invoice", created.id)
    assert fetched == created
    assert [i.tax_name for i in fetched.items] == ["IVA23", "IVA6"]


def test_a_reused_proprietary_uid_is_a_conflict_not_a_second_document(client):
    client.create_document("invoices", INVOICE, proprietary_uid="uid-dup")
    with pytest.raises(Conflict):
        client.create_document("invoices", INVOICE, proprietary_uid="uid-dup")
    page = client.list_documents(statuses=["draft"])
    assert page.total_entries == 1


def test_every_rule_the_service_enforces_comes_back_as_rejected_with_messages(client):
    bad = {**INVOICE, "due_date": "01/10/2026", "items": [{**INVOICE["items"][0], "unit": "kg"}]}
    with pytest.raises(Rejected) as caught:
        client.create_document("invoices", bad, proprietary_uid="uid-bad")
    assert len(caught.value.errors) >= 2
    assert caught.value.raw


def test_it_lists_with_filters_and_pagination(client):
    for n in range(3):
        client.create_document(
            "invoices", {**INVOICE, "reference": f"REF-{n}"}, proprietary_uid=f"uid-l{n}"
        )
    page = client.list_documents(types=["Invoice"], statuses=["draft"], per_page=2, page=2)
    assert (page.total_entries, page.total_pages, page.current_page, page.per_page) == (3, 2, 2, 2)
    assert len(page.documents) == 1
    only = client.list_documents(reference="REF-1")
    assert [d.reference for d in only.documents] == ["REF-1"]
    dated = client.list_documents(date_from=dt.date(2026, 11, 3))
    assert dated.total_entries == 0


def test_it_finalizes_and_the_document_gets_its_number_and_atcud(client):
    draft = client.create_document("invoices", INVOICE, proprietary_uid="uid-fin")
    final = client.change_state("invoices", draft.id, "finalized")
    assert final.status == "final"
    assert final.display_number.startswith("FT ")
    assert final.atcud and final.atcud != "N/D"
    with pytest.raises(Rejected):
        client.change_state("invoices", draft.id, "finalized")


def test_the_pdf_is_202_then_a_link_to_a_real_pdf_and_406_for_a_draft(client):
    draft = client.create_document("invoices", INVOICE, proprietary_uid="uid-pdf")
    with pytest.raises(NotAcceptable):
        client.pdf(draft.id)
    client.change_state("invoices", draft.id, "finalized")
    results = [client.pdf(draft.id) for _ in range(5)]
    assert not results[0].ready
    ready = next(r for r in results if r.ready)
    assert client.download(ready.url).startswith(b"%PDF")


def test_taxes_and_sequences(client):
    assert [t.name for t in client.list_taxes()] == ["IVA23", "IVA13", "IVA6", "Isento"]
    (default,) = client.list_sequences()
    assert default.is_default
    assert default.counter("invoice").code_status == "registered"
    created = client.create_sequence("B", make_default=False)
    assert created.serie == "B" and not created.is_default
    assert client.get_sequence(created.id) == created
    client.set_current_sequence(created.id)
    assert {s.serie: s.is_default for s in client.list_sequences()}["B"] is True


def test_saft_is_202_until_ready_then_a_zip_with_the_xml(client):
    results = [client.export_saft(month=10, year=2026) for _ in range(6)]
    assert not results[0].ready and results[0].message
    ready = next(r for r in results if r.ready)
    with zipfile.ZipFile(io.BytesIO(client.download(ready.url))) as archive:
        (name,) = archive.namelist()
        assert b"AuditFile" in archive.read(name)
    with pytest.raises(Rejected):
        client.export_saft(month=13, year=2026)


def test_a_wrong_key_is_unauthorized(live_company):
    live_company.account.api_key = "not-the-key"
    with pytest.raises(Unauthorized):
        InvoiceXpressClient.for_account(live_company.account).list_taxes()


def test_an_unknown_document_is_not_found(client):
    with pytest.raises(NotFound):
        client.get_document("invoices", 999999)


@pytest.mark.parametrize(
    ("mode", "error"),
    [
        ("429", RateLimited),
        ("500", ServerError),
        ("502", ServerError),
        ("503", ServerError),
        ("html", BadResponse),
        ("broken_json", BadResponse),
    ],
)
def test_each_injected_failure_maps_to_its_typed_error(live_company, client, mode, error):
    faults.inject("acme", mode, count=None)
    with pytest.raises(error) as caught:
        client.list_taxes()
    assert caught.value.message
    faults.clear("acme")
    assert client.list_taxes()


def test_a_get_recovers_from_one_transient_failure(client):
    faults.inject("acme", "503", count=1)
    assert client.list_taxes()
    assert client.calls == 2


@pytest.mark.parametrize("shape", ["422_a", "422_b", "422_c", "422_d"])
def test_each_422_body_shape_gives_its_messages(client, shape):
    faults.inject("acme", shape, count=1)
    with pytest.raises(Rejected) as caught:
        client.create_document("invoices", INVOICE, proprietary_uid=f"uid-{shape}")
    assert caught.value.errors and all(caught.value.errors)


@override_settings(IXPORTAL_READ_TIMEOUT=0.5)
def test_a_timeout_is_unreachable_and_a_post_is_not_resent(live_company):
    client = InvoiceXpressClient.for_account(live_company.account)
    faults.inject("acme", "timeout", count=None, timeout_seconds=1.5)
    with pytest.raises(Unreachable) as caught:
        client.create_document("invoices", INVOICE, proprietary_uid="uid-timeout")
    assert caught.value.timed_out
    assert client.calls == 1


def test_loose_number_types_over_real_http_parse_the_same(live_company, client):
    """NOTES.md: pagination may come as strings, tax values as strings or ""."""
    created = client.create_document("invoices", INVOICE, proprietary_uid="uid-loose")
    strict_page = client.list_documents(per_page=5)
    strict_taxes = client.list_taxes()
    live_company.sandbox.loose_types = True
    live_company.sandbox.save(update_fields=["loose_types"])

    import requests

    raw = requests.get(
        f"{live_company.account.api_base_url}/invoices.json",
        params={"api_key": "acme-key", "per_page": 5},
        timeout=5,
    ).json()
    assert raw["pagination"]["per_page"] == "5"  # the sandbox really sends strings now
    assert isinstance(raw["invoices"][0]["items"][0]["tax"]["value"], str)

    assert client.list_documents(per_page=5) == strict_page
    assert client.get_document("invoices", created.id) == created
    loose_taxes = client.list_taxes()
    assert [(t.name, t.rate) for t in loose_taxes] == [
        ("IVA23", Decimal("23.0")),
        ("IVA13", Decimal("13.0")),
        ("IVA6", Decimal("6.0")),
        ("Isento", Decimal("0")),  # sent as ""
    ]
    assert [t.rate for t in loose_taxes] == [t.rate for t in strict_taxes]


def test_it_reads_the_documents_related_to_an_invoice(client, live_company):
    invoice = client.create_document("invoices", INVOICE, proprietary_uid="rel-1")
    client.change_state("invoices", invoice.id, "finalized")
    note = client.create_document(
        "credit_notes",
        {**INVOICE, "owner_invoice_id": invoice.id, "items": INVOICE["items"][:1]},
        proprietary_uid="rel-2",
    )
    related = client.related_documents("invoices", invoice.id)
    assert [(d.id, d.type.name, d.status, d.owner_invoice_id) for d in related] == [
        (note.id, "CreditNote", "draft", invoice.id)
    ]
    assert related[0].items[0].quantity == Decimal("2")
    assert client.related_documents("Invoice", note.id) == ()
    with pytest.raises(NotFound):
        client.related_documents("invoices", 987654)
    with pytest.raises(ValueError):
        client.related_documents("purchase_orders", invoice.id)
