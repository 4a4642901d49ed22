"""The cockpit, the home page: every company the user belongs to, what needs attention."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from invoices.cockpit.services import cockpit_table
from invoices.htmx import private_response
from invoices.models import Account


@require_GET
@login_required
def cockpit(request: HttpRequest) -> HttpResponse:
    # Across companies, the access check is the queryset: only the user's active companies.
    accounts = list(Account.objects.for_user(request.user))
    table = cockpit_table(accounts)
    response = render(request, "invoices/cockpit/cockpit.html", {"table": table})
    private_response(response)
    return response


@require_POST
@login_required
def cockpit_refresh(request: HttpRequest) -> HttpResponse:
    accounts = list(Account.objects.for_user(request.user))
    cockpit_table(accounts, refresh=True)
    return redirect("invoices:home")
