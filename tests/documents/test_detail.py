"""One document's page: every type, its header, items and totals, and every way it can fail."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
import responses
import time_machine

from invoices.documents.views import CAN_OWN_NOTES
from invoices.exemptions import EXEMPTION_CODES, exemption, exemption_meaning
from sandbox import faults
from tests.documents.helpers import make_document


def url(type_path: str, doc_id: int) -> str:
    return f"/c/acme/documents/{type_path}/{doc_id}/"


# ---- the exemption codes module (shared with the create form) -----------------------------


def test_the_exemption_codes_load_in_the_reference_order():
    codes = [entry.code for entry in EXEMPTION_CODES]
    assert codes[0] == "M01" and codes[-1] == "M99"
    assert len(codes) == 31 and len(set(codes)) == 31
    assert "M03" not in codes and "M08" not in codes  # retired
    code, mention, applies_to, *_period = EXEMPTION_CODES[5]
    assert (code, mention, applies_to) == ("M07", "Isento artigo 9.º do CIVA", "Artigo 9.º do CIVA")


def test_an_exemption_code_has_a_meaning_for_people():
    assert exemption_meaning("M07") == "Isento artigo 9.º do CIVA (Artigo 9.º do CIVA)"
    assert exemption_meaning(" m99 ").startswith("Não sujeito ou não tributado")
    assert exemption_meaning("M00") == "No exemption"
    assert exemption_meaning("M08") == "Unknown exemption code"
    assert exemption_meaning("") == ""
    assert exemption("m16").mention == "Isento artigo 14.º do RITI"


def test_m26_is_known_with_its_meaning_and_period():
    assert exemption_meaning("M26") == (
        "Isenção de IVA com direito à dedução no cabaz alimentar "
        "(Lei n.º 17/2023, de 14 de abril: cabaz alimentar de IVA zero)"
    )
    entry = exemption("M26")
    assert (entry.valid_from, entry.valid_to) == (dt.date(2023, 4, 18), dt.date(2024, 1, 4))


def test_every_legal_reference_writes_the_ordinal_not_the_degree_sign():
    for entry in EXEMPTION_CODES:
        assert "°" not in entry.mention + entry.applies_to, entry.code
    assert "n.º 6" in exemption("M01").mention


def test_a_2023_document_with_m26_shows_its_meaning(client, live_company):
    doc = make_document(
        live_company.sandbox, tax_exemption="M26", tax_rate="0", date=dt.date(2023, 6, 1)
    )
    client.force_login(live_company.viewer)
    html = client.get(url("invoices", doc.pk)).content.decode()
    assert "M26</span> — Isenção de IVA com direito à dedução no cabaz alimentar" in html
    assert "Unknown exemption code" not in html


# ---- tenancy ------------------------------------------------------------------------------


def test_it_requires_login(client, cast):
    response = client.get(url("invoices", 1))
    assert response.status_code == 302


def test_it_hides_a_company_from_outsiders(client, cast, upstream):
    client.force_login(cast.outsider)
    assert client.get(url("invoices", 1)).status_code == 404
    assert upstream == []


def test_a_viewer_may_open_a_document(client, live_company):
    doc = make_document(live_company.sandbox, number=12)
    client.force_login(live_company.viewer)
    response = client.get(url("invoices", doc.pk))
    assert response.status_code == 200
    assert "FT 2025/12" in response.content.decode()


# ---- every type the get endpoint serves -----------------------------------------------------


@pytest.mark.parametrize(
    ("doc_type", "type_path", "number", "label"),
    [
        ("Invoice", "invoices", "FT 2025/3", "Invoice"),
        ("InvoiceReceipt", "invoice_receipts", "FR 2025/3", "Invoice-receipt"),
        ("SimplifiedInvoice", "simplified_invoices", "FS 2025/3", "Simplified invoice"),
        ("CreditNote", "credit_notes", "NC 2025/3", "Credit note"),
        ("DebitNote", "debit_notes", "ND 2025/3", "Debit note"),
        ("Receipt", "receipts", "RG 2025/3", "Receipt"),
        ("VatMossInvoice", "vat_moss_invoices", "FT 2025/3", "VAT MOSS invoice"),
    ],
)
def test_it_shows_every_type_of_document(
    client, live_company, upstream, doc_type, type_path, number, label
):
    doc = make_document(live_company.sandbox, doc_type=doc_type, number=3)
    client.force_login(live_company.viewer)

    response = client.get(url(type_path, doc.pk))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h1 class="h3 mb-2" id="document-number">{number}</h1>' in html
    assert f'<p class="text-body-secondary small mb-1">{label}</p>' in html
    # An issued invoice's page also reads its related documents (credit notes, receipts).
    related = [f"/sandbox/acme/document/{doc.pk}/related_documents.json"]
    assert [call.path for call in upstream] == [f"/sandbox/acme/{type_path}/{doc.pk}.json"] + (
        related if type_path in CAN_OWN_NOTES else []
    )


@pytest.mark.parametrize(
    "type_path", ["cash_invoices", "purchase_orders", "vat_moss_receipts", "Invoice"]
)
def test_an_unknown_type_path_is_a_404_without_asking_invoicexpress(
    client, cast, upstream, type_path
):
    client.force_login(cast.viewer)
    assert client.get(url(type_path, 1)).status_code == 404
    assert upstream == []


# ---- what the page shows ----------------------------------------------------------------------


@time_machine.travel(dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC))
def test_it_shows_the_whole_document(client, live_company, upstream):
    doc = make_document(
        live_company.sandbox,
        number=28,
        date=dt.date(2025, 1, 10),
        due_date=dt.date(2025, 2, 9),
        before_taxes="1000.00",
        tax_rate="23",
        quantity="2.5",
        retention="25",
        reference="PO-2025-17",
        observations="Pagamento por transferência.",
        tax_exemption="M07",
        mb_reference="123456789",
        item_name="Auditoria",
        client_name="Padaria Lusitana, Lda.",
        client_fields={
            "fiscal_id": "508025338",
            "email": "contas@padaria.pt",
            "address": "Rua Augusta, 100",
            "postal_code": "1100-053",
            "city": "Lisboa",
        },
    )
    client.force_login(live_company.viewer)

    response = client.get(url("invoices", doc.pk))

    html = response.content.decode()
    header = re.search(r'<div id="document-header".*?</dl>', html, re.S)[0]
    assert "FT 2025/28" in header
    assert 'data-status="final"' in header and "Overdue" in header
    assert "ABCD1234-28" in header
    assert "10/01/2025" in header and "09/02/2025" in header
    assert doc.permalink in header and 'target="_blank" rel="noopener noreferrer"' in header
    for text in (
        "Padaria Lusitana, Lda.",
        "508025338",
        "Portugal",
        "Rua Augusta, 100",
        "1100-053 Lisboa",
        "mailto:contas@padaria.pt",
        "PO-2025-17",
        "Pagamento por transferência.",
        "25\u00a0%",
        "M07</span> — Isento artigo 9.º do CIVA (Artigo 9.º do CIVA)",
        "21217",
        "123456789",
    ):
        assert text in html, text
    items = re.search(
        r'<table class="table table-sm align-middle" id="document-items">.*?</table>', html, re.S
    )[0]
    cells = [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", items, re.S)]
    assert cells[0].startswith("Auditoria") and "Horas de consultoria" in cells[0]
    assert cells[1:] == [
        "2,5",
        "Hour",  # the form's label for the API's "hour"
        "400,00",
        "—",
        'IVA23 <span class="text-body-secondary">(23\u00a0%)</span>',
        "1.000,00",
        "230,00",
        "1.230,00",
    ]
    totals = re.search(r'id="document-totals">.*?</table>', html, re.S)[0]
    assert "1.000,00\u00a0€" in totals
    assert "230,00\u00a0€" in totals
    assert '<td class="num" id="document-total">1.230,00\u00a0€</td>' in totals
    assert "Retention (25\u00a0%)" in totals and "-250,00\u00a0€" in totals
    assert '<td class="num" id="document-to-pay">980,00\u00a0€</td>' in totals
    assert len(upstream) == 2  # the document and its related documents


@pytest.mark.parametrize("status", ["draft", "final"])
def test_with_the_actions_a_manager_sees_it_is_still_the_same_upstream_calls(
    client, live_company, upstream, status
):
    doc = make_document(
        live_company.sandbox, status=status, number=None if status == "draft" else 4
    )
    client.force_login(live_company.manager)
    assert client.get(url("invoices", doc.pk)).status_code == 200
    # The document, and for an issued one its related documents: no call per action.
    assert len(upstream) == (1 if status == "draft" else 2)


def test_a_document_without_retention_has_no_amount_to_pay(client, live_company):
    doc = make_document(live_company.sandbox)
    client.force_login(live_company.viewer)
    html = client.get(url("invoices", doc.pk)).content.decode()
    assert "document-to-pay" not in html
    assert "Retention (" not in html


def test_a_draft_has_no_number_and_no_atcud_yet(client, live_company):
    doc = make_document(live_company.sandbox, status="draft", number=None)
    client.force_login(live_company.viewer)
    html = client.get(url("invoices", doc.pk)).content.decode()
    assert '<h1 class="h3 mb-2" id="document-number">Draft</h1>' in html
    assert "a draft gets its ATCUD when it is finalized" in html


@pytest.mark.parametrize(
    ("atcud", "meaning"),
    [
        ("N/D", "N/D: series relevant for ATCUD but not registered with the Tax Authority."),
        ("N/A", "N/A: series not relevant for ATCUD."),
    ],
)
def test_an_atcud_without_a_code_is_explained(client, live_company, atcud, meaning):
    doc = make_document(live_company.sandbox, atcud=atcud)
    client.force_login(live_company.viewer)
    html = client.get(url("invoices", doc.pk)).content.decode()
    atcud_cell = re.search(r'id="document-atcud">(.*?)</dd>', html, re.S)[1]
    assert atcud in atcud_cell and meaning in atcud_cell


def test_the_header_is_a_swappable_fragment_with_a_spot_for_actions(client, live_company):
    doc = make_document(live_company.sandbox)
    client.force_login(live_company.viewer)
    html = client.get(url("invoices", doc.pk)).content.decode()
    assert html.count('id="document-header"') == 1
    assert 'id="document-actions"' in html


# ---- failures ----------------------------------------------------------------------------------


def test_a_missing_document_is_a_friendly_404(client, live_company):
    client.force_login(live_company.viewer)
    response = client.get(url("invoices", 999999))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Not found in Acme, Lda." in html
    assert "InvoiceXpress has no invoice with id 999999 in Acme, Lda." in html
    assert 'href="/c/acme/documents/"' in html


def test_a_document_asked_for_under_another_type_is_not_found(client, live_company):
    doc = make_document(live_company.sandbox, doc_type="CreditNote")
    client.force_login(live_company.viewer)
    assert client.get(url("invoices", doc.pk)).status_code == 404


def test_another_companys_document_is_not_found_in_this_one(client, live_company):
    from sandbox.models import SandboxAccount

    other = SandboxAccount.objects.create(account_name="globex", api_key="globex-key")
    doc = make_document(other)
    client.force_login(live_company.viewer)
    assert client.get(url("invoices", doc.pk)).status_code == 404


def _assert_failure_shown(
    client, doc_id: int, message: str, status: str = "", answer: int = 502
) -> str:
    response = client.get(url("invoices", doc_id))
    # The whole page failed: it says so in its status too (htmx does not swap it as content).
    assert response.status_code == answer
    html = response.content.decode()
    assert message in html
    assert f'data-error-status="{status}"' in html
    assert (
        f'<a class="btn btn-sm btn-outline-secondary" href="{url("invoices", doc_id)}">Try again</a>'
        in html
    )
    return html


def test_a_wrong_api_key_says_so_with_the_hint(client, live_company):
    doc = make_document(live_company.sandbox)
    live_company.sandbox.api_key = "rotated"
    live_company.sandbox.save()
    client.force_login(live_company.manager)
    html = _assert_failure_shown(client, doc.pk, "refused this company&#x27;s API key (401)", "401")
    assert "ask an administrator" in html


@pytest.mark.parametrize(
    ("mode", "message", "status", "answer"),
    [
        ("429", "limiting requests for this company (429)", "429", 503),
        ("500", "InvoiceXpress is having problems (HTTP 500)", "500", 502),
        ("503", "InvoiceXpress is having problems (HTTP 503)", "503", 502),
        ("html", "a web page instead of data", "", 502),
        ("broken_json", "not valid JSON", "", 502),
    ],
)
def test_an_upstream_failure_is_a_message_not_a_500(
    client, live_company, mode, message, status, answer
):
    doc = make_document(live_company.sandbox)
    faults.inject("acme", mode, count=None)
    client.force_login(live_company.viewer)
    _assert_failure_shown(client, doc.pk, message, status, answer)


def test_a_timeout_is_a_message(client, live_company, settings):
    settings.IXPORTAL_GET_RETRIES = 0
    settings.IXPORTAL_READ_TIMEOUT = 0.5
    doc = make_document(live_company.sandbox)
    faults.inject("acme", "timeout", count=None, timeout_seconds=1.0)
    client.force_login(live_company.viewer)
    _assert_failure_shown(client, doc.pk, "did not answer in time", answer=504)
    # The sandbox is still sleeping on those requests, holding a database connection: let it
    # finish before the test's database goes away.
    time.sleep(0.8)


def test_a_refused_connection_is_a_message(client, cast):
    client.force_login(cast.viewer)
    _assert_failure_shown(client, 5, "cannot be reached (connection failed)")


@responses.activate
def test_a_422_is_a_message(client, cast):
    responses.get(
        "http://127.0.0.1:9/invoices/5.json",
        json={"errors": {"error": "Documento inválido"}},
        status=422,
    )
    client.force_login(cast.viewer)
    _assert_failure_shown(
        client, 5, "InvoiceXpress refused the request: Documento inválido.", "422"
    )


# ---- review fixes: units in the page's language, no stored copies --------------------------


@pytest.mark.parametrize(
    ("language", "label"), [("en-GB,en;q=0.9", "Hour"), ("pt-PT,pt;q=0.9", "Hora")]
)
def test_the_unit_is_shown_in_the_pages_language_not_the_api_word(
    client, live_company, language, label
):
    doc = make_document(live_company.sandbox, number=5)  # its line's unit is "hour"
    client.force_login(live_company.viewer)
    html = client.get(
        url("invoices", doc.pk), headers={"Accept-Language": language}
    ).content.decode()
    items = html.split('id="document-items"', 1)[1].split("</table>", 1)[0]
    assert f"<td>{label}</td>" in items
    assert "<td>hour</td>" not in items


def test_a_unit_the_form_does_not_know_is_shown_as_sent(client, live_company):
    from sandbox.models import SandboxLine

    doc = make_document(live_company.sandbox, number=6)
    SandboxLine.objects.filter(document=doc).update(unit="kg")
    client.force_login(live_company.viewer)
    items = client.get(url("invoices", doc.pk)).content.decode().split('id="document-items"')[1]
    assert "<td>kg</td>" in items


def test_a_document_page_is_never_stored_by_the_browser(client, live_company):
    doc = make_document(live_company.sandbox, number=7)
    client.force_login(live_company.viewer)
    response = client.get(url("invoices", doc.pk))
    assert response["Cache-Control"] == "private, no-store"
    missing = client.get(url("invoices", 999_999))
    assert missing.status_code == 404 and missing["Cache-Control"] == "private, no-store"


def test_the_breadcrumb_ends_with_the_number_under_a_stable_id(client, live_company):
    doc = make_document(live_company.sandbox, number=8)
    client.force_login(live_company.viewer)
    html = client.get(url("invoices", doc.pk)).content.decode()
    assert re.search(r'<li [^>]*id="breadcrumb-current"[^>]*>FT 2025/8</li>', html)
    assert "hx-swap-oob" not in html.split('id="breadcrumb-current"')[1].split(">")[0]
