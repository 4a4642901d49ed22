"""A document's lifecycle: finalize, delete a draft, cancel, settle, unsettle; its PDF; and
finalizing many drafts at once.

With htmx an action answers with the re-rendered `#document-header` (the confirm panel and
every message live inside it); without JavaScript it is a plain POST, a redirect to the
document page and a message. Each action reads the document first, so a stale page never
acts on a state the document has left, and our cancel rule (see `lifecycle`) is enforced
here and not only by hiding a button.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget
from django_htmx.middleware import HtmxDetails

from invoices import company_cache, lifecycle
from invoices.access import get_account_for_user
from invoices.forms_lifecycle import (
    MAX_PDF_POLLS,
    BulkFinalizeForm,
    BulkSelectForm,
    PdfForm,
    StateChangeForm,
)
from invoices.ix_errors import BadResponse, InvoiceXpressError, NotAcceptable, NotFound
from invoices.ix_records import GETTABLE_TYPE_PATHS, CodeStatus, Document, DocumentType
from invoices.ix_records import document_type as get_document_type
from invoices.lifecycle import (
    SPECS,
    Action,
    ActionSpec,
    BulkOutcome,
    Drafts,
    NextNumber,
    PdfButton,
    document_url,
)
from invoices.models import Account, AuditEntry, Role

HEADER = "invoices/_document_header.html"
CONFIRM_PAGE = "invoices/_lifecycle_confirm.html"
PANEL = "invoices/_lifecycle_confirm.html#lifecycle-panel"
PDF_BUTTON = "invoices/_pdf_button.html"
BULK_PAGE = "invoices/document_bulk_finalize.html"
BULK_RESULTS = "invoices/_bulk_finalize_results.html"


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@dataclass(frozen=True)
class Notice:
    """A message shown inside #document-header (htmx answers skip the layout's messages)."""

    level: str  # Bootstrap alert colour: success, danger, warning, info
    text: str  # the service's own words are in it (ix_errors.message_for_status)
    check_again_url: str = ""  # offered when the outcome is unknown: re-read, never resend


@dataclass(frozen=True)
class Panel:
    """The confirm step of one action, shown inside #document-header."""

    spec: ActionSpec
    form: StateChangeForm
    url: str
    next_number: NextNumber | None = None
    next_number_error: str = ""


# ---- helpers ------------------------------------------------------------------------------


def _private(response: HttpResponse) -> HttpResponse:
    # One URL answers a fragment or a page depending on HX-Request; and documents are
    # financial data: no shared caches.
    patch_vary_headers(response, ("HX-Request",))
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _kind(type_path: str) -> DocumentType:
    if type_path not in GETTABLE_TYPE_PATHS:
        raise Http404("No such document type.")
    return get_document_type(type_path)


def _atcud_status(atcud: str) -> str:
    # The header's `atcud_status`, as the Documents page computes it for its own render.
    code = (atcud or "").strip().upper()
    if code.startswith("N/D"):
        return CodeStatus.NOT_REGISTERED
    if code.startswith("N/A"):
        return CodeStatus.NOT_APPLICABLE
    return CodeStatus.REGISTERED if code else ""


def _header_context(account: Account, doc: Document, **extra: Any) -> dict[str, Any]:
    return {
        "account": account,
        "nav": "documents",
        "doc": doc,
        "overdue": doc.is_overdue(timezone.localdate()),
        "atcud_status": _atcud_status(doc.atcud),
        "list_url": reverse("invoices:document_list", args=[account.slug]),
        "detail_url": document_url(account, doc.type.path, doc.id),
        **extra,
    }


def _header(
    request: HttpRequest,
    account: Account,
    doc: Document,
    *,
    notice: Notice | None = None,
    panel: Panel | None = None,
) -> HttpResponse:
    context = _header_context(account, doc, lifecycle_notice=notice, lifecycle_panel=panel)
    return _private(render(request, HEADER, context))


def _panel_only(request: HttpRequest, account: Account, notice: Notice) -> HttpResponse:
    """Just the panel slot with a notice, wherever the request meant to swap."""
    response = render(request, PANEL, {"account": account, "lifecycle_notice": notice})
    retarget(response, "#lifecycle-panel")
    reswap(response, "outerHTML")
    return _private(response)


def _check_again_url(account: Account, kind: DocumentType, document_id: int) -> str:
    return document_url(account, kind.path, document_id, "document_header") + "?check=1"


