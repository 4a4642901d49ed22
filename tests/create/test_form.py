"""The create form without the sandbox: access, the empty form, lines, estimate.

Acme (the `cast` fixture) points at a port nothing listens on; its taxes and series are
given here instead of loaded, so these tests never reach upstream unless a form is valid
(and then the answer is "connection failed"). Every validation rule is in
test_document_create_validation.py, submissions in test_document_create_submissions.py; the
sandbox-backed behaviour is in test_document_create_live*.py and
test_document_create_concurrency.py.
"""

import re
import uuid

import pytest
import time_machine

from invoices import company_cache
from invoices.models import AuditEntry
from invoices.models.submissions import Submission
from tests.create.helpers import HTMX, URL, form_data, serve_company_lists


@pytest.fixture(autouse=True)
def company_lists(monkeypatch):
    """Acme's taxes and series, as the shared cache would hold them."""
    yield from serve_company_lists(monkeypatch)


@pytest.fixture
def clerk(client, cast):
    client.force_login(cast.clerk)
    return client


# ---- who may use it ---------------------------------------------------------------------

ENDPOINTS = [
    ("get", URL),
    ("post", URL),
    ("post", URL + "preview/"),
    ("get", URL + "clients/?client_name=mar"),
    ("get", URL + "owners/?owner_number=FT+2026"),
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
    assert "M07 · Isento artigo 9.º do CIVA" in html
    assert 'value="M00"' not in html


def test_it_offers_every_country_the_service_accepts_and_only_those(clerk):
    html = clerk.get(URL).content.decode()
    select = re.search(r'<select name="client_country".*?</select>', html, re.S)[0]
    names = re.findall(r'<option value="([^"]*)"', select)
    assert len(names) == 251
    assert "Macau" in names and "PT" not in names


def test_the_page_says_so_when_taxes_cannot_be_loaded(clerk, monkeypatch):
    from invoices.invoicexpress.errors import Unreachable

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
