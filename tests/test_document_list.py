"""The document list: filters reaching InvoiceXpress, the htmx table, pagination, failures."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
import responses
import time_machine
from django.contrib.auth.models import Permission

from invoices.forms_documents import DocumentFilterForm
from sandbox import faults
from tests.documents_helpers import make_document, spy_on_upstream

URL = "/c/acme/documents/"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def upstream(monkeypatch):
    return spy_on_upstream(monkeypatch)


@pytest.fixture
def fast_failures(settings):
    """No retries and a short read timeout, so failure tests stay fast."""
    settings.IXPORTAL_GET_RETRIES = 0
    settings.IXPORTAL_READ_TIMEOUT = 0.5
    settings.IXPORTAL_CONNECT_TIMEOUT = 0.5


def numbers_in(response) -> list[str]:
    """The document numbers of the table's rows, in order."""
    html = response.content.decode()
    return re.findall(
        r'<tr data-document-id="\d+"[^>]*>\s*<td class="text-nowrap">\s*(?:<a [^>]*>)?([^<]+)<',
        html,
    )


# ---- tenancy ------------------------------------------------------------------------


def test_it_requires_login(client, cast):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_hides_a_company_from_outsiders(client, cast, upstream):
    client.force_login(cast.outsider)
    assert client.get(URL).status_code == 404
    assert client.get(URL, headers=HTMX).status_code == 404
    assert upstream == []


def test_it_hides_a_company_from_a_superuser_who_is_not_a_member(client, cast, upstream):
    client.force_login(cast.superuser)
    assert client.get(URL).status_code == 404
    assert upstream == []


def test_it_rejects_post(client, cast):
    client.force_login(cast.manager)
    assert client.post(URL).status_code == 405


def test_a_viewer_may_browse(client, live_company):
    make_document(live_company.sandbox, number=7)
    client.force_login(live_company.viewer)
    response = client.get(URL)
    assert response.status_code == 200
    assert numbers_in(response) == ["FT 2025/7"]


# ---- what the table shows -------------------------------------------------------------


@time_machine.travel(dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC))
def test_it_lists_documents_newest_first_the_portuguese_way(client, live_company, upstream):
    sandbox = live_company.sandbox
    make_document(
        sandbox,
        number=1,
        date=dt.date(2025, 1, 10),
        due_date=dt.date(2025, 2, 9),
        before_taxes="1234.50",
        client_name="Padaria Lusitana, Lda.",
        client_fields={"fiscal_id": "508025338"},
    )
    make_document(sandbox, doc_type="CreditNote", number=2, date=dt.date(2025, 2, 1))
    make_document(sandbox, status="draft", number=None, date=dt.date(2025, 2, 20))
    client.force_login(live_company.manager)

    response = client.get(URL)

    assert response.status_code == 200
    assert numbers_in(response) == ["Draft", "NC 2025/2", "FT 2025/1"]
    html = response.content.decode()
    assert "3 documents" in html
    assert "ABCD1234-1" in html
    assert "10/01/2025" in html and "09/02/2025" in html
    assert "Padaria Lusitana, Lda." in html and "508025338" in html
    assert '<td class="num">1.234,50</td>' in html  # before taxes
    assert '<td class="num">283,94</td>' in html  # taxes
    assert '<td class="num fw-semibold">1.518,44</td>' in html  # total
    assert "Euro" in html
    assert 'data-status="final"' in html and 'data-status="draft"' in html
    # The 10 February due date is past on 1 March and the invoice is unpaid.
    assert re.search(r'<tr data-document-id="\d+" class="overdue">', html)
    assert html.count('class="overdue"') == 1
    assert len(upstream) == 1


def test_what_invoicexpress_sends_is_escaped(client, live_company):
    make_document(
        live_company.sandbox,
        client_name='<script>alert("x")</script>',
        client_fields={"fiscal_id": "<b>1</b>"},
        atcud="N/D<i>",
    )
    client.force_login(live_company.viewer)
    html = client.get(URL).content.decode()
    assert "<script>alert" not in html and "<b>1</b>" not in html and "N/D<i>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;1&lt;/b&gt;" in html


def test_each_row_links_to_its_document_page(client, live_company):
    invoice = make_document(live_company.sandbox, number=3)
    note = make_document(live_company.sandbox, doc_type="CreditNote", number=1)
    client.force_login(live_company.viewer)

    html = client.get(URL).content.decode()

    assert f'href="/c/acme/documents/invoices/{invoice.pk}/"' in html
    assert f'href="/c/acme/documents/credit_notes/{note.pk}/"' in html


