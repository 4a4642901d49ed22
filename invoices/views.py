from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from invoices.models import Account


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    companies = Account.objects.for_user(request.user)
    return render(request, "invoices/home.html", {"companies": companies})
