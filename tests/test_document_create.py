"""The create form without the sandbox: access, every validation rule, lines, estimate.

Acme (the `cast` fixture) points at a port nothing listens on; its taxes and series are
given here instead of loaded, so these tests never reach upstream unless a form is valid
(and then the answer is "connection failed"). The sandbox-backed behaviour is in
test_document_create_live.py and test_document_create_concurrency.py.
"""

import re
import uuid
from decimal import Decimal as D

import pytest
import time_machine
from django.core.cache import cache

from invoices import company_cache
from invoices.ix_records import Sequence, SequenceCounter, Tax
from invoices.models import AuditEntry
from invoices.submissions import Submission

URL = "/c/acme/documents/new/"
HTMX = {"HX-Request": "true"}
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


@pytest.fixture(autouse=True)
def company_lists(monkeypatch):
    """Acme's taxes and series, as the shared cache would hold them."""
    cache.clear()
    refreshed = []

    def get_taxes(account, *, refresh=False):
        refreshed.append(refresh)
        return TAXES

    monkeypatch.setattr(company_cache, "get_taxes", get_taxes)
    monkeypatch.setattr(company_cache, "get_sequences", lambda account, refresh=False: SEQUENCES)
    yield refreshed
    cache.clear()


@pytest.fixture
def clerk(client, cast):
    client.force_login(cast.clerk)
    return client


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


def errors_of(response) -> str:
    return " ".join(
        re.findall(r'class="invalid-feedback d-block">([^<]*)<', response.content.decode())
    )


def assert_refused(response, *fragments: str) -> None:
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="form-errors"' in text
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not on the page: {errors_of(response)}"
    assert not Submission.objects.exists(), "an invalid form must never be sent"


# ---- who may use it ---------------------------------------------------------------------

ENDPOINTS = [
    ("get", URL),
    ("post", URL),
    ("post", URL + "preview/"),
    ("get", URL + "clients/?client_name=mar"),
    ("get", f"{URL}00000000-0000-4000-8000-000000000001/"),
    ("post", f"{URL}00000000-0000-4000-8000-000000000002/retry/"),
]


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_it_forbids_a_viewer(client, cast, method, url):
    client.force_login(cast.viewer)
    assert getattr(client, method)(url).status_code == 403


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_it_hides_the_company_from_an_outsider(client, cast, method, url):
    client.force_login(cast.outsider)
    assert getattr(client, method)(url).status_code == 404
    client.force_login(cast.superuser)
    assert getattr(client, method)(url).status_code == 404


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_it_sends_anonymous_users_to_log_in(client, cast, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_outsider_cannot_create_in_a_company_by_posting_to_it(client, cast):
    client.force_login(cast.outsider)
    assert client.post(URL, form_data()).status_code == 404
    assert not Submission.objects.exists()
    assert not AuditEntry.objects.exists()


def test_it_lets_a_manager_in(client, cast):
    client.force_login(cast.manager)
    assert client.get(URL).status_code == 200


def test_it_does_not_show_another_companys_submission(client, cast):
    other = Submission.objects.create(
        account=cast.other_account, token=uuid.uuid4(), document_type="invoices", document_id=5,
        status=Submission.Status.CREATED,
    )  # fmt: skip
    client.force_login(cast.clerk)
    assert client.get(f"{URL}{other.token}/").status_code == 404
    assert client.post(f"{URL}{other.token}/retry/").status_code == 404


def test_it_refuses_other_methods(clerk):
    assert clerk.put(URL).status_code == 405
    assert clerk.get(URL + "preview/").status_code == 405


# ---- the empty form ----------------------------------------------------------------------


@time_machine.travel("2026-03-05 10:00 +0000", tick=False)
def test_a_new_form_starts_today_in_portugal_on_the_default_series(clerk):
    response = clerk.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'name="date" value="05/03/2026"', html)
    assert re.search(r'name="due_date" value="05/03/2026"', html)
    assert re.search(r'<option value="Portugal" selected>', html)
    assert re.search(r'<option value="8" selected>2026 \(default\)</option>', html)
    assert re.search(r'name="token" value="[0-9a-f-]{36}"', html)
    assert html.count('class="item-row"') == 1
    assert re.search(r'<option value="IVA23" selected>IVA23</option>', html)
    assert 'name="items-0-tax"' in html
    assert "estimate" in html
    assert response["Cache-Control"].count("no-store") == 1


