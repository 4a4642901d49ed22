"""Register a payment on an invoice and cancel a receipt. Both answer with a redirect to the
invoice's page (its status, totals and receipts all change); an invalid form comes back as the
Payments card with status 200 (htmx 2 does not swap 4xx)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from invoices.access import get_account_for_user
from invoices.documents.fetch import document_or_redirect
from invoices.htmx import HtmxHttpRequest, render_page_or_fragment
from invoices.invoicexpress.document_types import document_type
from invoices.models import Role
from invoices.models.payments import Payment
from invoices.payments import services
from invoices.payments.forms import PaymentForm, ReceiptCancelForm
from invoices.payments.panel import payment_panel, series_names, shows_payments

PAYABLE_PATHS = ("invoices", "simplified_invoices")


def _go(request: HtmxHttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_http_methods(["GET", "POST"])
@login_required
def payment_register(
    request: HtmxHttpRequest, account_slug: str, type_path: str, document_id: int
) -> HttpResponse:
    account = get_account_for_user(request, account_slug, role=Role.CLERK)
    if type_path not in PAYABLE_PATHS:
        raise Http404("Payments are registered on invoices and simplified invoices.")
    detail_url = reverse("invoices:document_detail", args=[account.slug, type_path, document_id])
    doc = document_or_redirect(
        request,
        account,
        document_type(type_path).path,
        document_id,
        detail_url=detail_url,
        unreadable=_("The invoice could not be read. %(error)s"),
        go=lambda url: _go(request, url),
    )
    if isinstance(doc, HttpResponse):
        return doc
    panel = payment_panel(account, doc)
    if panel is None or not panel.can_register:
        messages.error(request, _("This document cannot take a payment now."))
        return _go(request, detail_url)
    if request.method == "GET":
        return _card(request, account, doc, None)
    form = PaymentForm(request.POST, pending=panel.pending, series=series_names(account))
    if not form.is_valid():
        return _card(request, account, doc, form)
    data = form.cleaned_data
    payment = services.payment_register(
        account=account,
        user=request.user,
        invoice=doc,
        token=data["token"],
        amount=data["amount"],
        payment_date=data["payment_date"],
        mechanism=data["mechanism"],
        note=data["note"],
        serie=data["serie"],
    )
    if payment.status == Payment.Status.REGISTERED:
        messages.success(
            request,
            _("Payment registered: receipt %(number)s.") % {"number": payment.receipt_number},
        )
        return _go(request, detail_url)
    if payment.status == Payment.Status.FAILED:
        form.add_error(None, payment.message_text)
        return _card(request, account, doc, form)
    messages.warning(request, payment.message_text or _("The payment is still being registered."))
    return _go(request, detail_url)


def _card(request, account, doc, form) -> HttpResponse:
    panel = payment_panel(account, doc, form=form, with_form=True)
    context = {
        "account": account,
        "doc": doc,
        "panel": panel,
        "nav": "documents",
        "kind": doc.type,
        "list_url": reverse("invoices:document_list", args=[account.slug]),
        "here": request.get_full_path(),
    }
    return render_page_or_fragment(
        request,
        page="invoices/payments/payment_register.html",
        fragment="invoices/payments/_payments.html",
        context=context,
    )


@require_POST
@login_required
def receipt_cancel(
    request: HtmxHttpRequest, account_slug: str, type_path: str, document_id: int, payment_id: int
) -> HttpResponse:
    account = get_account_for_user(request, account_slug, role=Role.MANAGER)
    payment = Payment.objects.filter(
        account=account, document_id=document_id, document_type=type_path, pk=payment_id
    ).first()
    if payment is None:
        raise Http404("No such receipt.")
    detail_url = reverse("invoices:document_detail", args=[account.slug, type_path, document_id])
    form = ReceiptCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for canceling the receipt."))
        return _go(request, detail_url)
    problem = services.receipt_cancel(
        account=account, user=request.user, payment=payment, reason=form.cleaned_data["reason"]
    )
    if problem:
        messages.error(request, _("The receipt was not canceled. %(error)s") % {"error": problem})
    else:
        messages.success(
            request, _("Receipt %(number)s canceled.") % {"number": payment.receipt_number}
        )
    return _go(request, detail_url)


__all__ = ["payment_register", "receipt_cancel", "shows_payments"]
