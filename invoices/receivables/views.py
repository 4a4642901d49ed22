"""Receivables: aging by client for one company or all of them, and a client's statement."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from invoices.access import get_account_for_user
from invoices.create.clients import client_by_id
from invoices.htmx import private_response
from invoices.invoicexpress.errors import InvoiceXpressError
from invoices.models import Account
from invoices.receivables import statement_csv
from invoices.receivables.forms import StatementForm
from invoices.receivables.services import (
    BUCKETS,
    add_aging,
    client_statement,
    company_receivables,
    receivables_across,
)


@require_GET
@login_required
def receivables_company(request: HttpRequest, account_slug: str) -> HttpResponse:
    account = get_account_for_user(request, account_slug)
    context: dict[str, Any] = {"account": account, "nav": "receivables", "buckets": BUCKETS}
    try:
        context["company"] = company_receivables(account, timezone.localdate())
    except InvoiceXpressError as exc:
        context["error"] = exc
    return private_response(
        render(request, "invoices/receivables/receivables_company.html", context)
    )


@require_GET
@login_required
def receivables_overview(request: HttpRequest) -> HttpResponse:
    # Across companies, the access check is the queryset: only the user's active companies.
    accounts = list(Account.objects.for_user(request.user))
    companies = receivables_across(accounts, timezone.localdate())
    context = {
        "companies": companies,
        "buckets": BUCKETS,
        "aging": add_aging(c.aging for c in companies),
        "pending": sum(c.pending for c in companies),
    }
    return private_response(
        render(request, "invoices/receivables/receivables_overview.html", context)
    )


def _statement(request: HttpRequest, account: Account) -> tuple[StatementForm, Any, Any]:
    form = StatementForm(request.GET)
    if not form.is_valid():
        if "client" in form.errors:
            raise Http404("No such client.")
        return form, None, None
    try:
        known = client_by_id(account=account, client_id=form.cleaned_data["client"])
        if known is None:
            raise Http404("No such client.")
        statement = client_statement(
            account,
            client_id=form.cleaned_data["client"],
            name=known.name,
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
        )
    except InvoiceXpressError as exc:
        return form, None, exc
    return form, statement, None


@require_GET
@login_required
def receivables_statement(request: HttpRequest, account_slug: str) -> HttpResponse:
    account = get_account_for_user(request, account_slug)
    form, statement, error = _statement(request, account)
    context = {
        "account": account,
        "nav": "receivables",
        "form": form,
        "statement": statement,
        "error": error,
        "csv_query": request.GET.urlencode(),
    }
    return private_response(
        render(request, "invoices/receivables/receivables_statement.html", context)
    )


@require_GET
@login_required
def receivables_statement_csv(request: HttpRequest, account_slug: str) -> HttpResponse:
    account = get_account_for_user(request, account_slug)
    form, statement, error = _statement(request, account)
    if statement is None:  # bad period or upstream failure: the page says why
        context = {"account": account, "nav": "receivables", "form": form, "error": error}
        return private_response(
            render(request, "invoices/receivables/receivables_statement.html", context)
        )
    response = HttpResponse(statement_csv.render(statement), content_type="text/csv; charset=utf-8")
    filename = f"{account.slug}-statement-{statement.client_id}-{statement.date_to:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return private_response(response)