def test_each_form_render_gets_its_own_token(clerk):
    tokens = {
        re.search(r'name="token" value="([^"]+)"', clerk.get(URL).content.decode())[1]
        for _ in range(3)
    }
    assert len(tokens) == 3


def test_tax_choices_are_the_companys_own_names_only(clerk):
    html = clerk.get(URL).content.decode()
    select = re.search(r'<select name="items-0-tax".*?</select>', html, re.S)[0]
    assert re.findall(r'<option value="([^"]*)"', select) == ["IVA23", "IVA13", "IVA6", "Isento"]


def test_the_exemption_reasons_come_with_their_meaning(clerk):
    html = clerk.get(URL).content.decode()
    assert "M07 · Isento artigo 9.° do CIVA" in html
    assert 'value="M00"' not in html


def test_it_offers_every_country_the_service_accepts_and_only_those(clerk):
    html = clerk.get(URL).content.decode()
    select = re.search(r'<select name="client_country".*?</select>', html, re.S)[0]
    names = re.findall(r'<option value="([^"]*)"', select)
    assert len(names) == 251
    assert "Macau" in names and "PT" not in names


def test_the_page_says_so_when_taxes_cannot_be_loaded(clerk, monkeypatch):
    from invoices.ix_errors import Unreachable

    def broken(account, *, refresh=False):
        raise Unreachable("InvoiceXpress cannot be reached (connection failed).")

    monkeypatch.setattr(company_cache, "get_taxes", broken)
    response = clerk.get(URL)
    assert response.status_code == 200
    assert b"The company&#x27;s taxes could not be loaded" in response.content
    response = clerk.post(URL, form_data())
    assert response.status_code == 200
    assert not Submission.objects.exists()


# ---- lines: added and removed by the server, nothing typed lost ----------------------------


