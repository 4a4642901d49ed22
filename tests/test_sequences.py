"""Sequences against the sandbox: the list with its ATCUD states, create with every
documented answer, register, set default, the cache, the audit log and the overview.

`live_company` is the tenancy cast with "acme" served by the sandbox over real HTTP; the
sandbox starts every account with one registered default series named after the year.
"""

import datetime as dt
import re
import time

import pytest
from django.core.cache import cache
from django.utils import timezone

from invoices import forms_sequences
from invoices.invoicexpress import shared_session
from invoices.models import Account, AuditEntry, Membership, Role
from sandbox import faults
from sandbox.models import SandboxSequence, SandboxSequenceCounter

HTMX = {"HX-Request": "true"}
LIST = "/c/acme/sequences/"
CREATE = "/c/acme/sequences/new/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def hang_up():
    yield
    # Close the client's kept-alive connections to live_server while the test database is
    # still there; otherwise the server's request thread closes them at shutdown, from
    # another thread, and SQLite's shared test connection complains.
    shared_session().close()


@pytest.fixture
def live(live_company, client):
    client.force_login(live_company.manager)
    live_company.client = client
    return live_company


def sandbox_series(live, serie: str, *, registered: bool = True, default: bool = False):
    return SandboxSequence.objects.create_with_counters(
        account=live.sandbox, serie=serie, is_default=default, registered=registered
    )


def code_of(sequence: SandboxSequence, kind: str) -> str:
    return sequence.counters.get(kind=kind).validation_code


def default_series(live) -> SandboxSequence:
    return SandboxSequence.objects.get(account=live.sandbox, is_default=True)


def card(html: str, sequence_id: int) -> str:
    """The HTML of one series' card on the list."""
    match = re.search(
        rf'<section[^>]*id="series-{sequence_id}".*?</section>', html, flags=re.DOTALL
    )
    assert match, f"no card for series {sequence_id}"
    return match.group(0)


def row(html: str, type_key: str) -> str:
    match = re.search(rf'<tr[^>]*data-type="{type_key}".*?</tr>', html, flags=re.DOTALL)
    assert match, f"no row for {type_key}"
    return match.group(0)


def only_audit_entry(action: str) -> AuditEntry:
    entry = AuditEntry.objects.get()
    assert entry.action == action
    return entry


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


# ---- create ---------------------------------------------------------------------------


def test_creating_shows_the_new_series_with_its_validation_codes(live):
    live.client.get(LIST)  # fill the cache: the create must drop it
    response = live.client.post(CREATE, {"serie": "B2027"}, headers=HTMX)
    assert response.status_code == 200
    created = SandboxSequence.objects.get(account=live.sandbox, serie="B2027")
    html = response.content.decode()
    assert 'id="sequence-created"' in html
    assert code_of(created, "invoice") in html
    assert f"{code_of(created, 'invoice')}-1" in html
    assert code_of(created, "credit_note") in html
    assert "sequencesChanged" in response["HX-Trigger"]
    assert not created.is_default
    assert b"B2027" in live.client.get(LIST).content  # the cache was dropped
    entry = only_audit_entry("sequence.create")
    assert (entry.outcome, entry.target, entry.username) == ("ok", "B2027", "manager")
    assert code_of(created, "invoice") in entry.detail


def test_creating_can_make_the_new_series_the_default(live):
    old = default_series(live)
    live.client.post(CREATE, {"serie": "C", "make_default": "on"}, headers=HTMX)
    assert default_series(live).serie == "C"
    old.refresh_from_db()
    assert not old.is_default


def test_creating_without_js_redirects_to_the_list_showing_the_new_series(live):
    response = live.client.post(CREATE, {"serie": "D"}, follow=True)
    created = SandboxSequence.objects.get(account=live.sandbox, serie="D")
    assert response.redirect_chain == [(f"{LIST}?created={created.pk}", 302)]
    html = response.content.decode()
    assert "Series “D” created." in html
    assert "New" in card(html, created.pk)


