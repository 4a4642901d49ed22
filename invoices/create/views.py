"""Create a document: the form (lines added and removed server-side), the client look-up,
the live estimate, and the outcome of a submission (created, refused, unknown, pending).

HTTP glue only: the rules are in `create.forms` (and its `create.*` parts), the once-only
create in `services`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, push_url

from invoices.access import get_account_for_user
from invoices.create import clients, owners, services
from invoices.create.client_fields import ClientSearchForm
from invoices.create.credit_notes import credit_note_fits
from invoices.create.entry import DocumentEntry, RawEntry
from invoices.create.forms import CREDIT_NOTE, NOTE_TYPES, OwnerSearchForm
from invoices.create.lines import default_tax_name
from invoices.create.page import (
    STATUS_TEMPLATE,
    company_lists,
    pick_client,
    render_entry,
)
from invoices.create.prefill import (
    PrefillForm,
    header_from_document,
    initial_header,
    raw_from_submission,
    rows_from_document,
)
from invoices.formatting import pt_money
from invoices.htmx import (
    HtmxHttpRequest,
    is_fragment_request,
    private_response,
)
from invoices.invoicexpress.document_types import document_type
from invoices.invoicexpress.errors import InvoiceXpressError
from invoices.invoicexpress.records import Tax
from invoices.invoicexpress.sequences import Sequence
from invoices.models import Account, Role
from invoices.models.submissions import Submission


def _refilled_entry(
    raw: RawEntry, error: str, *, taxes: list[Tax], sequences: list[Sequence]
) -> DocumentEntry:
    """What was typed, checked again, with `error` on top and a fresh token to send it with."""
    raw.header["token"] = str(uuid.uuid4())
    entry = DocumentEntry(sequences=sequences, taxes=taxes, raw=raw, bound=True)
    entry.is_valid()
    entry.form.add_error(None, error)
    return entry


def _created_response(
    request: HtmxHttpRequest, account: Account, submission: Submission
) -> HttpResponse:
    kind = document_type(submission.document_type)
    url = reverse(
        "invoices:document_detail", args=[account.slug, kind.path, submission.document_id]
    )
    if Role(account.role).allows(Role.MANAGER):
        text = _("%(type)s created as a draft. Check it, then finalize it from this page.")
    else:  # clerks create drafts; only a manager may finalize them
        text = _("%(type)s created as a draft. Check it; a manager finalizes it.")
    messages.success(request, text % {"type": kind.label})
    # The polled status URL answers this too: it varies on HX-Request like its other answers.
    return private_response(HttpResponseClientRedirect(url) if request.htmx else redirect(url))


def _outcome_response(
    request: HtmxHttpRequest,
    account: Account,
    submission: Submission,
    raw: RawEntry,
    *,
    taxes: list[Tax],
    sequences: list[Sequence],
    problems: list[str],
) -> HttpResponse:
    """What the clerk sees after a submit or a retry, whichever request did the sending."""
    if submission.is_created:
        return _created_response(request, account, submission)
    if submission.is_failed:
        # Refused upstream: nothing was created. The input stays; a fresh token, because
        # this one is spent (resending it would show this refusal again).
        entry = _refilled_entry(raw, submission.message_text, taxes=taxes, sequences=sequences)
        return render_entry(request, account, entry, problems=problems)
    # Unknown, or still being sent by another request: same token, retry or wait. The
    # address bar must name the submission, so a reload or the back button shows this
    # panel and its retry again; at /documents/new/ it would be a blank form, and a clerk
    # typing it again would make a second document.
    status_url = reverse("invoices:submission_detail", args=[account.slug, submission.token])
    if not request.htmx:
        return redirect(status_url)  # POST/redirect/GET
    entry = DocumentEntry(sequences=sequences, taxes=taxes, raw=raw)
    response = render_entry(request, account, entry, problems=problems, submission=submission)
    return push_url(response, status_url)


@require_http_methods(["GET", "POST"])
@login_required
def document_create(request: HtmxHttpRequest, account_slug: str) -> HttpResponse:
    account = get_account_for_user(request, account_slug, role=Role.CLERK)
    taxes, sequences, problems = company_lists(
        account, refresh_taxes="refresh_taxes" in request.POST
    )
    if request.method == "GET":
        return _document_create_get(request, account, taxes, sequences, problems)

    raw = RawEntry.from_post(request.POST)
    notices: list[str] = []
    focus = ""
    if "add_line" in request.POST:
        raw.add_line(default_tax_name(taxes))
        focus = "new_line"
    elif "remove_line" in request.POST:
        raw.remove_line(request.POST["remove_line"])
        focus = "add_line"
    elif "pick_client" in request.POST:
        notices += pick_client(account, raw, request.POST["pick_client"])
        focus = "after_client"
    elif "pick_owner" in request.POST:
        pick = PrefillForm({"owner": request.POST["pick_owner"]})
        if pick.is_valid() and pick.cleaned_data["owner"]:
            notices += _prefill_from_owner(account, raw, pick.cleaned_data["owner"], taxes)
    elif "refresh_taxes" in request.POST:
        if not problems:
            notices.append(_("The tax list was refreshed from InvoiceXpress."))
    elif "submit_document" in request.POST:
        return _document_submit(request, account, raw, taxes, sequences, problems)
    # Anything else (a line added or removed, a client picked, Enter pressed in a field)
    # re-renders what was typed, without checking it yet.
    entry = DocumentEntry(sequences=sequences, taxes=taxes, raw=raw)
    return render_entry(request, account, entry, problems=problems, notices=notices, focus=focus)


def _document_create_get(
    request: HtmxHttpRequest,
    account: Account,
    taxes: list[Tax],
    sequences: list[Sequence],
    problems: list[str],
) -> HttpResponse:
    prefill = PrefillForm(request.GET)
    prefill.is_valid()
    wanted = prefill.cleaned_data.get("type") or ""
    owner_id = prefill.cleaned_data.get("owner")
    doc_type = wanted or ("credit_notes" if owner_id else "invoices")
    raw = RawEntry(
        header=initial_header(sequences=sequences, token=uuid.uuid4(), doc_type=doc_type), rows=[]
    )
    notices = []
    if prefill.errors:
        notices.append(_("The link's document type or invoice id was not understood; ignored."))
    if owner_id:
        notices += _prefill_from_owner(account, raw, owner_id, taxes)
    entry = DocumentEntry(sequences=sequences, taxes=taxes, raw=raw)
    return render_entry(request, account, entry, problems=problems, notices=notices)


def _prefill_from_owner(
    account: Account, raw: RawEntry, owner_id: int, taxes: list[Tax]
) -> list[str]:
    """Copy the client and lines of the invoice a note corrects (the clerk then trims them).

    A credit note gets only what remains to be credited, never what earlier notes took back.
    """
    raw.header["owner_invoice_id"] = str(owner_id)
    try:
        owner = owners.owner_document(account=account, owner_id=owner_id)
        problem = owners.owner_problem(owner, owner_id)
        position = None
        if owner is not None and not problem and raw.header.get("doc_type") == CREDIT_NOTE:
            position = owners.credit_position_for(account=account, owner=owner)
    except InvoiceXpressError as exc:
        return [_("The invoice to correct could not be read. %(error)s") % {"error": exc.message}]
    if owner is None:
        return [problem]
    raw.header.update(header_from_document(owner))
    raw.rows = rows_from_document(owner, taxes, position)
    if position is not None and position.credited_total:
        filled = _(
            "Client and lines copied from %(number)s with what remains to be credited "
            "(%(remaining)s of %(total)s; %(credited)s already credited): keep only what "
            "the note corrects."
        ) % {
            "number": owner.display_number,
            "remaining": pt_money(position.remaining_total, owner.currency),
            "total": pt_money(owner.total, owner.currency),
            "credited": pt_money(position.credited_total, owner.currency),
        }
    else:
        filled = _("Client and lines copied from %(number)s: keep only what the note corrects.") % {
            "number": owner.display_number
        }
    notices = [filled]
    if position is not None and position.fully_credited:
        notices.append(
            _("%(number)s is fully credited: nothing remains to credit.")
            % {"number": owner.display_number}
        )
    if problem:
        notices.append(problem)
    return notices


def _document_submit(
    request: HtmxHttpRequest,
    account: Account,
    raw: RawEntry,
    taxes: list[Tax],
    sequences: list[Sequence],
    problems: list[str],
) -> HttpResponse:
    entry = DocumentEntry(sequences=sequences, taxes=taxes, raw=raw, bound=True)
    if not entry.is_valid():
        if "token" in entry.form.errors:
            # A form from before a deploy or a tampered one: give it a token and let the
            # clerk send it again; nothing was sent.
            expired = _("This form had expired. Check it and create again.")
            entry = _refilled_entry(raw, expired, taxes=taxes, sequences=sequences)
        return render_entry(request, account, entry, problems=problems)
    token = entry.token
    if token is None:  # a valid bound entry has its token (a required field)
        raise AssertionError("A valid document entry without a token.")
    owner_id = entry.form.cleaned_data.get("owner_invoice_id")
    owner_number = entry.form.cleaned_data.get("owner_number") or ""
    if (owner_id or owner_number) and entry.doc_type in NOTE_TYPES:
        position, problem = owners.owner_check(
            account=account, owner_id=owner_id, number=owner_number, token=token
        )
        if problem:
            entry.form.add_error("owner_number", problem)
            return render_entry(request, account, entry, problems=problems)
        if position is not None:
            entry.form.cleaned_data["owner_invoice_id"] = position.owner.id
            if not credit_note_fits(entry, position):
                return render_entry(request, account, entry, problems=problems)
    if not entry.form.cleaned_data.get("accept_date") and (
        warning := services.draft_date_warning(account=account, entry=entry)
    ):
        # Nothing sent: said now, not when a manager tries to finalize the draft.
        return render_entry(request, account, entry, problems=problems, date_warning=warning)
    submission = services.document_create(
        account=account,
        user=request.user,
        token=token,
        doc_type=entry.doc_type,
        invoice=entry.invoice(),
    )
    return _outcome_response(
        request, account, submission, raw, taxes=taxes, sequences=sequences, problems=problems
    )


def _submission_for(account: Account, token: uuid.UUID) -> Submission:
    submission = Submission.objects.filter(account=account, token=token).first()
    if submission is None:
        raise Http404("No such submission.")
    return submission


@require_POST
@login_required
def submission_retry(request: HtmxHttpRequest, account_slug: str, token: uuid.UUID) -> HttpResponse:
    account = get_account_for_user(request, account_slug, role=Role.CLERK)
    submission = _submission_for(account, token)
    taxes, sequences, problems = company_lists(account)
    submission = services.submission_retry(
        account=account, user=request.user, submission=submission
    )
    # The page's fields if it sent them, else what was sent upstream: nothing typed is lost.
    raw = RawEntry.from_post(request.POST)
    if not raw.header.get("client_name") and not any(r.get("name") for r in raw.rows):
        raw = raw_from_submission(submission, sequences)
    raw.header["token"] = str(submission.token)
    return _outcome_response(
        request, account, submission, raw, taxes=taxes, sequences=sequences, problems=problems
    )


@require_GET
@login_required
def submission_detail(
    request: HtmxHttpRequest, account_slug: str, token: uuid.UUID
) -> HttpResponse:
    """Where a submission stands; polled while another request is still sending it."""
    account = get_account_for_user(request, account_slug, role=Role.CLERK)
    submission = _submission_for(account, token)
    if submission.is_created:
        return _created_response(request, account, submission)
    context = {"account": account, "nav": "create", "submission": submission}
    if is_fragment_request(request):
        if submission.is_failed:  # the whole form comes back, with the refusal on it
            return private_response(HttpResponseClientRedirect(request.path))
        return private_response(render(request, STATUS_TEMPLATE, context))
    taxes, sequences, problems = company_lists(account)
    raw = raw_from_submission(submission, sequences)
    if submission.is_failed:
        entry = _refilled_entry(raw, submission.message_text, taxes=taxes, sequences=sequences)
        return render_entry(request, account, entry, problems=problems)
    entry = DocumentEntry(sequences=sequences, taxes=taxes, raw=raw)
    return render_entry(request, account, entry, problems=problems, submission=submission)


@require_POST
@login_required
def document_create_preview(request: HtmxHttpRequest, account_slug: str) -> HttpResponse:
    """The live estimate, from whatever is in the form right now (nothing is validated)."""
    account = get_account_for_user(request, account_slug, role=Role.CLERK)
    taxes, sequences, _problems = company_lists(account)
    entry = DocumentEntry(sequences=sequences, taxes=taxes, raw=RawEntry.from_post(request.POST))
    context = {"account": account, "entry": entry, "estimate": entry.estimate()}
    return private_response(render(request, "invoices/create/_totals_preview.html", context))


@require_GET
@login_required
def client_search(request: HtmxHttpRequest, account_slug: str) -> HttpResponse:
    """Known clients matching what is typed in the name or NIF field (from a cached list)."""
    account = get_account_for_user(request, account_slug, role=Role.CLERK)
    query = ClientSearchForm(request.GET).query
    return _suggestions(
        request,
        account,
        query,
        lambda: clients.client_search(account=account, query=query),
        key="clients",
        template="invoices/create/_client_suggestions.html",
    )


@require_GET
@login_required
def owner_search(request: HtmxHttpRequest, account_slug: str) -> HttpResponse:
    """Issued invoices matching what is typed in "Corrects document" ("FT 2026/3")."""
    account = get_account_for_user(request, account_slug, role=Role.CLERK)
    query = OwnerSearchForm(request.GET).query
    return _suggestions(
        request,
        account,
        query,
        lambda: owners.owner_search(account=account, text=query),
        key="documents",
        template="invoices/create/_owner_suggestions.html",
    )


def _suggestions(
    request: HtmxHttpRequest,
    account: Account,
    query: str,
    look_up: Callable[[], list[Any]],
    *,
    key: str,
    template: str,
) -> HttpResponse:
    """A look-up's suggestions under the field typed in (nothing asked for an empty query);
    a failure is shown in the list's place, never a 500."""
    found: list[Any] = []
    error = None
    if query:
        try:
            found = look_up()
        except InvoiceXpressError as exc:
            error = exc
    context = {"account": account, key: found, "query": query, "error": error}
    return private_response(render(request, template, context))
