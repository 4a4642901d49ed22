"""Estimates (quotes, proformas, fees notes) and guides (shipping, transport, devolution):
read-only lists from `GET /estimates.json` and `GET /guides.json`; a row opens the
document's page (documents.views.document_detail reads every family)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from invoices.access import get_account_for_user
from invoices.families.forms import FamilyFilterForm
from invoices.htmx import private_response
from invoices.invoicexpress.errors import InvoiceXpressError
from invoices.models import Account

TITLES = {"estimates": _("Estimates"), "guides": _("Guides")}


@require_GET
@login_required
def estimate_list(request: HttpRequest, account_slug: str) -> HttpResponse:
    account = get_account_for_user(request, account_slug)
    return _family_list(request, account, "estimates")


@require_GET
@login_required
def guide_list(request: HttpRequest, account_slug: str) -> HttpResponse:
    account = get_account_for_user(request, account_slug)
    return _family_list(request, account, "guides")


def _family_list(request: HttpRequest, account: Account, family: str) -> HttpResponse:
    form = FamilyFilterForm(request.GET, family=family)
    page, error = None, None
    if form.is_valid():
        try:
            page = account.client().list_documents(**form.upstream_filters())
        except InvoiceXpressError as exc:
            error = exc
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "account": account,
        "nav": family,
        "family": family,
        "title": TITLES[family],
        "form": form,
        "page": page,
        "error": error,
        "here": request.get_full_path(),
        "documents_url": reverse("invoices:document_list", args=[account.slug]),
        "base_query": query.urlencode(),
    }
    response = render(request, "invoices/families/family_list.html", context)
    private_response(response)
    return response
