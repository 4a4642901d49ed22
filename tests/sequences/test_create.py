"""Creating a series against the sandbox: every documented answer (201, 401, 409/006, 422/001-005, 000) and the other failures.

`live_company` is the tenancy cast with "acme" served by the sandbox over real HTTP; the
sandbox starts every account with one registered default series named after the year.
"""

import datetime as dt
import re
import time

import pytest
from django.utils import timezone

from invoices.models import Account, AuditEntry
from invoices.sequences import forms as forms_sequences
from sandbox import faults
from sandbox.models import SandboxSequence
from tests.lifecycle.helpers import wait_for
from tests.sequences.helpers import (
    CREATE,
    HTMX,
    LIST,
    card,
    code_of,
    default_series,
    only_audit_entry,
    sandbox_series,
)


@pytest.fixture
def live(live_company, client):
    client.force_login(live_company.manager)
    live_company.client = client
    return live_company


# ---- create ---------------------------------------------------------------------------


def test_creating_shows_the_new_series_with_its_validation_codes(live):
    live.client.get(LIST)  # fill the cache: the create must drop it
    response = live.client.post(
        CREATE, {"confirm_registration": "on", "serie": "B2027"}, headers=HTMX
    )
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
    assert code_of(created, "invoice") in entry.text


def test_creating_can_make_the_new_series_the_default(live):
    old = default_series(live)
    live.client.post(
        CREATE, {"confirm_registration": "on", "serie": "C", "make_default": "on"}, headers=HTMX
    )
    assert default_series(live).serie == "C"
    old.refresh_from_db()
    assert not old.is_default


def test_creating_without_js_redirects_to_the_list_showing_the_new_series(live):
    response = live.client.post(CREATE, {"confirm_registration": "on", "serie": "D"}, follow=True)
    created = SandboxSequence.objects.get(account=live.sandbox, serie="D")
    assert response.redirect_chain == [(f"{LIST}?created={created.pk}", 302)]
    html = response.content.decode()
    assert "Series “D” created." in html
    assert "New" in card(html, created.pk)


