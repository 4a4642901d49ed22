"""The list's totals over every page, the overdue filter, 100 rows a page, and the sort note."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import time_machine

from invoices.formatting import pt_money
from tests.documents.helpers import make_document, numbers_in

URL = "/c/acme/documents/"
TOTALS = "/c/acme/documents/totals/"
HTMX = {"HX-Request": "true"}
TODAY = dt.date(2026, 3, 10)


def _totals(response) -> dict[str, str]:
    html = response.content.decode()
    return dict(re.findall(r'data-total="(\w+)">([^<]+)<', html))


def test_totals_add_up_every_page_and_subtract_credit_notes(client, live_company, settings):
    sandbox = live_company.sandbox
    expected = {"before": Decimal("0"), "taxes": Decimal("0"), "total": Decimal("0")}
    for number in range(1, 131):  # two pages of 100
        doc = make_document(sandbox, number=number, before_taxes=f"{number}.10")
        expected["before"] += doc.before_taxes
        expected["taxes"] += doc.taxes
        expected["total"] += doc.total
    note = make_document(sandbox, doc_type="CreditNote", number=1, before_taxes="50.00")
    expected["before"] -= note.before_taxes
    expected["taxes"] -= note.taxes
    expected["total"] -= note.total
    # Not summed: a draft, a canceled invoice and a receipt (the payment of a counted invoice).
    make_document(sandbox, status="draft", before_taxes="999")
    make_document(sandbox, status="canceled", number=500, before_taxes="999")
    make_document(sandbox, doc_type="Receipt", number=1, before_taxes="999")
    client.force_login(live_company.viewer)

    response = client.get(TOTALS, headers=HTMX)

    assert response.status_code == 200
    figures = _totals(response)
    assert figures == {
        "before_taxes": pt_money(expected["before"]),
        "taxes": pt_money(expected["taxes"]),
        "total": pt_money(expected["total"]),
    }
    assert "Totals of 131 documents" in response.content.decode()
    assert 'id="document-totals-partial"' not in response.content.decode()


def test_totals_say_so_when_the_page_bound_is_hit(client, live_company, settings):
    settings.IXPORTAL_TOTALS_MAX_PAGES = 1
    for number in range(1, 103):
        make_document(live_company.sandbox, number=number)
    client.force_login(live_company.viewer)

    response = client.get(TOTALS, headers=HTMX)

    assert 'id="document-totals-partial"' in response.content.decode()
    assert "only the newest 100 of 102 documents" in response.content.decode()


def test_totals_follow_the_filters(client, live_company, upstream):
    make_document(live_company.sandbox, number=1, client_name="Padaria Ribeiro")
    make_document(live_company.sandbox, number=2, client_name="Outro")
    client.force_login(live_company.viewer)

    response = client.get(TOTALS, {"text": "padaria", "per_page": "10", "page": "3"})

    assert response.status_code == 200  # without htmx: a whole page
    assert "<html" in response.content.decode()
    assert _totals(response)["total"] == "123,00\xa0€"
    [call] = upstream
    assert call.value("text") == "padaria"
    assert call.value("per_page") == "100" and call.value("page") == "1"


def test_the_list_loads_its_totals_after_the_table(client, live_company):
    make_document(live_company.sandbox, number=1)
    client.force_login(live_company.viewer)

    response = client.get(URL, {"status": "final"})

    html = response.content.decode()
    assert 'hx-get="/c/acme/documents/totals/?status=final"' in html
    assert 'hx-trigger="load"' in html
    assert "cannot sort" in html


@time_machine.travel(dt.datetime(2026, 3, 10, 12, 0), tick=False)
def test_the_overdue_filter_lists_unpaid_receivables_past_their_due_date(
    client, live_company, upstream
):
    sandbox = live_company.sandbox
    late = make_document(sandbox, number=1, due_date=TODAY - dt.timedelta(days=3))
    make_document(sandbox, number=2, due_date=TODAY)  # due today: not yet overdue
    make_document(sandbox, number=3, status="settled", due_date=TODAY - dt.timedelta(days=9))
    make_document(sandbox, doc_type="CreditNote", number=4, due_date=TODAY - dt.timedelta(days=9))
    late_note = make_document(
        sandbox, doc_type="DebitNote", number=5, due_date=TODAY - dt.timedelta(days=40)
    )
    client.force_login(live_company.viewer)

    response = client.get(URL, {"overdue": "on"})

    # Same date: newest first is the higher id.
    assert numbers_in(response) == ["ND 2025/5", "FT 2025/1"]
    assert f'data-document-id="{late.pk}" class="overdue"' in response.content.decode()
    assert f'data-document-id="{late_note.pk}" class="overdue"' in response.content.decode()
    [call] = upstream
    assert call.values("type[]") == ["Invoice", "VatMossInvoice", "DebitNote"]
    assert call.values("status[]") == ["final", "sent"]
    assert call.value("due_date[to]") == "09/03/2026"


def test_overdue_with_types_that_cannot_be_overdue_is_a_clear_error(client, live_company, upstream):
    client.force_login(live_company.viewer)

    response = client.get(URL, {"overdue": "on", "type": "CreditNote"}, headers=HTMX)

    assert response.status_code == 200
    assert "Only invoices and debit notes can be overdue" in response.content.decode()
    assert upstream == []


def test_a_number_typed_without_the_space_is_found(client, live_company, upstream):
    make_document(live_company.sandbox, number=33, serie="2026")
    client.force_login(live_company.viewer)

    response = client.get(URL, {"text": "FT2026/33"})

    assert numbers_in(response) == ["FT 2026/33"]
    assert upstream[0].value("text") == "2026/33"


def test_a_page_holds_up_to_100_rows(client, live_company):
    for number in range(1, 106):
        make_document(live_company.sandbox, number=number)
    client.force_login(live_company.viewer)

    response = client.get(URL, {"per_page": "100"})

    assert len(numbers_in(response)) == 100
    assert "page 1 of 2" in response.content.decode()


def test_totals_are_for_members_only(client, live_company):
    client.force_login(live_company.outsider)

    assert client.get(TOTALS).status_code == 404