def test_adding_a_line_keeps_what_was_typed_and_shows_no_errors(clerk):
    data = form_data(items=[{"name": "Consulting", "unit_price": "12,5"}], client_name="")
    del data["submit_document"]
    data["add_line"] = "1"
    response = clerk.post(URL, data, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="item-row"') == 2
    assert 'value="Consulting"' in html and 'value="12,5"' in html
    assert data["token"] in html
    assert "invalid-feedback" not in html  # the empty client name is not an error yet
    assert html.startswith("\n<form") or html.lstrip().startswith("<form")  # the fragment
    assert not Submission.objects.exists()


def test_removing_a_line_removes_that_one_and_keeps_the_rest(clerk):
    data = form_data(items=[{"name": "A"}, {"name": "B", "unit_price": "7"}, {"name": "C"}])
    del data["submit_document"]
    data["remove_line"] = "1"
    html = clerk.post(URL, data, headers=HTMX).content.decode()
    assert html.count('class="item-row"') == 2
    assert re.search(r'name="items-0-name" value="A"', html)
    assert re.search(r'name="items-1-name" value="C"', html)
    assert 'value="B"' not in html


def test_removing_the_last_line_leaves_an_empty_one(clerk):
    data = form_data()
    del data["submit_document"]
    data["remove_line"] = "0"
    html = clerk.post(URL, data).content.decode()
    assert html.count('class="item-row"') == 1
    assert 'name="items-0-name" value="Consulting"' not in html


def test_a_tampered_line_count_is_capped(clerk):
    data = form_data()
    del data["submit_document"]
    data["items-TOTAL_FORMS"] = "100000"
    data["add_line"] = "1"
    html = clerk.post(URL, data).content.decode()
    assert html.count('class="item-row"') == 100


def test_pressing_enter_in_a_field_never_creates(clerk):
    data = form_data()
    del data["submit_document"]
    data["recalculate"] = "1"
    response = clerk.post(URL, data)
    assert response.status_code == 200
    assert not Submission.objects.exists()


def test_refreshing_taxes_asks_upstream_again_and_keeps_the_input(clerk, company_lists):
    data = form_data()
    del data["submit_document"]
    data["refresh_taxes"] = "1"
    html = clerk.post(URL, data).content.decode()
    assert company_lists[-1] is True
    assert 'value="Maria Silva"' in html
    assert "The tax list was refreshed" in html


# ---- the estimate --------------------------------------------------------------------------


def test_the_preview_estimates_with_per_line_rounding_and_retention(clerk):
    data = form_data(
        retention="11,5",
        items=[
            {"name": "A", "quantity": "2", "unit_price": "50,5", "discount": "10"},
            {"name": "B", "unit_price": "0.5", "tax": "IVA6"},
            {"name": "", "unit_price": "oops"},
        ],
    )
    response = clerk.post(URL + "preview/", data, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="totals-preview"')
    assert 'data-total="sum">101,50\xa0€' in html
    assert 'data-total="discount">10,10\xa0€' in html
    assert 'data-total="before_taxes">91,40\xa0€' in html
    assert 'data-total="taxes">20,94\xa0€' in html  # 20.91 + 0.03
    assert 'data-total="total">112,34\xa0€' in html
    assert 'data-total="retention">−10,51\xa0€' in html
    assert 'data-total="payable">101,83\xa0€' in html
    assert "1 incomplete line is not counted yet." in html
    assert not Submission.objects.exists()


def test_the_preview_of_an_empty_form_is_zero(clerk):
    html = clerk.post(URL + "preview/", {}).content.decode()
    assert 'data-total="total">0,00\xa0€' in html


# ---- every rule the service enforces, checked first ---------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date": "2026-13-45"}, "Enter the date as dd/mm/yyyy."),
        ({"date": ""}, "This field is required."),
        ({"due_date": "20/11/2026"}, "The due date cannot be before the document date."),
        ({"retention": "100"}, "Retention must be a number between 0 and 99.99"),
        ({"retention": "-1"}, "Retention must be a number between 0 and 99.99"),
        ({"retention": "12,345"}, "Retention must be a number between 0 and 99.99"),
        ({"client_name": "   "}, "The client&#x27;s name is required."),
        ({"client_name": "x" * 101}, "at most 100 characters (it has 101)"),
        ({"client_email": "maria@"}, "Enter a valid email address"),
        (
            {"client_country": "PT"},
            "Select a valid choice. PT is not one of the available choices.",
        ),
        ({"client_country": "Germani"}, "Germani is not one of the available choices."),
        ({"client_fiscal_id": "123456788"}, "This is not a valid Portuguese NIF"),
        ({"client_fiscal_id": "12345"}, "This is not a valid Portuguese NIF"),
        ({"sequence": "999"}, "Select a valid choice."),
        ({"doc_type": "receipts"}, "Select a valid choice."),
        ({"doc_type": "credit_notes"}, "A credit note corrects an issued invoice"),
        (
            {"doc_type": "credit_notes", "sequence": "7"},
            "Series OLD cannot issue this document type.",
        ),
    ],
)
def test_it_refuses_a_bad_header(clerk, changes, message):
    assert_refused(clerk.post(URL, form_data(**changes)), message)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"name": ""}, "Name the item."),
        ({"quantity": "0"}, "The quantity must be greater than 0."),
        ({"quantity": "-2"}, "The quantity must be greater than 0."),
        ({"quantity": "abc"}, "Enter a number."),
        ({"unit_price": "-0.01"}, "The unit price cannot be negative."),
        ({"unit_price": ""}, "Give a unit price (0 is fine)."),
        ({"discount": "100.01"}, "The discount is a percentage between 0 and 100."),
        ({"discount": "-5"}, "The discount is a percentage between 0 and 100."),
        ({"unit": "kg"}, "Select a valid choice. kg is not one of the available choices."),
        ({"tax": "IVA20"}, "Select a valid choice. IVA20 is not one of the available choices."),
    ],
)
def test_it_refuses_a_bad_line(clerk, line, message):
    data = form_data(items=[{"name": "Consulting", **line}])
    assert_refused(clerk.post(URL, data), message)


