"""A manager marks a month submitted to the Tax Authority: badge, overview, audit, receipt;
nobody else may; an invalid file never can be; deadlines moved by data."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from invoices.models import AuditEntry
from saft.deadlines import deadlines_for
from saft.models import SaftDeadline, SaftExport, SaftSubmission
from tests.saft.helpers import OCTOBER, at_lisbon, ready_export

PDF = b"%PDF-1.4\n% receipt\n%%EOF\n"
URL = "/c/acme/saft/submissions/"


def _valid(export: SaftExport) -> SaftExport:
    SaftExport.objects.filter(pk=export.pk).update(validation=SaftExport.Validation.VALID)
    export.refresh_from_db()
    return export


def _post(client, **fields):
    data = {"month": 10, "year": 2026, "submitted_on": "2026-11-04", "export": "", **fields}
    return client.post(URL, data)


@pytest.fixture
def november():
    with time_machine.travel(at_lisbon(2026, 11, 20), tick=False):
        yield


def _badge(client, slug="acme"):
    page = client.get(f"/c/{slug}/saft/").content.decode()
    start = page.index('id="saft-deadline"')
    return page[start : page.index("</p>", start)]


def test_a_manager_marks_a_month_submitted_and_the_badge_overview_and_audit_say_so(client, cast, november):  # fmt: skip
    export = _valid(ready_export(cast.account, requested_at=at_lisbon(2026, 11, 2)))
    client.force_login(cast.manager)
    before = _badge(client)
    assert "Overdue by 15 days" in before and 'data-file-state="ready"' in before
    receipt = SimpleUploadedFile("recibo.pdf", PDF, content_type="application/pdf")
    response = client.post(
        URL,
        {
            "month": 10,
            "year": 2026,
            "submitted_on": "04/11/2026",
            "export": str(export.pk),
            "receipt_number": "AT-2026/123",
            "receipt_pdf": receipt,
        },
    )
    assert response.status_code == 302
    submission = SaftSubmission.objects.get()
    assert (submission.period, submission.submitted_on) == (OCTOBER, dt.date(2026, 11, 4))
    assert submission.export == export and submission.submitted_by == cast.manager
    assert submission.receipt_number == "AT-2026/123"
    badge = _badge(client)
    assert 'data-deadline="submitted"' in badge and "04/11/2026" in badge
    assert "Overdue" not in badge and "AT-2026/123" in badge
    overview = client.get("/saft/").content.decode()
    acme = overview[overview.index('id="deadline-acme"') :][:1500]
    assert 'data-deadline="submitted"' in acme and "Overdue" not in acme
    assert "Mark submitted" not in acme
    entry = AuditEntry.objects.get(action="saft.submitted")
    assert entry.user == cast.manager and entry.target == "2026-10"
    assert f"#{export.pk}" in entry.text and "AT-2026/123" in entry.text
    # The receipt is kept and served to members only, through the checked view.
    receipt_url = f"/c/acme/saft/submissions/{submission.pk}/receipt/"
    assert receipt_url in client.get("/c/acme/saft/").content.decode()
    client.force_login(cast.viewer)
    got = client.get(receipt_url)
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert "private" in got["Cache-Control"]
    client.force_login(cast.outsider)
    assert client.get(receipt_url).status_code == 404


def test_a_month_exported_outside_the_dashboard_can_be_marked(client, cast, november):
    client.force_login(cast.manager)
    assert 'data-file-state="not_requested"' in _badge(client)
    assert _post(client).status_code == 302
    submission = SaftSubmission.objects.get()
    assert submission.export is None and submission.is_outside
    badge = _badge(client)
    assert 'data-deadline="submitted"' in badge and "outside the dashboard" in badge
    assert "outside the dashboard" in AuditEntry.objects.get(action="saft.submitted").text


@pytest.mark.parametrize("validation", ["invalid", "unchecked"])
def test_an_invalid_or_unchecked_file_cannot_be_marked_submitted(client, cast, november, validation):  # fmt: skip
    export = ready_export(cast.account, requested_at=at_lisbon(2026, 11, 2))
    SaftExport.objects.filter(pk=export.pk).update(validation=validation)
    client.force_login(cast.manager)
    page = client.get("/c/acme/saft/").content.decode()
    choices = page[page.index('id="id_export"') :]
    choices = choices[: choices.index("</select>")]
    assert "Exported outside the dashboard" in choices
    assert f'value="{export.pk}"' not in choices  # never offered
    response = _post(client, export=str(export.pk))
    assert response.status_code == 200  # re-rendered with the error (htmx 2 swaps no 4xx)
    assert "is-invalid" in response.content.decode()
    assert not SaftSubmission.objects.exists()
    assert not AuditEntry.objects.filter(action="saft.submitted").exists()


def test_a_month_is_marked_once_and_only_after_it_ended(client, cast, november):
    client.force_login(cast.manager)
    assert _post(client).status_code == 302
    again = _post(client, submitted_on="2026-11-05")
    assert again.status_code == 200 and "already marked submitted on 04/11/2026" in again.content.decode()  # fmt: skip
    assert SaftSubmission.objects.count() == 1
    running = _post(client, month=11, submitted_on="2026-11-20")
    assert running.status_code == 200 and "Only a month that has ended" in running.content.decode()
    early = _post(client, month=9, submitted_on="2026-09-30")
    assert early.status_code == 200 and "after it ends" in early.content.decode()
    future = _post(client, month=9, submitted_on="2026-11-21")
    assert future.status_code == 200 and "has not come yet" in future.content.decode()
    assert SaftSubmission.objects.count() == 1


def test_a_receipt_must_be_a_pdf(client, cast, november):
    client.force_login(cast.manager)
    fake = SimpleUploadedFile("recibo.pdf", b"<html>not a pdf</html>")
    response = client.post(
        URL, {"month": 10, "year": 2026, "submitted_on": "2026-11-04", "receipt_pdf": fake}
    )
    assert response.status_code == 200 and "must be a PDF" in response.content.decode()
    assert not SaftSubmission.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("clerk", 403), ("viewer", 403), ("outsider", 404)])
def test_only_the_companys_managers_may_mark_a_month(client, cast, november, who, status):
    client.force_login(getattr(cast, who))
    assert _post(client).status_code == status
    assert not SaftSubmission.objects.exists()
    if who != "outsider":
        assert 'id="saft-submission-form"' not in client.get("/c/acme/saft/").content.decode()


def test_a_deadline_override_kept_as_data_moves_the_due_date(cast):
    today = dt.date(2026, 11, 8)
    (before,) = deadlines_for([cast.account], today=today)
    assert before.due == dt.date(2026, 11, 5) and before.state == "overdue"
    SaftDeadline.objects.create(
        year=2026, month=10, deadline=dt.date(2026, 11, 12), note="Despacho"
    )
    (after,) = deadlines_for([cast.account], today=today)
    assert after.due == dt.date(2026, 11, 12) and after.state == "due" and after.days_left == 4


def test_the_deadline_page_shows_the_overridden_date(client, cast):
    SaftDeadline.objects.create(year=2026, month=10, deadline=dt.date(2026, 11, 12))
    client.force_login(cast.viewer)
    with time_machine.travel(at_lisbon(2026, 11, 8), tick=False):
        badge = _badge(client)
    assert "by 12/11/2026" in badge and "Due in 4 days" in badge


def test_the_submitted_on_box_is_the_dashboards_dd_mm_yyyy_date_box(client, cast, november):
    """Not a browser date input, which shows the browser's own order (mm/dd/yyyy in an
    English browser): dd/mm/aaaa typed or picked, today's date offered, errors beside it."""
    client.force_login(cast.manager)
    page = client.get("/c/acme/saft/").content.decode()
    box = page[page.index('name="submitted_on"') - 200 : page.index('name="submitted_on"') + 400]
    assert 'type="date"' not in box
    assert 'type="text"' in box and "data-datepicker" in box and 'value="20/11/2026"' in box
    refused = _post(client, submitted_on="31/02/2026").content.decode()
    box = refused[refused.index('name="submitted_on"') - 200 :]
    assert "is-invalid" in box[:600]
