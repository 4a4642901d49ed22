"""Bulk on the list: the PDFs of selected documents as one zip, and e-mailing each to its
client, both as background jobs (inline here: the job has finished when the request ends)."""

from __future__ import annotations

import io
import re
import zipfile

from django.utils import timezone

from invoices.bulk.emails import bulk_email_start
from invoices.bulk.pdfs import bulk_pdf_start
from invoices.bulk.selection import MAX_SELECTION, Selection, parse_selections
from invoices.jobs.models import Job, JobItem
from invoices.jobs.runner import job_run
from invoices.lifecycle.pdf import pdf_filename
from invoices.models import AuditEntry, SentEmail
from invoices.sentences import render_sentences as words
from sandbox.models import SandboxEmail
from tests.lifecycle.helpers import create_draft
from tests.payments.helpers import final_invoice

HTMX = {"HX-Request": "true"}


def outcomes(job: Job) -> dict[str, str]:
    return dict(job.items.values_list("key", "outcome"))


def test_selections_are_parsed_strictly():
    picked = parse_selections(
        ["invoices:3", "invoices:3", "quotes:4", "nope:1", "invoices:x", "invoices:0"]
    )
    assert picked == [Selection("invoices", 3), Selection("quotes", 4)]
    # Reading stops one past the limit, so "too many" shows without holding a huge POST.
    many = parse_selections(f"invoices:{n}" for n in range(1, 10_000))
    assert len(many) == MAX_SELECTION + 1


def test_the_zip_job_zips_each_pdf_and_names_what_failed(live_company, settings):
    settings.IXPORTAL_BULK_PDF_WAITS = (0.01, 0.01)
    live_company.sandbox.pdf_pending_calls = 1  # the service answers 202 once per PDF
    live_company.sandbox.save(update_fields=["pdf_pending_calls"])
    one, two = final_invoice(live_company), final_invoice(live_company)
    draft = create_draft(live_company)
    selections = [Selection("invoices", d.id) for d in (one, draft, two)]

    job = bulk_pdf_start(
        account=live_company.account, user=live_company.viewer, selections=selections
    )

    job.refresh_from_db()
    assert job.status == "done" and (job.done, job.total) == (3, 3)
    assert job.summary == {"included": 2, "missing": 1}
    assert outcomes(job) == {
        f"invoices:{one.id}": "included",
        f"invoices:{draft.id}": "missing",
        f"invoices:{two.id}": "included",
    }
    with job.result_file.open("rb") as stored:
        archive = zipfile.ZipFile(io.BytesIO(stored.read()))
    names = sorted(archive.namelist())
    assert names == sorted([pdf_filename(one, False), pdf_filename(two, False), "LEIA-ME.txt"])
    assert all(archive.read(n).startswith(b"%PDF") for n in names if n.endswith(".pdf"))
    assert "draft" in archive.read("LEIA-ME.txt").decode().lower()
    assert job.result_file.name.endswith(f"acme-pdf-{timezone.localdate():%Y-%m-%d}.zip")
    assert AuditEntry.objects.filter(action="document.pdf", outcome="ok").count() == 2


def test_a_zip_job_with_no_pdf_at_all_has_no_file(live_company):
    draft = create_draft(live_company)
    job = bulk_pdf_start(
        account=live_company.account,
        user=live_company.viewer,
        selections=[Selection("invoices", draft.id)],
    )
    job.refresh_from_db()
    assert job.status == "done" and job.summary == {"missing": 1} and not job.result_file