def _check_role(
    request: HttpRequest, account: Account, action: Action, kind: DocumentType, document_id: int
) -> None:
    """Managers do everything; a clerk may only delete a draft they created here."""
    if account.role == Role.MANAGER:
        return
    if lifecycle.clerk_may(action) and lifecycle.created_through_ixportal(
        account=account, user=request.user, doc_type_path=kind.path, doc_id=document_id
    ):
        return
    raise PermissionDenied("Your role in this company does not allow this.")


def _gone(request: HttpRequest, account: Account) -> HttpResponse:
    messages.warning(
        request,
        _("InvoiceXpress no longer has this document: it was deleted, or never was here."),
    )
    list_url = reverse("invoices:document_list", args=[account.slug])
    return HttpResponseClientRedirect(list_url) if request.htmx else redirect(list_url)


# ---- state changes --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def document_change_state(
    request: HtmxHttpRequest, account_slug: str, type_path: str, document_id: int, action: str
) -> HttpResponse:
    """GET: the confirm step. POST: the change (finalize, delete, cancel, settle, unsettle)."""
    account = get_account_for_user(request, account_slug, role=Role.CLERK)
    kind = _kind(type_path)
    act = Action(action)
    spec = SPECS[act]
    _check_role(request, account, act, kind, document_id)
    detail_url = document_url(account, kind.path, document_id)
    try:
        doc = account.client().get_document(kind.path, document_id)
    except NotFound:
        return _gone(request, account)
    except InvoiceXpressError as exc:
        text = exc.message + " " + _("Nothing was changed.")
        if not request.htmx:
            messages.error(request, text)
            return redirect(detail_url)
        check = _check_again_url(account, kind, document_id)
        return _panel_only(request, account, Notice("danger", text, check_again_url=check))

    offer = lifecycle.offer_for(account, request.user, doc, timezone.localdate())
    if not offer.allows(act):
        return _not_possible(request, account, doc, act)

    form = StateChangeForm(request.POST if request.method == "POST" else None, spec=spec)
    if request.method == "GET" or not form.is_valid():
        return _ask(request, account, doc, spec, form)

    result = lifecycle.document_change_state(
        account=account, user=request.user, doc=doc, action=act, message=form.message
    )
    if result.ok and act == Action.DELETE:
        messages.success(request, result.message)
        list_url = reverse("invoices:document_list", args=[account.slug])
        return HttpResponseClientRedirect(list_url) if request.htmx else redirect(list_url)
    if not request.htmx:
        if result.ok:
            messages.success(request, result.message)
        else:
            messages.error(request, result.message)
        return redirect(detail_url)
    if result.ok:
        notice = Notice("success", result.message)
    else:
        notice = Notice(
            "warning" if result.unknown else "danger",
            result.message,
            check_again_url=_check_again_url(account, kind, doc.id) if result.unknown else "",
        )
    return _header(request, account, result.document or doc, notice=notice)


def _ask(
    request: HtmxHttpRequest,
    account: Account,
    doc: Document,
    spec: ActionSpec,
    form: StateChangeForm,
) -> HttpResponse:
    """The confirm step: a panel in the header (htmx) or the document page with it open."""
    panel_args: dict[str, Any] = {}
    if spec.action == Action.FINALIZE:
        try:
            # Fresh, not cached: the number shown is the one it takes (unless someone else
            # finalizes on the same series first). This also refreshes the shared cache.
            sequences = company_cache.get_sequences(account, refresh=True)
        except InvoiceXpressError as exc:
            panel_args["next_number_error"] = exc.message
        else:
            panel_args["next_number"] = lifecycle.next_number(doc, sequences)
    panel = Panel(spec, form, request.path, **panel_args)
    if request.htmx and request.method == "GET":
        # The button asked for the panel only (hx-target="#lifecycle-panel").
        context = _header_context(account, doc, lifecycle_panel=panel)
        return _private(render(request, PANEL, context))
    if request.htmx:
        return _header(request, account, doc, panel=panel)
    return _private(
        render(request, CONFIRM_PAGE, _header_context(account, doc, lifecycle_panel=panel))
    )


