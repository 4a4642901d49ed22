"""SAF-T exports against the sandbox over real HTTP: request, poll, archive, fail, retry, join.

The sandbox answers 202 to a month's first `saft_pending_calls` requests, then 200 with a
link to a zip it builds from that month's documents, so the summary can be checked against
the documents themselves.
"""

import datetime as dt
import hashlib
import io
import time
import zipfile
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from invoices.invoicexpress.client import InvoiceXpressClient
from invoices.models import AuditEntry
from invoices.sentences import render_sentences as words
from saft.models import SaftExport
from saft.periods import Period
from saft.services import export_advance, export_queue, export_request
from sandbox import faults
from sandbox.models import SandboxSaftExport, Status
from sandbox.saft_xml import month_documents

PERIOD = Period.last_closed()  # a closed month the sandbox accepts, whatever today is


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Each advance may ask the service: the interval guard has its own tests.
    settings.IXPORTAL_SAFT_POLL_SECONDS = 0


def _line(name, price, quantity="1", tax="IVA23"):
    return {"name": name, "unit_price": price, "quantity": quantity, "unit": "unit", "tax": {"name": tax}}  # fmt: skip


def _issue(client, path, day, lines, uid, *, cancel=False):
    doc = client.create_document(
        path,
        {
            "date": day.strftime("%d/%m/%Y"),
            "due_date": day.strftime("%d/%m/%Y"),
            "client": {
                "name": "Cliente Exemplo, Lda.",
                "code": "C-1",
                "fiscal_id": "508332668",
                "country": "Portugal",
            },  # fmt: skip
            "items": lines,
        },
        proprietary_uid=uid,
    )
    client.change_state(path, doc.id, "finalized")
    if cancel:
        client.change_state(path, doc.id, "canceled", "Erro de digitação")
    return doc


@pytest.fixture
def month_with_sales(live_company):
    """Four documents in PERIOD (one canceled), one draft and one in the next month."""
    client = InvoiceXpressClient.for_account(live_company.account)
    first = PERIOD.first_day
    _issue(client, "invoices", first.replace(day=3), [_line("Consultoria", "100.00", "2")], "s1")
    _issue(client, "invoice_receipts", first.replace(day=9), [_line("Livro", "9.99", "3", "IVA6")], "s2")  # fmt: skip
    _issue(client, "invoices", first.replace(day=15), [_line("Erro", "50.00")], "s3", cancel=True)
    _issue(client, "invoices", first.replace(day=20), [_line("Manutenção", "1234.56")], "s4")
    client.create_document(
        "invoices",
        {"date": first.strftime("%d/%m/%Y"), "due_date": first.strftime("%d/%m/%Y"),
         "client": {"name": "Rascunho"}, "items": [_line("Draft", "5.00")]},
        proprietary_uid="draft",
    )  # fmt: skip
    _issue(client, "invoices", PERIOD.following().first_day, [_line("Next month", "7.00")], "s5")
    return live_company


def _wait_for_sandbox_calls(count, seconds=5.0):
    deadline = time.monotonic() + seconds
    while SandboxSaftExport.objects.get().calls < count and time.monotonic() < deadline:
        time.sleep(0.05)


def _htmx(client, url):
    return client.get(url, headers={"HX-Request": "true"})


