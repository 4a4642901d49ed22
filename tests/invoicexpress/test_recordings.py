"""The client parses what the real service sent (recorded 2019, see tests/fixtures/api-recordings)."""

import json
from decimal import Decimal

import pytest
import responses

from invoices.invoicexpress.client import InvoiceXpressClient
from invoices.invoicexpress.errors import NotFound, Rejected, Unauthorized, parse_error_messages
from tests.invoicexpress.recordings import API_KEY, BASE_URL, interactions, replay


@pytest.fixture
def client(settings):
    return InvoiceXpressClient(BASE_URL, API_KEY, retries=0)


@pytest.fixture
def rsps():
    with responses.RequestsMock() as mock:
        yield mock


def test_it_reads_the_recorded_list_with_its_pagination(client, rsps):
    replay(rsps, "Invoicexpress_Service_Invoice/_all/CollectionProxy_all_get_first.yml")
    page = client.list_documents()
    assert (page.total_entries, page.total_pages, page.current_page, page.per_page) == (
        105,
        11,
        1,
        10,
    )
    assert len(page.documents) == 10
    first = page.documents[0]
    assert first.id == 3493290
    assert first.type.name == "Invoice"
    assert first.display_number == "FT 2014/60"
    assert first.total == Decimal("10.0")
    assert first.items[0].unit_price == Decimal("10.0")  # sent as the string "10.0"
    assert first.items[0].tax_rate == Decimal("0.0")
    assert first.tax_exemption == "M02"


@pytest.mark.parametrize(
    ("cassette", "doc_type", "root"),
    [
        ("store_a_new_invoice.yml", "invoices", "invoice"),
        ("store_a_new_invoice_receipt.yml", "invoice_receipts", "invoice_receipt"),
        ("store_a_new_simplified_invoice.yml", "simplified_invoices", "simplified_invoice"),
    ],
)
def test_it_reads_a_recorded_created_draft(client, rsps, cassette, doc_type, root):
    exchange = replay(rsps, f"Invoicexpress_Service_Invoice/_create/{cassette}")
    recorded_request = json.loads(exchange["request"]["body"]["string"])
    document = client.create_document(
        doc_type, recorded_request["invoice"], proprietary_uid="uid-1"
    )
    recorded = json.loads(exchange["response"]["body"]["string"])[root]
    assert document.id == recorded["id"]
    assert document.is_draft and document.sequence_number == "rascunho"
    assert document.display_number == "Draft"
    assert document.total == Decimal(str(recorded["total"]))
    assert isinstance(document.total, Decimal)
    sent = json.loads(rsps.calls[0].request.body)
    assert sent["proprietary_uid"] == "uid-1"  # top level, next to "invoice"
    assert "proprietary_uid" not in sent["invoice"]
    assert sent["invoice"] == recorded_request["invoice"]


def test_it_reads_the_recorded_invoice_totals_exactly(client, rsps):
    replay(rsps, "Invoicexpress_Service_Invoice/_create/store_a_new_invoice.yml")
    document = client.create_document("Invoice", {"client": {"name": "John"}}, proprietary_uid="u")
    assert (document.sum, document.before_taxes, document.taxes, document.total) == (
        Decimal("10.0"),
        Decimal("10.0"),
        Decimal("2.3"),
        Decimal("12.3"),
    )
    assert document.items[0].tax_name == "IVA23"  # the default tax, applied when none is sent


def test_it_reads_the_recorded_sequence(client, rsps):
    replay(rsps, "Invoicexpress_Service_Sequence/_create/store_a_new_sequence.yml")
    sequence = client.create_sequence("2017", make_default=True)
    assert sequence.id == 1424772 and sequence.serie == "2017"
    invoice = sequence.counter("invoice")
    assert invoice.sequence_id == "1424772" and invoice.number == 0
    assert sequence.counter("vat_moss_receipt").sequence_id == "1424781"
    assert json.loads(rsps.calls[0].request.body) == {
        "sequence": {"serie": "2017", "default_sequence": "1"}
    }


def test_it_reads_the_recorded_taxes(client, rsps):
    replay(rsps, "Invoicexpress_Service_Tax/_all/CollectionProxy_count.yml")
    taxes = client.list_taxes()
    assert [(t.name, t.rate, t.is_default) for t in taxes] == [
        ("IVA23", Decimal("23.0"), True),
        ("IVA13", Decimal("13.0"), False),
        ("IVA6", Decimal("6.0"), False),
        ("Isento", Decimal("0.0"), False),
    ]


def test_it_maps_the_recorded_401(rsps):
    exchange = replay(
        rsps, "Invoicexpress_Client/invalid_credentials_throw_Unauthorized_exception.yml"
    )
    client = InvoiceXpressClient(
        "https://invalid-account-name.app.invoicexpress.com", "invalid-api-key", retries=0
    )
    with pytest.raises(Unauthorized) as caught:
        client.list_documents()
    assert "401" in caught.value.message
    assert "invalid-api-key" not in str(caught.value)
    assert exchange["response"]["body"]["string"] == '{"errors":[{"error":"Invalid API key"}]}'


def test_it_maps_the_recorded_404_with_an_empty_body(client, rsps):
    recorded = interactions("Invoicexpress_Service_Client/_find/client_record_not_found.yml")[0]
    assert recorded["response"]["body"]["string"] == ""
    rsps.add("GET", f"{BASE_URL}/invoices/0.json", body="", status=404)
    with pytest.raises(NotFound):
        client.get_document("invoices", 0)


def test_it_reads_every_recorded_422_body():
    duplicate_tax = interactions(
        "Invoicexpress_Service_Tax/_create/create_a_duplicate_tax_record.yml"
    )[0]
    messages, _code = parse_error_messages(duplicate_tax["response"]["body"]["string"])
    assert messages == ["name não está disponível."]
    nameless_client = interactions(
        "Invoicexpress_Service_Client/_create/fail_trying_to_create_a_new_client.yml"
    )[0]
    messages, _code = parse_error_messages(nameless_client["response"]["body"]["string"])
    assert messages == ["Nome é um campo obrigatório"]


def test_a_recorded_422_becomes_rejected_with_its_messages_and_raw_body(client, rsps):
    body = interactions("Invoicexpress_Service_Tax/_create/create_a_duplicate_tax_record.yml")[0][
        "response"
    ]["body"]["string"]
    rsps.add(
        "POST", f"{BASE_URL}/invoices.json", body=body, status=422, content_type="application/json"
    )
    with pytest.raises(Rejected) as caught:
        client.create_document("invoices", {}, proprietary_uid="u")
    assert caught.value.errors == ["name não está disponível."]
    assert caught.value.raw == body
    assert "não está disponível" in caught.value.message
