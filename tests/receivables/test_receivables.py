"""Receivables by client over the live sandbox: aging, paid, pending, delay, statements, CSV."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from invoices.formatting import pt_money
from sandbox import faults
from tests.documents.helpers import make_document

URL = "/c/acme/receivables/"
DAY = dt.timedelta(days=1)


def doc_for(client, sandbox, **fields):
    """A sandbox document of `client` (make_document makes a client per document)."""
    doc = make_document(sandbox, **fields)
    orphan = doc.client
    doc.client = client
    doc.save(update_fields=["client"])
    orphan.delete()
    return doc


def owned(doc, owner):
    doc.owner = owner
    doc.save(update_fields=["owner"])
    return doc


@pytest.fixture
def ledger(live_company):
    from sandbox.models import SandboxClient

    sandbox = live_company.sandbox
    today = timezone.localdate()
    alfa = SandboxClient.objects.create(
        account=sandbox, name="Cliente Alfa", fiscal_id="508025338", country="Portugal"
    )
    beta = SandboxClient.objects.create(account=sandbox, name="Cliente Beta", country="Portugal")
    n = iter(range(1, 100))
    d = {}
    d["old"] = doc_for(
        alfa,
        sandbox,
        number=next(n),
        date=today - 130 * DAY,
        due_date=today - 100 * DAY,
        before_taxes="200.00",
    )
    d["old_note"] = owned(
        doc_for(
            alfa,
            sandbox,
            doc_type="CreditNote",
            number=next(n),
            date=today - 120 * DAY,
            before_taxes="20.00",
        ),
        d["old"],
    )
    d["partly"] = doc_for(
        alfa,
        sandbox,
        number=next(n),
        date=today - 50 * DAY,
        due_date=today - 45 * DAY,
        before_taxes="100.00",
    )
    d["partly_paid"] = owned(
        doc_for(
            alfa,
            sandbox,
            doc_type="Receipt",
            number=next(n),
            date=today - 10 * DAY,
            before_taxes="18.70",
        ),
        d["partly"],
    )
    d["fresh"] = doc_for(
        alfa,
        sandbox,
        number=next(n),
        date=today - 5 * DAY,
        due_date=today + 10 * DAY,
        before_taxes="200.00",
    )
    d["paid"] = doc_for(
        alfa,
        sandbox,
        status="settled",
        number=next(n),
        date=today - 30 * DAY,
        due_date=today - 20 * DAY,
        before_taxes="50.00",
    )
    d["paid_receipt"] = owned(
        doc_for(
            alfa,
            sandbox,
            doc_type="Receipt",
            number=next(n),
            date=today - 15 * DAY,
            before_taxes="50.00",
        ),
        d["paid"],
    )
    d["beta_paid"] = doc_for(
        beta,
        sandbox,
        status="settled",
        number=next(n),
        date=today - 60 * DAY,
        due_date=today - 30 * DAY,
        before_taxes="10.00",
    )
    d["beta_receipt"] = owned(
        doc_for(
            beta,
            sandbox,
            doc_type="Receipt",
            number=next(n),
            date=today - 40 * DAY,
            before_taxes="10.00",
        ),
        d["beta_paid"],
    )
    d["canceled"] = doc_for(
        alfa, sandbox, status="canceled", number=next(n), date=today - 5 * DAY, before_taxes="999"
    )
    live_company.today, live_company.docs, live_company.alfa, live_company.beta = (
        today,
        d,
        alfa,
        beta,
    )
    return live_company


def client_row(html: str, client_id: int) -> str:
    return re.search(rf'<tr data-client="{client_id}">(.*?)\n    </tr>', html, re.S)[1]


def figure(row: str, name: str) -> str:
    return re.search(rf'data-(?:figure|bucket)="{name}">(.*?)</td>', row, re.S)[1].strip()


def test_aging_paid_pending_and_delay_by_client(client, ledger):
    d = ledger.docs
    client.force_login(ledger.viewer)

    html = client.get(URL).content.decode()

    row = client_row(html, ledger.alfa.pk)
    pending_old = d["old"].total - d["old_note"].total
    pending_partly = d["partly"].total - d["partly_paid"].total
    assert figure(row, "over_90") == pt_money(pending_old)
    assert figure(row, "d31_60") == pt_money(pending_partly)
    assert figure(row, "not_due") == pt_money(d["fresh"].total)
    assert "—" in figure(row, "d1_30") and "—" in figure(row, "d61_90")
    assert figure(row, "pending") == pt_money(pending_old + pending_partly + d["fresh"].total)
    assert figure(row, "paid") == pt_money(d["partly_paid"].total + d["paid"].total)
    assert figure(row, "total") == pt_money(
        sum(d[k].total for k in ("old", "partly", "fresh", "paid"))
    )
    assert figure(row, "delay") == "5,0 days"  # paid 5 days after its due date
    assert "FT 2025/" in row and "days late" in row
    beta = client_row(html, ledger.beta.pk)
    assert figure(beta, "delay") == "-10,0 days"  # paid 10 days early
    assert figure(beta, "pending") == pt_money(Decimal("0"))
    assert f"/c/acme/receivables/statement/?client={ledger.alfa.pk}" in row


def test_a_client_statement_with_a_running_balance(client, ledger):
    d, today = ledger.docs, ledger.today
    start = today - 60 * DAY
    client.force_login(ledger.viewer)

    response = client.get(
        URL + "statement/",
        {
            "client": ledger.alfa.pk,
            "date_from": start.strftime("%d/%m/%Y"),
            "date_to": today.strftime("%d/%m/%Y"),
        },
    )

    html = response.content.decode()
    opening = d["old"].total - d["old_note"].total
    assert re.search(r'data-figure="opening">([^<]+)<', html)[1] == pt_money(opening)
    balances = re.findall(r"<td class=\"num\" data-balance>([^<]+)<", html)
    # In date order: +partly (50 days ago), +paid (30), -its receipt (15), -partial payment
    # (10), +fresh (5).
    running, balance = [], opening
    for key, sign in (
        ("partly", 1),
        ("paid", 1),
        ("paid_receipt", -1),
        ("partly_paid", -1),
        ("fresh", 1),
    ):
        balance += sign * d[key].total
        running.append(balance)
    assert balances == [pt_money(v) for v in running]
    assert re.search(r'data-figure="closing">([^<]+)<', html)[1] == pt_money(running[-1])
    assert "999" not in html  # canceled: not a movement


def test_the_statement_as_a_csv_for_portuguese_excel(client, ledger):
    d = ledger.docs
    client.force_login(ledger.viewer)

    response = client.get(
        URL + "statement.csv", {"client": ledger.alfa.pk, "date_from": "01/01/2000"}
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text.splitlines()
    assert lines[2].split(";")[:2] == ["Date", "Document"]
    assert lines[3].split(";")[1:] == ["Opening balance", "", "", "", "", "0,00"]
    closing = (
        d["old"].total
        - d["old_note"].total
        + d["partly"].total
        - d["partly_paid"].total
        + d["fresh"].total
    )
    assert lines[-1].split(";")[-1] == f"{closing:.2f}".replace(".", ",")


def test_a_bad_period_is_a_clear_error(client, ledger):
    client.force_login(ledger.viewer)
    response = client.get(
        URL + "statement/",
        {"client": ledger.alfa.pk, "date_from": "31/12/2030", "date_to": "01/01/2030"},
    )
    assert response.status_code == 200
    assert "must not be before" in response.content.decode()


def test_receivables_across_companies_with_one_failing(client, two_live_companies, settings):
    settings.IXPORTAL_GET_RETRIES = 0
    w = two_live_companies
    today = timezone.localdate()
    doc = make_document(w.sandbox, number=1, date=today - 40 * DAY, due_date=today - 35 * DAY)
    faults.inject("beta", "500", count=None)
    client.force_login(w.manager)

    html = client.get("/receivables/").content.decode()

    acme = re.search(r'<tr data-company="acme">(.*?)</tr>', html, re.S)[1]
    assert figure(acme, "d31_60") == pt_money(doc.total)
    assert "Beta, Lda. could not be read" in html


def test_receivables_are_for_members_only(client, ledger):
    client.force_login(ledger.outsider)
    assert client.get(URL).status_code == 404
    assert client.get(URL + "statement/", {"client": ledger.alfa.pk}).status_code == 404
    assert client.get(URL + "statement.csv", {"client": ledger.alfa.pk}).status_code == 404
    html = client.get("/receivables/").content.decode()
    assert "Acme" not in html and "Cliente Alfa" not in html
