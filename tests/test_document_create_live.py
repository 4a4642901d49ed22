"""Creating documents against the sandbox over real HTTP: what is sent, what comes back.

Every test reads the created sandbox document (the sandbox's stored copy of what it was
sent) to check the JSON matched the API, and counts sandbox documents to prove nothing was
created twice.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid
from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.test import override_settings

from invoices.models import AuditEntry
from invoices.submissions import Submission
from sandbox import faults
from sandbox.models import SandboxClient, SandboxDocument
from tests.documents_helpers import make_document

URL = "/c/acme/documents/new/"
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    settings.IXPORTAL_RESOLVE_PAUSES = (0.0, 0.2)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clerk(client, live_company):
    client.force_login(live_company.clerk)
    return client


def fresh_form(client, query: str = "") -> tuple[str, str, str]:
    """(token, selected series id, page html) of a newly rendered form."""
    html = client.get(URL + query).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html)[1]
    series = re.search(
        r'<select name="sequence"[^>]*>.*?<option value="(\d+)" selected', html, re.S
    )[1]
    return token, series, html


def form_data(token: str, series: str, **changes) -> dict[str, str]:
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


# ---- refusals the form cannot foresee: every 422 body shape keeps the input ----------------


@pytest.mark.parametrize(
    ("mode", "said"),
    [
        ("422_a", "Your current plan does not allow you to do this"),
        ("422_b", "Your current plan does not allow you to do this"),
        ("422_c", "Your current plan does not allow you to do this"),
        ("422_d", "name não está disponível"),
    ],
)
def test_a_refusal_in_any_body_shape_is_shown_on_the_form_with_all_input_kept(
    clerk, live_company, mode, said
):
    token, series, _ = fresh_form(clerk)
    faults.inject("acme", mode, count=1, path_prefix="invoices.json")
    data = form_data(
        token, series, items=[{"name": "Consultoria"}, {"name": "Deslocação", "unit_price": "35"}]
    )
    response = clerk.post(URL, data, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "InvoiceXpress refused the request" in html and said in html
    for value in (
        "Maria Silva",
        "C-001",
        "123 456 789",
        "Rua Augusta, 10",
        "1100-053",
        "PO-77",
        "Deslocação",
        "50,5",
    ):
        assert value in html
    new_token = re.search(r'name="token" value="([^"]+)"', html)[1]
    assert new_token != token  # a refused token is spent; the corrected form gets a new one
    submission = Submission.objects.get()
    assert (submission.status, submission.document_id) == ("failed", None)
    assert AuditEntry.objects.get().outcome == "failed"
    assert not SandboxDocument.objects.exists()

    # Correcting and sending again creates it, once.
    data["token"] = new_token
    response = clerk.post(URL, data)
    assert response.status_code == 302
    only_document(live_company)


def test_a_double_click_on_a_refused_form_shows_the_refusal_again_without_resending(
    clerk, live_company
):
    token, series, _ = fresh_form(clerk)
    faults.inject("acme", "422_a", count=1, path_prefix="invoices.json")
    data = form_data(token, series)
    clerk.post(URL, data)
    html = clerk.post(URL, data).content.decode()  # the second click, same token
    assert "Your current plan does not allow you to do this" in html
    assert Submission.objects.count() == 1
    assert AuditEntry.objects.count() == 1  # one upstream call only
    assert not SandboxDocument.objects.exists()


def test_an_unknown_upstream_failure_is_never_a_500(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    faults.inject("acme", "html", count=1, path_prefix="invoices.json")
    response = clerk.post(URL, form_data(token, series))
    assert response.status_code == 200
    assert Submission.objects.get().status == "unknown"
    assert "Retry safely" in response.content.decode()


# ---- never twice -------------------------------------------------------------------------


def test_a_resubmit_or_back_button_returns_the_same_document(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    data = form_data(token, series)
    first = clerk.post(URL, data)
    again = clerk.post(URL, data)
    # The back button shows the old form; adding a line there and creating again:
    data_after_back = {**data, "items-0-name": "Consultoria"}
    third = clerk.post(URL, data_after_back, headers=HTMX)
    doc = only_document(live_company)
    assert (
        first["Location"]
        == again["Location"]
        == third["HX-Redirect"]
        == f"/c/acme/documents/invoices/{doc.pk}/"
    )
    assert Submission.objects.count() == 1
    assert AuditEntry.objects.count() == 1


def test_a_timeout_then_a_retry_creates_exactly_one_document(clerk, live_company):
    token, series, _ = fresh_form(clerk)  # taxes and series are cached from here on
    # The sandbox sleeps past our read timeout, then creates the document anyway.
    faults.inject("acme", "timeout", count=1, path_prefix="invoices.json", timeout_seconds=1.0)
    with override_settings(IXPORTAL_READ_TIMEOUT=0.5):
        response = clerk.post(URL, form_data(token, series), headers=HTMX)
    html = response.content.decode()
    submission = Submission.objects.get()
    assert submission.status == "unknown"
    assert (
        "did not answer in time" in html
        and "We do not know yet whether the document was created" in html
    )
    retry_url = f"/c/acme/documents/new/{token}/retry/"
    assert f'formaction="{retry_url}"' in html
    assert AuditEntry.objects.get().outcome == "unknown"

    wait_for(lambda: SandboxDocument.objects.filter(proprietary_uid=token).exists())
    # The retry resends the same proprietary_uid: 409, resolved to the first document.
    response = clerk.post(retry_url, {}, headers=HTMX)
    doc = only_document(live_company)
    assert response["HX-Redirect"] == f"/c/acme/documents/invoices/{doc.pk}/"
    submission.refresh_from_db()
    assert (submission.status, submission.document_id) == ("created", doc.pk)
    assert "409" in submission.message
    assert list(AuditEntry.objects.order_by("pk").values_list("outcome", "document_id")) == [
        ("unknown", None),
        ("ok", doc.pk),
    ]
    # Retrying again, or resubmitting the old form, still lands on the same document.
    assert clerk.post(retry_url)["Location"] == f"/c/acme/documents/invoices/{doc.pk}/"
    assert (
        clerk.post(URL, form_data(token, series))["Location"]
        == f"/c/acme/documents/invoices/{doc.pk}/"
    )
    assert AuditEntry.objects.count() == 2


def test_a_retry_after_a_request_that_never_arrived_creates_it(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    faults.inject("acme", "503", count=1, path_prefix="invoices.json")
    clerk.post(URL, form_data(token, series))
    assert Submission.objects.get().status == "unknown"
    assert not SandboxDocument.objects.exists()
    response = clerk.post(f"/c/acme/documents/new/{token}/retry/")
    doc = only_document(live_company)
    assert response["Location"] == f"/c/acme/documents/invoices/{doc.pk}/"
    assert doc.proprietary_uid == token


def test_the_status_page_of_an_unknown_submission_offers_the_retry_with_the_form_rebuilt(
    clerk, live_company
):
    token, series, _ = fresh_form(clerk)
    faults.inject("acme", "503", count=1, path_prefix="invoices.json")
    clerk.post(URL, form_data(token, series))
    html = clerk.get(f"{URL}{token}/").content.decode()
    assert 'id="retry-submission"' in html
    assert 'value="Maria Silva"' in html and 'name="items-0-unit_price" value="50.5"' in html
    assert re.search(rf'<option value="{series}" selected>', html)


def test_a_409_is_resolved_to_this_forms_document_not_a_look_alike(clerk, live_company):
    # An identical draft made earlier by another form of this company:
    token_a, series, _ = fresh_form(clerk)
    clerk.post(URL, form_data(token_a, series))
    first = SandboxDocument.objects.get()
    # This form's first attempt arrived, but its answer was lost:
    token_b, _, _ = fresh_form(clerk)
    payload = Submission.objects.get(token=token_a).payload
    ours = live_company.account.client().create_document(
        "invoices", payload, proprietary_uid=token_b
    )
    response = clerk.post(URL, form_data(token_b, series))
    assert response["Location"] == f"/c/acme/documents/invoices/{ours.id}/"
    assert ours.id != first.pk
    assert SandboxDocument.objects.count() == 2


def test_a_409_with_several_identical_unclaimed_drafts_is_not_guessed(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    data = form_data(token, series)
    api = live_company.account.client()
    # Two identical drafts made outside this form; one of them carries this form's uid.
    clerk.post(URL, data)
    payload = Submission.objects.get().payload
    Submission.objects.all().delete()  # as if that first one came from elsewhere
    SandboxDocument.objects.update(proprietary_uid=None)
    api.create_document("invoices", payload, proprietary_uid=token)
    response = clerk.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 identical drafts match it" in html
    assert Submission.objects.get().status == "unknown"
    assert SandboxDocument.objects.count() == 2


def test_a_draft_whose_lines_differ_is_not_taken_for_ours(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    data = form_data(token, series)
    clerk.post(
        URL, form_data(str(uuid.uuid4()), series, items=[{"name": "Consultoria", "quantity": "3"}])
    )
    SandboxDocument.objects.update(proprietary_uid=token)  # the uid is taken, by a different draft
    Submission.objects.all().delete()
    html = clerk.post(URL, data).content.decode()
    assert "does not show in its list yet" in html
    assert Submission.objects.get().status == "unknown"


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


# ---- known clients -------------------------------------------------------------------------


def test_typing_a_name_or_nif_offers_known_clients_from_a_cached_list(clerk, live_company):
    for name, nif in (("Maria Silva", "123456789"), ("Mário Costa", "503504564"), ("Zé Lda", "")):
        SandboxClient.objects.create(
            account=live_company.sandbox, name=name, fiscal_id=nif, city="Porto"
        )
    html = clerk.get(URL + "clients/", {"client_name": "mar"}, headers=HTMX).content.decode()
    assert html.lstrip().startswith('<div id="client-suggestions"')
    assert "Maria Silva" in html and "Mário Costa" in html and "Zé Lda" not in html
    html = clerk.get(URL + "clients/", {"client_fiscal_id": "5035"}, headers=HTMX).content.decode()
    assert "Mário Costa" in html and "Maria Silva" not in html
    # Later keystrokes do not reach InvoiceXpress: it is down now, and the list still answers.
    faults.inject("acme", "503", count=None)
    html = clerk.get(URL + "clients/", {"client_name": "silva"}, headers=HTMX).content.decode()
    assert "Maria Silva" in html


def test_a_failing_client_look_up_says_so_quietly(clerk, live_company):
    faults.inject("acme", "503", count=None, path_prefix="clients.json")
    response = clerk.get(URL + "clients/", {"client_name": "mar"}, headers=HTMX)
    assert response.status_code == 200
    assert "Known clients could not be looked up" in response.content.decode()


def test_picking_a_known_client_fills_in_the_rest(clerk, live_company):
    known = SandboxClient.objects.create(
        account=live_company.sandbox, name="Maria Silva", code="MS", fiscal_id="123456789",
        email="m@example.pt", address="Rua B", city="Porto", postal_code="4000-001",
        country="Portugal", phone="22",
    )  # fmt: skip
    token, series, _ = fresh_form(clerk)
    data = form_data(
        token, series, client_name="Mar", client_code="", client_fiscal_id="", client_email=""
    )
    del data["submit_document"]
    data["pick_client"] = str(known.pk)
    html = clerk.post(URL, data, headers=HTMX).content.decode()
    for value in (
        'value="Maria Silva"',
        'value="MS"',
        'value="m@example.pt"',
        'value="4000-001"',
        'value="Porto"',
    ):
        assert value in html
    assert 'name="items-0-name" value="Consultoria"' in html  # the lines are untouched
    assert not Submission.objects.exists()


# ---- the lists come from the company -------------------------------------------------------


def test_the_form_offers_the_companys_series_and_taxes(clerk, live_company):
    from sandbox.models import SandboxSequence, SandboxTax

    SandboxTax.objects.create(account=live_company.sandbox, name="IVA22-MA", value=D("22"))
    SandboxSequence.objects.create_with_counters(
        account=live_company.sandbox, serie="LOJA", is_default=False, registered=True
    )
    _, _, html = fresh_form(clerk)
    assert ">IVA22-MA<" in html
    assert ">LOJA<" in html


def test_refreshing_the_taxes_picks_up_a_new_tax(clerk, live_company):
    from sandbox.models import SandboxTax

    token, series, html = fresh_form(clerk)
    assert "IVA4" not in html
    SandboxTax.objects.create(account=live_company.sandbox, name="IVA4", value=D("4"))
    data = form_data(token, series)
    del data["submit_document"]
    assert "IVA4" not in clerk.post(URL, {**data, "recalculate": "1"}).content.decode()  # cached
    assert ">IVA4<" in clerk.post(URL, {**data, "refresh_taxes": "1"}).content.decode()


def test_no_page_or_log_shows_the_api_key(clerk, live_company, caplog):
    token, series, _ = fresh_form(clerk)
    faults.inject("acme", "timeout", count=1, path_prefix="invoices.json", timeout_seconds=0.3)
    with override_settings(IXPORTAL_READ_TIMEOUT=0.1):
        html = clerk.post(URL, form_data(token, series)).content.decode()
    assert "acme-key" not in html
    assert "acme-key" not in caplog.text
    assert all("acme-key" not in e.detail for e in AuditEntry.objects.all())
    time.sleep(0.4)  # let the sandbox finish before the database is flushed