def test_it_needs_at_least_one_line(clerk):
    data = form_data(items=[{"name": "", "unit_price": "", "unit": "unit"}])
    assert_refused(clerk.post(URL, data), "Add at least one line.")


def test_a_zero_percent_line_needs_an_exemption_reason(clerk):
    data = form_data(items=[{"name": "Book", "tax": "Isento"}])
    assert_refused(clerk.post(URL, data), "A line is at 0 % tax: choose the exemption reason")


def test_an_unknown_exemption_code_is_refused(clerk):
    data = form_data(items=[{"name": "Book", "tax": "Isento"}], tax_exemption="M03")
    assert_refused(clerk.post(URL, data), "M03 is not one of the available choices")


def test_a_simplified_invoice_is_for_final_consumers_only(clerk):
    data = form_data(
        doc_type="simplified_invoices", items=[{"name": "Pen", "unit": "unit", "unit_price": "5"}]
    )
    assert_refused(clerk.post(URL, data), "A simplified invoice is only for a final consumer")


@pytest.mark.parametrize(
    ("unit", "price", "limit"),
    [("service", "81.31", "100"), ("hour", "90", "100"), ("unit", "813.02", "1.000")],
)
def test_a_simplified_invoice_above_the_legal_limit_is_refused(clerk, unit, price, limit):
    data = form_data(
        doc_type="simplified_invoices",
        client_fiscal_id="999999990",
        items=[{"name": "Thing", "unit": unit, "unit_price": price}],
    )
    assert_refused(clerk.post(URL, data), f"may not exceed {limit} €")


def test_a_form_without_a_token_is_renewed_not_sent(clerk):
    data = form_data(token="not-a-uuid")
    response = clerk.post(URL, data)
    html = response.content.decode()
    assert "This form had expired" in html
    new_token = re.search(r'name="token" value="([^"]+)"', html)[1]
    assert uuid.UUID(new_token)
    assert 'value="Maria Silva"' in html
    assert not Submission.objects.exists()


def test_an_invalid_form_keeps_every_input(clerk):
    data = form_data(
        client_email="nope",
        observations="Obrigado",
        items=[
            {"name": "A", "description": "first", "unit_price": "1,5"},
            {"name": "B", "quantity": "0"},
        ],
    )
    html = clerk.post(URL, data, headers=HTMX).content.decode()
    for value in (
        "Maria Silva",
        "nope",
        "Rua A, 1",
        "1000-001",
        "PO-1",
        "first",
        "1,5",
        'value="B"',
    ):
        assert value in html
    assert "Obrigado</textarea>" in html
    assert data["token"] in html  # nothing was sent: the same token stays


# ---- a valid form reaches upstream: here it is unreachable --------------------------------


def test_when_upstream_cannot_be_reached_the_outcome_is_unknown_and_retry_is_offered(clerk, cast):
    data = form_data()
    response = clerk.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.UNKNOWN
    assert submission.user == cast.clerk
    assert 'id="retry-submission"' in html
    assert f"/c/acme/documents/new/{data['token']}/retry/" in html
    assert 'id="submit-document"' not in html
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.outcome, entry.document_type) == (
        "document.create",
        "unknown",
        "Invoice",
    )
    assert "acme-key" not in entry.detail


# ---- submissions another request is still sending, or that were refused -----------------


def make_submission(cast, token, *, status, payload=None, age=None, document_id=None):
    from django.utils import timezone

    submission = Submission.objects.create(
        account=cast.account, token=token, user=cast.clerk, document_type="invoices",
        payload=payload or {}, status=status, document_id=document_id, message="",
    )  # fmt: skip
    if age is not None:
        Submission.objects.filter(pk=submission.pk).update(updated_at=timezone.now() - age)
    return submission


