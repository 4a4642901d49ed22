"""The cockpit over ten companies on the live sandbox: one answering 500, one too slow."""

from __future__ import annotations

import datetime as dt
import re
import time
from decimal import Decimal

import pytest
from django.utils import timezone

from invoices.cockpit.services import refresh_cockpit
from invoices.formatting import pt_money
from sandbox import faults
from sandbox.models import NOT_REGISTERED, SandboxDocument, SandboxSequenceCounter

RECEIVABLE = ("Invoice", "DebitNote", "VatMossInvoice")


def expected_from_sandbox(name: str, today: dt.date) -> dict:
    """The figures, computed straight from the sandbox's own rows (not through the API)."""
    docs = list(SandboxDocument.objects.visible().filter(account__account_name=name))
    unpaid = [d for d in docs if d.doc_type in RECEIVABLE and d.status in ("final", "sent")]
    overdue = [d for d in unpaid if d.due_date < today]
    month = [
        d
        for d in docs
        if d.status in ("final", "sent", "settled")
        and d.doc_type not in ("Receipt", "VatMossReceipt")
        and today.replace(day=1) <= d.date <= today
    ]

    def sign(d):
        return -1 if d.doc_type in ("CreditNote", "VatMossCreditNote") else 1

    nd = sorted(
        {
            c.sequence.serie
            for c in SandboxSequenceCounter.objects.filter(
                sequence__account__account_name=name, validation_code=NOT_REGISTERED
            )
        }
    )
    return {
        "overdue": (len(overdue), sum((d.total for d in overdue), Decimal(0))),
        "oldest": max((today - d.due_date).days for d in overdue) if overdue else None,
        "open": (len(unpaid), sum((d.total for d in unpaid), Decimal(0))),
        "drafts": sum(1 for d in docs if d.status == "draft"),
        "month": tuple(
            sum((sign(d) * getattr(d, f) for d in month), Decimal(0))
            for f in ("before_taxes", "taxes", "total")
        ),
        "nd": nd,
    }


def row_of(html: str, slug: str) -> str:
    match = re.search(rf'<tr data-company="{slug}">(.*?)</tr>', html, re.S)
    assert match, f"no row for {slug}"
    return match.group(1)


def cell(row: str, figure: str) -> str:
    match = re.search(rf'<td[^>]*data-figure="{figure}">(.*?)</td>', row, re.S)
    assert match, figure
    return re.sub(r"[ \t\r\n]+", " ", match.group(1))  # keeps the no-break space of amounts


@pytest.fixture
def faulty(ten_companies, settings):
    settings.IXPORTAL_FANOUT_TIMEOUT = 1.5
    settings.IXPORTAL_GET_RETRIES = 0
    faults.inject("co8", "500", count=None)
    faults.set_latency("co9", 3000)
    yield ten_companies
    time.sleep(2)  # let co9's last sandbox request end before the database goes


def test_the_cockpit_shows_every_company_with_figures_the_sandbox_agrees_with(client, faulty):
    client.force_login(faulty.boss)

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    today = faulty.today
    for n in range(8):
        slug = f"co{n}"
        row = row_of(html, slug)
        want = expected_from_sandbox(slug, today)
        count, amount = want["overdue"]
        overdue = cell(row, "overdue")
        assert pt_money(amount) in overdue
        assert f"{count} document" in overdue
        assert f"oldest {want['oldest']} day" in overdue
        assert f'href="/c/{slug}/documents/?overdue=on"' in row
        count, amount = want["open"]
        assert pt_money(amount) in cell(row, "open") and f"{count} document" in cell(row, "open")
        assert f">{want['drafts']}</a>" in cell(row, "drafts")
        before, taxes, total = want["month"]
        month = cell(row, "month")
        assert f'data-total="total">{pt_money(total)}<' in month
        assert f'data-total="before_taxes">{pt_money(before)}<' in month
        assert f'data-total="taxes">{pt_money(taxes)}<' in month
        nd = cell(row, "nd")
        for serie in want["nd"]:
            assert serie in nd
        if not want["nd"]:
            assert "none" in nd
    # The failing company and the slow one show their own error, and only there.
    assert "could not be read" in row_of(html, "co8")
    assert 'data-figure="overdue"' not in row_of(html, "co8")
    slow = row_of(html, "co9")
    assert "No answer within 1.5 seconds" in slow and "alert-warning" in slow
    # The total adds up the eight that answered, and says two are missing.
    total_row = re.search(r'<tr class="table-light" data-company="">(.*?)</tr>', html, re.S)[1]
    wants = [expected_from_sandbox(f"co{n}", today) for n in range(8)]
    assert pt_money(sum((w["overdue"][1] for w in wants), Decimal(0))) in cell(total_row, "overdue")
    month_total = sum((w["month"][2] for w in wants), Decimal(0))
    assert f'data-total="total">{pt_money(month_total)}<' in cell(total_row, "month")
    assert "without 2 companies that could not be read" in total_row
    # Only the user's companies.
    assert "Hidden" not in html and 'data-company="hidden"' not in html