def test_the_create_form_checks_the_cached_names_before_asking(live):
    live.client.get(LIST)
    year = default_series(live).serie
    response = live.client.post(CREATE, {"serie": year}, headers=HTMX)
    assert "already has a series" in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_a_name_that_already_exists_upstream_is_code_002(live):
    live.client.get(LIST)  # the cache does not know the next one
    sandbox_series(live, "E")
    response = live.client.post(CREATE, {"serie": "e"}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "already exists in this company (code 002)" in html
    assert "is-invalid" in html
    entry = only_audit_entry("sequence.create")
    assert entry.outcome == "failed"
    assert "002" in entry.detail


def test_a_name_the_service_does_not_allow_is_code_001(live, monkeypatch):
    # The local rule is the sandbox's, so only a looser local rule lets such a name through.
    monkeypatch.setattr(forms_sequences, "_SERIE_NAME_RE", re.compile(r"^.+$"))
    response = live.client.post(CREATE, {"serie": "A/B"}, headers=HTMX)
    html = response.content.decode()
    assert "does not allow the series name “A/B” (code 001)" in html
    assert only_audit_entry("sequence.create").outcome == "failed"


def test_invalid_tax_authority_credentials_are_code_004_and_say_where_to_fix_them(live):
    live.sandbox.has_at_credentials = False
    live.sandbox.save(update_fields=["has_at_credentials"])
    response = live.client.post(CREATE, {"serie": "F"}, headers=HTMX)
    html = response.content.decode()
    assert "(code 004)" in html
    assert "Definições &gt; Comunicação à AT" in html
    assert "Settings &gt; Tax Authority communication" in html
    assert not SandboxSequence.objects.filter(serie="F").exists()
    assert only_audit_entry("sequence.create").outcome == "failed"


def test_a_fiscal_id_without_open_activity_is_code_005(live):
    live.sandbox.has_open_activity = False
    live.sandbox.save(update_fields=["has_open_activity"])
    response = live.client.post(CREATE, {"serie": "G"}, headers=HTMX)
    assert "no open activity at the Tax Authority (code 005)" in response.content.decode()
    assert only_audit_entry("sequence.create").outcome == "failed"


def test_an_unknown_error_is_code_000(live):
    faults.inject("acme", "sequence_000")
    response = live.client.post(CREATE, {"serie": "H"}, headers=HTMX)
    assert "unknown error (code 000)" in response.content.decode()
    assert only_audit_entry("sequence.create").outcome == "failed"


def test_a_wrong_api_key_is_401(live):
    live.sandbox.api_key = "another-key"
    live.sandbox.save(update_fields=["api_key"])
    response = live.client.post(CREATE, {"serie": "I"}, headers=HTMX)
    html = response.content.decode()
    assert "refused this company&#x27;s API key (401)" in html
    assert "acme-key" not in html
    assert only_audit_entry("sequence.create").outcome == "failed"


@pytest.mark.parametrize(
    ("mode", "says", "outcome"),
    [
        ("429", "limiting requests for this company (429)", "failed"),
        ("500", "having problems (HTTP 500)", "unknown"),
        ("503", "having problems (HTTP 503)", "unknown"),
        ("html", "a web page instead of data", "unknown"),
    ],
)
def test_other_failures_show_their_typed_message(live, mode, says, outcome):
    # 429 is retried by the client: make it last longer than the retries.
    faults.inject("acme", mode, count=None, path_prefix="sequences.json")
    response = live.client.post(CREATE, {"serie": "J"}, headers=HTMX)
    assert response.status_code == 200
    assert says in response.content.decode()
    assert only_audit_entry("sequence.create").outcome == outcome


def test_a_timeout_is_unknown_and_says_to_look_before_retrying(live, settings):
    settings.IXPORTAL_READ_TIMEOUT = 0.5
    live.client.get(LIST)  # the create form's name check is then served from the cache
    faults.inject("acme", "timeout", path_prefix="sequences.json", timeout_seconds=1)
    response = live.client.post(CREATE, {"serie": "K"}, headers=HTMX)
    html = response.content.decode()
    assert "did not answer in time" in html
    assert "Refresh the list to see whether the change was made" in html
    assert only_audit_entry("sequence.create").outcome == "unknown"
    # And it was made: the sandbox answers after the client gave up, like the service may.
    # (Waiting also lets the sandbox's request finish before the test database goes.)
    assert wait_for(lambda: SandboxSequence.objects.filter(serie="K").exists())
    assert b"K</span>" in live.client.get(LIST).content  # the failure dropped the cache


def wait_for(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_refused_connection_shows_its_typed_message(live):
    Account.objects.filter(pk=live.account.pk).update(base_url="http://127.0.0.1:9")
    response = live.client.post(CREATE, {"serie": "L"}, headers=HTMX)
    assert "cannot be reached (connection failed)" in response.content.decode()


def test_a_series_the_service_finds_invalid_is_code_003(live, monkeypatch):
    # The form never sends an empty name; loosen it to see the service's own answer.
    monkeypatch.setattr(forms_sequences, "_SERIE_NAME_RE", re.compile(r"^.*$"))
    monkeypatch.setattr(forms_sequences.SequenceCreateForm.base_fields["serie"], "required", False)
    response = live.client.post(CREATE, {"serie": ""}, headers=HTMX)
    html = response.content.decode()
    assert "considers the series “” invalid (code 003)" in html
    assert only_audit_entry("sequence.create").outcome == "failed"


def test_a_series_still_being_registered_is_409_006_shown_in_progress(live):
    live.client.get(LIST)  # cached before the series appears, so only the service knows
    SandboxSequence.objects.create_with_counters(
        account=live.sandbox,
        serie="M",
        registered=True,
        registering_until=timezone.now() + dt.timedelta(minutes=5),
    )
    response = live.client.post(CREATE, {"serie": "M"}, headers=HTMX)
    html = response.content.decode()
    assert 'id="sequence-in-progress"' in html
    assert "already being registered with the Tax Authority" in html
    assert f'hx-get="{LIST}?refresh=1"' in html  # the refresh button
    assert "is-invalid" not in html
    assert "sequencesChanged" in response["HX-Trigger"]
    entry = only_audit_entry("sequence.create")
    assert (entry.outcome, entry.target) == ("failed", "M")


def test_a_new_series_the_tax_authority_is_still_registering_is_flagged(live):
    live.sandbox.sequence_registering_seconds = 300
    live.sandbox.save(update_fields=["sequence_registering_seconds"])
    response = live.client.post(CREATE, {"serie": "N"}, headers=HTMX)
    html = response.content.decode()
    assert "alert-warning" in html
    assert "It is not registered with the Tax Authority yet (N/D)" in html
    assert "register it with its Register button" in html
    assert "refresh in a few minutes" not in html.lower()
    assert 'data-status="not_registered"' in html
    assert only_audit_entry("sequence.create").outcome == "ok"


# ---- register -------------------------------------------------------------------------


def register_url(sequence) -> str:
    return f"/c/acme/sequences/{sequence.pk}/register/"


def set_default_url(sequence) -> str:
    return f"/c/acme/sequences/{sequence.pk}/set-default/"


def test_registering_updates_the_list_in_place(live):
    series = sandbox_series(live, "P", registered=False)
    live.client.get(LIST)  # cached as N/D
    response = live.client.post(register_url(series), headers=HTMX)
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
    assert code in entry.detail


def test_registering_without_js_redirects_to_the_list(live):
    series = sandbox_series(live, "Q", registered=False)
    response = live.client.post(register_url(series), follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    html = response.content.decode()
    assert "Series “Q” registered with the Tax Authority." in html
    assert code_of(series, "invoice") in card(html, series.pk)


def test_registering_with_invalid_credentials_says_where_to_fix_them(live):
    series = sandbox_series(live, "R", registered=False)
    live.sandbox.has_at_credentials = False
    live.sandbox.save(update_fields=["has_at_credentials"])
    html = live.client.post(register_url(series), headers=HTMX).content.decode()
    assert "(code 004)" in html
    assert "Definições &gt; Comunicação à AT" in html
    assert 'data-status="not_registered"' in card(html, series.pk)
    assert only_audit_entry("sequence.register").outcome == "failed"


def test_registering_without_open_activity_is_code_005(live):
    series = sandbox_series(live, "S", registered=False)
    live.sandbox.has_open_activity = False
    live.sandbox.save(update_fields=["has_open_activity"])
    html = live.client.post(register_url(series), headers=HTMX).content.decode()
    assert "(code 005)" in html
    assert only_audit_entry("sequence.register").outcome == "failed"


def test_registering_an_unknown_error_is_code_000(live):
    series = sandbox_series(live, "T", registered=False)
    faults.inject("acme", "sequence_000")
    html = live.client.post(register_url(series), headers=HTMX).content.decode()
    assert "unknown error (code 000)" in html
    assert only_audit_entry("sequence.register").outcome == "failed"


def test_registering_a_series_being_registered_shows_it_in_progress(live):
    series = SandboxSequence.objects.create_with_counters(
        account=live.sandbox,
        serie="U",
        registering_until=timezone.now() + dt.timedelta(minutes=5),
    )
    html = live.client.post(register_url(series), headers=HTMX).content.decode()
    notice = re.search(r'<div[^>]*id="sequence-notice".*?</div>\s*</div>', html, re.DOTALL)
    assert notice and "alert-info" in notice.group(0)
    assert "already being registered" in notice.group(0)
    assert "?refresh=1" in notice.group(0)
    assert only_audit_entry("sequence.register").outcome == "failed"


def test_registering_a_series_of_another_company_is_refused_without_asking(live):
    other = live.sandbox.__class__.objects.create(account_name="other", api_key="other-key")
    foreign = SandboxSequence.objects.filter(account=other).get()
    html = live.client.post(register_url(foreign), headers=HTMX).content.decode()
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
