"""The company's audit log: every write the dashboard made (or tried) upstream. Managers only."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from invoices.access import get_account_for_user
from invoices.htmx import HtmxHttpRequest, render_page_or_fragment
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
def audit_list(request: HtmxHttpRequest, account_slug: str) -> HttpResponse:
    account = get_account_for_user(request, account_slug, role=Role.MANAGER)
    form = AuditPageForm(request.GET)
    entries = AuditEntry.objects.filter(account=account).order_by("-created_at", "-pk")
    page = Paginator(entries, PER_PAGE).get_page(form.page_number)
    for entry in page.object_list:
        try:
            kind = document_type(entry.document_type) if entry.document_type else None
        except ValueError:
            kind = None
        entry.type_path = kind.path if kind else ""
        # The type in the reader's language (stored as its code); an unknown one by its name.
        entry.type_label = kind.label if kind else entry.document_type
    context = {"account": account, "nav": "audit", "page": page}
    return render_page_or_fragment(
        request,
        page="invoices/audit/audit_list.html",
        fragment="invoices/audit/_audit_table.html",
        context=context,
    )
