"""The company's audit log: every write the dashboard made (or tried) upstream. Managers only."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from invoices.access import get_account_for_user
from invoices.invoicexpress.document_types import document_type
from invoices.models import AuditEntry, Role

PER_PAGE = 50


class AuditPageForm(forms.Form):
    page = forms.IntegerField(required=False, min_value=1, max_value=1_000_000)

    @property
    def page_number(self) -> int:
        return (self.cleaned_data.get("page") if self.is_valid() else None) or 1


@require_GET
@login_required
def audit_list(request: HttpRequest, account_slug: str) -> HttpResponse:
    account = get_account_for_user(request, account_slug, role=Role.MANAGER)
    form = AuditPageForm(request.GET)
    entries = AuditEntry.objects.filter(account=account).order_by("-created_at", "-pk")
    page = Paginator(entries, PER_PAGE).get_page(form.page_number)
    for entry in page.object_list:
        try:
            entry.type_path = document_type(entry.document_type).path if entry.document_type else ""
        except ValueError:
            entry.type_path = ""
    context = {"account": account, "nav": "audit", "page": page}
    is_fragment = request.htmx and not request.htmx.history_restore_request
    template = (
        "invoices/audit/_audit_table.html" if is_fragment else "invoices/audit/audit_list.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request", "HX-History-Restore-Request"))
    patch_cache_control(response, private=True, no_cache=True)
    return response
