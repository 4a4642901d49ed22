"""The navigation bar's search: documents of every company the user belongs to."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from invoices.htmx import private_response
from invoices.models import Account
from invoices.search.forms import SearchForm
from invoices.search.services import search_companies


@require_GET
@login_required
def search(request: HttpRequest) -> HttpResponse:
    # Across companies, the access check is the queryset: only the user's active companies.
    accounts = list(Account.objects.for_user(request.user))
    form = SearchForm(request.GET if "q" in request.GET else None)
    context: dict = {"form": form, "searched": form.is_bound}
    if form.is_valid():
        query, hits = search_companies(accounts, form.cleaned_data["q"])
        context.update(query=query, hits=hits, total=sum(len(h.documents) for h in hits))
    response = render(request, "invoices/search/search.html", context)
    private_response(response)
    return response