@time_machine.travel(dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC))
def test_only_unpaid_issued_documents_past_due_stand_out(client, live_company):
    past = dt.date(2025, 1, 1)
    sandbox = live_company.sandbox
    make_document(sandbox, status="final", number=1, due_date=past)
    make_document(sandbox, status="sent", number=2, due_date=past)
    make_document(sandbox, status="settled", number=3, due_date=past)
    make_document(sandbox, status="canceled", number=4, due_date=past)
    make_document(sandbox, status="final", number=5, due_date=dt.date(2025, 3, 1))
    client.force_login(live_company.viewer)

    html = client.get(URL).content.decode()

    overdue = re.findall(r'<tr data-document-id="(\d+)" class="overdue">', html)
    assert len(overdue) == 2


def test_an_empty_company_says_so(client, live_company):
    client.force_login(live_company.viewer)
    html = client.get(URL).content.decode()
    assert "Acme, Lda. has no documents yet." in html
    assert "<table" not in html


def test_filters_that_match_nothing_say_so_and_offer_to_clear(client, live_company):
    make_document(live_company.sandbox)
    client.force_login(live_company.viewer)
    html = client.get(URL, {"text": "nothing-like-this"}).content.decode()
    assert "No documents match these filters." in html
    assert f'<a href="{URL}">Clear filters</a>' in html


# ---- filters reach InvoiceXpress as the API expects ----------------------------------------


def test_every_filter_reaches_invoicexpress_in_its_own_spelling(client, live_company, upstream):
    client.force_login(live_company.viewer)
    response = client.get(
        URL,
        {
            "text": "padaria",
            "type": ["Invoice", "CreditNote"],
            "status": ["final", "settled"],
            "date_from": "01/01/2025",
            "date_to": "31/01/2025",
            "due_date_from": "01/02/2025",
            "due_date_to": "28/02/2025",
            "total_from": "100",
            "total_to": "1.234,5",
            "archived": "non_archived",
            "reference": "PO-7",
            "per_page": "20",
            "page": "2",
        },
    )

    assert response.status_code == 200
    [call] = upstream
    assert call.method == "GET" and call.path == "/sandbox/acme/invoices.json"
    assert call.params == [
        ("text", "padaria"),
        ("type[]", "Invoice"),
        ("type[]", "CreditNote"),
        ("status[]", "final"),
        ("status[]", "settled"),
        ("date[from]", "01/01/2025"),
        ("date[to]", "31/01/2025"),
        ("due_date[from]", "01/02/2025"),
        ("due_date[to]", "28/02/2025"),
        ("total_before_taxes[from]", "100.00"),
        ("total_before_taxes[to]", "1234.50"),
        ("archived", "false"),
        ("non_archived", "true"),
        ("reference", "PO-7"),
        ("page", "2"),
        ("per_page", "20"),
    ]


def test_with_no_filters_it_asks_for_the_first_page_of_thirty(client, live_company, upstream):
    client.force_login(live_company.viewer)
    client.get(URL)
    [call] = upstream
    assert call.params == [("page", "1"), ("per_page", "30")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"text": "Padaria"}, ["FT 2025/1"]),
        ({"type": "CreditNote"}, ["NC 2025/1"]),
        ({"type": ["CreditNote", "InvoiceReceipt"]}, ["FR 2025/1", "NC 2025/1"]),
        ({"status": "settled"}, ["FR 2025/1"]),
        ({"status": ["draft", "canceled"]}, ["Draft", "FT 2025/3"]),
        ({"date_from": "01/02/2025"}, ["Draft", "FR 2025/1", "NC 2025/1"]),
        ({"date_to": "31/01/2025"}, ["FT 2025/3", "FT 2025/2", "FT 2025/1"]),
        ({"due_date_from": "01/04/2025", "due_date_to": "30/04/2025"}, ["FR 2025/1"]),
        ({"total_from": "500"}, ["FT 2025/2"]),
        ({"total_to": "50,00"}, ["NC 2025/1"]),
        ({"archived": "archived"}, ["FT 2025/3"]),
        (
            {"archived": "non_archived"},
            ["Draft", "FR 2025/1", "NC 2025/1", "FT 2025/2", "FT 2025/1"],
        ),
        ({"reference": "PO-77"}, ["FT 2025/2"]),
    ],
)
def test_each_filter_narrows_the_list_at_invoicexpress(client, live_company, query, expected):
    sandbox = live_company.sandbox
    jan = dt.date(2025, 1, 10)
    make_document(sandbox, number=1, date=jan, client_name="Padaria Lusitana")
    make_document(sandbox, number=2, date=jan, before_taxes="900", reference="PO-77")
    make_document(sandbox, number=3, date=jan, status="canceled", archived=True)
    make_document(
        sandbox, doc_type="CreditNote", number=1, date=dt.date(2025, 2, 3), before_taxes="40"
    )
    make_document(
        sandbox,
        doc_type="InvoiceReceipt",
        status="settled",
        number=1,
        date=dt.date(2025, 3, 5),
        due_date=dt.date(2025, 4, 4),
    )
    draft_day = dt.date(2025, 3, 20)
    make_document(sandbox, status="draft", number=None, date=draft_day, due_date=draft_day)
    client.force_login(live_company.viewer)

    response = client.get(URL, query)

    assert response.status_code == 200
    assert numbers_in(response) == expected


