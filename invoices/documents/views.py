"""Documents: the filtered list (with its htmx table), the CSV export and one document's page.

Each view makes exactly one upstream call (the export: one per page of the result), and
every upstream failure ends on the page as a message, never a 500.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from html import escape
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_htmx.http import push_url

from invoices.access import get_account_for_user
from invoices.create.lines import UNIT_CHOICES
from invoices.documents import csv_export as document_csv
from invoices.documents.forms import DocumentFilterForm
from invoices.documents.totals import filtered_totals
from invoices.exemptions import exemption_meaning
from invoices.invoicexpress.document_types import DOCUMENT_TYPES, GETTABLE_TYPE_PATHS, document_type
from invoices.invoicexpress.errors import InvoiceXpressError, NotFound
from invoices.invoicexpress.records import Document, DocumentPage
from invoices.templatetags.ix import STATUS_BADGES, atcud_meaning, pt_date, pt_number

UNIT_LABELS = dict(UNIT_CHOICES)


def _wants_fragment(request: HttpRequest) -> bool:
    # A history restore (back button on a page htmx did not cache) needs the whole page.
    return bool(request.htmx) and not request.htmx.history_restore_request


def _private(response: HttpResponse) -> HttpResponse:
    # The same URL answers a fragment or a page depending on HX-Request: a cache must not
    # mix them up, and financial data stays out of shared caches. no-store, not no-cache:
    # the browser must not keep a copy either, or Back shows a deleted draft with its
    # buttons still live (no-store also keeps the page out of the back/forward cache).
    patch_vary_headers(response, ("HX-Request", "HX-History-Restore-Request"))
    patch_cache_control(response, private=True, no_store=True)
    return response


def document_rows_html(
    documents: tuple[Document, ...], *, today: dt.date, list_url: str
) -> SafeString:
    """The table's <tr>s, built here rather than in the template.

    The list is the hot path: on a busy 2-core machine Django's template engine costs
    about 0.5 ms a row for these ~20 values (15 ms for 30 rows); plain string building is
    several times faster. The markup is what a template would make, and every value that
    comes from InvoiceXpress goes through escape() (Django's own escape is this function).
    """
    overdue_badge = f' <span class="badge text-bg-danger">{escape(_("Overdue"))}</span>'
    archived_badge = f' <span class="badge text-bg-light border">{escape(_("Archived"))}</span>'
    badges = {
        status: (colour, escape(str(label))) for status, (colour, label) in STATUS_BADGES.items()
    }
    base = escape(list_url)
    kinds = {kind.name: escape(str(kind.label)) for kind in DOCUMENT_TYPES}
    rows = []
    for doc in documents:
        colour, label = badges.get(doc.status) or ("light", escape(doc.status))
        overdue = doc.is_overdue(today)
        number = escape(doc.display_number)
        if doc.type.path in GETTABLE_TYPE_PATHS:
            # The detail URL is the list URL plus "<type path>/<id>/" (urls_documents.py);
            # spelled out because a reverse() per row shows in the profile.
            number = f'<a href="{base}{doc.type.path}/{doc.id}/">{number}</a>'
        if not doc.atcud:
            atcud = '<span class="text-body-secondary">—</span>'
        elif title := atcud_meaning(doc.atcud):
            atcud = f'<span title="{escape(str(title))}">{escape(doc.atcud)}</span>'
        else:
            atcud = f"<span>{escape(doc.atcud)}</span>"
        nif = doc.client.fiscal_id
        nif = f'<div class="small text-body-secondary">{escape(nif)}</div>' if nif else ""
        row_class = ' class="overdue"' if overdue else ""
        extra_badges = (overdue_badge if overdue else "") + (archived_badge if doc.archived else "")
        rows.append(
            f'<tr data-document-id="{doc.id}"{row_class}>'
            f'<td class="text-nowrap">{number}<div class="small text-body-secondary">'
            f"{kinds[doc.type.name]}</div></td>"
            f'<td class="font-monospace-sm">{atcud}</td>'
            f'<td class="text-nowrap">{pt_date(doc.date)}</td>'
            f'<td class="text-nowrap">{pt_date(doc.due_date)}</td>'
            f"<td>{escape(doc.client.name)}{nif}</td>"
            f'<td class="text-nowrap"><span class="badge text-bg-{colour}" '
            f'data-status="{escape(doc.status)}">{label}</span>{extra_badges}</td>'
            f'<td class="num">{pt_number(doc.before_taxes)}</td>'
            f'<td class="num">{pt_number(doc.taxes)}</td>'
            f'<td class="num fw-semibold">{pt_number(doc.total)}</td>'
            f"<td>{escape(doc.currency)}</td>"
            "</tr>\n"
        )
    return mark_safe("".join(rows))  # every upstream value above is escaped


@require_GET
@login_required
def document_list(request: HttpRequest, account_slug: str) -> HttpResponse:
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
        "rows_html": document_rows_html(page.documents, today=today, list_url=list_url)
        if page
        else "",
        "pager": _pager(page, query, list_url) if page else [],
        "error": error,
    }
    if _wants_fragment(request):
        context["oob_errors"] = True
        response = render(request, "invoices/documents/_table.html", context)
        # The address bar gets the clean URL (no empty fields), so it is worth bookmarking.
        push_url(response, here)
    else:
        response = render(request, "invoices/documents/document_list.html", context)
    return _private(response)


TOTALS_TTL = 60  # seconds: the totals of one filter set, shared by every worker


@require_GET
@login_required
def document_totals(request: HttpRequest, account_slug: str) -> HttpResponse:
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
    template = (
        "invoices/documents/_totals.html"
        if _wants_fragment(request)
        else "invoices/documents/document_totals.html"
    )
    return _private(render(request, template, context))


@require_GET
@login_required
def document_export(request: HttpRequest, account_slug: str) -> HttpResponse:
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
    response = StreamingHttpResponse(export.lines(), content_type="text/csv; charset=utf-8")
    filename = f"{account.slug}-documents-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


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
        return _private(
            render(request, "invoices/documents/document_detail.html", context, status=404)
        )
    except InvoiceXpressError as exc:
        context["error"] = exc
        return _private(render(request, "invoices/documents/document_detail.html", context))
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
                # The API's unit word ("hour") in the page's language; an unknown one as sent.
                "unit_label": UNIT_LABELS.get(item.unit, item.unit),
            }
            for item in doc.items
        ],
    )
    return _private(render(request, "invoices/documents/document_detail.html", context))


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