def test_the_create_form_checks_the_cached_names_before_asking(live):
    live.client.get(LIST)
    year = default_series(live).serie
    response = live.client.post(CREATE, {"confirm_registration": "on", "serie": year}, headers=HTMX)
    assert "already has a series" in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_a_name_that_already_exists_upstream_is_code_002(live):
    live.client.get(LIST)  # the cache does not know the next one
    sandbox_series(live, "E")
    response = live.client.post(CREATE, {"confirm_registration": "on", "serie": "E"}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "already exists in this company (code 002)" in html
    assert "is-invalid" in html
    entry = only_audit_entry("sequence.create")
    assert entry.outcome == "failed"
    assert "002" in f"{entry.text} {entry.detail}"


def test_a_name_the_service_does_not_allow_is_code_001(live, monkeypatch):
    # The local rule is the sandbox's, so only a looser local rule lets such a name through.
    monkeypatch.setattr(forms_sequences, "_SERIE_NAME_RE", re.compile(r"^.+$"))
    response = live.client.post(
        CREATE, {"confirm_registration": "on", "serie": "A/B"}, headers=HTMX
    )
    html = response.content.decode()
    assert "does not allow the series name “A/B” (code 001)" in html
    assert only_audit_entry("sequence.create").outcome == "failed"


def test_invalid_tax_authority_credentials_are_code_004_and_say_where_to_fix_them(live):
    live.sandbox.has_at_credentials = False
    live.sandbox.save(update_fields=["has_at_credentials"])
    response = live.client.post(CREATE, {"confirm_registration": "on", "serie": "F"}, headers=HTMX)
    html = response.content.decode()
    assert "(code 004)" in html
    assert "Definições &gt; Comunicação à AT" in html
    assert "Settings &gt; Tax Authority communication" in html
    assert not SandboxSequence.objects.filter(serie="F").exists()
    assert only_audit_entry("sequence.create").outcome == "failed"


def test_a_fiscal_id_without_open_activity_is_code_005(live):
    live.sandbox.has_open_activity = False
    live.sandbox.save(update_fields=["has_open_activity"])
    response = live.client.post(CREATE, {"confirm_registration": "on", "serie": "G"}, headers=HTMX)
    assert "no open activity at the Tax Authority (code 005)" in response.content.decode()
    assert only_audit_entry("sequence.create").outcome == "failed"


def test_an_unknown_error_is_code_000(live):
    faults.inject("acme", "sequence_000")
    response = live.client.post(CREATE, {"confirm_registration": "on", "serie": "H"}, headers=HTMX)
    assert "unknown error (code 000)" in response.content.decode()
    assert only_audit_entry("sequence.create").outcome == "failed"


def test_a_wrong_api_key_is_401(live):
    live.sandbox.api_key = "another-key"
    live.sandbox.save(update_fields=["api_key"])
    response = live.client.post(CREATE, {"confirm_registration": "on", "serie": "I"}, headers=HTMX)
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
    response = live.client.post(CREATE, {"confirm_registration": "on", "serie": "J"}, headers=HTMX)
    assert response.status_code == 200
    assert says in response.content.decode()
    assert only_audit_entry("sequence.create").outcome == outcome


def test_a_timeout_is_unknown_and_says_to_look_before_retrying(live, settings):
    settings.IXPORTAL_READ_TIMEOUT = 0.5
    live.client.get(LIST)  # the create form's name check is then served from the cache
    faults.inject("acme", "timeout", path_prefix="sequences.json", timeout_seconds=1)
    response = live.client.post(CREATE, {"confirm_registration": "on", "serie": "K"}, headers=HTMX)
    html = response.content.decode()
    assert "did not answer in time" in html
    assert "Refresh the list to see whether the change was made" in html
    assert only_audit_entry("sequence.create").outcome == "unknown"
    # And it was made: the sandbox answers after the client gave up, like the service may.
    # (Waiting also lets the sandbox's request finish before the test database goes.)
    assert wait_for(lambda: SandboxSequence.objects.filter(serie="K").exists())
    assert b"K</span>" in live.client.get(LIST).content  # the failure dropped the cache


@pytest.mark.parametrize("htmx", [True, False])
def test_under_an_upstream_timeout_creating_waits_once_for_the_write_deadline(live, settings, htmx):
    """It once held the request 60 s: the name check's read, the write, the table's read."""
    settings.IXPORTAL_READ_TIMEOUT = 3.0
    settings.IXPORTAL_WRITE_DEADLINE = 0.5
    faults.inject("acme", "timeout", count=None, path_prefix="sequences", timeout_seconds=2)
    started = time.monotonic()
    response = live.client.post(
        CREATE, {"serie": "T", "confirm_registration": "on"}, headers=HTMX if htmx else {}
    )
    elapsed = time.monotonic() - started
    html = response.content.decode()
    assert response.status_code == 200
    assert "did not answer in time" in html
    assert "Refresh the list to see whether the change was made" in html  # the unknown path
    assert only_audit_entry("sequence.create").outcome == "unknown"
    assert elapsed < 2.5  # one 0.5 s write, no 3 s read before or after it
    if not htmx:
        assert 'id="sequence-load-error"' in html and "Not read again" in html
    faults.clear("acme")
    wait_for(lambda: SandboxSequence.objects.filter(serie="T").exists())


@pytest.mark.parametrize(
    ("mode", "says"),
    [
        (
            "422_xml",
            "InvoiceXpress refused the request: Your current plan does not allow you to do this.",
        ),
        ("422_html", "InvoiceXpress refused the request (HTTP 422)"),
    ],
)
def test_a_422_in_xml_or_html_is_a_refusal_not_an_unknown_outcome(live, mode, says):
    faults.inject("acme", mode, count=1, path_prefix="sequences.json")
    html = live.client.post(
        CREATE, {"confirm_registration": "on", "serie": "X"}, headers=HTMX
    ).content.decode()
    assert says in html
    assert "Refresh the list to see whether" not in html
    assert only_audit_entry("sequence.create").outcome == "failed"
    assert not SandboxSequence.objects.filter(serie="X").exists()


def test_a_refused_connection_shows_its_typed_message(live):
    Account.objects.filter(pk=live.account.pk).update(base_url="http://127.0.0.1:9")
    response = live.client.post(CREATE, {"confirm_registration": "on", "serie": "L"}, headers=HTMX)
    assert "cannot be reached (connection failed)" in response.content.decode()


def test_a_series_the_service_finds_invalid_is_code_003(live, monkeypatch):
    # The form never sends an empty name; loosen it to see the service's own answer.
    monkeypatch.setattr(forms_sequences, "_SERIE_NAME_RE", re.compile(r"^.*$"))
    monkeypatch.setattr(forms_sequences.SequenceCreateForm.base_fields["serie"], "required", False)
    response = live.client.post(CREATE, {"confirm_registration": "on", "serie": ""}, headers=HTMX)
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
    response = live.client.post(CREATE, {"confirm_registration": "on", "serie": "M"}, headers=HTMX)
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
    response = live.client.post(CREATE, {"confirm_registration": "on", "serie": "N"}, headers=HTMX)
    html = response.content.decode()
    assert "alert-warning" in html
    assert "It is not registered with the Tax Authority yet (N/D)" in html
    assert "register it with its Register button" in html
    assert "refresh in a few minutes" not in html.lower()
    assert 'data-status="not_registered"' in html
    assert only_audit_entry("sequence.create").outcome == "ok"
