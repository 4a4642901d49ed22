"""Sequences against the sandbox: the list with its ATCUD states, the cache, and the page across companies.

`live_company` is the tenancy cast with "acme" served by the sandbox over real HTTP; the
sandbox starts every account with one registered default series named after the year.
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine

from invoices.models import Membership, Role
from sandbox.models import SandboxSequence, SandboxSequenceCounter
from tests.sequences.helpers import (
    HTMX,
    LIST,
    card,
    code_of,
    default_series,
    row,
    sandbox_series,
)


@pytest.fixture
def live(live_company, client):
    client.force_login(live_company.manager)
    live_company.client = client
    return live_company


# ---- the list -------------------------------------------------------------------------


def test_it_lists_the_default_series_with_its_validation_codes(live):
    series = default_series(live)
    response = live.client.get(LIST)
    assert response.status_code == 200
    html = card(response.content.decode(), series.pk)
    assert f">{series.serie}<" in html
    assert "Default" in html
    invoice = row(html, "invoice")
    code = code_of(series, "invoice")
    assert code in invoice
    assert f"{code}-1" in invoice  # nothing issued yet: the next ATCUD is number 1
    assert 'data-status="registered"' in invoice
    assert "Registered" in invoice


def test_it_shows_the_invoicing_types_first_and_folds_the_others(live):
    html = card(live.client.get(LIST).content.decode(), default_series(live).pk)
    types = re.findall(r'data-type="([a-z_]+)"', html)
    assert types[:6] == [
        "invoice",
        "invoice_receipt",
        "simplified_invoice",
        "credit_note",
        "debit_note",
        "receipt",
    ]
    folded = html.split("<details", 1)[1]
    assert 'data-type="shipping"' in folded
    assert 'data-type="invoice"' not in folded


def test_the_next_atcud_follows_the_current_number(live):
    series = default_series(live)
    SandboxSequenceCounter.objects.filter(sequence=series, kind="invoice").update(number=27)
    html = card(live.client.get(LIST).content.decode(), series.pk)
    invoice = row(html, "invoice")
    assert ">27<" in invoice
    assert f"{code_of(series, 'invoice')}-28" in invoice


def test_it_says_not_applicable_for_types_without_atcud(live):
    html = card(live.client.get(LIST).content.decode(), default_series(live).pk)
    fees = row(html, "fees_note")
    assert "N/A" in fees
    assert 'data-status="not_applicable"' in fees
    assert "Not applicable" in fees


def test_it_flags_a_series_that_is_relevant_but_not_registered(live):
    series = sandbox_series(live, "B", registered=False)
    html = card(live.client.get(LIST).content.decode(), series.pk)
    invoice = row(html, "invoice")
    assert "N/D" in invoice
    assert 'data-status="not_registered"' in invoice
    assert "Relevant but not registered" in invoice
    assert "will be refused" in invoice
    assert "border-danger" in html
    assert "Register with the Tax Authority" in html
    # not registered: no ATCUD can be given
    assert "N/D-" not in invoice


def test_a_viewer_sees_the_states_but_no_buttons(live):
    series = sandbox_series(live, "B", registered=False)
    live.client.force_login(live.viewer)
    response = live.client.get(LIST)
    html = card(response.content.decode(), series.pk)
    assert "Relevant but not registered" in html
    assert "Register with the Tax Authority" not in html
    assert "Make default" not in html
    assert b'id="sequence-form"' not in response.content


def test_the_list_answers_htmx_with_the_table_only(live):
    response = live.client.get(LIST, headers=HTMX)
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert response.content.decode().lstrip().startswith('<div id="sequence-table"')


# ---- the cache ------------------------------------------------------------------------


def test_the_list_is_cached_until_refreshed(live):
    live.client.get(LIST)
    sandbox_series(live, "LATER")
    assert b"LATER" not in live.client.get(LIST).content
    refreshed = live.client.get(f"{LIST}?refresh=1", headers=HTMX)
    assert b"LATER" in refreshed.content
    assert b"LATER" in live.client.get(LIST).content  # and the cache holds the fresh list


def test_the_overview_uses_the_same_cache(live):
    live.client.get(LIST)
    sandbox_series(live, "LATER", registered=False)
    assert b"LATER" not in live.client.get("/sequences/").content
    assert b"LATER" in live.client.get("/sequences/?refresh=1").content


# ---- across companies -----------------------------------------------------------------


def test_the_overview_shows_each_default_series_and_every_nd_problem(live):
    series = default_series(live)
    sandbox_series(live, "Y", registered=False)
    html = live.client.get("/sequences/").content.decode()
    acme = re.search(r'<tr id="company-acme".*?</tr>', html, re.DOTALL).group(0)
    assert 'data-can-invoice="yes"' in acme
    assert series.serie in acme
    assert f"{code_of(series, 'invoice')}-1" in acme
    assert ">Y<" in acme and "N/D" in acme  # a problem, not a blocker


def test_the_overview_says_which_company_cannot_invoice(live):
    SandboxSequence.objects.filter(account=live.sandbox).delete()
    sandbox_series(live, "Z", registered=False, default=True)
    html = live.client.get("/sequences/").content.decode()
    assert 'id="overview-blocked"' in html
    acme = re.search(r'<tr id="company-acme".*?</tr>', html, re.DOTALL).group(0)
    assert 'data-can-invoice="no"' in acme
    assert "Cannot invoice" in acme


def test_the_overview_shows_one_companys_failure_on_its_row_only(live):
    # The manager also manages globex, whose InvoiceXpress cannot be reached.
    Membership.objects.create(user=live.manager, account=live.other_account, role=Role.MANAGER)
    html = live.client.get("/sequences/").content.decode()
    globex = re.search(r'<tr id="company-globex".*?</tr>', html, re.DOTALL).group(0)
    acme = re.search(r'<tr id="company-acme".*?</tr>', html, re.DOTALL).group(0)
    assert 'data-can-invoice="unknown"' in globex
    assert "cannot be reached" in globex
    assert 'data-can-invoice="yes"' in acme
    assert 'id="overview-unknown"' in html


# ---- InvoiceXpress failing: the last good list, saying how old it is -----------------------


@time_machine.travel(dt.datetime(2026, 3, 2, 9, 41, 5, tzinfo=ZoneInfo("Europe/Lisbon")))
def test_under_a_500_the_cached_series_say_as_of_when(live, fast_failures):
    from sandbox import faults

    live.client.get(LIST)  # the last good answer, at 09:41 Lisbon time
    faults.inject("acme", "500", count=None, path_prefix="sequences.json")
    for url in (f"{LIST}?refresh=1", "/sequences/?refresh=1"):
        html = live.client.get(url).content.decode()
        assert "as of 09:41" in html, url
        assert "HTTP 500" in html or "500" in html
    page = live.client.get(f"{LIST}?refresh=1", headers=HTMX).content.decode()
    assert 'id="sequence-stale"' in page and 'id="sequence-load-error"' not in page
    assert "2026" in page  # the series themselves are still listed


def test_with_nothing_cached_a_500_is_an_error_without_series(live, fast_failures):
    from sandbox import faults

    faults.inject("acme", "500", count=None, path_prefix="sequences.json")
    html = live.client.get(LIST, headers=HTMX).content.decode()
    assert 'id="sequence-load-error"' in html and "as of" not in html