# ---- bad filter values: an inline message and no upstream call ------------------------------


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"date_from": "2025-01-31"}, "date_from", "Enter a date as dd/mm/yyyy"),
        ({"date_to": "31/02/2025"}, "date_to", "Enter a date as dd/mm/yyyy"),
        ({"due_date_from": "yesterday"}, "due_date_from", "Enter a date as dd/mm/yyyy"),
        (
            {"due_date_from": "02/02/2025", "due_date_to": "01/02/2025"},
            "due_date_to",
            "must not be before",
        ),
        ({"date_from": "02/02/2025", "date_to": "01/02/2025"}, "date_to", "must not be before"),
        ({"total_from": "abc"}, "total_from", "Enter a number."),
        ({"total_from": "-5"}, "total_from", "greater than or equal to 0"),
        ({"total_to": "1,234"}, "total_to", "no more than 2 decimal places"),
        ({"total_from": "300", "total_to": "200"}, "total_to", "must not be before"),
        ({"type": "Quote"}, "type", "Select a valid choice."),
        ({"status": "deleted"}, "status", "Select a valid choice."),
        ({"per_page": "1000"}, "per_page", "Select a valid choice."),
        ({"archived": "maybe"}, "archived", "Select a valid choice."),
        ({"text": "x" * 201}, "text", "at most 200 characters"),
    ],
)
def test_a_bad_filter_gets_an_inline_message_and_no_upstream_call(
    client, cast, upstream, query, field, message
):
    client.force_login(cast.viewer)

    page = client.get(URL, query)
    fragment = client.get(URL, query, headers=HTMX)

    assert page.status_code == fragment.status_code == 200
    page_html = page.content.decode()
    assert re.search(
        rf'id="filter-error-{field}" class="invalid-feedback d-block">[^<]*{re.escape(message)}',
        page_html,
    )
    assert "nothing was searched" in page_html
    fragment_html = fragment.content.decode()
    assert "nothing was searched" in fragment_html
    # The field's message lands beside the field, out of band, without re-rendering the form.
    assert re.search(
        rf'<div id="filter-error-{field}" class="invalid-feedback d-block" hx-swap-oob="true">[^<]*{re.escape(message)}',
        fragment_html,
    )
    assert upstream == []


@pytest.mark.parametrize("page", ["0", "abc", "-1", "9999999"])
def test_a_bad_page_number_gets_a_message_and_no_upstream_call(client, cast, upstream, page):
    client.force_login(cast.viewer)
    response = client.get(URL, {"page": page}, headers=HTMX)
    assert response.status_code == 200
    assert "Page:" in response.content.decode()
    assert upstream == []


def test_the_form_keeps_what_was_typed(client, cast):
    client.force_login(cast.viewer)
    html = client.get(
        URL, {"date_from": "31/02/2025", "total_to": "12,5", "type": "Receipt"}
    ).content.decode()
    assert 'value="31/02/2025"' in html
    assert 'value="12,5"' in html
    assert re.search(r'value="Receipt" id="[^"]+" checked', html)


def test_dates_and_amounts_are_parsed_the_portuguese_way():
    form = DocumentFilterForm(_query(date_from="05/03/2025", total_from="1.234,56"))
    assert form.is_valid(), form.errors
    filters = form.upstream_filters()
    assert filters["date_from"] == dt.date(2025, 3, 5)
    assert str(filters["total_before_taxes_from"]) == "1234.56"


def _query(**values):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query.update(values)
    return query


# ---- pagination -------------------------------------------------------------------------


@pytest.fixture
def twenty_five(live_company):
    for number in range(1, 26):
        make_document(
            live_company.sandbox,
            number=number,
            date=dt.date(2025, 1, 1) + dt.timedelta(days=number),
        )
    return live_company


