"""Watching jobs: the company's recent jobs (managers), a job's page, its progress bar.

The progress bar (`_progress.html`) polls `job_progress` only while the job runs: the
finished fragment has no hx-trigger, so polling stops by itself (STYLE 23), and its answer
tells the page `jobFinished` so the item table reloads once.
"""

from __future__ import annotations

import os

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET
from django_htmx.http import trigger_client_event

from invoices.access import get_account_for_user
from invoices.htmx import (
    HtmxHttpRequest,
    is_fragment_request,
    private_response,
    render_page_or_fragment,
)
from invoices.jobs.models import Job
from invoices.models import Account, Role

RECENT = 50


def _get_job_for_account(account: Account, job_id: int) -> Job:
    """The job if it belongs to `account` (whose membership was already checked), else 404."""
    job = Job.objects.select_related("started_by").filter(account=account, pk=job_id).first()
    if job is None:
        raise Http404("No such job.")
    return job


@require_GET
@login_required
def job_list(request: HtmxHttpRequest, account_slug: str) -> HttpResponse:
    account = get_account_for_user(request, account_slug, role=Role.MANAGER)
    jobs = Job.objects.for_account(account).recent().select_related("started_by")[:RECENT]
    return private_response(
        render(request, "invoices/jobs/job_list.html", {"account": account, "jobs": jobs})
    )


@require_GET
@login_required
def job_detail(request: HtmxHttpRequest, account_slug: str, job_id: int) -> HttpResponse:
    account = get_account_for_user(request, account_slug)
    job = _get_job_for_account(account, job_id)
    context = {"account": account, "job": job, "items": job.items.all()}
    return render_page_or_fragment(
        request,
        page="invoices/jobs/job_detail.html",
        fragment="invoices/jobs/_items.html",
        context=context,
    )


@require_GET
@login_required
def job_progress(request: HtmxHttpRequest, account_slug: str, job_id: int) -> HttpResponse:
    account = get_account_for_user(request, account_slug)
    job = _get_job_for_account(account, job_id)
    if not is_fragment_request(request):
        return private_response(redirect("invoices:job_detail", account.slug, job.pk))
    response = render(request, "invoices/jobs/_progress.html", {"account": account, "job": job})
    if not job.is_running:
        trigger_client_event(response, "jobFinished", {"job": job.pk})
    return private_response(response)


@require_GET
@login_required
def job_result(request: HtmxHttpRequest, account_slug: str, job_id: int) -> FileResponse:
    """A finished job's result file (a zip of PDFs), from our storage, to members of its
    company only: MEDIA_ROOT is never served publicly."""
    account = get_account_for_user(request, account_slug)
    job = _get_job_for_account(account, job_id)
    if job.status != Job.Status.DONE or not job.result_file:
        raise Http404("This job has no result file.")
    try:
        handle = job.result_file.open("rb")
    except FileNotFoundError:
        raise Http404("The result file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=os.path.basename(job.result_file.name),
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return private_response(response)
