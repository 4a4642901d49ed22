"""The document list when InvoiceXpress fails: a message in the table area, never a 500."""

from __future__ import annotations

import time

import pytest
import responses
from django.contrib.auth.models import Permission

from sandbox import faults
from tests.documents.helpers import make_document, numbers_in

URL = "/c/acme/documents/"
HTMX = {"HX-Request": "true"}


# ---- upstream failures: a message in the table area, never a 500 ------------------------------


def _assert_failure_shown(client, message: str, *, status: str = "") -> None:
    page = client.get(URL, {"type": "Invoice"})
    fragment = client.get(URL, {"type": "Invoice"}, headers=HTMX)
    assert page.status_code == fragment.status_code == 200
    for html in (page.content.decode(), fragment.content.decode()):
        assert message in html
        assert f'data-error-status="{status}"' in html
        # Retry: the same URL again, swapping the table.
        assert (
            'href="/c/acme/documents/?type=Invoice" hx-get="/c/acme/documents/?type=Invoice" '
            'hx-target="#document-table"'
        ) in html
    assert 'id="document-filters"' in page.content.decode()  # the rest of the page still works


def test_a_wrong_api_key_says_so_and_a_manager_is_told_to_ask_an_administrator(
    client, live_company
):
    live_company.sandbox.api_key = "another-key"
    live_company.sandbox.save()
    client.force_login(live_company.manager)
    _assert_failure_shown(client, "refused this company&#x27;s API key (401)", status="401")
    html = client.get(URL).content.decode()
    assert "ask an administrator" in html
    assert "/admin/" not in html.split('id="api-key-hint"')[1][:600]


def test_a_wrong_api_key_shows_staff_where_to_fix_it(client, live_company):
    live_company.sandbox.api_key = "another-key"
    live_company.sandbox.save()
    manager = live_company.manager
    manager.is_staff = True
    manager.save()
    manager.user_permissions.add(Permission.objects.get(codename="change_account"))
    client.force_login(manager)
    html = client.get(URL).content.decode()
    assert f'href="/admin/invoices/account/{live_company.account.pk}/change/"' in html


def test_a_wrong_api_key_tells_a_viewer_to_tell_a_manager(client, live_company):
    live_company.sandbox.api_key = "another-key"
    live_company.sandbox.save()
    client.force_login(live_company.viewer)
    html = client.get(URL).content.decode()
    assert "tell a manager of this company" in html
    assert "/admin/invoices" not in html


def test_a_wrong_base_url_404_is_shown(client, live_company):
    account = live_company.account
    account.base_url = f"{live_company.live_server.url}/sandbox/acme/nowhere"
    account.save()
    client.force_login(live_company.viewer)
    _assert_failure_shown(client, "InvoiceXpress has no such record (404).", status="404")


@pytest.mark.parametrize(
    ("mode", "message", "status"),
    [
        ("429", "limiting requests for this company (429)", "429"),
        ("500", "InvoiceXpress is having problems (HTTP 500)", "500"),
        ("502", "InvoiceXpress is having problems (HTTP 502)", "502"),
        ("503", "InvoiceXpress is having problems (HTTP 503)", "503"),
        ("html", "a web page instead of data", ""),
        ("broken_json", "not valid JSON", ""),
    ],
)
def test_an_upstream_failure_is_shown_with_a_retry(client, live_company, mode, message, status):
    faults.inject("acme", mode, count=None, path_prefix="invoices.json")
    client.force_login(live_company.viewer)
    _assert_failure_shown(client, message, status=status)


def test_a_timeout_is_shown_with_a_retry(client, live_company, fast_failures):
    faults.inject("acme", "timeout", count=None, timeout_seconds=1.0)
    client.force_login(live_company.viewer)
    _assert_failure_shown(client, "did not answer in time")
    # The sandbox is still sleeping on those requests, holding a database connection: let it
    # finish before the test's database goes away.
    time.sleep(0.8)


def test_a_refused_connection_is_shown_with_a_retry(client, cast):
    client.force_login(cast.viewer)
    _assert_failure_shown(client, "cannot be reached (connection failed)")


@responses.activate
def test_a_422_on_the_list_is_shown_with_a_retry(client, cast):
    # The sandbox never refuses a GET with 422; the real service might.
    responses.get(
        "http://127.0.0.1:9/invoices.json",
        json={"errors": [{"error": "Parâmetros inválidos"}]},
        status=422,
    )
    client.force_login(cast.viewer)
    _assert_failure_shown(
        client, "InvoiceXpress refused the request: Parâmetros inválidos.", status="422"
    )


def test_a_passing_503_is_retried_and_the_list_shows(client, live_company, upstream):
    make_document(live_company.sandbox, number=4)
    faults.inject("acme", "503", count=1)
    client.force_login(live_company.viewer)
    response = client.get(URL)
    assert numbers_in(response) == ["FT 2025/4"]
    assert len(upstream) == 2  # the 503, then the retry


def test_the_api_key_never_reaches_the_page(client, live_company):
    faults.inject("acme", "500", count=None)
    client.force_login(live_company.viewer)
    html = client.get(URL).content.decode()
    assert "acme-key" not in html
    assert "api_key" not in html
