"""SAF-T pages without the sandbox: who may do what, the request form, deadlines, races.

acme points at a port nobody listens on, so a request that reaches InvoiceXpress fails
fast (and stays pending, as a passing failure). Exports are built in the database here.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from invoices.models import AuditEntry, Membership, Role
from invoices.sentences import render_sentences as words
from saft.archive import read_saft_zip, sha256_of
from saft.models import SaftExport
from saft.periods import Period
from tests.saft.helpers import at_lisbon, pending_export, ready_export
from tests.saft.test_archive import audit_file, zipped


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# ---- roles and tenancy --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["viewer", "clerk"])
def test_only_managers_may_request(client, cast, who):
    client.force_login(getattr(cast, who))
    response = client.post("/c/acme/saft/request/", {"month": 10, "year": 2026})
    assert response.status_code == 403
    assert not SaftExport.objects.exists() and not AuditEntry.objects.exists()


def test_a_viewer_sees_the_history_and_downloads_but_has_no_request_form(client, cast):
    export = ready_export(cast.account)
    failed = pending_export(cast.account, Period(2026, 9))
    failed.mark_failed("InvoiceXpress failed (HTTP 500): Error generating SAF-T.")
    client.force_login(cast.viewer)
    page = client.get("/c/acme/saft/").content.decode()
    assert f'id="export-{export.pk}"' in page and "Error generating SAF-T" in page
    assert 'id="saft-request-form"' not in page and ">Retry</button>" not in page
    download = client.get(f"/c/acme/saft/{export.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == export.file.open("rb").read()
    export.file.close()


def test_a_manager_gets_the_form_and_a_retry_button(client, cast):
    failed = pending_export(cast.account)
    failed.mark_failed("refused")
    client.force_login(cast.manager)
    page = client.get("/c/acme/saft/").content.decode()
    assert 'id="saft-request-form"' in page and ">Retry</button>" in page


@pytest.mark.parametrize("path", ["", "{pk}/", "{pk}/download/"])
def test_outsiders_and_non_members_get_404_everywhere(client, cast, path):
    export = ready_export(cast.account)
    url = "/c/acme/saft/" + path.format(pk=export.pk)
    for user in (cast.outsider, cast.superuser):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(cast.outsider)
    assert client.post("/c/acme/saft/request/", {"month": 10, "year": 2026}).status_code == 404


@pytest.mark.parametrize("path", ["{pk}/", "{pk}/download/"])
def test_another_companys_export_under_my_slug_is_404(client, cast, path):
    theirs = ready_export(cast.other_account)
    client.force_login(cast.manager)
    assert client.get("/c/acme/saft/" + path.format(pk=theirs.pk)).status_code == 404
    client.force_login(cast.outsider)  # and the other way round, under their own slug
    mine = ready_export(cast.account, Period(2026, 9))
    assert client.get("/c/globex/saft/" + path.format(pk=mine.pk)).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, cast):
    export = ready_export(cast.account)
    response = client.get(f"/c/acme/saft/{export.pk}/download/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_pending_export_has_nothing_to_download(client, cast):
    export = pending_export(cast.account)
    client.force_login(cast.manager)
    assert client.get(f"/c/acme/saft/{export.pk}/download/").status_code == 404


def test_the_download_is_an_attachment_from_our_storage(client, cast):
    export = ready_export(cast.account)
    client.force_login(cast.manager)
    response = client.get(f"/c/acme/saft/{export.pk}/download/")
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="SAFT-PT_acme_2026-10.zip"'
    assert response["Cache-Control"] == "private, no-store"
    assert "/media/" not in client.get("/c/acme/saft/").content.decode()


def test_the_admin_lists_exports_read_only(client, cast):
    ready_export(cast.account)
    client.force_login(cast.superuser)
    assert client.get("/admin/saft/saftexport/").status_code == 200
    assert client.get("/admin/saft/saftexport/add/").status_code == 403


def test_request_is_post_only(client, cast):
    client.force_login(cast.manager)
    assert client.get("/c/acme/saft/request/").status_code == 405


def test_the_overview_shows_only_my_companies(client, cast):
    mine = ready_export(cast.account)
    theirs = ready_export(cast.other_account)
    client.force_login(cast.outsider)
    page = client.get("/saft/").content.decode()
    assert f'id="export-{theirs.pk}"' in page and f'id="export-{mine.pk}"' not in page
    assert "Acme" not in page
    assert client.get(f"/saft/exports/{mine.pk}/", headers={"HX-Request": "true"}).status_code == 404  # fmt: skip


def test_a_pending_row_on_the_overview_polls_its_own_cross_company_url(client, cast):
    export = pending_export(cast.account)
    client.force_login(cast.viewer)
    page = client.get("/saft/").content.decode()
    assert f'hx-get="/saft/exports/{export.pk}/"' in page
    row = client.get(f"/saft/exports/{export.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert row.lstrip().startswith(f'<tr id="export-{export.pk}"') and "Acme, Lda." in row


def test_only_managers_may_request_for_all_their_companies(client, cast):
    client.force_login(cast.viewer)
    assert client.post("/saft/request/", {"month": 10, "year": 2026}).status_code == 403
    assert 'id="saft-request-form"' not in client.get("/saft/").content.decode()


def test_a_row_that_finishes_tells_the_deadline_badge_to_refresh(client, cast):
    export = ready_export(cast.account)
    client.force_login(cast.viewer)
    response = client.get(f"/c/acme/saft/{export.pk}/", headers={"HX-Request": "true"})
    assert "saftExportFinished" in response.headers.get("HX-Trigger", "")


def test_a_row_still_pending_sends_no_event(client, cast):
    export = pending_export(cast.account)  # acme is unreachable: the check fails in passing
    client.force_login(cast.viewer)
    response = client.get(f"/c/acme/saft/{export.pk}/", headers={"HX-Request": "true"})
    assert 'data-status="pending"' in response.content.decode()
    assert "HX-Trigger" not in response.headers


def test_the_deadline_badge_listens_for_finished_exports(client, cast):
    client.force_login(cast.viewer)
    html = client.get("/c/acme/saft/").content.decode()
    badge = html.split('id="saft-deadline-badge"', 1)[1].split(">", 1)[0]
    assert 'hx-trigger="saftExportFinished from:body"' in badge
    assert 'hx-select="#saft-deadline-badge"' in badge and 'hx-get="/c/acme/saft/"' in badge


# ---- the request form -----------------------------------------------------------------------


@time_machine.travel(at_lisbon(2026, 11, 21), tick=False)
@pytest.mark.parametrize(
    "data, error",
    [
        ({"month": 12, "year": 2026}, "That month has not started yet."),
        ({"month": 1, "year": 2027}, "That year has not started yet."),
        ({"month": 5, "year": 2007}, "SAF-T exports start in 2008."),
        ({"month": 13, "year": 2026}, "Select a valid choice."),
        ({"month": 5, "year": "last"}, "Enter a whole number."),
        ({}, "This field is required."),
    ],
)
def test_a_bad_period_is_shown_on_the_form_with_200(client, cast, data, error):
    client.force_login(cast.manager)
    for url in ("/c/acme/saft/request/", "/saft/request/"):
        response = client.post(url, data)
        assert response.status_code == 200
        assert error in response.content.decode()
    assert not SaftExport.objects.exists()


@time_machine.travel(at_lisbon(2026, 11, 21), tick=False)
def test_the_current_month_is_allowed_with_a_warning(client, cast):
    client.force_login(cast.manager)
    response = client.post("/c/acme/saft/request/", {"month": 11, "year": 2026}, follow=True)
    page = response.content.decode()
    assert "November 2026 is not over yet" in page
    export = SaftExport.objects.get()
    assert (export.year, export.month) == (2026, 11) and not export.is_complete_month
    assert "incomplete month" in page


@time_machine.travel(at_lisbon(2026, 11, 21), tick=False)
def test_the_form_proposes_the_last_closed_month(client, cast):
    client.force_login(cast.manager)
    page = client.get("/c/acme/saft/").content.decode()
    assert '<option value="10" selected>' in page and 'value="2026"' in page


def test_an_unanswered_first_call_keeps_it_pending_and_is_audited_as_unknown(client, cast):
    client.force_login(cast.manager)
    response = client.post("/c/acme/saft/request/", {"month": 10, "year": 2026}, follow=True)
    export = SaftExport.objects.get()
    assert export.is_pending and export.attempts == 1
    assert "could not be reached" in words(export.message)
    assert "could not be reached" in response.content.decode()
    assert AuditEntry.objects.get().outcome == AuditEntry.Outcome.UNKNOWN


# ---- deadlines ------------------------------------------------------------------------------


def _deadline_badge(client, slug="acme"):
    page = client.get(f"/c/{slug}/saft/").content.decode()
    start = page.index('id="saft-deadline"')
    return page[start : page.index("</p>", start)]


def test_the_deadline_counts_down_to_day_5_in_lisbon(client, cast):
    client.force_login(cast.viewer)
    with time_machine.travel(at_lisbon(2026, 11, 3), tick=False):
        badge = _deadline_badge(client)
    assert "SAF-T for October 2026: due to the Tax Authority by 05/11/2026." in badge
    assert "Due in 2 days" in badge
    with time_machine.travel(at_lisbon(2026, 11, 5, hour=23), tick=False):
        assert "Due today" in _deadline_badge(client)
    # Summer time: 23:30 UTC on 5 July is already 6 July in Lisbon, so June is overdue.
    with time_machine.travel(dt.datetime(2026, 7, 5, 22, 30, tzinfo=dt.UTC), tick=False):
        assert "Due today" in _deadline_badge(client)
    with time_machine.travel(dt.datetime(2026, 7, 5, 23, 30, tzinfo=dt.UTC), tick=False):
        badge = _deadline_badge(client)
    assert "SAF-T for June 2026" in badge and "Overdue by 1 day" in badge


def test_a_ready_export_is_ready_but_not_submitted_so_the_month_can_still_be_overdue(client, cast):  # fmt: skip
    client.force_login(cast.viewer)
    ready_export(cast.account, requested_at=at_lisbon(2026, 11, 2))
    with time_machine.travel(at_lisbon(2026, 11, 20), tick=False):
        badge = _deadline_badge(client)
        page = client.get("/saft/").content.decode()
    assert 'data-file-state="ready"' in badge and "Overdue by 15 days" in badge
    assert 'data-deadline="submitted"' not in badge
    acme = page[page.index('id="deadline-acme"') :][:1500]
    assert 'data-file-state="ready"' in acme and 'data-deadline="overdue"' in acme


def test_an_export_made_before_the_month_ended_does_not_count(client, cast):
    client.force_login(cast.viewer)
    ready_export(cast.account, requested_at=at_lisbon(2026, 10, 20))
    with time_machine.travel(at_lisbon(2026, 11, 8), tick=False):
        assert "Overdue by 3 days" in _deadline_badge(client)
        assert "incomplete month" in client.get("/c/acme/saft/").content.decode()


def test_the_overview_lists_each_companys_deadline(client, cast):
    Membership.objects.create(user=cast.manager, account=cast.other_account, role=Role.VIEWER)
    ready_export(cast.account, requested_at=at_lisbon(2026, 11, 1))
    client.force_login(cast.manager)
    with time_machine.travel(at_lisbon(2026, 11, 7), tick=False):
        page = client.get("/saft/").content.decode()
    acme = page[page.index('id="deadline-acme"') :][:1500]
    globex = page[page.index('id="deadline-globex"') :][:1500]
    assert 'data-file-state="ready"' in acme and "Overdue by 2 days" in acme
    assert 'data-file-state="not_requested"' in globex
    assert "Overdue by 2 days" in globex and 'class="overdue"' in page
    # A viewer of globex gets no request button for it; acme's file is there: no request.
    assert "/c/globex/saft/request/" not in globex
    assert "/c/acme/saft/request/" not in acme and "#saft-submissions" in acme


# ---- the state changes hold under races ------------------------------------------------------


def test_only_one_of_two_simultaneous_checks_gets_through(cast):
    pending_export(cast.account)
    now = timezone.now()
    first, second = SaftExport.objects.all(), SaftExport.objects.all()
    a, b = first.get(), second.get()  # both loaded before either claims, like two requests
    interval = dt.timedelta(seconds=3)
    assert a.claim_check(now=now, interval=interval) is True
    assert b.claim_check(now=now, interval=interval) is False
    assert b.claim_check(now=now + dt.timedelta(seconds=3), interval=interval) is True


def test_a_result_is_applied_once_and_the_losers_file_is_removed(cast, settings):
    export = pending_export(cast.account)
    other = SaftExport.objects.get(pk=export.pk)
    content = zipped(("saft.xml", audit_file(start="2026-10-01", end="2026-10-31")))
    summary = read_saft_zip(content)
    assert export.mark_ready(content=content, sha256=sha256_of(content), summary=summary)
    assert not other.mark_ready(content=content, sha256=sha256_of(content), summary=summary)
    assert not other.mark_failed("too late")
    files = list((settings.MEDIA_ROOT / "saft").rglob("*.zip"))
    assert [f.relative_to(settings.MEDIA_ROOT).as_posix() for f in files] == [export.file.name]
    export.refresh_from_db()
    assert export.is_ready and export.total_credit == Decimal("250.50")


def test_one_pending_export_per_month_is_enforced_by_the_database(cast):
    from django.db import IntegrityError, transaction

    pending_export(cast.account)
    with pytest.raises(IntegrityError), transaction.atomic():
        pending_export(cast.account)
    pending_export(cast.other_account)  # another company's month is its own
    pending_export(cast.account, Period(2026, 9))


def test_files_live_under_unguessable_paths(cast):
    a = ready_export(cast.account)
    b = ready_export(cast.account, requested_at=at_lisbon(2026, 11, 3))
    folder_a, folder_b = a.file.name.split("/")[2], b.file.name.split("/")[2]
    assert folder_a != folder_b and len(folder_a) >= 24
