"""Documents: the filtered list (with its htmx table), the CSV export and one document's page.

Each view makes exactly one upstream call (the export: one per page of the result), and
every upstream failure ends on the page as a message, never a 500.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_htmx.http import push_url

from invoices.access import get_account_for_user
from invoices.create.credits import credit_position
from invoices.documents import csv_export as document_csv
from invoices.documents.forms import DocumentFilterForm
from invoices.documents.totals import filtered_totals
from invoices.exemptions import exemption_meaning
from invoices.formatting import unit_label
from invoices.htmx import (
    HtmxHttpRequest,
    is_fragment_request,
    private_response,
    render_page_or_fragment,
    upstream_failure_status,
)
from invoices.invoicexpress.document_types import GETTABLE_TYPE_PATHS, document_type
from invoices.invoicexpress.errors import InvoiceXpressError, NotFound
from invoices.invoicexpress.records import Document, DocumentPage, SignedTotals
from invoices.upstream_budget import patiently


def _rows(documents: tuple[Document, ...], *, today: dt.date, list_url: str) -> list[dict]:
    """What `_rows.html` needs beyond the document: its page, whether it is overdue, and
    whether the bulk actions can take it (a type InvoiceXpress serves one by one)."""
    return [
        {
            "doc": doc,
            # The detail URL is the list URL plus "<type path>/<id>/" (documents/urls.py);
            # spelled out because a reverse() per row shows in the profile.
            "url": f"{list_url}{doc.type.path}/{doc.id}/"
            if doc.type.path in GETTABLE_TYPE_PATHS
            else "",
            "overdue": doc.is_overdue(today),
            "pickable": doc.type.path in GETTABLE_TYPE_PATHS,
        }
        for doc in documents
    ]


@require_GET
@login_required
def document_list(request: HtmxHttpRequest, account_slug: str) -> HttpResponse:
    account = get_account_for_user(request, account_slug)
    form = DocumentFilterForm(request.GET)
    query = form.canonical_query()
    list_url = reverse("invoices:document_list", args=[account.slug])
    here = f"{list_url}?{query.urlencode()}" if query else list_url
    page: DocumentPage | None = None
    error: InvoiceXpressError | None = None
    if form.is_valid():
        try:
            page = account.client().list_documents(
                **form.upstream_filters(), page=form.page_number, per_page=form.page_size
            )
        except InvoiceXpressError as exc:
            error = exc
    today = timezone.localdate()
    context = {
        "account": account,
        "nav": "documents",
        "form": form,
        "query": query,
        "here": here,
        "list_url": list_url,
        "page": page,
        "rows": _rows(page.documents, today=today, list_url=list_url) if page else [],
        "pager": _pager(page, query, list_url) if page else [],
        "page_totals": SignedTotals.of(page.documents) if page else None,
        "error": error,
        "bulk_token": uuid.uuid4().hex,  # one bulk e-mail per rendered list (bulk.views)
    }
    # The fragment brings each filter's message too, out of band.
    context["oob_errors"] = fragment = is_fragment_request(request)
    response = render_page_or_fragment(
        request,
        page="invoices/documents/document_list.html",
        fragment="invoices/documents/_table.html",
        context=context,
    )
    if fragment:
        # The address bar gets the clean URL (no empty fields), so it is worth bookmarking.
        push_url(response, here)
    return response


TOTALS_TTL = 60  # seconds: the totals of one filter set, shared by every worker


@require_GET
@login_required
def document_totals(request: HtmxHttpRequest, account_slug: str) -> HttpResponse:
    """The sums of the whole filtered set, loaded after the table (it walks every page)."""
    account = get_account_for_user(request, account_slug)
    form = DocumentFilterForm(request.GET)
    query = form.canonical_query()
    for key in ("page", "per_page"):
        query.pop(key, None)
    context: dict[str, Any] = {"account": account, "nav": "documents", "form": form}
    if form.is_valid():
        today = timezone.localdate()
        # Hashed: typed search text could make a key too long for some cache backends.
        digest = hashlib.sha256(query.urlencode().encode()).hexdigest()[:32]
        key = f"ixportal:account:{account.pk}:totals:{today.isoformat()}:{digest}"
        found = cache.get(key)
        if found is None:
            try:
                found = filtered_totals(account.client(), form.upstream_filters(today))
            except InvoiceXpressError as exc:
                context["error"] = exc
            else:
                cache.set(key, found, TOTALS_TTL)
        context["result"] = found
    list_url = reverse("invoices:document_list", args=[account.slug])
    context["list_url"] = f"{list_url}?{query.urlencode()}" if query else list_url
    return render_page_or_fragment(
        request,
        page="invoices/documents/document_totals.html",
        fragment="invoices/documents/_totals.html",
        context=context,
    )


@require_GET
@login_required
def document_export(request: HttpRequest, account_slug: str) -> HttpResponseBase:
    account = get_account_for_user(request, account_slug)
    form = DocumentFilterForm(request.GET)
    query = form.canonical_query()
    query.pop("page", None)
    back = reverse("invoices:document_list", args=[account.slug])
    back = f"{back}?{query.urlencode()}" if query else back
    if not form.is_valid():
        messages.error(request, _("Fix the filters before exporting."))
        return HttpResponseRedirect(back)
    try:
        export = document_csv.start_export(account.client(), form.upstream_filters())
    except InvoiceXpressError as exc:
        messages.error(request, _("The export did not start: %(error)s") % {"error": exc.message})
        return HttpResponseRedirect(back)
    except document_csv.TooManyRows as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(back)
    response = StreamingHttpResponse(
        patiently(export.lines()), content_type="text/csv; charset=utf-8"
    )
    filename = f"{account.slug}-documents-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return private_response(response)


@require_GET
@login_required
def document_detail(
    request: HttpRequest, account_slug: str, type_path: str, document_id: int
) -> HttpResponse:
    account = get_account_for_user(request, account_slug)
    if type_path not in GETTABLE_TYPE_PATHS:
        raise Http404("No such document type.")
    kind = document_type(type_path)
    context = {
        "account": account,
        "nav": "documents",
        "kind": kind,
        "document_id": document_id,
        "here": request.get_full_path(),
        "list_url": reverse("invoices:document_list", args=[account.slug]),
    }
    try:
        doc = account.client().get_document(kind.path, document_id)
    except NotFound:
        context["not_found"] = True
        return private_response(
            render(request, "invoices/documents/document_detail.html", context, status=404)
        )
    except InvoiceXpressError as exc:
        context["error"] = exc
        return private_response(
            render(
                request,
                "invoices/documents/document_detail.html",
                context,
                status=upstream_failure_status(exc),
            )
        )
    context.update(_related_context(account, doc))
    context.update(
        doc=doc,
        overdue=doc.is_overdue(timezone.localdate()),
        exemption_meaning=exemption_meaning(doc.tax_exemption),
        retention_amount=doc.total - doc.total_payable,
        items=[
            {
                "item": item,
                "quantity_places": _places(item.quantity, least=0, most=3),
                "price_places": _places(item.unit_price, least=2, most=4),
                "unit_label": unit_label(item.unit),
            }
            for item in doc.items
        ],
    )
    return private_response(render(request, "invoices/documents/document_detail.html", context))


CAN_OWN_NOTES = ("invoices", "invoice_receipts", "simplified_invoices", "vat_moss_invoices")


def _related_context(account, doc: Document) -> dict[str, Any]:
    """An invoice's credit position and related documents; a note's or receipt's invoice.

    A failure to read them is shown on the page beside the document, never instead of it.
    """
    context: dict[str, Any] = {}
    api = account.client()
    try:
        if doc.type.path in CAN_OWN_NOTES and not doc.is_draft:
            related = api.related_documents(doc.type.path, doc.id)
            context["credit"] = credit_position(doc, related)
        if doc.owner_invoice_id:
            context["owner"] = _owner_of(api, doc.owner_invoice_id)
    except InvoiceXpressError as exc:
        context["related_error"] = exc
    return context


def _owner_of(api, owner_id: int) -> Document | None:
    for path in CAN_OWN_NOTES:
        try:
            return api.get_document(path, owner_id)
        except NotFound:
            continue
    return None


def _pager(page: DocumentPage, query: QueryDict, list_url: str) -> list[dict[str, Any]]:
    """First / previous / "n / N" / next / last; a link is None where it leads nowhere."""
    current, last = page.current_page, page.total_pages

    def url(number: int) -> str:
        params = query.copy()
        params.pop("page", None)
        if number > 1:
            params["page"] = str(number)
        return f"{list_url}?{params.urlencode()}" if params else list_url

    return [
        {"label": _("First"), "rel": "first", "url": url(1) if current > 1 else None},
        {
            "label": _("Previous"),
            "rel": "prev",
            "url": url(min(current, last + 1) - 1) if current > 1 else None,
        },
        {"label": f"{current} / {last}", "current": True},
        {"label": _("Next"), "rel": "next", "url": url(current + 1) if current < last else None},
        {"label": _("Last"), "rel": "last", "url": url(last) if current < last else None},
    ]


def _places(value: Decimal, *, least: int, most: int) -> int:
    """Decimal places worth showing: 2 -> "2", 0.5 -> "0,5", 24.3902 -> "24,3902"."""
    exponent = value.normalize().as_tuple().exponent
    shown = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return max(least, min(most, shown))
