"""A document's lifecycle pages: finalize, delete a draft, cancel, settle, unsettle; its PDF;
and finalizing many drafts at once. HTTP glue only: the rules are in `lifecycle`, what the
page shows in `lifecycle.pages`, the changes in `state_changes`, `lifecycle.pdf` and
`bulk_finalize` (a background job: `invoices.jobs`).

With htmx an action answers with the re-rendered `#document-header` (the confirm panel and
every message live inside it); without JavaScript it is a plain POST, a redirect to the
document page and a message. Each action reads the document first, so a stale page never
acts on a state the document has left, and our cancel rule (see `lifecycle`) is enforced
here and not only by hiding a button.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from invoices.access import get_account_for_user
from invoices.htmx import (
    HtmxHttpRequest,
    is_fragment_request,
    private_response,
    render_page_or_fragment,
    upstream_failure_status,
)
from invoices.invoicexpress.document_types import (
    ACTIONABLE_TYPE_PATHS,
    GETTABLE_TYPE_PATHS,
    DocumentType,
)
from invoices.invoicexpress.document_types import document_type as get_document_type
from invoices.invoicexpress.errors import InvoiceXpressError, NotFound
from invoices.invoicexpress.records import Document
from invoices.lifecycle import actions as lifecycle
from invoices.lifecycle import state_changes
from invoices.lifecycle.actions import SPECS, Action, ActionSpec
from invoices.lifecycle.bulk_finalize import (
    BulkOutcome,
    Drafts,
    bulk_finalize_start,
    can_finalize,
    draft_rows,
    list_drafts,
)
from invoices.lifecycle.forms import BulkFinalizeForm, BulkSelectForm, PdfForm, StateChangeForm
from invoices.lifecycle.pages import (
    Notice,
    Panel,
    check_again_url,
    confirm_panel,
    document_url,
    finalize_date_problem,
    not_possible_text,
    offer_for,
    pdf_buttons,
)
from invoices.lifecycle.pdf import pdf_download, pdf_poll
from invoices.models import Account, Role

HEADER = "invoices/documents/_header.html"
CONFIRM_PAGE = "invoices/lifecycle/document_change_state.html"
PANEL = "invoices/lifecycle/_lifecycle_panel.html"
PDF_BUTTON = "invoices/lifecycle/_pdf_button.html"
BULK_PAGE = "invoices/lifecycle/document_bulk_finalize.html"
BULK_RESULTS = "invoices/lifecycle/_bulk_finalize_results.html"


# ---- helpers ------------------------------------------------------------------------------


def _kind(type_path: str, *, changes: bool = False) -> DocumentType:
    """The type, or 404. `changes`: a state change, which estimates and guides never get."""
    if type_path not in (ACTIONABLE_TYPE_PATHS if changes else GETTABLE_TYPE_PATHS):
        raise Http404("No such document type.")
    return get_document_type(type_path)


def _header_context(account: Account, doc: Document, **extra: Any) -> dict[str, Any]:
    return {
        "account": account,
        "nav": "documents",
        "doc": doc,
        "overdue": doc.is_overdue(timezone.localdate()),
        "list_url": reverse("invoices:document_list", args=[account.slug]),
        "detail_url": document_url(account, doc.type.path, doc.id),
        **extra,
    }


def _header(
    request: HtmxHttpRequest,
    account: Account,
    doc: Document,
    *,
    notice: Notice | None = None,
    panel: Panel | None = None,
) -> HttpResponse:
    context = _header_context(account, doc, lifecycle_notice=notice, lifecycle_panel=panel)
    # The number may have changed (a finalized draft): the breadcrumb follows, out of band.
    context["oob_breadcrumb"] = True
    return private_response(render(request, HEADER, context))


def _panel_only(
    request: HtmxHttpRequest,
    account: Account,
    notice: Notice,
    *,
    panel: Panel | None = None,
    doc: Document | None = None,
) -> HttpResponse:
    """Just the panel slot with a notice (and maybe the form again), wherever the request
    meant to swap."""
    context = {"account": account, "lifecycle_notice": notice, "lifecycle_panel": panel}
    if doc is not None:
        context.update(doc=doc, detail_url=document_url(account, doc.type.path, doc.id))
    response = render(request, PANEL, context)
    retarget(response, "#lifecycle-panel")
    reswap(response, "outerHTML")
    return private_response(response)


def _check_role(
    request: HtmxHttpRequest, account: Account, action: Action, kind: DocumentType, document_id: int
) -> None:
    """Managers do everything; a clerk may only delete a draft they created here."""
    if account.role == Role.MANAGER:
        return
    if lifecycle.clerk_may(action) and lifecycle.created_through_ixportal(
        account=account, user=request.user, doc_type_path=kind.path, doc_id=document_id
    ):
        return
    raise PermissionDenied("Your role in this company does not allow this.")


def _gone(request: HtmxHttpRequest, account: Account) -> HttpResponse:
    messages.warning(
        request,
        _("InvoiceXpress no longer has this document: it was deleted, or never was here."),
    )
    list_url = reverse("invoices:document_list", args=[account.slug])
    return private_response(
        HttpResponseClientRedirect(list_url) if request.htmx else redirect(list_url)
    )


# ---- state changes --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def document_change_state(
    request: HtmxHttpRequest, account_slug: str, type_path: str, document_id: int, action: str
) -> HttpResponse:
    """GET: the confirm step. POST: the change (finalize, delete, cancel, settle, unsettle)."""
    account = get_account_for_user(request, account_slug, role=Role.CLERK)
    kind = _kind(type_path, changes=True)
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
        check = check_again_url(account, kind, document_id)
        notice = Notice("danger", text, check_again_url=check)
        if request.method == "POST" and spec.reason:
            # The typed reason stays in the form, to send again once the service answers.
            stand_in = Document.from_api({"id": document_id, "type": kind.name})
            form = StateChangeForm(request.POST, spec=spec)
            form.is_valid()
            kept = Panel(spec, form, request.path)
            return _panel_only(request, account, notice, panel=kept, doc=stand_in)
        return _panel_only(request, account, notice)

    offer = offer_for(account, request.user, doc, timezone.localdate())
    if not offer.allows(act):
        return _not_possible(request, account, doc, act)

    form = StateChangeForm(request.POST if request.method == "POST" else None, spec=spec)
    if request.method == "GET" or not form.is_valid():
        return _ask(request, account, doc, spec, form)

    if act == Action.FINALIZE and (problem := finalize_date_problem(account, doc)):
        # Refused here with the reason, before InvoiceXpress is asked (it would refuse too).
        text = _("Not finalized. %(reason)s") % {"reason": problem}
        if not request.htmx:
            messages.error(request, text)
            return redirect(detail_url)
        return _header(request, account, doc, notice=Notice("danger", text))
    result = state_changes.document_change_state(
        account=account, user=request.user, doc=doc, action=act, message=form.message
    )
    if result.ok and act == Action.DELETE:
        messages.success(request, result.message)
        list_url = reverse("invoices:document_list", args=[account.slug])
        return HttpResponseClientRedirect(list_url) if request.htmx else redirect(list_url)
    # A change that needs typed words (a cancellation's reason) and did not happen keeps
    # them in its form: refused, failed or unknown, sending again reads the document first,
    # so a cancel that did go through is never sent twice (it is "not possible now").
    keep_form = spec.reason and not result.ok
    if not request.htmx and not keep_form:
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
            check_again_url=check_again_url(account, kind, doc.id) if result.unknown else "",
        )
    shown = result.document or doc
    panel = confirm_panel(account, shown, spec, form, request.path) if keep_form else None
    if not request.htmx:
        context = _header_context(account, shown, lifecycle_panel=panel, lifecycle_notice=notice)
        return private_response(render(request, CONFIRM_PAGE, context))
    return _header(request, account, shown, notice=notice, panel=panel)


def _ask(
    request: HtmxHttpRequest,
    account: Account,
    doc: Document,
    spec: ActionSpec,
    form: StateChangeForm,
) -> HttpResponse:
    """The confirm step: a panel in the header (htmx) or the document page with it open."""
    panel = confirm_panel(account, doc, spec, form, request.path)
    if request.htmx and request.method == "POST":
        return _header(request, account, doc, panel=panel)
    # A GET from the button asks for the panel only (hx-target="#lifecycle-panel").
    return render_page_or_fragment(
        request,
        page=CONFIRM_PAGE,
        fragment=PANEL,
        context=_header_context(account, doc, lifecycle_panel=panel),
    )


def _not_possible(
    request: HtmxHttpRequest, account: Account, doc: Document, action: Action
) -> HttpResponse:
    """The document has moved on (another tab, another person), or our cancel rule closed."""
    text = not_possible_text(doc, action)
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
        return private_response(redirect(document_url(account, kind.path, document_id)))
    try:
        doc = account.client().get_document(kind.path, document_id)
    except NotFound:
        return _gone(request, account)
    except InvoiceXpressError as exc:
        check = check_again_url(account, kind, document_id)
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
    original, copy = pdf_buttons(account, kind.path, document_id)
    button = pdf_poll(
        account=account,
        user=request.user,
        kind=kind,
        document_id=document_id,
        button=copy if second_copy else original,
        attempt=attempt,
    )
    if not request.htmx:
        if button.state == "ready":
            return private_response(redirect(button.download_url))
        if button.state == "pending":
            messages.info(
                request,
                _("InvoiceXpress is rendering the PDF. Try again in a few seconds."),
            )
        else:
            messages.error(request, button.message)
        return private_response(redirect(document_url(account, kind.path, document_id)))
    return private_response(render(request, PDF_BUTTON, {"account": account, "pdf": button}))


@require_GET
@login_required
def document_pdf_download(
    request: HtmxHttpRequest, account_slug: str, type_path: str, document_id: int
) -> HttpResponseBase:
    """The PDF itself, fetched here so the signed link never reaches the browser."""
    account = get_account_for_user(request, account_slug)
    kind = _kind(type_path)
    second_copy, _attempt = PdfForm(request.GET).values()
    detail_url = document_url(account, kind.path, document_id)
    try:
        download = pdf_download(
            account=account,
            user=request.user,
            kind=kind,
            document_id=document_id,
            second_copy=second_copy,
        )
    except NotFound:
        return _gone(request, account)
    if download.rendering:
        messages.info(
            request, _("InvoiceXpress is still rendering the PDF. Try again in a few seconds.")
        )
        return redirect(detail_url)
    if download.error:
        messages.error(request, download.error)
        return redirect(detail_url)
    response = FileResponse(
        io.BytesIO(download.content),
        as_attachment=True,
        filename=download.filename,
        content_type="application/pdf",
    )
    return private_response(response)


# ---- finalizing many drafts -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def document_bulk_finalize(request: HtmxHttpRequest, account_slug: str) -> HttpResponse:
    """The company's drafts with checkboxes; the chosen ones finalized by a background job.

    The answer shows the job's progress bar (which polls until the job ends); without
    JavaScript the browser goes to the job's page.
    """
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
        drafts = list_drafts(account)
    except InvoiceXpressError as exc:
        context["error"] = exc
        if posted and is_fragment_request(request):  # the answer is the results fragment only
            context["results_error"] = exc
    if posted and drafts is not None and form.is_valid():
        job = bulk_finalize_start(
            account=account,
            user=request.user,
            drafts=drafts,
            selected=form.cleaned_data["documents"],
        )
        if not is_fragment_request(request):  # without JavaScript: watch it on its page
            return private_response(redirect("invoices:job_detail", account.slug, job.pk))
        context["job"] = job
        if not job.is_running:  # an inline backend (tests) ran it already
            items = list(job.items.all())
            context["items"] = items
            drafts = drafts.without(
                {int(i.key) for i in items if i.outcome == BulkOutcome.FINALIZED}
            )
            context["oob_form"] = True
    elif posted:  # keep what was ticked while the form is shown again with its error
        context["selected"] = set(request.POST.getlist("documents"))
    elif BulkSelectForm(request.GET).select_all and drafts is not None:
        context["selected"] = {d.id for d in drafts.documents if can_finalize(d)}
    context["drafts"] = drafts
    context["rows"] = draft_rows(account, drafts, context["selected"]) if drafts else []
    if not posted:  # a GET is always the page, with htmx or without
        status = upstream_failure_status(context["error"]) if "error" in context else 200
        return private_response(render(request, BULK_PAGE, context, status=status))
    return render_page_or_fragment(request, page=BULK_PAGE, fragment=BULK_RESULTS, context=context)