def test_it_pages_through_the_result(client, twenty_five, upstream):
    client.force_login(twenty_five.viewer)

    first = client.get(URL, {"per_page": "10", "type": "Invoice"})
    third = client.get(URL, {"per_page": "10", "type": "Invoice", "page": "3"})

    assert numbers_in(first) == [f"FT 2025/{n}" for n in range(25, 15, -1)]
    assert numbers_in(third) == [f"FT 2025/{n}" for n in range(5, 0, -1)]
    html = first.content.decode()
    assert "25 documents" in html and "page 1 of 3" in html
    # The pager carries the filters along; page 1 needs no page parameter.
    assert 'rel="next" href="/c/acme/documents/?type=Invoice&amp;per_page=10&amp;page=2"' in html
    assert 'rel="last" href="/c/acme/documents/?type=Invoice&amp;per_page=10&amp;page=3"' in html
    assert 'rel="first"' not in html and 'rel="prev"' not in html
    html = third.content.decode()
    assert 'rel="first" href="/c/acme/documents/?type=Invoice&amp;per_page=10"' in html
    assert 'rel="prev" href="/c/acme/documents/?type=Invoice&amp;per_page=10&amp;page=2"' in html
    assert 'rel="next"' not in html and 'rel="last"' not in html
    assert [c.value("page") for c in upstream] == ["1", "3"]


def test_pager_links_work_with_and_without_javascript(client, twenty_five):
    client.force_login(twenty_five.viewer)
    html = client.get(URL, {"per_page": "10"}).content.decode()
    link = re.search(
        r'<a class="page-link" rel="next" href="([^"]+)" hx-get="([^"]+)"([^>]*)>', html
    )
    assert link is not None
    assert link[1] == link[2]
    assert 'hx-target="#document-table"' in link[3]
    assert 'hx-swap="outerHTML"' in link[3]
    assert 'hx-push-url="true"' in link[3]


def test_a_page_past_the_end_offers_the_last_page(client, twenty_five):
    client.force_login(twenty_five.viewer)
    html = client.get(URL, {"per_page": "10", "page": "9"}).content.decode()
    assert "Page 9 is past the end: there are 3 pages." in html
    assert 'href="/c/acme/documents/?per_page=10&amp;page=3"' in html


# ---- htmx: the fragment, the pushed URL, one upstream call ----------------------------------


def test_htmx_gets_only_the_table_and_a_clean_url_to_push(client, twenty_five, upstream):
    client.force_login(twenty_five.viewer)

    response = client.get(
        URL + "?text=&type=Invoice&date_from=&date_to=&per_page=10&page=2", headers=HTMX
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="document-table"')
    assert "<html" not in html and 'id="document-filters"' not in html
    assert numbers_in(response) == [f"FT 2025/{n}" for n in range(15, 5, -1)]
    assert response["HX-Push-Url"] == "/c/acme/documents/?type=Invoice&per_page=10&page=2"
    assert "HX-Request" in response["Vary"]
    assert len(upstream) == 1


def test_the_full_page_of_a_pushed_url_renders_the_same_table(client, twenty_five, upstream):
    client.force_login(twenty_five.viewer)
    pushed = "/c/acme/documents/?type=Invoice&per_page=10&page=2"

    fragment = client.get(pushed, headers=HTMX)
    page = client.get(pushed)

    html = page.content.decode()
    assert "<html" in html and 'id="document-filters"' in html
    assert numbers_in(page) == numbers_in(fragment)
    assert re.search(r'value="Invoice" id="[^"]+" checked', html)
    assert re.search(r'<option value="10" selected>', html)
    assert len(upstream) == 2  # one per view


def test_a_history_restore_gets_the_whole_page(client, twenty_five):
    client.force_login(twenty_five.viewer)
    response = client.get(
        URL, {"per_page": "10"}, headers={**HTMX, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_the_filter_form_swaps_the_table_and_works_without_javascript(client, cast):
    client.force_login(cast.viewer)
    html = client.get(URL, {"text": "a"}).content.decode()
    form = re.search(r'<form id="document-filters"[^>]*>', html)[0]
    assert 'method="get"' in form and f'action="{URL}"' in form
    assert f'hx-get="{URL}"' in form
    assert 'hx-target="#document-table"' in form and 'hx-swap="outerHTML"' in form
    assert 'hx-push-url="true"' in form
    assert 'hx-sync="this:replace"' in form
    assert 'hx-indicator="#document-loading' in form
    assert 'id="document-loading"' in html and "htmx-indicator" in html
    assert '<button type="submit"' in html


def test_the_export_link_carries_the_filters(client, twenty_five):
    client.force_login(twenty_five.viewer)
    html = client.get(URL, {"type": "Invoice", "page": "2", "per_page": "10"}).content.decode()
    assert 'href="/c/acme/documents/export.csv?type=Invoice&amp;per_page=10"' in html


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


@pytest.mark.parametrize(
    ("user", "create", "bulk"),
    [("manager", True, True), ("clerk", True, False), ("viewer", False, False)],
)
def test_the_list_offers_only_the_actions_of_the_users_role(client, cast, user, create, bulk):
    client.force_login(getattr(cast, user))
    html = client.get("/c/acme/documents/").content.decode()
    assert ('href="/c/acme/documents/new/"' in html) is create
    assert ('href="/c/acme/documents/finalize/"' in html) is bulk
