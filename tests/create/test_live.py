"""Creating documents against the sandbox over real HTTP: what is sent, what comes back.

Every test reads the created sandbox document (the sandbox's stored copy of what it was
sent) to check the JSON matched the API, and counts sandbox documents to prove nothing was
created twice. Refusals and retries are in test_document_create_live_outcomes.py, the
company's lists (clients, series, taxes) in test_document_create_live_lists.py.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D

import pytest

from invoices.models import AuditEntry
from invoices.models.submissions import Submission
from sandbox.models import SandboxDocument
from tests.create.helpers import HTMX, URL, fresh_form, fresh_live_cache, only_document
from tests.create.helpers import live_form_data as form_data
from tests.documents.helpers import make_document


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    yield from fresh_live_cache(settings)


@pytest.fixture
def clerk(client, live_company):
    client.force_login(live_company.clerk)
    return client


def counter_id(live_company, kind: str) -> int:
    from sandbox.models import SandboxSequenceCounter

    return SandboxSequenceCounter.objects.get(
        sequence__account=live_company.sandbox, sequence__is_default=True, kind=kind
    ).pk


# ---- the JSON sent, per document type, as the sandbox stored it ----------------------------


def test_an_invoice_is_sent_as_the_api_wants_and_lands_on_its_draft(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    response = clerk.post(URL, form_data(token, series))
    doc = only_document(live_company)
    assert response.status_code == 302
    assert response["Location"] == f"/c/acme/documents/invoices/{doc.pk}/"

    submission = Submission.objects.get()
    assert submission.payload == {
        "date": "20/11/2026",
        "due_date": "20/12/2026",
        "sequence_id": counter_id(live_company, "invoice"),
        "reference": "PO-77",
        "observations": "Obrigado pela preferência",
        "client": {
            "name": "Maria Silva",
            "code": "C-001",
            "fiscal_id": "123456789",
            "email": "maria@example.com",
            "address": "Rua Augusta, 10",
            "city": "Lisboa",
            "postal_code": "1100-053",
            "phone": "+351 210 000 000",
            "country": "Portugal",
        },
        "items": [
            {
                "name": "Consultoria",
                "unit_price": "50.5",
                "quantity": "2",
                "unit": "hour",
                "discount": "10",
                "tax": {"name": "IVA23"},
            }
        ],
    }
    assert (submission.status, submission.document_id) == ("created", doc.pk)

    # What the sandbox made of it: every field arrived where the API puts it.
    assert (doc.doc_type, doc.status, doc.proprietary_uid) == ("Invoice", "draft", token)
    assert doc.counter_id == counter_id(live_company, "invoice")
    assert (doc.date, doc.due_date) == (dt.date(2026, 11, 20), dt.date(2026, 12, 20))
    assert (doc.reference, doc.observations) == ("PO-77", "Obrigado pela preferência")
    client = doc.client
    assert (client.name, client.code, client.fiscal_id, client.country) == (
        "Maria Silva", "C-001", "123456789", "Portugal",
    )  # fmt: skip
    assert (client.email, client.city, client.postal_code) == (
        "maria@example.com",
        "Lisboa",
        "1100-053",
    )
    (line,) = doc.lines.all()
    assert (line.name, line.unit, line.quantity, line.unit_price, line.discount) == (
        "Consultoria", "hour", D("2"), D("50.5"), D("10"),
    )  # fmt: skip
    assert (line.tax_name, line.tax_value) == ("IVA23", D("23"))
    assert (doc.sum, doc.discount, doc.before_taxes, doc.taxes, doc.total) == (
        D("101.00"), D("10.10"), D("90.90"), D("20.91"), D("111.81"),
    )  # fmt: skip

    entry = AuditEntry.objects.get()
    assert (entry.user, entry.action, entry.outcome, entry.document_id) == (
        live_company.clerk, "document.create", "ok", doc.pk,
    )  # fmt: skip
    assert entry.document_type == "Invoice"
    assert "acme-key" not in f"{entry.detail} {entry.target}"


def test_the_estimate_matches_the_totals_the_service_computes(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    items = [
        {"name": "A", "quantity": "3", "unit_price": "19,99", "discount": "12.5"},
        {"name": "B", "quantity": "0,5", "unit_price": "0.01", "tax": "IVA6", "discount": "0"},
        {"name": "C", "quantity": "7", "unit_price": "1.005", "tax": "IVA13", "discount": "33.33"},
    ]
    data = form_data(token, series, retention="23", items=items)
    preview = clerk.post(URL + "preview/", data, headers=HTMX).content.decode()
    clerk.post(URL, data)
    doc = only_document(live_company)
    for key, amount in (
        ("sum", doc.sum),
        ("before_taxes", doc.before_taxes),
        ("taxes", doc.taxes),
        ("total", doc.total),
    ):
        shown = f"{amount:.2f}".replace(".", ",")
        assert f'data-total="{key}">{shown}\xa0€' in preview, key
    assert doc.retention == D("23")


def test_an_invoice_receipt_uses_its_own_counter(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    response = clerk.post(URL, form_data(token, series, doc_type="invoice_receipts"))
    doc = only_document(live_company)
    assert response["Location"] == f"/c/acme/documents/invoice_receipts/{doc.pk}/"
    assert doc.doc_type == "InvoiceReceipt"
    assert doc.counter_id == counter_id(live_company, "invoice_receipt")


def test_a_simplified_invoice_for_a_final_consumer(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    data = form_data(
        token,
        series,
        doc_type="simplified_invoices",
        simplified_case="retail_goods",
        client_name="Consumidor final",
        client_code="",
        client_fiscal_id="",
        items=[
            {"name": "Caneta", "unit": "unit", "quantity": "3", "unit_price": "2", "discount": "0"}
        ],
    )
    response = clerk.post(URL, data)
    doc = only_document(live_company)
    assert response["Location"] == f"/c/acme/documents/simplified_invoices/{doc.pk}/"
    assert (doc.doc_type, doc.client.fiscal_id, doc.total) == ("SimplifiedInvoice", "", D("7.38"))
    assert "fiscal_id" not in Submission.objects.get().payload["client"]


def test_a_simplified_invoice_may_carry_the_consumers_nif(clerk, live_company):
    # The consumer asked for her NIF on it: the law allows it, and so do form and service.
    token, series, _ = fresh_form(clerk)
    data = form_data(
        token, series, doc_type="simplified_invoices", simplified_case="retail_goods",
        client_name="Ana Sousa", client_code="", client_fiscal_id="123456789",
        items=[{"name": "Bolo", "unit": "unit", "quantity": "1", "unit_price": "20", "discount": "0"}],
    )  # fmt: skip
    clerk.post(URL, data)
    doc = only_document(live_company)
    assert (doc.doc_type, doc.client.fiscal_id) == ("SimplifiedInvoice", "123456789")


def test_a_zero_rate_line_carries_the_exemption_code(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    data = form_data(
        token,
        series,
        tax_exemption="M07",
        items=[{"name": "Formação", "tax": "Isento"}, {"name": "Livro", "tax": "IVA6"}],
    )
    clerk.post(URL, data)
    doc = only_document(live_company)
    assert doc.tax_exemption == "M07"
    assert Submission.objects.get().payload["tax_exemption"] == "M07"


def test_a_foreign_client_keeps_its_own_vat_number_and_english_country(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    data = form_data(
        token, series, client_name="Hans GmbH", client_code="", client_country="Germany",
        client_fiscal_id="DE123456789",
    )  # fmt: skip
    clerk.post(URL, data)
    client = only_document(live_company).client
    assert (client.country, client.fiscal_id) == ("Germany", "DE123456789")


def test_a_credit_note_prefilled_from_the_invoice_it_corrects(clerk, live_company):
    owner = make_document(
        live_company.sandbox, status="final", client_name="Loja do Bairro, Lda.",
        client_fields={"fiscal_id": "503504564", "code": "LB"}, item_name="Horas", quantity="4",
        before_taxes="200.00",
    )  # fmt: skip
    token, series, html = fresh_form(clerk, f"?type=credit_notes&owner={owner.pk}")
    assert re.search(r'<option value="credit_notes" selected>', html)
    assert f'name="owner_invoice_id" value="{owner.pk}"' in html
    assert 'value="Loja do Bairro, Lda."' in html and 'value="503504564"' in html
    assert 'name="items-0-name" value="Horas"' in html
    assert 'name="items-0-quantity" value="4"' in html
    assert "Client and lines copied from FT 2025/1" in html

    data = form_data(
        token, series, doc_type="credit_notes", owner_invoice_id=str(owner.pk),
        client_name="Loja do Bairro, Lda.", client_code="LB", client_fiscal_id="503504564",
        items=[{"name": "Horas", "quantity": "1", "unit_price": "50", "discount": "0"}],
    )  # fmt: skip
    response = clerk.post(URL, data)
    note = SandboxDocument.objects.get(doc_type="CreditNote")
    assert response["Location"] == f"/c/acme/documents/credit_notes/{note.pk}/"
    assert note.owner_id == owner.pk
    assert note.counter_id == counter_id(live_company, "credit_note")
    assert note.client_id == owner.client_id  # matched by code: the stored client is kept
    assert Submission.objects.get().payload["owner_invoice_id"] == owner.pk


def test_a_credit_note_for_a_draft_or_missing_invoice_is_refused_before_sending(
    clerk, live_company
):
    draft = make_document(live_company.sandbox, status="draft")
    token, series, _ = fresh_form(clerk)
    data = form_data(token, series, doc_type="credit_notes", owner_invoice_id=str(draft.pk))
    html = clerk.post(URL, data).content.decode()
    assert "a note can only correct an issued (final or settled) invoice" in html
    data["owner_invoice_id"] = "987654"
    html = clerk.post(URL, data).content.decode()
    assert "There is no invoice with id 987654 in this company." in html
    assert not Submission.objects.exists()
    assert SandboxDocument.objects.count() == 1


def test_a_debit_note_may_name_the_invoice_it_adds_to(clerk, live_company):
    owner = make_document(live_company.sandbox, status="settled", doc_type="InvoiceReceipt")
    token, series, _ = fresh_form(clerk)
    data = form_data(token, series, doc_type="debit_notes", owner_invoice_id=str(owner.pk))
    response = clerk.post(URL, data)
    note = SandboxDocument.objects.get(doc_type="DebitNote")
    assert response["Location"] == f"/c/acme/documents/debit_notes/{note.pk}/"
    assert (note.owner_id, note.counter_id) == (owner.pk, counter_id(live_company, "debit_note"))


def test_a_debit_note_without_an_owner_is_sent_without_one(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    clerk.post(URL, form_data(token, series, doc_type="debit_notes"))
    note = only_document(live_company)
    assert (note.doc_type, note.owner_id) == ("DebitNote", None)
    assert "owner_invoice_id" not in Submission.objects.get().payload


def test_an_owner_on_an_invoice_is_not_sent(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    clerk.post(URL, form_data(token, series, owner_invoice_id="5"))
    assert "owner_invoice_id" not in Submission.objects.get().payload


def test_htmx_gets_a_client_redirect_to_the_draft(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    response = clerk.post(URL, form_data(token, series), headers=HTMX)
    doc = only_document(live_company)
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/c/acme/documents/invoices/{doc.pk}/"
    page = clerk.get(response["HX-Redirect"])
    assert "created as a draft" in page.content.decode()
