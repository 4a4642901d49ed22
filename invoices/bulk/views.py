"""The list's bulk actions: each starts a background job and answers with its progress bar
(htmx, into #bulk-jobs under the buttons) or, without JavaScript, goes to the job's page."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from invoices.access import get_account_for_user
from invoices.bulk.emails import bulk_email_start
from invoices.bulk.pdfs import bulk_pdf_start
from invoices.bulk.selection import MAX_SELECTION, Selection, parse_selections
from invoices.htmx import HtmxHttpRequest, is_fragment_request, private_response
from invoices.jobs.models import Job
from invoices.models import Account, Role

FRAGMENT = "invoices/bulk/_bulk_job.html"


def _picked(request: HtmxHttpRequest) -> tuple[list[Selection], str]:
    """The selections, or none and why not."""
    selections = parse_selections(request.POST.getlist("doc"))
    if not selections:
        return [], _("Select at least one document first.")
    if len(selections) > MAX_SELECTION:
        return [], _("Select at most %(max)s documents at a time.") % {"max": MAX_SELECTION}
    return selections, ""


def _back(request: HtmxHttpRequest, account: Account) -> str:
    list_url = reverse("invoices:document_list", args=[account.slug])
    back = request.POST.get("back", "")
    return back if back.startswith(list_url) else list_url


def _refused(request: HtmxHttpRequest, account: Account, message: str) -> HttpResponse:
    """Nothing started: the message under the buttons (htmx, 200), or back to the list."""
    if is_fragment_request(request):
        return private_response(
            render(request, FRAGMENT, {"account": account, "refusal": message, **_fresh()})
        )
    messages.error(request, message)
    return private_response(redirect(_back(request, account)))


def _started(request: HtmxHttpRequest, account: Account, job: Job) -> HttpResponse:
    if not is_fragment_request(request):  # without JavaScript: watch it on its page
        return private_response(redirect("invoices:job_detail", account.slug, job.pk))
    return private_response(render(request, FRAGMENT, {"account": account, "job": job, **_fresh()}))


def _fresh() -> dict[str, str]:
    """A new form token for the buttons (swapped in out of band): the next e-mail job
    from this page is a new one, not the resent form the old token guards against."""
    return {"bulk_token": uuid.uuid4().hex}


@require_POST
@login_required
def document_bulk_pdf(request: HtmxHttpRequest, account_slug: str) -> HttpResponse:
    account = get_account_for_user(request, account_slug)
    selections, refusal = _picked(request)
    if refusal:
        return _refused(request, account, refusal)
    job = bulk_pdf_start(account=account, user=request.user, selections=selections)
    return _started(request, account, job)


@require_POST
@login_required
def document_bulk_email(request: HtmxHttpRequest, account_slug: str) -> HttpResponse:
    account = get_account_for_user(request, account_slug, role=Role.CLERK)
    selections, refusal = _picked(request)
    if refusal:
        return _refused(request, account, refusal)
    token = request.POST.get("token", "")
    # A resent form (double click, reload) must not start a second job e-mailing everyone
    # again: the token is claimed in the shared cache (Redis in production), so every
    # process sees it.
    if not token or not cache.add(f"ixportal:bulk-email:{account.pk}:{token[:64]}", 1, 24 * 3600):
        return _refused(request, account, _("These e-mails were already sent from this form."))
    job = bulk_email_start(account=account, user=request.user, selections=selections)
    return _started(request, account, job)
