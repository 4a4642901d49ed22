"""The staff-only control page at /sandbox/: faults and flags per sandbox account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from sandbox import faults
from sandbox.forms import AccountControlForm
from sandbox.models import SandboxAccount


@require_http_methods(["GET", "POST"])
@staff_member_required
def control_panel(request: HttpRequest) -> HttpResponse:
    accounts = list(SandboxAccount.objects.order_by("account_name"))
    forms = {account.pk: AccountControlForm(instance=account) for account in accounts}
    if request.method == "POST":
        account = get_object_or_404(SandboxAccount, pk=request.POST.get("account"))
        if "clear" in request.POST:
            faults.clear(account.account_name)
            messages.success(request, f"Faults cleared for {account.account_name}.")
            return redirect("sandbox:control_panel")
        form = AccountControlForm(request.POST, instance=account)
        if form.is_valid():
            form.save()
            messages.success(request, f"Saved {account.account_name}.")
            return redirect("sandbox:control_panel")
        forms[account.pk] = form
    rows = [(account, forms[account.pk]) for account in accounts]
    base_url = request.build_absolute_uri("/sandbox/")
    return render(request, "sandbox/control_panel.html", {"rows": rows, "base_url": base_url})
