"""Edit a draft (the create form, prefilled, sent as `PUT /{type}/{id}.json`) and duplicate
any document into a new draft (the create form prefilled, sent as a normal create)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from invoices.access import get_account_for_user
from invoices.create.entry import DocumentEntry, RawEntry
from invoices.create.forms import CREATABLE_TYPES
from invoices.create.lines import default_tax_name
from invoices.create.page import company_lists, pick_client, render_entry
from invoices.create.prefill import raw_from_document
from invoices.documents.fetch import document_or_redirect
from invoices.drafts import services
from invoices.forms import choice_field
from invoices.htmx import HtmxHttpRequest
from invoices.invoicexpress.document_types import GETTABLE_TYPE_PATHS, document_type
from invoices.invoicexpress.errors import InvoiceXpressError
from invoices.models import Role

EDITABLE_PATHS = tuple(t.path for t in CREATABLE_TYPES)


def _detail_url(account, type_path: str, document_id: int) -> str:
    return reverse("invoices:document_detail", args=[account.slug, type_path, document_id])


def _go(request: HtmxHttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_http_methods(["GET", "POST"])
@login_required
def draft_edit(
    request: HtmxHttpRequest, account_slug: str, type_path: str, document_id: int
) -> HttpResponse:
    account = get_account_for_user(request, account_slug, role=Role.CLERK)
    if type_path not in EDITABLE_PATHS:
        raise Http404("This document type cannot be edited here.")
    kind = document_type(type_path)
    detail_url = _detail_url(account, kind.path, document_id)
    taxes, sequences, problems = company_lists(
        account, refresh_taxes="refresh_taxes" in request.POST
    )
    extra = {
        "form_url": reverse("invoices:draft_edit", args=[account.slug, kind.path, document_id]),
        "editing": True,
        "page_title": _("Edit draft %(type)s #%(id)s") % {"type": kind.label, "id": document_id},
    }
    if request.method == "GET":
        doc = document_or_redirect(
            request,
            account,
            kind.path,
            document_id,
            detail_url=detail_url,
            unreadable=_("The draft could not be read. %(error)s"),
        )
        if isinstance(doc, HttpResponse):
            return doc
        if not doc.is_draft:
            messages.error(
                request, _("Only a draft can be edited; this document is already issued.")
            )
            return redirect(detail_url)
        raw = raw_from_document(
            doc, sequences=sequences, taxes=taxes, token=uuid.uuid4(), doc_type=kind.path
        )
        entry = _entry(kind.path, sequences, taxes, raw)
        return render_entry(request, account, entry, problems=problems, extra=extra)

    raw = RawEntry.from_post(request.POST)
    raw.header["doc_type"] = kind.path  # a PUT cannot change the type: the path decides it
    notices: list[str] = []
    if "add_line" in request.POST:
        raw.add_line(default_tax_name(taxes))
    elif "remove_line" in request.POST:
        raw.remove_line(request.POST["remove_line"])
    elif "pick_client" in request.POST:
        notices += pick_client(account, raw, request.POST["pick_client"])
    elif "submit_document" in request.POST:
        entry = _entry(kind.path, sequences, taxes, raw, bound=True)
        if entry.is_valid():
            try:
                services.draft_update(
                    account=account,
                    user=request.user,
                    doc_type=kind.path,
                    doc_id=document_id,
                    invoice=entry.invoice(),
                )
            except InvoiceXpressError as exc:
                # Refused (or no answer): the form comes back as typed, with the reason.
                entry.form.add_error(None, exc.message)
            else:
                messages.success(request, _("The draft was saved."))
                return _go(request, detail_url)
        return render_entry(request, account, entry, problems=problems, extra=extra)
    entry = _entry(kind.path, sequences, taxes, raw)
    return render_entry(request, account, entry, problems=problems, notices=notices, extra=extra)


def _entry(type_path, sequences, taxes, raw, *, bound: bool = False) -> DocumentEntry:
    entry = DocumentEntry(sequences=sequences, taxes=taxes, raw=raw, bound=bound)
    kind = document_type(type_path)
    choice_field(entry.form, "doc_type").choices = [(kind.path, kind.label)]
    return entry


@require_GET
@login_required
def document_duplicate(
    request: HtmxHttpRequest, account_slug: str, type_path: str, document_id: int
) -> HttpResponse:
    """The create form, filled from this document: saving it creates a new draft (once)."""
    account = get_account_for_user(request, account_slug, role=Role.CLERK)
    if type_path not in GETTABLE_TYPE_PATHS:
        raise Http404("No such document type.")
    kind = document_type(type_path)
    taxes, sequences, problems = company_lists(account)
    doc = document_or_redirect(
        request,
        account,
        kind.path,
        document_id,
        detail_url=_detail_url(account, kind.path, document_id),
        unreadable=_("The document could not be read. %(error)s"),
    )
    if isinstance(doc, HttpResponse):
        return doc
    new_type = kind.path if kind.path in EDITABLE_PATHS else "invoices"
    raw = raw_from_document(
        doc, sequences=sequences, taxes=taxes, token=uuid.uuid4(), doc_type=new_type, as_copy=True
    )
    entry = DocumentEntry(sequences=sequences, taxes=taxes, raw=raw)
    notice = _("Copied from %(number)s: check it, then create the new draft.") % {
        "number": f"{kind.label} {doc.display_number}"
    }
    return render_entry(request, account, entry, problems=problems, notices=[notice])