def _not_possible(
    request: HtmxHttpRequest, account: Account, doc: Document, action: Action
) -> HttpResponse:
    """The document has moved on (another tab, another person), or our cancel rule closed."""
    if action == Action.CANCEL and Action.CANCEL in lifecycle.table_actions(doc):
        text = _(
            "%(number)s can no longer be canceled: it was sent to the client or is dated before "
            "today, so it may have been communicated to the Tax Authority. Correct it with a "
            "credit note instead."
        ) % {"number": doc.display_number}
    else:
        text = _(
            "Not possible now: this %(kind)s is “%(status)s”. The page shows its current state."
        ) % {"kind": str(doc.type.label).lower(), "status": doc.status}
    if not request.htmx:
        messages.warning(request, text)
        return redirect(document_url(account, doc.type.path, doc.id))
    response = _header(request, account, doc, notice=Notice("warning", text))
    if request.method == "GET":  # the button aimed at the panel: replace the whole header
        retarget(response, "#document-header")
        reswap(response, "outerHTML")
    return response


@require_GET
@login_required
def document_header(
    request: HtmxHttpRequest, account_slug: str, type_path: str, document_id: int
) -> HttpResponse:
    """The header read again ("check again" after an unknown outcome; closing a panel)."""
    account = get_account_for_user(request, account_slug)
    kind = _kind(type_path)
    if not request.htmx:
        return redirect(document_url(account, kind.path, document_id))
    try:
        doc = account.client().get_document(kind.path, document_id)
    except NotFound:
        return _gone(request, account)
    except InvoiceXpressError as exc:
        check = _check_again_url(account, kind, document_id)
        return _panel_only(request, account, Notice("danger", exc.message, check_again_url=check))
    notice = None
    if request.GET.get("check") == "1":
        notice = Notice(
            "info",
            _("Read again from InvoiceXpress just now: it is %(number)s, “%(status)s”.")
            % {"number": doc.display_number, "status": doc.status},
        )
    return _header(request, account, doc, notice=notice)


# ---- PDF ------------------------------------------------------------------------------------


def _pdf_filename(doc: Document, second_copy: bool) -> str:
    """ "FT A/29" -> "FT_A-29.pdf"; only safe characters reach the header."""
    name = doc.display_number.replace(" ", "_").replace("/", "-")
    name = re.sub(r"[^A-Za-z0-9_.-]", "", name) or f"document-{doc.id}"
    return f"{name}{'_2via' if second_copy else ''}.pdf"


def _audit_pdf(
    request: HttpRequest,
    account: Account,
    kind: DocumentType,
    document_id: int,
    outcome: str,
    *,
    target: str = "",
    detail: str = "",
) -> None:
    AuditEntry.record(
        account=account,
        user=request.user,
        action="document.pdf",
        outcome=outcome,
        document_type=kind.name,
        document_id=document_id,
        target=target,
        detail=detail,
    )


DRAFT_HAS_NO_PDF = gettext_lazy("A draft has no PDF yet: finalize it first.")


@require_GET
@login_required
def document_pdf(
    request: HtmxHttpRequest, account_slug: str, type_path: str, document_id: int
) -> HttpResponse:
    """Ask for the PDF. InvoiceXpress answers 202 while rendering: the widget polls here.

    Polling stops by itself: only the pending fragment carries an hx-trigger.
    """
    account = get_account_for_user(request, account_slug)
    kind = _kind(type_path)
    second_copy, attempt = PdfForm(request.GET).values()
    original, copy = lifecycle.pdf_buttons(account, kind.path, document_id)
    button = copy if second_copy else original
    detail_url = document_url(account, kind.path, document_id)
    state, message = "ready", ""
    try:
        result = account.client().pdf(document_id, second_copy=second_copy)
    except NotAcceptable:
        state, message = "unavailable", str(DRAFT_HAS_NO_PDF)
    except NotFound:
        state, message = "failed", _("InvoiceXpress no longer has this document (404).")
    except InvoiceXpressError as exc:
        state, message = "failed", exc.message
    else:
        if not result.ready:
            attempt += 1
            state = "pending" if attempt < MAX_PDF_POLLS else "gave_up"
            if state == "gave_up":
                message = _("InvoiceXpress is still rendering the PDF. Try again in a minute.")
    if state in ("unavailable", "failed"):
        _audit_pdf(
            request,
            account,
            kind,
            document_id,
            AuditEntry.Outcome.FAILED,
            detail=message + (" " + _("(second copy)") if second_copy else ""),
        )
    if not request.htmx:
        if state == "ready":
            return redirect(button.download_url)
        if state == "pending":
            messages.info(
                request,
                _("InvoiceXpress is rendering the PDF. Try again in a few seconds."),
            )
        else:
            messages.error(request, message)
        return redirect(detail_url)
    button = PdfButton(
        second_copy,
        button.url,
        button.download_url,
        state=state,
        attempt=attempt,
        message=message,
    )
    return _private(render(request, PDF_BUTTON, {"account": account, "pdf": button}))


