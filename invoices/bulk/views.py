"""The list's bulk actions, run in the request for small selections until the background
jobs (issue 12) run `build_pdf_zip` and `email_documents` with progress."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from invoices.access import get_account_for_user
from invoices.bulk.emails import email_documents
from invoices.bulk.pdfs import build_pdf_zip
from invoices.bulk.selection import BulkResult, parse_selections
from invoices.htmx import private_response
from invoices.models import Role

MAX_IN_REQUEST = 20  # more than this waits for the background jobs


def _picked(request: HttpRequest, list_url: str):
    selections = parse_selections(request.POST.getlist("doc"))
    if not selections:
        messages.error(request, _("Select at least one document first."))
        return None
    if len(selections) > MAX_IN_REQUEST:
        messages.error(
            request,
            _("Select at most %(max)s documents at a time for now.") % {"max": MAX_IN_REQUEST},
        )
        return None
    return selections


def _back(request: HttpRequest, account) -> str:
    list_url = reverse("invoices:document_list", args=[account.slug])
    back = request.POST.get("back", "")
    return back if back.startswith(list_url) else list_url


@require_POST
@login_required
def document_bulk_pdf(request: HttpRequest, account_slug: str) -> HttpResponse:
    account = get_account_for_user(request, account_slug)
    back = _back(request, account)
    selections = _picked(request, back)
    if selections is None:
        return redirect(back)
    result = build_pdf_zip(account, selections, user=request.user)
    if not result.done:
        _report(request, result, _("No PDF could be fetched."))
        return redirect(back)
    response = HttpResponse(result.content, content_type="application/zip")
    name = f"{account.slug}-pdf-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    private_response(response)
    return response


@require_POST
@login_required
def document_bulk_email(request: HttpRequest, account_slug: str) -> HttpResponse:
    account = get_account_for_user(request, account_slug, role=Role.CLERK)
    back = _back(request, account)
    selections = _picked(request, back)
    if selections is None:
        return redirect(back)
    token = request.POST.get("token", "")
    # A resent form (double click, reload) must not e-mail everyone again: the token is
    # claimed in the shared cache (Redis in production), so every process sees it.
    if not token or not cache.add(f"ixportal:bulk-email:{account.pk}:{token[:64]}", 1, 24 * 3600):
        messages.warning(request, _("These e-mails were already sent from this form."))
        return redirect(back)
    result = email_documents(account, selections, request.user)
    if result.done:
        count = len(result.done)
        messages.success(
            request,
            ngettext(
                "%(count)s document e-mailed to its client.",
                "%(count)s documents e-mailed to their clients.",
                count,
            )
            % {"count": count},
        )
    _report(request, result, "")
    return redirect(back)


def _report(request: HttpRequest, result: BulkResult, headline: str) -> None:
    if not result.failed:
        return
    details = "; ".join(f"{o.label}: {o.message}" for o in result.failed)
    messages.warning(request, " ".join(filter(None, [headline, _("Not done:"), details])))