def test_the_email_job_sends_each_to_its_client_and_skips_the_rest(live_company):
    with_email = final_invoice(live_company, client={"name": "Com E-mail", "email": "a@cliente.pt"})
    without = final_invoice(live_company, client={"name": "Sem E-mail"})
    draft = create_draft(live_company, client={"name": "Rascunho", "email": "r@cliente.pt"})

    job = bulk_email_start(
        account=live_company.account,
        user=live_company.clerk,
        selections=[Selection("invoices", d.id) for d in (with_email, without, draft)],
    )

    job.refresh_from_db()
    assert job.status == "done" and job.done == 3
    assert job.summary == {"emailed": 1, "skipped": 2}
    items = {i.key: i for i in job.items.all()}
    assert items[f"invoices:{with_email.id}"].outcome == "emailed"
    assert "no e-mail" in words(items[f"invoices:{without.id}"].message)
    assert "finalized" in words(items[f"invoices:{draft.id}"].message)
    assert items[f"invoices:{with_email.id}"].message == [
        {"msgid": "Sent to %(to)s.", "params": {"to": "a@cliente.pt"}}
    ]
    assert items[f"invoices:{with_email.id}"].data["client"] == "Com E-mail"
    assert [SandboxEmail.objects.get().to] == ["a@cliente.pt"]
    sent = SentEmail.objects.get()
    assert sent.subject.startswith("Fatura ") and sent.user == live_company.clerk
    assert AuditEntry.objects.filter(action="document.email", outcome="ok").count() == 1


def test_a_taken_over_email_job_never_sends_a_document_twice(live_company):
    """A worker died mid-job: one send recorded, one started with no record, one to do."""
    recorded, lost, todo = (
        final_invoice(live_company, client={"name": n, "email": f"{n}@cliente.pt"})
        for n in ("gravado", "perdido", "porfazer")
    )
    job = Job.objects.create(
        account=live_company.account,
        started_by=live_company.clerk,
        kind=Job.Kind.BULK_EMAIL,
        status=Job.Status.RUNNING,
        total=3,
        lease_owner="dead",
        runs=1,
        params={"language": "pt"},
    )
    for n, doc in enumerate((recorded, lost, todo)):
        JobItem.objects.create(
            job=job,
            position=n,
            key=f"invoices:{doc.id}",
            data={"type": "invoices"},
            outcome=JobItem.STARTED if doc is not todo else JobItem.PENDING,
        )
    # The dead worker's send of `recorded` got its answer recorded, not the item's outcome.
    SentEmail.objects.create(
        account=live_company.account,
        document_type="invoices",
        document_id=recorded.id,
        to="gravado@cliente.pt",
        subject="Fatura",
        status=SentEmail.Status.SENT,
    )

    assert job_run(job.pk) == "done"

    job.refresh_from_db()
    assert job.runs == 2 and job.summary == {"emailed": 2, "unknown": 1}
    items = {i.key: i for i in job.items.all()}
    assert items[f"invoices:{recorded.id}"].outcome == "emailed"
    assert "may have sent it" in words(items[f"invoices:{lost.id}"].message)
    assert items[f"invoices:{todo.id}"].outcome == "emailed"
    # Only the one still to do went out now: nothing twice.
    assert [e.to for e in SandboxEmail.objects.all()] == ["porfazer@cliente.pt"]
    assert job_run(job.pk) == "nothing to do"  # finished: a late duplicate task sends nothing
    assert SandboxEmail.objects.count() == 1


