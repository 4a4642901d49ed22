"""The document list: tenancy, what the table shows, pagination, the htmx fragment."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from tests.documents.helpers import make_document, numbers_in

URL = "/c/acme/documents/"
HTMX = {"HX-Request": "true"}


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


@pytest.mark.parametrize(
    ("user", "create", "bulk"),
    [("manager", True, True), ("clerk", True, False), ("viewer", False, False)],
)
def test_the_list_offers_only_the_actions_of_the_users_role(client, cast, user, create, bulk):
    client.force_login(getattr(cast, user))
    html = client.get("/c/acme/documents/").content.decode()
    assert ('href="/c/acme/documents/new/"' in html) is create
    assert ('href="/c/acme/documents/finalize/"' in html) is bulk


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
    # Before taxes and taxes: shown on wide screens only.
    assert '<td class="num d-none d-xl-table-cell">1.234,50</td>' in html
    assert '<td class="num d-none d-xl-table-cell">283,94</td>' in html  # taxes
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
    assert f'<a class="alert-link" href="{URL}">Clear filters</a>' in html


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


def test_the_list_and_its_fragment_are_never_stored_by_the_browser(client, live_company):
    client.force_login(live_company.viewer)
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get(URL, headers=headers)
        assert response["Cache-Control"] == "private, no-store"
        assert "HX-Request" in response["Vary"]


def test_credit_notes_subtract_in_the_rows_and_the_page_total(client, live_company):
    make_document(live_company.sandbox, number=1, before_taxes="100.00")
    make_document(live_company.sandbox, doc_type="CreditNote", number=2, before_taxes="40.00")
    make_document(live_company.sandbox, doc_type="Receipt", number=3, before_taxes="100.00")
    make_document(live_company.sandbox, number=4, status="canceled", before_taxes="500.00")
    make_document(live_company.sandbox, number=None, status="draft", before_taxes="700.00")
    client.force_login(live_company.viewer)
    html = client.get("/c/acme/documents/").content.decode()
    note_row = re.search(r"NC 2025/2.*?</tr>", html, re.S)[0]
    assert '<td class="num fw-semibold">-49,20</td>' in note_row
    assert '<td class="num d-none d-xl-table-cell">-40,00</td>' in note_row
    totals = re.search(r'<tr class="fw-semibold" id="page-totals">.*?</tr>', html, re.S)[0]
    cells = re.findall(r'<td class="num">([^<]*)</td>', totals)
    assert cells == ["60,00", "13,80", "73,80"]  # 123,00 - 49,20: receipt, canceled, draft out
    assert "Credit notes subtract" in totals