def test_a_submit_while_another_request_is_sending_waits_then_says_it_is_being_created(
    clerk, cast, settings
):
    settings.IXPORTAL_SUBMISSION_WAIT = 0.3
    data = form_data()
    make_submission(cast, data["token"], status="pending")
    response = clerk.post(URL, data, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This document is being created." in html
    status_url = f"/c/acme/documents/new/{data['token']}/"
    assert f'hx-get="{status_url}"' in html and 'hx-trigger="every 2s' in html
    assert not AuditEntry.objects.exists()  # nothing was sent by this request

    # The poll answers the panel while pending, then sends the browser to the document.
    panel = clerk.get(status_url, headers=HTMX).content.decode()
    assert panel.lstrip().startswith('<div id="submission-status"')
    Submission.objects.filter(token=data["token"]).update(status="created", document_id=77)
    response = clerk.get(status_url, headers=HTMX)
    assert response["HX-Redirect"] == "/c/acme/documents/invoices/77/"
    assert clerk.get(status_url)["Location"] == "/c/acme/documents/invoices/77/"


def test_a_retry_of_a_submission_that_is_still_being_sent_does_not_send_it_again(
    clerk, cast, settings
):
    settings.IXPORTAL_SUBMISSION_WAIT = 0.1
    token = uuid.uuid4()
    make_submission(cast, token, status="pending", payload={"client": {"name": "X"}})
    html = clerk.post(f"{URL}{token}/retry/").content.decode()
    assert "This document is being created." in html
    assert Submission.objects.get().status == "pending"
    assert not AuditEntry.objects.exists()


def test_an_abandoned_pending_submission_can_be_retried(clerk, cast):
    import datetime as dt

    token = uuid.uuid4()
    payload = {"date": "21/11/2026", "due_date": "21/11/2026", "client": {"name": "X"}, "items": []}
    make_submission(cast, token, status="pending", payload=payload, age=dt.timedelta(minutes=5))
    clerk.post(f"{URL}{token}/retry/")
    # It was sent again (here: unreachable, so unknown again, and recorded).
    assert Submission.objects.get().status == "unknown"
    assert AuditEntry.objects.get().outcome == "unknown"


def test_only_one_of_two_simultaneous_retries_claims_the_resend(cast):
    first = make_submission(cast, uuid.uuid4(), status="unknown")
    second = Submission.objects.get(pk=first.pk)
    assert first.claim_retry() is True
    assert second.claim_retry() is False
    assert Submission.objects.get().status == "pending"


def test_a_created_or_refused_submission_is_never_reclaimed(cast):
    created = make_submission(cast, uuid.uuid4(), status="created", document_id=3)
    refused = make_submission(cast, uuid.uuid4(), status="failed")
    assert not created.claim_retry() and not refused.claim_retry()
    assert not created.mark_unknown("x")  # outcomes move a pending row only
    assert Submission.objects.get(pk=created.pk).status == "created"


def test_the_page_of_a_refused_submission_shows_the_refusal_and_a_fresh_token(clerk, cast):
    token = uuid.uuid4()
    payload = {
        "date": "21/11/2026", "due_date": "21/12/2026", "sequence_id": "101",
        "client": {"name": "Maria Silva", "country": "Portugal"},
        "items": [{"name": "Consulting", "quantity": "2", "unit_price": "10", "unit": "hour",
                   "discount": "0", "tax": {"name": "IVA23"}}],
    }  # fmt: skip
    submission = make_submission(cast, token, status="failed", payload=payload)
    Submission.objects.filter(pk=submission.pk).update(
        message="InvoiceXpress refused the request: nope."
    )
    html = clerk.get(f"{URL}{token}/").content.decode()
    assert "InvoiceXpress refused the request: nope." in html
    assert 'value="Maria Silva"' in html and 'name="items-0-quantity" value="2"' in html
    assert re.search(r'<option value="8" selected>', html)  # the series, found from its counter
    new_token = re.search(r'name="token" value="([^"]+)"', html)[1]
    assert new_token != str(token)
    # An htmx poll that finds it refused reloads the page to show that.
    response = clerk.get(f"{URL}{token}/", headers=HTMX)
    assert response["HX-Redirect"] == f"{URL}{token}/"


def test_a_second_submit_of_the_same_token_never_reaches_upstream_again(clerk, cast):
    data = form_data()
    clerk.post(URL, data)  # unreachable: unknown
    clerk.post(URL, data)  # same token: shows the same outcome, sends nothing
    assert Submission.objects.count() == 1
    assert AuditEntry.objects.count() == 1