def test_the_list_buttons_start_jobs_and_answer_with_their_progress(client, live_company):
    invoice = final_invoice(live_company, client={"name": "X", "email": "x@cliente.pt"})
    client.force_login(live_company.clerk)
    html = client.get("/c/acme/documents/").content.decode()
    assert f'value="invoices:{invoice.id}"' in html and 'id="bulk-email"' in html
    assert 'hx-target="#bulk-jobs"' in html and 'id="bulk-jobs"' in html
    picked = {"doc": [f"invoices:{invoice.id}"]}

    answer = client.post("/c/acme/documents/bulk/pdf/", picked, headers=HTMX).content.decode()

    job = Job.objects.get(kind=Job.Kind.BULK_PDF)
    assert f'id="job-{job.pk}-progress"' in answer and 'data-job-status="done"' in answer
    download = f"/c/acme/jobs/{job.pk}/result/"
    assert f'href="{download}"' in answer
    response = client.get(download)
    assert response["Content-Type"] == "application/zip"
    assert (
        f'filename="acme-pdf-{timezone.localdate():%Y-%m-%d}.zip"'
        in response["Content-Disposition"]
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == [pdf_filename(invoice, False)]

    token = re.search(r'name="token" value="(\w+)"', html)[1]
    form = {**picked, "token": token}
    answer = client.post("/c/acme/documents/bulk/email/", form, headers=HTMX).content.decode()
    job = Job.objects.get(kind=Job.Kind.BULK_EMAIL)
    assert f'id="job-{job.pk}-progress"' in answer and 'data-outcome="emailed"' in answer
    fresh = re.search(r'name="token" value="(\w+)" id="bulk-token" hx-swap-oob="true"', answer)[1]
    assert fresh != token
    again = client.post("/c/acme/documents/bulk/email/", form, headers=HTMX)
    assert again.status_code == 200 and "already sent from this form" in again.content.decode()
    assert SandboxEmail.objects.count() == 1 and Job.objects.filter(kind="bulk_email").count() == 1
    client.post("/c/acme/documents/bulk/email/", {**picked, "token": fresh}, headers=HTMX)
    assert SandboxEmail.objects.count() == 2  # the new token: a new, deliberate job


def test_without_javascript_the_buttons_lead_to_the_jobs_page(client, live_company):
    invoice = final_invoice(live_company, client={"name": "X", "email": "x@cliente.pt"})
    client.force_login(live_company.manager)
    picked = {"doc": [f"invoices:{invoice.id}"]}
    response = client.post("/c/acme/documents/bulk/pdf/", picked)
    job = Job.objects.get(kind=Job.Kind.BULK_PDF)
    assert response.status_code == 302 and response.url == f"/c/acme/jobs/{job.pk}/"
    page = client.get(response.url).content.decode()
    assert f'href="/c/acme/jobs/{job.pk}/result/"' in page
    response = client.post("/c/acme/documents/bulk/email/", {**picked, "token": "t1"})
    job = Job.objects.get(kind=Job.Kind.BULK_EMAIL)
    assert response.url == f"/c/acme/jobs/{job.pk}/" and job.items.get().outcome == "emailed"


def test_nothing_starts_without_a_selection_or_with_too_many(client, live_company):
    client.force_login(live_company.clerk)
    answer = client.post("/c/acme/documents/bulk/pdf/", {"doc": ["nope"]}, headers=HTMX)
    assert answer.status_code == 200 and "Select at least one document" in answer.content.decode()
    too_many = {"doc": [f"invoices:{n}" for n in range(1, MAX_SELECTION + 2)], "token": "t"}
    answer = client.post("/c/acme/documents/bulk/email/", too_many, headers=HTMX)
    assert f"at most {MAX_SELECTION} documents" in answer.content.decode()
    response = client.post("/c/acme/documents/bulk/pdf/", {}, follow=True)
    assert "Select at least one document" in response.content.decode()
    assert not Job.objects.exists()


def test_viewers_may_not_bulk_email_and_outsiders_see_nothing(client, live_company):
    invoice = final_invoice(live_company)
    picked = {"doc": [f"invoices:{invoice.id}"], "token": "t"}
    client.force_login(live_company.viewer)
    assert 'id="bulk-email"' not in client.get("/c/acme/documents/").content.decode()
    assert client.post("/c/acme/documents/bulk/email/", picked).status_code == 403
    client.force_login(live_company.outsider)
    assert client.post("/c/acme/documents/bulk/pdf/", picked).status_code == 404
    assert client.post("/c/acme/documents/bulk/email/", picked).status_code == 404
    assert not SandboxEmail.objects.exists() and not Job.objects.exists()


def test_only_members_of_the_company_download_its_zip(client, live_company):
    invoice = final_invoice(live_company)
    job = bulk_pdf_start(
        account=live_company.account,
        user=live_company.clerk,
        selections=[Selection("invoices", invoice.id)],
    )
    job.refresh_from_db()
    assert job.result_file
    url = f"/c/acme/jobs/{job.pk}/result/"
    assert client.get(url).status_code == 302  # signed out: to the sign-in page
    client.force_login(live_company.outsider)  # manages globex only
    assert client.get(url).status_code == 404
    assert client.get(f"/c/globex/jobs/{job.pk}/result/").status_code == 404  # not globex's
    client.force_login(live_company.superuser)  # a member of nothing
    assert client.get(url).status_code == 404
    client.force_login(live_company.viewer)  # any member of acme may
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    # A job without a file (still running, or nothing zipped) has nothing to download.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    assert client.get(url).status_code == 404