def test_the_figures_match_the_documents_list_they_link_to(client, ten_companies):
    """The month figure links to a list whose totals are the same figures."""
    client.force_login(ten_companies.boss)
    html = client.get("/").content.decode()
    row = row_of(html, "co3")
    link = re.search(r'data-figure="month">\s*<a href="([^"]+)"', row)[1].replace("&amp;", "&")
    totals = client.get(
        link.replace("/documents/?", "/documents/totals/?"), headers={"HX-Request": "true"}
    )
    month = cell(row, "month")
    for figure in ("before_taxes", "taxes", "total"):
        shown = re.search(rf'data-total="{figure}">([^<]+)<', month)[1]
        assert f'data-total="{figure}">{shown}<' in totals.content.decode()


def test_it_says_its_receivables_are_full_totals_and_leads_to_what_is_still_owed(client, ten_companies):  # fmt: skip
    """Partial payments and credit notes are not in the list InvoiceXpress gives: the cockpit
    says so and links to the receivables page, which nets them per client."""
    client.force_login(ten_companies.boss)
    html = client.get("/").content.decode()
    note = html[html.index('id="cockpit-gross-note"') :]
    note = note[: note.index("</p>")]
    assert "full totals, before partial payments and credit notes" in note
    assert 'href="/receivables/"' in note


def test_results_are_kept_in_the_shared_cache_until_refresh(client, ten_companies, upstream):
    client.force_login(ten_companies.boss)
    client.get("/")
    first_calls = len(upstream)
    assert first_calls >= 20  # two document reads per company, series once

    again = client.get("/")

    assert len(upstream) == first_calls  # nothing asked upstream again
    assert "as of" in again.content.decode()
    response = client.post("/cockpit/refresh/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert len(upstream) > first_calls


def test_the_background_refresh_waits_for_a_slow_company_the_page_gave_up_on(client, faulty):
    client.force_login(faulty.boss)
    assert "No answer within" in row_of(client.get("/").content.decode(), "co9")
    faults.clear("co8")

    results = refresh_cockpit()  # what the background job runs: every active company

    assert all(result.figures is not None for result in results.values())
    html = client.get("/").content.decode()  # from the cache, at once
    want = expected_from_sandbox("co9", faulty.today)
    assert pt_money(want["overdue"][1]) in cell(row_of(html, "co9"), "overdue")
    assert "without" not in html.split('data-company="">', 1)[1].split("</tr>", 1)[0]


def test_the_refresh_button_needs_post_and_login(client, ten_companies):
    assert client.get("/cockpit/refresh/").status_code in (302, 405)
    client.force_login(ten_companies.boss)
    assert client.get("/cockpit/refresh/").status_code == 405


def test_what_the_cockpit_asks_invoicexpress(client, live_company, upstream):
    """Never 'every final document': receipts and credit notes stay final forever."""
    today = timezone.localdate()
    client.force_login(live_company.viewer)

    client.get("/")

    lists = [call for call in upstream if call.path.endswith("/invoices.json")]
    by_status = {tuple(call.values("status[]")): call for call in lists}
    unpaid = by_status[("final", "sent")]
    assert unpaid.values("type[]") == ["Invoice", "VatMossInvoice", "DebitNote"]
    assert by_status[("draft",)].value("per_page") == "1"  # the count is in the pagination
    month = by_status[("final", "sent", "settled")]
    assert month.value("date[from]") == today.replace(day=1).strftime("%d/%m/%Y")
    assert len(lists) == 3