@require_GET
@login_required
def document_pdf_download(
    request: HttpRequest, account_slug: str, type_path: str, document_id: int
) -> HttpResponse:
    """The PDF itself, fetched here so the signed link never reaches the browser."""
    account = get_account_for_user(request, account_slug)
    kind = _kind(type_path)
    second_copy, _attempt = PdfForm(request.GET).values()
    detail_url = document_url(account, kind.path, document_id)
    client = account.client()
    doc: Document | None = None
    try:
        # Reading the document checks the type and id belong together (the PDF endpoint
        # takes the id alone) and names the file.
        doc = client.get_document(kind.path, document_id)
        result = client.pdf(doc.id, second_copy=second_copy)
        if not result.ready:
            messages.info(
                request, _("InvoiceXpress is still rendering the PDF. Try again in a few seconds.")
            )
            return redirect(detail_url)
        content = client.download(result.url)
        if not content.startswith(b"%PDF"):
            raise BadResponse(_("InvoiceXpress sent a file that is not a PDF."))
    except NotFound:
        return _gone(request, account)
    except InvoiceXpressError as exc:
        text = str(DRAFT_HAS_NO_PDF) if isinstance(exc, NotAcceptable) else exc.message
        _audit_pdf(
            request,
            account,
            kind,
            document_id,
            AuditEntry.Outcome.FAILED,
            target=doc.display_number if doc else "",
            detail=text,
        )
        messages.error(request, text)
        return redirect(detail_url)
    _audit_pdf(
        request,
        account,
        kind,
        doc.id,
        AuditEntry.Outcome.OK,
        target=doc.display_number,
        detail=_("second copy") if second_copy else "",
    )
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=_pdf_filename(doc, second_copy),
        content_type="application/pdf",
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


# ---- finalizing many drafts -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def document_bulk_finalize(request: HtmxHttpRequest, account_slug: str) -> HttpResponse:
    """The company's drafts with checkboxes; the chosen ones finalized oldest first."""
    account = get_account_for_user(request, account_slug, role=Role.MANAGER)
    posted = request.method == "POST"
    form = BulkFinalizeForm(request.POST if posted else None)
    context: dict[str, Any] = {
        "account": account,
        "nav": "documents",
        "form": form,
        "list_url": reverse("invoices:document_list", args=[account.slug]),
        "here": reverse("invoices:document_bulk_finalize", args=[account.slug]),
        "selected": set(),
    }
    drafts: Drafts | None = None
    try:
        drafts = lifecycle.list_drafts(account)
    except InvoiceXpressError as exc:
        context["error"] = exc
        if posted and request.htmx:  # the answer is the results fragment only
            context["results_error"] = exc
    if posted and drafts is not None and form.is_valid():
        rows = lifecycle.bulk_finalize(
            account=account,
            user=request.user,
            drafts=drafts,
            selected=form.cleaned_data["documents"],
        )
        gone = {r.document_id for r in rows if r.outcome == BulkOutcome.FINALIZED}
        drafts = Drafts(
            documents=tuple(d for d in drafts.documents if d.id not in gone),
            total=max(drafts.total - len(gone), 0),
        )
        context["results"] = rows
        context["summary"] = _summary(rows)
        context["oob_form"] = bool(request.htmx)
    elif posted:  # keep what was ticked while the form is shown again with its error
        context["selected"] = set(request.POST.getlist("documents"))
    elif BulkSelectForm(request.GET).select_all and drafts is not None:
        context["selected"] = {d.id for d in drafts.documents if lifecycle.can_finalize(d)}
    context["drafts"] = drafts
    context["rows"] = _draft_rows(account, drafts, context["selected"]) if drafts else []
    template = BULK_RESULTS if request.htmx and posted else BULK_PAGE
    return _private(render(request, template, context))


def _summary(rows: list[lifecycle.BulkRow]) -> dict[str, int]:
    counts = {outcome.value: 0 for outcome in BulkOutcome}
    for row in rows:
        counts[row.outcome.value] += 1
    return counts


def _draft_rows(account: Account, drafts: Drafts, selected: set) -> list[dict[str, Any]]:
    return [
        {
            "doc": doc,
            "finalizable": lifecycle.can_finalize(doc),
            "checked": doc.id in selected or str(doc.id) in selected,
            "url": document_url(account, doc.type.path, doc.id)
            if doc.type.path in GETTABLE_TYPE_PATHS
            else "",
        }
        for doc in drafts.documents
    ]
