"""Finalizing many drafts at once: a job, oldest first, one at a time, one outcome per draft.

Jobs run inline here (test settings); tests/jobs/test_worker.py runs them in real workers.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from invoices.models import AuditEntry, Job
from invoices.sentences import render_sentences as words
from sandbox import faults
from tests.lifecycle.helpers import HTMX, create_draft, sandbox_doc

URL = "/c/acme/documents/finalize/"


@pytest.fixture
def manager(client, live_company):
    client.force_login(live_company.manager)
    return client


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def result_rows(html: str) -> list[tuple[int, str]]:
    table = html.split('id="job-item-table"')[1]
    return [
        (int(i), outcome)
        for i, outcome in re.findall(r'data-item-key="(\d+)" data-outcome="(\w+)"', table)
    ]


def last_job() -> Job:
    return Job.objects.latest("pk")


def test_the_page_lists_the_drafts_oldest_first_with_checkboxes(manager, live_company):
    newer = create_draft(live_company, date=days_ago(1))
    older = create_draft(live_company, date=days_ago(4))
    final = create_draft(live_company)
    live_company.account.client().change_state("invoices", final.id, "finalized")
    html = manager.get(URL).content.decode()
    listed = [int(i) for i in re.findall(r'name="documents" value="(\d+)"', html)]
    assert listed == [older.id, newer.id]
    assert "2 drafts, oldest first" in html
    assert 'hx-target="#bulk-finalize-results"' in html
    ticked = manager.get(URL + "?select=all").content.decode()
    assert ticked.count("checked") == 2


def test_drafts_are_finalized_in_date_order_whatever_order_they_were_made(manager, live_company):
    a = create_draft(live_company, date=days_ago(1))
    b = create_draft(live_company, date=days_ago(5))
    c = create_draft(live_company, date=days_ago(3))
    d = create_draft(live_company, date=days_ago(5))  # same day as b: ties go by id
    response = manager.post(URL, {"documents": [a.id, b.id, c.id, d.id]}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="bulk-finalize-results"')
    order = [b.id, d.id, c.id, a.id]
    assert result_rows(html) == [(i, "finalized") for i in order]
    numbers = [sandbox_doc(i).number for i in order]
    assert numbers == [1, 2, 3, 4]
    year = timezone.localdate().year
    for i in order:
        stored = sandbox_doc(i)
        assert f"FT {year}/{stored.number}" in html and stored.atcud in html
    job = last_job()
    assert (job.status, job.done, job.total, job.summary) == ("done", 4, 4, {"finalized": 4})
    assert f'id="job-{job.pk}-progress"' in html and "hx-trigger" not in html.split("job-items")[0]
    # The draft list comes back out of band, without the finalized ones.
    assert 'id="bulk-finalize-form" class="mt-3" hx-swap-oob="outerHTML"' in html
    assert "no drafts to finalize" in html
    entries = AuditEntry.objects.filter(action="document.finalize").order_by("pk")
    assert [e.document_id for e in entries] == order
    assert {e.outcome for e in entries} == {"ok"}


def series_ids(company) -> tuple[str, str]:
    """The invoice counter of the default series, and of a second series "B"."""
    client = company.account.client()
    (default,) = client.list_sequences()
    other = client.create_sequence("B", make_default=False)
    return default.counter("invoice").sequence_id, other.counter("invoice").sequence_id


def test_a_refusal_holds_back_its_series_but_not_other_types(manager, live_company):
    first = create_draft(live_company)
    live_company.account.client().change_state("invoices", first.id, "finalized")
    too_old = create_draft(live_company, date=days_ago(2))  # before the series' last date
    b = create_draft(live_company, "invoice_receipts")
    c = create_draft(live_company)
    html = manager.post(URL, {"documents": [c.id, too_old.id, b.id]}, headers=HTMX).content.decode()
    assert result_rows(html) == [
        (too_old.id, "refused"),
        (b.id, "finalized"),
        (c.id, "not_attempted"),
    ]
    assert "Date can&#x27;t be earlier than" in html
    assert f"an earlier draft of this series (Invoice {too_old.id}) could not be finalized" in html
    assert sandbox_doc(too_old.id).status == "draft"
    assert sandbox_doc(c.id).status == "draft"
    assert last_job().summary == {"refused": 1, "finalized": 1, "not_attempted": 1}
    # The refused and the held-back drafts stay in the list.
    assert f'name="documents" value="{too_old.id}"' in html
    assert f'name="documents" value="{c.id}"' in html


@pytest.mark.parametrize(("mode", "outcome"), [("422_a", "refused"), ("500", "unknown")])
def test_a_draft_that_fails_is_never_overtaken_by_a_later_one_of_its_series(
    manager, live_company, mode, outcome
):
    default_series, series_b = series_ids(live_company)
    older = create_draft(live_company, date=days_ago(3), sequence_id=series_b)
    on_default = create_draft(live_company, date=days_ago(2), sequence_id=default_series)
    receipt = create_draft(live_company, "invoice_receipts", date=days_ago(2))
    newer = create_draft(live_company, date=days_ago(1), sequence_id=series_b)
    faults.inject("acme", mode, count=1, path_prefix=f"invoices/{older.id}/change-state")
    chosen = [older.id, on_default.id, receipt.id, newer.id]
    html = manager.post(URL, {"documents": chosen}, headers=HTMX).content.decode()
    assert result_rows(html) == [
        (older.id, outcome),
        (on_default.id, "finalized"),  # another series of the same type goes on
        (receipt.id, "finalized"),  # and so does another type
        (newer.id, "not_attempted"),
    ]
    assert "finalizing a later one would block it for good" in html
    assert sandbox_doc(older.id).status == "draft"
    assert sandbox_doc(newer.id).status == "draft"
    # So the older one can still be finalized once the cause is gone, and then the newer.
    faults.clear("acme")
    again = manager.post(URL, {"documents": [older.id, newer.id]}, headers=HTMX)
    assert result_rows(again.content.decode()) == [
        (older.id, "finalized"),
        (newer.id, "finalized"),
    ]
    assert (sandbox_doc(older.id).number, sandbox_doc(newer.id).number) == (1, 2)


def test_a_timeout_stops_the_batch_and_the_rest_are_not_attempted(manager, live_company, settings):
    settings.IXPORTAL_READ_TIMEOUT = 0.5
    a = create_draft(live_company, date=days_ago(3))
    b = create_draft(live_company, date=days_ago(2))
    c = create_draft(live_company, date=days_ago(1))
    faults.inject(
        "acme", "timeout", path_prefix=f"invoices/{b.id}/change-state", timeout_seconds=1.0
    )
    html = manager.post(URL, {"documents": [a.id, b.id, c.id]}, headers=HTMX).content.decode()
    assert result_rows(html) == [(a.id, "finalized"), (b.id, "unknown"), (c.id, "not_attempted")]
    assert "we do not know whether the document was finalized" in html
    assert sandbox_doc(c.id).status == "draft"
    outcomes = dict(
        AuditEntry.objects.filter(action="document.finalize").values_list("document_id", "outcome")
    )
    assert outcomes == {a.id: "ok", b.id: "unknown"}


def test_the_whole_selection_is_finalized_however_long_it_takes(manager, live_company):
    drafts = [create_draft(live_company, date=days_ago(3 - n)) for n in range(3)]
    faults.set_latency("acme", 300)  # slow calls: no run stops half-way any more
    html = manager.post(URL, {"documents": [d.id for d in drafts]}, headers=HTMX).content.decode()
    assert result_rows(html) == [(d.id, "finalized") for d in drafts]
    job = last_job()
    assert (job.status, job.done, job.total, job.runs) == ("done", 3, 3, 1)
    assert job.started_by == live_company.manager and job.account == live_company.account


def test_a_write_interrupted_by_anything_is_audited_and_never_sent_twice(
    manager, live_company, monkeypatch
):
    from invoices.invoicexpress.client import InvoiceXpressClient
    from invoices.jobs.runner import job_run
    from sandbox.models import SandboxRequest

    a = create_draft(live_company, date=days_ago(3))
    b = create_draft(live_company, date=days_ago(2))
    c = create_draft(live_company, date=days_ago(1))
    change_state = InvoiceXpressClient.change_state

    def killed_after_the_write(self, doc_type, doc_id, *args, **kwargs):
        changed = change_state(self, doc_type, doc_id, *args, **kwargs)
        if doc_id == b.id:  # as when a worker is stopped while waiting for the answer
            raise SystemExit(1)
        return changed

    monkeypatch.setattr(InvoiceXpressClient, "change_state", killed_after_the_write)
    manager.post(URL, {"documents": [a.id, b.id, c.id]}, headers=HTMX)
    assert sandbox_doc(b.id).status == "final"  # the write went through: it must be on record
    entries = AuditEntry.objects.filter(action="document.finalize").order_by("pk")
    assert [(e.document_id, e.outcome) for e in entries] == [(a.id, "ok"), (b.id, "unknown")]
    assert "SystemExit" in entries[1].text and "do not know" in entries[1].text
    job = last_job()
    assert job.status == "running" and job.items.get(key=str(b.id)).outcome == "started"

    # The worker is gone; its lease runs out and another run takes the job over.
    monkeypatch.setattr(InvoiceXpressClient, "change_state", change_state)
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert job_run(job.pk) == "done"
    job.refresh_from_db()
    assert (job.status, job.runs, job.summary) == ("done", 2, {"finalized": 3})
    assert words(job.items.get(key=str(b.id)).message).startswith(
        "Finalized before the worker restarted"
    )
    puts = SandboxRequest.objects.filter(method="PUT").values_list("path", flat=True)
    assert sorted(puts) == sorted(f"invoices/{d.id}/change-state.json" for d in (a, b, c))
    recognised = AuditEntry.objects.filter(document_id=b.id, outcome="ok").get()
    assert "not sent twice" in recognised.text
    assert job_run(job.pk) == "nothing to do"  # a finished job is never run again


def test_a_draft_that_is_no_longer_one_is_skipped(manager, live_company):
    a = create_draft(live_company)
    gone = create_draft(live_company)
    live_company.account.client().change_state("invoices", gone.id, "deleted")
    html = manager.post(URL, {"documents": [a.id, gone.id]}, headers=HTMX).content.decode()
    assert result_rows(html) == [(a.id, "finalized"), (gone.id, "skipped")]
    assert "No longer a draft" in html


def test_nothing_chosen_is_a_form_error(manager, live_company):
    create_draft(live_company)
    response = manager.post(URL, {}, headers=HTMX)
    assert response.status_code == 200
    assert "Choose at least one draft." in response.content.decode()
    bad = manager.post(URL, {"documents": ["x"]}, headers=HTMX).content.decode()
    assert "The selection is not valid" in bad


def test_without_javascript_the_browser_goes_to_the_jobs_page(manager, live_company):
    a = create_draft(live_company)
    response = manager.post(URL, {"documents": [a.id]}, follow=True)
    html = response.content.decode()
    job = last_job()
    assert response.redirect_chain == [(f"/c/acme/jobs/{job.pk}/", 302)]
    assert "<html" in html and result_rows(html) == [(a.id, "finalized")]


def test_a_wrong_api_key_finalizes_nothing_and_says_why(manager, live_company):
    a = create_draft(live_company)
    live_company.account.api_key = "wrong"
    live_company.account.save()
    html = manager.post(URL, {"documents": [a.id]}, headers=HTMX).content.decode()
    assert "(401)" in html
    assert sandbox_doc(a.id).status == "draft"
    assert "(401)" in manager.get(URL).content.decode()


@pytest.mark.parametrize("who", ["clerk", "viewer"])
def test_only_managers_may_finalize_in_bulk(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"documents": ["1"]}).status_code == 403


def test_an_outsider_gets_404(client, cast):
    client.force_login(cast.outsider)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"documents": ["1"]}).status_code == 404


def test_item_messages_are_stored_as_codes_and_read_in_portuguese(manager, live_company):
    first = create_draft(live_company)
    live_company.account.client().change_state("invoices", first.id, "finalized")
    too_old = create_draft(live_company, date=days_ago(2))  # before the series' last date
    later = create_draft(live_company)
    manager.post(URL, {"documents": [later.id, too_old.id]}, headers=HTMX)
    job = last_job()
    refused = job.items.get(key=str(too_old.id))
    held = job.items.get(key=str(later.id))
    # Ours as codes (msgid + params), never English; the service's words apart, as sent.
    assert [i["msgid"] for i in refused.message] == ["InvoiceXpress refused it (422)."]
    assert "Date can't be earlier than" in refused.said
    # The held-back draft is named by type and number, the type read in the reader's language.
    assert held.message[0]["params"] == {
        "draft": {"doc_type": "Invoice", "number": str(too_old.id)}
    }
    assert held.said == ""

    html = manager.get(
        f"/c/acme/jobs/{job.pk}/", headers={"Accept-Language": "pt-pt"}
    ).content.decode()
    assert "O InvoiceXpress recusou-o (422)." in html
    assert "InvoiceXpress refused it" not in html
    assert "O InvoiceXpress disse: «Date can&#x27;t be earlier than" in html  # quoted, as sent
    assert "Não tentado" in html and "Not attempted" not in html
    assert f"(Fatura {too_old.id})" in html and f"Invoice {too_old.id}" not in html
