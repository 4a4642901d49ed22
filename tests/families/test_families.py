"""Every document family reads: estimates and guides in their own lists, the other invoicing
types (and types the dashboard does not know) listed read-only without failing a page or a CSV."""

from __future__ import annotations

import uuid

import pytest
import responses

from invoices.invoicexpress.records import Document, DocumentPage
from sandbox.models import SandboxDocument
from tests.lifecycle.helpers import create_draft, minimal_invoice

GUIDE = {
    "loaded_at": "02/12/2017 19:00:00",
    "license_plate": "AA-00-BB",
    "address_from": {
        "detail": "Rua Augusta 1",
        "city": "Lisboa",
        "postal_code": "1100-048",
        "country": "Portugal",
    },
    "address_to": {
        "detail": "Rua das Flores 2",
        "city": "Porto",
        "postal_code": "4050-262",
        "country": "Portugal",
    },
}


def _mixed_company(live_company):
    """An invoice, a quote, a shipping guide and a cash invoice in the sandbox."""
    api = live_company.account.client()
    invoice = create_draft(live_company)
    quote = api.create_document("quotes", minimal_invoice(), proprietary_uid=uuid.uuid4().hex)
    guide = api.create_document(
        "shippings", minimal_invoice(**GUIDE), proprietary_uid=uuid.uuid4().hex
    )
    cash = create_draft(live_company)
    SandboxDocument.objects.filter(pk=cash.id).update(doc_type="CashInvoice")
    return invoice, quote, guide, cash


def test_the_client_reads_estimates_and_guides_from_their_own_endpoints(live_company):
    invoice, quote, guide, cash = _mixed_company(live_company)
    assert quote.type.name == "Quote" and quote.type.family == "estimates"
    assert guide.type.name == "Shipping" and guide.loaded_at == "02/12/2017 19:00:00"
    assert guide.address_to == "Rua das Flores 2, 4050-262, Porto, Portugal"
    api = live_company.account.client()
    estimates = api.list_documents(family="estimates")
    assert [d.id for d in estimates.documents] == [quote.id]
    guides = api.list_documents(family="guides")
    assert [(d.id, d.license_plate) for d in guides.documents] == [(guide.id, "AA-00-BB")]
    invoices = api.list_documents(per_page=50)
    assert {d.id for d in invoices.documents} == {invoice.id, cash.id}
    assert api.get_document("quotes", quote.id).type.label == "Quote"


def test_a_list_page_with_an_estimate_and_a_guide_among_invoices_renders(client, live_company):
    invoice, quote, guide, cash = _mixed_company(live_company)
    client.force_login(live_company.viewer)
    page = client.get("/c/acme/documents/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-document-id="{invoice.id}"' in html
    assert f'data-document-id="{cash.id}"' in html and "Cash invoice" in html
    estimates = client.get("/c/acme/estimates/").content.decode()
    assert f'data-document-id="{quote.id}"' in estimates
    assert f"/c/acme/documents/quotes/{quote.id}/" in estimates
    guides = client.get("/c/acme/guides/?type=Shipping").content.decode()
    assert f'data-document-id="{guide.id}"' in guides and "AA-00-BB" in guides
    detail = client.get(f"/c/acme/documents/shippings/{guide.id}/")
    assert detail.status_code == 200
    assert "Rua Augusta 1" in detail.content.decode()


def test_an_estimate_can_be_finalized_and_accepted_in_the_sandbox(live_company):
    api = live_company.account.client()
    quote = api.create_document("quotes", minimal_invoice(), proprietary_uid=uuid.uuid4().hex)
    final = api.change_state("quotes", quote.id, "finalized")
    assert final.status == "final" and final.display_number.startswith("OR ")
    assert api.change_state("quotes", quote.id, "accepted").status == "accepted"


def test_a_guide_without_its_loading_time_is_refused(live_company):
    from invoices.invoicexpress.errors import Rejected

    with pytest.raises(Rejected) as caught:
        live_company.account.client().create_document(
            "transports", minimal_invoice(), proprietary_uid=uuid.uuid4().hex
        )
    assert "Loaded at can't be blank" in caught.value.errors


def test_outsiders_cannot_see_a_companys_estimates_or_guides(client, live_company):
    client.force_login(live_company.outsider)
    assert client.get("/c/acme/estimates/").status_code == 404
    assert client.get("/c/acme/guides/").status_code == 404


# ---- a type nobody knows yet ----------------------------------------------------------------

UNKNOWN_ROW = {
    "id": 77,
    "type": "PurchaseOrder",
    "status": "final",
    "sequence_number": "3/A",
    "inverted_sequence_number": "A/3",
    "date": "01/02/2026",
    "total": 12.3,
    "client": {"name": "Fornecedor"},
}


def test_an_unknown_type_is_read_as_read_only():
    page = DocumentPage.from_api({"invoices": [UNKNOWN_ROW], "pagination": {"total_entries": 1}})
    doc = page.documents[0]
    assert isinstance(doc, Document)
    assert (doc.type.name, doc.type.known, doc.display_number) == ("PurchaseOrder", False, "A/3")


def _one_unknown_row(live_server_url: str = "http://127.0.0.1:9") -> None:
    responses.add(
        responses.GET,
        f"{live_server_url}/invoices.json",
        json={"invoices": [UNKNOWN_ROW], "pagination": {"total_entries": 1, "total_pages": 1}},
    )


@responses.activate
def test_an_unknown_type_never_fails_the_list_page(client, cast):
    _one_unknown_row()
    client.force_login(cast.viewer)
    response = client.get("/c/acme/documents/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-document-id="77"' in html and "PurchaseOrder" in html and "read-only" in html
    assert 'href="/c/acme/documents//77/"' not in html


@responses.activate
def test_an_unknown_type_never_fails_the_csv(client, cast):
    _one_unknown_row()
    client.force_login(cast.viewer)
    response = client.get("/c/acme/documents/export.csv")
    body = b"".join(response.streaming_content).decode()
    assert "PurchaseOrder" in body and "A/3" in body
