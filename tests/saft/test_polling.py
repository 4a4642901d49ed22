"""SAF-T polling without the sandbox: bad files, the maximum wait, no-JS checks, queued bulk requests, saft_poll.

acme points at a port nobody listens on, so a request that reaches InvoiceXpress fails
fast (and stays pending, as a passing failure). Exports are built in the database here.
"""

import datetime as dt
import io

import pytest
import responses
import time_machine
from django.utils import timezone

from invoices.models import AuditEntry, Membership, Role
from invoices.sentences import render_sentences as words
from saft.models import SaftExport
from saft.periods import Period
from saft.services import export_advance, export_request
from tests.saft.helpers import OCTOBER, at_lisbon, pending_export, ready_export
from tests.saft.test_archive import audit_file, zipped


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# ---- files the sandbox cannot produce (responses) --------------------------------------------


@pytest.fixture
def stubbed_service(cast):
    cast.account.base_url = "https://acme.ix.test"
    cast.account.save()
    with responses.RequestsMock() as mock:
        mock.get(
            "https://acme.ix.test/api/export_saft.json",
            json={"url": "https://files.ix.test/saft.zip?token=secret"},
        )
        yield mock


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"<html>not a zip</html>", "not a zip archive"),
        (zipped(("saft.xml", b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a/>')), "declares a document type"),
    ],
)  # fmt: skip
def test_a_bad_file_fails_the_export_with_a_clear_message(cast, stubbed_service, body, reason):
    stubbed_service.get("https://files.ix.test/saft.zip", body=body)
    outcome = export_request(account=cast.account, user=cast.manager, period=OCTOBER)
    export = outcome.export
    assert export.is_failed and reason in words(export.message)
    assert words(export.message).startswith("The SAF-T file from InvoiceXpress failed")
    assert "token=secret" not in str(export.message) and not export.file
    assert AuditEntry.objects.get().outcome == AuditEntry.Outcome.FAILED


@pytest.mark.parametrize(
    "xml, code",
    [
        (audit_file(start="2026-09-01", end="2026-09-30"), "period"),
        (audit_file().replace(b"<NumberOfEntries>2<", b"<NumberOfEntries>5<"), "entries_mismatch"),
    ],
)
def test_a_file_of_the_wrong_month_or_count_is_archived_as_evidence_but_invalid(cast, stubbed_service, xml, code):  # fmt: skip
    stubbed_service.get("https://files.ix.test/saft.zip", body=zipped(("saft.xml", xml)))
    export = export_request(account=cast.account, user=cast.manager, period=OCTOBER).export
    assert export.is_ready and export.file
    assert export.is_invalid and not export.is_submittable
    assert code in export.report.codes()


def test_an_expired_link_keeps_it_pending_for_a_fresh_one(cast, stubbed_service, settings):
    settings.IXPORTAL_SAFT_POLL_SECONDS = 0
    stubbed_service.get("https://files.ix.test/saft.zip", status=404)
    export = export_request(account=cast.account, user=cast.manager, period=OCTOBER).export
    assert export.is_pending and "expired" in words(export.message)
    stubbed_service.replace(
        responses.GET,
        "https://files.ix.test/saft.zip",
        body=zipped(("saft.xml", audit_file(start="2026-10-01", end="2026-10-31"))),
    )
    export_advance(export=export)
    assert export.is_ready and export.number_of_entries == 2


def test_a_file_in_an_unknown_encoding_fails_the_polled_row_instead_of_a_500(client, cast, stubbed_service):  # fmt: skip
    xml = audit_file(prolog='<?xml version="1.0" encoding="x-nope"?>\n')
    stubbed_service.get("https://files.ix.test/saft.zip", body=zipped(("saft.xml", xml)))
    export = pending_export(cast.account)
    client.force_login(cast.viewer)
    response = client.get(f"/c/acme/saft/{export.pk}/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    row = response.content.decode()
    assert 'data-status="failed"' in row and "hx-trigger" not in row  # polling stops
    export.refresh_from_db()
    assert export.is_failed and "not a readable SAF-T" in words(export.message)
    assert "not a readable SAF-T" in row


def test_anything_else_the_file_check_trips_on_fails_the_export_and_is_logged(cast, stubbed_service, monkeypatch, caplog):  # fmt: skip
    def trips(content):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("saft.services.read_saft_zip", trips)
    stubbed_service.get("https://files.ix.test/saft.zip", body=b"PK whatever")
    export = export_request(account=cast.account, user=cast.manager, period=OCTOBER).export
    assert export.is_failed and "not a readable SAF-T" in words(export.message)
    assert words(export.message).startswith("The SAF-T file from InvoiceXpress failed")
    [record] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert record.exc_info[0] is RecursionError and f"export {export.pk}" in record.getMessage()
    assert "token=secret" not in caplog.text


# ---- the maximum wait counts from the first check, and still asks once past it ---------------


def test_past_the_maximum_wait_a_check_that_does_not_get_through_gives_up(client, cast, settings):  # fmt: skip
    settings.IXPORTAL_SAFT_MAX_WAIT_SECONDS = 600
    export = pending_export(cast.account)
    asked = timezone.now()
    assert export.claim_check(now=asked, interval=dt.timedelta(seconds=3))
    client.force_login(cast.viewer)
    with time_machine.travel(asked + dt.timedelta(seconds=601)):
        row = client.get(f"/c/acme/saft/{export.pk}/", headers={"HX-Request": "true"}).content.decode()  # fmt: skip
    export.refresh_from_db()
    assert export.is_failed and export.attempts == 2  # it asked once more before giving up
    assert "within 10 minutes" in words(export.message)
    assert "could not be reached" in words(export.message)
    assert "hx-trigger" not in row


# ---- without JavaScript ---------------------------------------------------------------------


def test_a_pending_row_has_a_plain_check_now_link_that_advances_it(client, cast):
    export = pending_export(cast.account)
    client.force_login(cast.viewer)
    link = f'href="/c/acme/saft/{export.pk}/">Check now</a>'
    assert link in client.get("/c/acme/saft/").content.decode()
    assert link in client.get("/saft/").content.decode()  # the cross-company row too

    page = client.get(f"/c/acme/saft/{export.pk}/")  # no HX-Request: the full status page
    assert page.status_code == 200 and "<html" in page.content.decode()
    export.refresh_from_db()
    assert export.attempts == 1 and "could not be reached" in words(export.message)
    assert "could not be reached" in page.content.decode()
    finished = ready_export(cast.account, Period(2026, 9))
    assert f'href="/c/acme/saft/{finished.pk}/">Check now' not in client.get("/c/acme/saft/").content.decode()  # fmt: skip


# ---- all my companies: rows made in the request, InvoiceXpress asked by their polls ----------


@time_machine.travel(at_lisbon(2026, 11, 21), tick=False)
def test_all_my_companies_makes_the_rows_without_calling_invoicexpress(client, cast):
    Membership.objects.create(user=cast.manager, account=cast.other_account, role=Role.MANAGER)
    already = pending_export(cast.other_account)
    client.force_login(cast.manager)
    response = client.post("/saft/request/", {"month": 10, "year": 2026}, follow=True)
    assert response.redirect_chain == [("/saft/", 302)]
    acme = SaftExport.objects.get(account=cast.account)
    # acme's service is unreachable: had it been asked, this would be 1 and say so.
    assert acme.is_pending and acme.attempts == 0 and acme.checked_at is None
    assert SaftExport.objects.filter(account=cast.other_account).get() == already
    page = response.content.decode()
    assert "The SAF-T for October 2026 was requested for Acme, Lda." in page
    assert "already being generated for Globex, S.A.; your request joined it." in page
    assert f'id="export-{acme.pk}"' in page and "Not asked yet" in page
    audited = AuditEntry.objects.filter(action="saft.request").order_by("account__slug")
    assert [(e.account.slug, e.target, e.outcome) for e in audited] == [
        ("acme", "2026-10", AuditEntry.Outcome.OK),
        ("globex", "2026-10", AuditEntry.Outcome.OK),
    ]
    assert "queued" in audited[0].text and "Joined export" in audited[1].text

    row = client.get(f"/saft/exports/{acme.pk}/", headers={"HX-Request": "true"}).content.decode()
    acme.refresh_from_db()
    assert acme.attempts == 1 and "could not be reached" in row  # the poll asked, and says so


def test_a_single_company_request_still_asks_inside_the_request(client, cast):
    client.force_login(cast.manager)
    with time_machine.travel(at_lisbon(2026, 11, 21), tick=False):
        client.post("/c/acme/saft/request/", {"month": 10, "year": 2026})
    assert SaftExport.objects.get().attempts == 1


# ---- saft_poll ------------------------------------------------------------------------------


def test_the_command_goes_on_past_an_export_that_raises(cast, monkeypatch, caplog):
    from django.core.management import CommandError, call_command

    from saft.management.commands import saft_poll

    broken = pending_export(cast.account, Period(2026, 9))
    healthy = pending_export(cast.other_account)
    real_advance = saft_poll.export_advance

    def advance(*, export):
        if export.pk == broken.pk:
            raise RuntimeError("boom at https://acme.ix.test/api/export_saft.json?api_key=SECRET")
        return real_advance(export=export)

    monkeypatch.setattr(saft_poll, "export_advance", advance)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 of 2 pending SAF-T exports"):
        call_command("saft_poll", stdout=out, stderr=err)
    assert err.getvalue().startswith(f"acme 2026-09 #{broken.pk}: error (RuntimeError)")
    assert out.getvalue().startswith(f"globex 2026-10 #{healthy.pk}: pending")
    healthy.refresh_from_db()
    assert healthy.attempts == 1  # the one after the broken export was still asked about
    assert "SECRET" not in out.getvalue() + err.getvalue()
    [record] = [r for r in caplog.records if r.name == saft_poll.__name__]
    assert record.levelname == "ERROR" and record.exc_info[0] is RuntimeError


# ---- our words stored as codes, read in the reader's language; the service's quoted ---------


def test_a_failure_is_stored_as_codes_and_read_in_portuguese_with_the_services_words_quoted(client, cast, stubbed_service):  # fmt: skip
    stubbed_service.replace(
        responses.GET,
        "https://acme.ix.test/api/export_saft.json",
        status=500,
        json={"errors": [{"error": "Error generating SAF-T. Please try again."}]},
    )
    export = export_request(account=cast.account, user=cast.manager, period=OCTOBER).export
    assert export.is_failed
    assert export.message == [
        {"msgid": "InvoiceXpress failed (error %(status)s).", "params": {"status": 500}},
        {"msgid": "The generation failed: request the SAF-T again.", "params": {}},
    ]
    assert export.said == "Error generating SAF-T. Please try again."
    entry = AuditEntry.objects.get()
    assert entry.sentences[1:] == export.message and entry.detail == export.said

    client.force_login(cast.viewer)
    for url in ("/c/acme/saft/", "/saft/"):  # the company's page and the cross-company one
        page = client.get(url, headers={"Accept-Language": "pt-pt"}).content.decode()
        assert "O InvoiceXpress falhou (erro 500)." in page
        assert "InvoiceXpress failed" not in page and "The generation failed" not in page
        # The service's words, quoted as sent and labelled as its own.
        assert "O InvoiceXpress disse: «Error generating SAF-T. Please try again.»" in page
    english = client.get("/c/acme/saft/").content.decode()
    assert "InvoiceXpress failed (error 500). The generation failed: request the SAF-T again." in english  # fmt: skip


def test_a_passing_failure_reads_in_portuguese_while_pending(client, cast):
    export = pending_export(cast.account)
    client.force_login(cast.viewer)
    row = client.get(f"/c/acme/saft/{export.pk}/", headers={"HX-Request": "true", "Accept-Language": "pt-pt"}).content.decode()  # fmt: skip
    export.refresh_from_db()
    assert [item["msgid"] for item in export.message] == [
        "The last check did not get through:",
        "InvoiceXpress could not be reached.",
        "The dashboard keeps trying.",
    ]
    assert "Não foi possível contactar o InvoiceXpress." in row
    assert "could not be reached" not in row