def test_it_follows_202s_to_the_archived_and_verified_file(client, month_with_sales):
    world = month_with_sales
    client.force_login(world.manager)

    response = client.post("/c/acme/saft/request/", {"month": PERIOD.month, "year": PERIOD.year})
    assert response.status_code == 302 and response["Location"] == "/c/acme/saft/"
    export = SaftExport.objects.get()
    assert export.is_pending and export.attempts == 1 and export.requested_by == world.manager
    assert "generation was started" in export.said

    page = client.get("/c/acme/saft/")
    assert f'id="export-{export.pk}"' in page.content.decode()
    assert 'hx-trigger="every 0s" data-poll-when-visible' in page.content.decode()

    # The sandbox answers 202 twice more: each poll re-renders a row that keeps polling.
    for _ in range(2):
        row = _htmx(client, f"/c/acme/saft/{export.pk}/").content.decode()
        assert row.lstrip().startswith(f'<tr id="export-{export.pk}"') and "hx-trigger" in row
    # Then 200: the row comes back finished, without a trigger, so polling stops.
    row = _htmx(client, f"/c/acme/saft/{export.pk}/").content.decode()
    assert "hx-trigger" not in row and 'data-status="ready"' in row

    export.refresh_from_db()
    assert export.is_ready and export.attempts == 4
    assert SandboxSaftExport.objects.get().calls == 4
    stored = export.file.read()
    export.file.close()
    assert hashlib.sha256(stored).hexdigest() == export.sha256 and export.size == len(stored)
    assert export.file.name.startswith(f"saft/{world.account.pk}/")
    assert export.download_name not in export.file.name.split("/")[2]  # a random folder

    documents = list(month_documents(world.sandbox, PERIOD.year, PERIOD.month))
    counted = [d for d in documents if d.status != Status.CANCELED]
    assert len(documents) == 4 == export.number_of_entries
    assert export.total_credit == sum(d.before_taxes for d in counted) == Decimal("1464.53")
    assert export.total_debit == Decimal("0.00")
    assert (export.period_start, export.period_end) == (PERIOD.first_day, PERIOD.last_day)
    assert export.sha256 in row and "1.464,53" in row

    download = client.get(f"/c/acme/saft/{export.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert export.download_name in download["Content-Disposition"]
    body = b"".join(download.streaming_content)
    assert body == stored
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert archive.namelist()[0].endswith(f"{PERIOD.year}{PERIOD.month:02d}.xml")

    entry = AuditEntry.objects.get(action="saft.request")
    assert entry.outcome == AuditEntry.Outcome.OK and entry.target == PERIOD.key
    assert entry.username == "manager"


def test_a_finished_export_is_not_asked_about_again(month_with_sales):
    world = month_with_sales
    export = export_request(account=world.account, user=world.manager, period=PERIOD).export
    while export.is_pending:
        export_advance(export=export)
    calls = SandboxSaftExport.objects.get().calls
    assert export_advance(export=export).state == "finished"
    assert SandboxSaftExport.objects.get().calls == calls


def test_a_refused_period_fails_with_the_services_message(live_company):
    # The form never lets a year before 2008 through; the service refuses it (422) too.
    outcome = export_request(
        account=live_company.account, user=live_company.manager, period=Period(1999, 12)
    )
    export = outcome.export
    assert export.is_failed and export.completed_at is not None
    assert words(export.message) == "InvoiceXpress refused it (422)."
    entry = AuditEntry.objects.get()
    assert entry.outcome == AuditEntry.Outcome.FAILED and entry.target == "1999-12"


def test_a_failed_generation_offers_a_retry_that_makes_a_new_export(client, live_company):
    faults.inject("acme", "saft_500", count=1)
    client.force_login(live_company.manager)
    response = client.post("/c/acme/saft/request/", {"month": PERIOD.month, "year": PERIOD.year}, follow=True)  # fmt: skip
    failed = SaftExport.objects.get()
    assert failed.is_failed and "Error generating SAF-T. Please try again." in failed.said
    assert "request the SAF-T again" in words(failed.message)
    page = response.content.decode()
    assert "Error generating SAF-T" in page and ">Retry</button>" in page

    # Retry is a new request for that month; the failed one stays in the history.
    client.post("/c/acme/saft/request/", {"month": PERIOD.month, "year": PERIOD.year})
    retry = SaftExport.objects.exclude(pk=failed.pk).get()
    while retry.is_pending:
        _htmx(client, f"/c/acme/saft/{retry.pk}/")
        retry.refresh_from_db()
    assert retry.is_ready
    failed.refresh_from_db()
    assert failed.is_failed
    assert [e.outcome for e in AuditEntry.objects.order_by("pk")] == ["failed", "ok"]


def test_asking_again_joins_the_pending_export_and_a_finished_one_gets_a_sibling(live_company):
    world = live_company
    first = export_request(account=world.account, user=world.manager, period=PERIOD)
    second = export_request(account=world.account, user=world.superuser, period=PERIOD)
    assert second.joined and second.export.pk == first.export.pk
    assert SaftExport.objects.count() == 1
    assert AuditEntry.objects.filter(action="saft.request").count() == 2
    assert "Joined export" in AuditEntry.objects.first().text

    export = first.export
    while export.is_pending:
        export_advance(export=export)
    third = export_request(account=world.account, user=world.manager, period=PERIOD)
    assert not third.joined and third.export.pk != export.pk
    assert SaftExport.objects.count() == 2
    export.refresh_from_db()
    assert export.is_ready  # history is never overwritten


def test_a_passing_failure_keeps_it_pending_and_counts_the_attempt(live_company, settings):
    world = live_company
    export = export_request(account=world.account, user=world.manager, period=PERIOD).export
    faults.inject("acme", "503", count=1)
    advance = export_advance(export=export)
    assert advance.transient and export.is_pending and export.attempts == 2
    assert "503" in words(export.message) and "keeps trying" in words(export.message)

    settings.IXPORTAL_READ_TIMEOUT = 0.3
    faults.inject("acme", "timeout", count=1, timeout_seconds=1)
    advance = export_advance(export=export)
    assert advance.transient and export.is_pending and export.attempts == 3
    assert "did not answer in time" in words(export.message)
    _wait_for_sandbox_calls(3)  # the sandbox still answers the request we gave up on

    while export.is_pending:
        export_advance(export=export)
    assert export.is_ready


def test_a_wrong_api_key_fails_it_with_a_message_for_managers(client, live_company):
    world = live_company
    world.account.api_key = "not-the-key"
    world.account.save()
    client.force_login(world.manager)
    response = client.post("/c/acme/saft/request/", {"month": PERIOD.month, "year": PERIOD.year}, follow=True)  # fmt: skip
    export = SaftExport.objects.get()
    assert export.is_failed and "(401)" in words(export.message)
    assert "correct the company's API key" in words(export.message)
    assert "not-the-key" not in response.content.decode()


def test_past_the_maximum_wait_it_asks_once_more_and_gives_up_if_still_generating(client, live_company, settings):  # fmt: skip
    settings.IXPORTAL_SAFT_MAX_WAIT_SECONDS = 600
    world = live_company
    export = export_request(account=world.account, user=world.manager, period=PERIOD).export
    calls = SandboxSaftExport.objects.get().calls
    client.force_login(world.viewer)  # anyone watching the row moves it on
    with time_machine.travel(export.requested_at + dt.timedelta(seconds=601)):
        row = _htmx(client, f"/c/acme/saft/{export.pk}/").content.decode()
    export.refresh_from_db()
    assert SandboxSaftExport.objects.get().calls == calls + 1  # asked, answered 202
    assert export.is_failed and "within 10 minutes" in words(export.message)
    assert "hx-trigger" not in row and "within 10 minutes" in row


def test_past_the_maximum_wait_a_file_that_is_ready_is_archived_not_failed(client, live_company, settings):  # fmt: skip
    # Nobody polled for a while (the tab was closed, no cron) while InvoiceXpress finished.
    settings.IXPORTAL_SAFT_MAX_WAIT_SECONDS = 600
    world = live_company
    world.sandbox.saft_pending_calls = 1
    world.sandbox.save()
    export = export_request(account=world.account, user=world.manager, period=PERIOD).export
    assert export.is_pending
    client.force_login(world.viewer)
    with time_machine.travel(export.requested_at + dt.timedelta(minutes=45)):
        row = _htmx(client, f"/c/acme/saft/{export.pk}/").content.decode()
    export.refresh_from_db()
    assert export.is_ready and export.attempts == 2 and 'data-status="ready"' in row


def test_an_export_queued_for_all_my_companies_starts_its_clock_at_its_first_check(live_company, settings):  # fmt: skip
    settings.IXPORTAL_SAFT_MAX_WAIT_SECONDS = 600
    world = live_company
    export = export_queue(account=world.account, user=world.manager, period=PERIOD).export
    assert not SandboxSaftExport.objects.exists()  # InvoiceXpress not asked yet
    later = export.requested_at + dt.timedelta(minutes=45)
    with time_machine.travel(later):
        export_advance(export=export)  # the first check: generation starts now
    assert export.is_pending and export.first_checked_at == later
    with time_machine.travel(later + dt.timedelta(seconds=5)):
        export_advance(export=export)  # 202 again: early days, not 45 minutes
    assert export.is_pending and export.attempts == 2


def test_the_command_advances_every_pending_export_without_a_browser(live_company):
    world = live_company
    world.sandbox.saft_pending_calls = 1
    world.sandbox.save()
    older = export_request(account=world.account, user=world.manager, period=PERIOD.previous()).export  # fmt: skip
    newer = export_request(account=world.account, user=world.manager, period=PERIOD).export
    out = io.StringIO()
    call_command("saft_poll", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"acme {PERIOD.previous().key} #{older.pk}: ready")
    assert lines[1].startswith(f"acme {PERIOD.key} #{newer.pk}: ready")
    assert SaftExport.objects.pending().count() == 0

    out = io.StringIO()
    call_command("saft_poll", stdout=out)
    assert out.getvalue() == "no pending SAF-T exports\n"


def test_all_my_companies_requests_the_month_for_each_company_i_manage(client, live_company):
    from invoices.models import Membership, Role
    from sandbox.models import SandboxAccount

    world = live_company
    world.sandbox.saft_pending_calls = 0
    world.sandbox.save()
    SandboxAccount.objects.create(account_name="globex", api_key="globex-key", saft_pending_calls=1)  # fmt: skip
    world.other_account.base_url = f"{world.live_server.url}/sandbox/globex"
    world.other_account.save()
    Membership.objects.create(user=world.manager, account=world.other_account, role=Role.MANAGER)
    client.force_login(world.manager)
    response = client.post("/saft/request/", {"month": PERIOD.month, "year": PERIOD.year}, follow=True)  # fmt: skip
    assert response.redirect_chain == [("/saft/", 302)]
    # Only the rows are made in the request; InvoiceXpress is asked by their polls.
    assert not SandboxSaftExport.objects.exists()
    assert sorted(SaftExport.objects.values_list("account__slug", "status", "attempts")) == [
        ("acme", "pending", 0),
        ("globex", "pending", 0),
    ]
    page = response.content.decode()
    assert "was requested for Acme, Lda., Globex, S.A." in page
    audited = AuditEntry.objects.filter(action="saft.request").values_list(
        "account__slug", "target"
    )
    assert sorted(audited) == [("acme", PERIOD.key), ("globex", PERIOD.key)]

    # Each row's poll moves its own company on: acme's file is ready at once, globex's next.
    for export in SaftExport.objects.all():
        assert f'hx-get="/saft/exports/{export.pk}/"' in page
        while export.is_pending:
            _htmx(client, f"/saft/exports/{export.pk}/")
            export.refresh_from_db()
    assert sorted(SaftExport.objects.values_list("account__slug", "status", "attempts")) == [
        ("acme", "ready", 1),
        ("globex", "ready", 2),
    ]


def test_the_services_own_words_are_quoted_and_ours_read_in_the_readers_language(
    client, live_company
):
    from django.conf import settings as django_settings

    world = live_company
    export = export_request(account=world.account, user=world.manager, period=PERIOD).export
    export_advance(export=export)  # the sandbox answers 202 with its own message
    assert export.is_pending
    # A code (msgid + params), not a translation.
    assert export.message == [{"msgid": "InvoiceXpress is generating the file.", "params": {}}]
    assert "Please keep requesting until you get back the url." in export.said

    client.force_login(world.manager)
    url = "/c/acme/saft/"  # the exports list, a row per export
    english = client.get(url).content.decode()
    assert "InvoiceXpress is generating the file." in english
    assert "InvoiceXpress said: “The SAF-T file generation was started." in english
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "pt-pt"
    portuguese = client.get(url).content.decode()
    assert "O InvoiceXpress está a gerar o ficheiro." in portuguese
    assert "Please keep requesting until you get back the url." in portuguese  # quoted as sent
