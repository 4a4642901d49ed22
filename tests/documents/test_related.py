"""An invoice's page shows what was credited and what remains; a note's or receipt's page
names its invoice by number (against the sandbox over HTTP)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.documents.helpers import make_document


def url(type_path: str, doc_id: int) -> str:
    return f"/c/acme/documents/{type_path}/{doc_id}/"


@pytest.fixture
def viewer(client, live_company):
    client.force_login(live_company.viewer)
    return client


@pytest.fixture
def nata(live_company):
    return make_document(
        live_company.sandbox, status="final", serie="2026", number=33, item_name="Pastel de nata",
        quantity="15", before_taxes="18.00", tax_rate="13", date=dt.date(2026, 11, 2),
    )  # fmt: skip


def tied(live_company, owner, *, doc_type="CreditNote", status="final", number=1, quantity="2",
         before="2.40"):  # fmt: skip
    doc = make_document(
        live_company.sandbox, doc_type=doc_type, status=status, serie="2026", number=number,
        item_name="Pastel de nata", quantity=quantity, before_taxes=before, tax_rate="13",
        date=dt.date(2026, 11, 5),
    )  # fmt: skip
    doc.owner = owner
    doc.save(update_fields=["owner"])
    return doc


def test_an_invoice_shows_invoiced_credited_and_still_creditable(viewer, live_company, nata):
    note = tied(live_company, nata)
    tied(live_company, nata, status="canceled", number=2, quantity="5", before="6.00")
    html = viewer.get(url("invoices", nata.pk)).content.decode()
    section = re.search(r'id="credit-position".*?</ul>', html, re.S)[0]
    cells = [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", section, re.S)]
    assert cells[:4] == ["Pastel de nata", "15", "2", "13"]
    assert cells[4:7] == ["20,34\u00a0€", "2,71\u00a0€", "17,63\u00a0€"]
    assert f'href="/c/acme/documents/credit_notes/{note.pk}/">NC 2026/1</a>' in section
    assert re.search(
        r"NC 2026/2</a> · Credit note\s+· 05/11/2026 · -6,78\u00a0€\s+· Canceled — credits nothing",
        section,
    )


def test_a_credit_note_links_to_its_invoice_by_number(viewer, live_company, nata):
    note = tied(live_company, nata)
    html = viewer.get(url("credit_notes", note.pk)).content.decode()
    owner = re.search(r'<dd class="col-sm-8" id="document-owner">(.*?)</dd>', html, re.S)[1]
    assert f'<a href="/c/acme/documents/invoices/{nata.pk}/">FT 2026/33</a>' in owner
    assert "Corrects document" in html


def test_a_receipt_says_which_invoice_it_pays(viewer, live_company, nata):
    receipt = tied(live_company, nata, doc_type="Receipt", quantity="15", before="18.00")
    html = viewer.get(url("receipts", receipt.pk)).content.decode()
    assert "Pays invoice" in html
    assert f'<a href="/c/acme/documents/invoices/{nata.pk}/">FT 2026/33</a>' in html
    # ...and the invoice lists the receipt among its related documents, crediting nothing.
    html = viewer.get(url("invoices", nata.pk)).content.decode()
    assert f'href="/c/acme/documents/receipts/{receipt.pk}/">RG 2026/1</a> · Receipt' in html
    assert re.search(r'id="credit-remaining">20,34\u00a0€<', html)


def test_a_draft_invoice_has_no_credit_position(viewer, live_company):
    draft = make_document(live_company.sandbox, status="draft", number=None)
    html = viewer.get(url("invoices", draft.pk)).content.decode()
    assert "credit-position" not in html
