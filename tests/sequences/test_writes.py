"""Registering a series and making it the default, against the sandbox, in place and without JS.

`live_company` is the tenancy cast with "acme" served by the sandbox over real HTTP; the
sandbox starts every account with one registered default series named after the year.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from invoices.models import AuditEntry
from sandbox import faults
from sandbox.models import SandboxSequence
from tests.sequences.helpers import (
    HTMX,
    LIST,
    card,
    code_of,
    default_series,
    only_audit_entry,
    register_url,
    row,
    sandbox_series,
    set_default_url,
)

CONFIRM = {"confirm_registration": "on"}


@pytest.fixture
def live(live_company, client):
    client.force_login(live_company.manager)
    live_company.client = client
    return live_company


# ---- register -------------------------------------------------------------------------


def test_registering_updates_the_list_in_place(live):
    series = sandbox_series(live, "P", registered=False)
    live.client.get(LIST)  # cached as N/D
    response = live.client.post(register_url(series), CONFIRM, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="sequence-table"')
    code = code_of(series, "invoice")
    assert code != "N/D"
    invoice = row(card(html, series.pk), "invoice")
    assert code in invoice
    assert 'data-status="registered"' in invoice
    assert "Series “P” registered with the Tax Authority." in html
    entry = only_audit_entry("sequence.register")
    assert (entry.outcome, entry.target) == ("ok", "P")
    assert code in entry.text


def test_registering_without_js_redirects_to_the_list(live):
    series = sandbox_series(live, "Q", registered=False)
    response = live.client.post(register_url(series), CONFIRM, follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    html = response.content.decode()
    assert "Series “Q” registered with the Tax Authority." in html
    assert code_of(series, "invoice") in card(html, series.pk)


def test_registering_with_invalid_credentials_says_where_to_fix_them(live):
    series = sandbox_series(live, "R", registered=False)
    live.sandbox.has_at_credentials = False
    live.sandbox.save(update_fields=["has_at_credentials"])
    html = live.client.post(register_url(series), CONFIRM, headers=HTMX).content.decode()
    assert "(code 004)" in html
    assert "Definições &gt; Comunicação à AT" in html
    assert 'data-status="not_registered"' in card(html, series.pk)
    assert only_audit_entry("sequence.register").outcome == "failed"


def test_registering_without_open_activity_is_code_005(live):
    series = sandbox_series(live, "S", registered=False)
    live.sandbox.has_open_activity = False
    live.sandbox.save(update_fields=["has_open_activity"])
    html = live.client.post(register_url(series), CONFIRM, headers=HTMX).content.decode()
    assert "(code 005)" in html
    assert only_audit_entry("sequence.register").outcome == "failed"


def test_registering_an_unknown_error_is_code_000(live):
    series = sandbox_series(live, "T", registered=False)
    faults.inject("acme", "sequence_000")
    html = live.client.post(register_url(series), CONFIRM, headers=HTMX).content.decode()
    assert "unknown error (code 000)" in html
    assert only_audit_entry("sequence.register").outcome == "failed"


def test_registering_a_series_being_registered_shows_it_in_progress(live):
    series = SandboxSequence.objects.create_with_counters(
        account=live.sandbox,
        serie="U",
        registering_until=timezone.now() + dt.timedelta(minutes=5),
    )
    html = live.client.post(register_url(series), CONFIRM, headers=HTMX).content.decode()
    notice = re.search(r'<div[^>]*id="sequence-notice".*?</div>\s*</div>', html, re.DOTALL)
    assert notice and "alert-info" in notice.group(0)
    assert "already being registered" in notice.group(0)
    assert "?refresh=1" in notice.group(0) and "Check again" in notice.group(0)
    assert "Do not create it again under another name" in notice.group(0)
    assert "If after an hour it still does not appear" in notice.group(0)
    assert only_audit_entry("sequence.register").outcome == "failed"


def test_registering_without_ticking_cannot_be_undone_registers_nothing(live):
    series = sandbox_series(live, "Q", registered=False)
    live.client.get(LIST)
    html = live.client.post(register_url(series), headers=HTMX).content.decode()
    assert "Series “Q” was not registered: tick “I understand this cannot be undone” first." in html
    assert code_of(series, "invoice") == "N/D"
    assert not AuditEntry.objects.exists()


def test_the_list_asks_to_confirm_that_registering_cannot_be_undone(live):
    series = sandbox_series(live, "R", registered=False)
    html = live.client.get(LIST).content.decode()
    form = re.search(r'<form[^>]*class="[^"]*register-form.*?</form>', card(html, series.pk), re.S)
    assert 'name="confirm_registration"' in form[0] and " required" in form[0]
    assert "I understand this cannot be undone" in form[0]


def test_registering_a_series_of_another_company_is_refused_without_asking(live):
    other = live.sandbox.__class__.objects.create(account_name="other", api_key="other-key")
    foreign = SandboxSequence.objects.filter(account=other).get()
    html = live.client.post(register_url(foreign), CONFIRM, headers=HTMX).content.decode()
    assert "This company has no such series." in html
    assert not AuditEntry.objects.exists()


# ---- set default ----------------------------------------------------------------------


def test_setting_the_default_updates_the_list_in_place(live):
    old = default_series(live)
    series = sandbox_series(live, "V")
    live.client.get(LIST)
    response = live.client.post(set_default_url(series), headers=HTMX)
    html = response.content.decode()
    assert 'data-default="true"' in card(html, series.pk)
    assert 'data-default="false"' in card(html, old.pk)
    assert html.index(f'id="series-{series.pk}"') < html.index(f'id="series-{old.pk}"')
    assert "Series “V” is now the default series." in html
    assert default_series(live).pk == series.pk
    entry = only_audit_entry("sequence.set_default")
    assert (entry.outcome, entry.target) == ("ok", "V")


def test_making_an_unregistered_series_the_default_says_it_must_be_registered(live):
    series = sandbox_series(live, "ND", registered=False)
    live.client.get(LIST)
    html = live.client.post(set_default_url(series), headers=HTMX).content.decode()
    notice = re.search(r'<div[^>]*id="sequence-notice".*?</div>\s*</div>', html, re.DOTALL)
    assert notice and "alert-warning" in notice.group(0)
    text = notice.group(0)
    assert "Series “ND” is now the default series." in text
    assert "It is not registered with the Tax Authority (N/D)" in text
    assert "register it with its Register button before documents on it can be finalized" in text
    # Nothing registers it by itself: no "refresh in a few minutes", no Refresh button.
    assert "in a few minutes" not in text and "?refresh=1" not in text
    assert default_series(live).pk == series.pk
    assert only_audit_entry("sequence.set_default").outcome == "ok"


def test_setting_the_default_without_js_redirects_to_the_list(live):
    series = sandbox_series(live, "W")
    response = live.client.post(set_default_url(series), follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert "Series “W” is now the default series." in response.content.decode()
    assert default_series(live).pk == series.pk


def test_a_failed_set_default_is_shown_and_audited(live):
    series = sandbox_series(live, "X")
    live.client.get(LIST)
    faults.inject("acme", "503", path_prefix=f"sequences/{series.pk}/set_current.json")
    html = live.client.post(set_default_url(series), headers=HTMX).content.decode()
    assert "having problems (HTTP 503)" in html
    assert "alert-danger" in html
    assert only_audit_entry("sequence.set_default").outcome == "unknown"
