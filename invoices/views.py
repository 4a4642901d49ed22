from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from invoices.access import get_account_for_user


@require_GET
@login_required
def company_home(request: HttpRequest, account_slug: str) -> HttpResponse:
    account = get_account_for_user(request, account_slug)
    try:
        return redirect(reverse("invoices:document_list", args=[account.slug]))
    except NoReverseMatch:  # the Documents pages are not installed
        return render(request, "invoices/home.html", {"companies": [account], "account": account})
