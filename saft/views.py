"""SAF-T pages: one company's exports (/c/<slug>/saft/) and all my companies' (/saft/).

Viewers see and download; only managers request. Every company view starts with the access
check; exports are always looked up through the company, so another company's export id
under your slug is a 404.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from invoices.access import get_account_for_user
from invoices.htmx import (
    HtmxHttpRequest,
    is_fragment_request,
    private_response,
    render_page_or_fragment,
)
from invoices.jobs.models import Job
from invoices.models import Account, Membership, Role
from invoices.sentences import render_sentences
from saft import services
from saft.deadlines import deadlines_for
from saft.forms import SaftPeriodForm, SaftSubmissionForm
from saft.models import SaftExport, SaftSubmission
from saft.pack import pack_download_name, pack_start
from saft.periods import Period
from saft.services import AdvanceState, RequestOutcome
from saft.submissions import AlreadySubmitted, submission_record

EXPORT_FINISHED = "saftExportFinished"  # client event: an export left "pending"

PER_PAGE = 50


def _get_export_for_user(
    request: HttpRequest, account_slug: str, pk: int, role: Role = Role.VIEWER
) -> tuple[Account, SaftExport]:
    """The company (access-checked) and its export `pk`; 404 if the export is not its own."""
    account = get_account_for_user(request, account_slug, role=role)
    export = get_object_or_404(
        SaftExport.objects.select_related("account", "requested_by", "validation_job"),
        pk=pk,
        account=account,
    )
    return account, export


def _rows_context(managed_ids: set[int], *, show_company: bool = False) -> dict:
    return {
        "poll_seconds": settings.IXPORTAL_SAFT_POLL_SECONDS,
        "managed_ids": managed_ids,
        "show_company": show_company,
    }


# ---- one company ------------------------------------------------------------------------


def _render_export_list(
    request: HttpRequest,
    account: Account,
    form: SaftPeriodForm | None,
    submission_form: SaftSubmissionForm | None = None,
) -> HttpResponse:
    exports = account.saft_exports.select_related("account", "requested_by", "validation_job")
    page = Paginator(exports, PER_PAGE).get_page(request.GET.get("page"))
    can_request = account.role.allows(Role.MANAGER)
    context = {
        "account": account,
        "nav": "saft",
        "page": page,
        "form": (form or SaftPeriodForm()) if can_request else None,
        "submission_form": (submission_form or SaftSubmissionForm(account=account))
        if can_request
        else None,
        "submissions": account.saft_submissions.select_related("submitted_by", "export")[:24],
        "packs": _recent_packs([account]),
        "pack_form": SaftPeriodForm(prefix="pack") if can_request else None,
        "deadline": deadlines_for([account])[0],
        **_rows_context({account.pk} if can_request else set()),
    }
    return render(request, "saft/export_list.html", context)


@require_GET
@login_required
def export_list(request: HttpRequest, account_slug: str) -> HttpResponse:
    account = get_account_for_user(request, account_slug)
    return _render_export_list(request, account, None)


@require_POST
@login_required
def export_request(request: HttpRequest, account_slug: str) -> HttpResponse:
    account = get_account_for_user(request, account_slug, role=Role.MANAGER)
    form = SaftPeriodForm(request.POST)
    if not form.is_valid():
        return _render_export_list(request, account, form)
    outcome = services.export_request(account=account, user=request.user, period=form.period)
    _message_for(request, outcome)
    if form.is_current_month:
        messages.warning(request, _incomplete_warning(outcome.export))
    return redirect("saft:export_list", account.slug)


@require_GET
@login_required
def export_status(request: HtmxHttpRequest, account_slug: str, pk: int) -> HttpResponse:
    """The export's row, re-rendered by its own polling; each poll may advance it once."""
    account, export = _get_export_for_user(request, account_slug, pk)
    services.export_advance(export=export)
    can_request = account.role.allows(Role.MANAGER)
    context = {
        "account": account,
        "nav": "saft",
        "export": export,
        "offer_nif": can_request and services.nif_on_offer(export) != "",
        **_rows_context({account.pk} if can_request else set()),
    }
    response = render_page_or_fragment(
        request, page="saft/export_status.html", fragment="saft/_export_row.html", context=context
    )
    if is_fragment_request(request) and not export.is_pending:
        # The deadline badge above the table listens for this and refreshes itself.
        trigger_client_event(response, EXPORT_FINISHED)
    return response


@require_GET
@login_required
def export_download(request: HttpRequest, account_slug: str, pk: int) -> FileResponse:
    """The archived zip from our own storage, as an attachment, to members of the company."""
    _account, export = _get_export_for_user(request, account_slug, pk)
    if not export.is_ready or not export.file:
        raise Http404("This export has no file.")
    try:
        handle = export.file.open("rb")
    except FileNotFoundError:
        raise Http404("The archived file is missing.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=export.download_name, content_type="application/zip"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return private_response(response)


@require_POST
@login_required
def export_nif_confirm(request: HttpRequest, account_slug: str, pk: int) -> HttpResponse:
    """A manager confirms the NIF read from this export's header as the company's NIF."""
    account, export = _get_export_for_user(request, account_slug, pk, role=Role.MANAGER)
    outcome = services.account_nif_confirm(account=account, export=export, user=request.user)
    if outcome == services.NifConfirm.RECORDED:
        messages.success(request, _("The company's NIF is now %(nif)s.") % {"nif": account.nif})
    elif outcome == services.NifConfirm.ALREADY_SET:
        messages.info(
            request, _("The company's NIF was already recorded: %(nif)s.") % {"nif": account.nif}
        )
    else:
        messages.error(request, _("This file's header has no valid NIF to confirm."))
    return redirect("saft:export_status", account.slug, export.pk)


@require_POST
@login_required
def submission_create(request: HttpRequest, account_slug: str) -> HttpResponse:
    """A manager marks a closed month submitted to the Tax Authority (audited)."""
    account = get_account_for_user(request, account_slug, role=Role.MANAGER)
    form = SaftSubmissionForm(request.POST, request.FILES, account=account)
    if not form.is_valid():
        return _render_export_list(request, account, None, form)  # 200: htmx 2 swaps no 4xx
    data = form.cleaned_data
    try:
        submission = submission_record(
            account=account,
            user=request.user,
            period=data["period"],
            submitted_on=data["submitted_on"],
            receipt_number=data["receipt_number"],
            receipt_pdf=data["receipt_pdf"],
            export=data["export"],
        )
    except AlreadySubmitted as exc:
        form.add_error(None, exc.message)
        return _render_export_list(request, account, None, form)
    messages.success(
        request,
        _("%(period)s is marked submitted to the Tax Authority.")
        % {"period": submission.period.label},
    )
    return redirect("saft:export_list", account.slug)


@require_GET
@login_required
def submission_receipt(request: HttpRequest, account_slug: str, pk: int) -> FileResponse:
    """The Tax Authority's receipt PDF, from our storage, to members of the company."""
    account = get_account_for_user(request, account_slug)
    submission = get_object_or_404(SaftSubmission, pk=pk, account=account)
    if not submission.receipt_pdf:
        raise Http404("This submission has no receipt PDF.")
    try:
        handle = submission.receipt_pdf.open("rb")
    except FileNotFoundError:
        raise Http404("The receipt file is missing.") from None
    name = f"SAFT-PT_receipt_{account.slug}_{submission.period.key}.pdf"
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return private_response(response)


RECENT_PACKS = 10


def _recent_packs(accounts: list[Account]) -> list[Job]:
    return list(
        Job.objects.filter(account__in=accounts, kind=Job.Kind.SAFT_PACK)
        .select_related("account", "started_by")
        .order_by("-created_at", "-pk")[:RECENT_PACKS]
    )


@require_POST
@login_required
def pack_create(request: HttpRequest, account_slug: str) -> HttpResponse:
    """A manager starts the accountant's pack of one month (a background job)."""
    account = get_account_for_user(request, account_slug, role=Role.MANAGER)
    form = SaftPeriodForm(request.POST, prefix="pack")
    if not form.is_valid():
        messages.error(request, _("Choose a month that has started."))
        return redirect("saft:export_list", account.slug)
    job = pack_start(account=account, user=request.user, period=form.period)
    if job is None:
        messages.error(
            request,
            _("%(period)s has no archived SAF-T of the whole month: request it first.")
            % {"period": form.period.label},
        )
    else:
        messages.success(
            request,
            _("The accountant's pack for %(period)s is being built; its progress is below.")
            % {"period": form.period.label},
        )
    return redirect(f"{reverse('saft:export_list', args=[account.slug])}#saft-packs")


@require_GET
@login_required
def pack_download(request: HttpRequest, account_slug: str, job_id: int) -> FileResponse:
    """The finished pack, from our storage, to members of the company."""
    account = get_account_for_user(request, account_slug)
    job = get_object_or_404(
        Job.objects.select_related("account"),
        pk=job_id,
        account=account,
        kind=Job.Kind.SAFT_PACK,
        status=Job.Status.DONE,
    )
    if not job.result_file:
        raise Http404("This pack has no file.")
    try:
        handle = job.result_file.open("rb")
    except FileNotFoundError:
        raise Http404("The pack file is missing.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=pack_download_name(job), content_type="application/zip"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return private_response(response)


# ---- all my companies -------------------------------------------------------------------


def _my_accounts(request: HttpRequest) -> tuple[list[Account], set[int]]:
    """The user's active companies (role on each) and the ids of those they manage."""
    accounts: list[Account] = []
    managed: set[int] = set()
    user_id = request.user.pk
    if user_id is None:  # not signed in: a member of nothing
        return accounts, managed
    memberships = Membership.objects.filter(
        user_id=user_id, account__is_active=True
    ).select_related("account")
    for membership in memberships:
        account = membership.account
        account.role = Role(membership.role)
        accounts.append(account)
        if account.role.allows(Role.MANAGER):
            managed.add(account.pk)
    return accounts, managed


def _render_overview(request: HttpRequest, form: SaftPeriodForm | None) -> HttpResponse:
    accounts, managed = _my_accounts(request)
    exports = SaftExport.objects.filter(account__in=accounts).select_related(
        "account", "requested_by", "validation_job"
    )
    page = Paginator(exports, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "deadlines": deadlines_for(accounts),
        "page": page,
        "form": (form or SaftPeriodForm()) if managed else None,
        "managed_count": len(managed),
        "pack_form": SaftPeriodForm(prefix="pack") if managed else None,
        "packs": _recent_packs(accounts),
        **_rows_context(managed, show_company=True),
    }
    return render(request, "saft/overview.html", context)


@require_GET
@login_required
def saft_overview(request: HttpRequest) -> HttpResponse:
    return _render_overview(request, None)


@require_POST
@login_required
def saft_overview_request(request: HttpRequest) -> HttpResponse:
    """Request one month for every company the user manages, in one go.

    Only the rows are made here: InvoiceXpress is asked by each row's polling (or by
    `saft_poll`), because one upstream call per company inside this request could outlast
    the worker's timeout once there are many companies or the service is slow.
    """
    accounts, managed = _my_accounts(request)
    if not managed:
        raise PermissionDenied("You manage no company.")
    form = SaftPeriodForm(request.POST)
    if not form.is_valid():
        return _render_overview(request, form)
    queued: list[str] = []
    joined: list[str] = []
    for account in accounts:
        if account.pk in managed:
            outcome = services.export_queue(account=account, user=request.user, period=form.period)
            (joined if outcome.joined else queued).append(account.name)
    _queued_messages(request, form.period, queued=queued, joined=joined)
    if form.is_current_month:
        messages.warning(request, _incomplete_warning(outcome.export))
    return redirect("saft_overview")


@require_POST
@login_required
def saft_overview_pack(request: HttpRequest) -> HttpResponse:
    """The accountant's pack of one month for every company the user manages: one job each."""
    accounts, managed = _my_accounts(request)
    if not managed:
        raise PermissionDenied("You manage no company.")
    form = SaftPeriodForm(request.POST, prefix="pack")
    if not form.is_valid():
        messages.error(request, _("Choose a month that has started."))
        return redirect("saft_overview")
    started: list[str] = []
    without: list[str] = []
    for account in accounts:
        if account.pk in managed:
            job = pack_start(account=account, user=request.user, period=form.period)
            (started if job else without).append(account.name)
    params = {"period": form.period.label}
    if started:
        messages.success(
            request,
            _("The accountant's pack for %(period)s is being built for %(companies)s.")
            % {**params, "companies": ", ".join(started)},
        )
    if without:
        messages.warning(
            request,
            _("No archived SAF-T of the whole of %(period)s for %(companies)s: request it first.")
            % {**params, "companies": ", ".join(without)},
        )
    return redirect(f"{reverse('saft_overview')}#saft-packs")


@require_GET
@login_required
def saft_overview_status(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """An export's row on the cross-company page (with its company column)."""
    accounts, managed = _my_accounts(request)
    export = get_object_or_404(
        SaftExport.objects.select_related("account", "requested_by", "validation_job"),
        pk=pk,
        account__in=accounts,
    )
    services.export_advance(export=export)
    if not request.htmx:
        return private_response(redirect("saft:export_status", export.account.slug, export.pk))
    context = {"export": export, **_rows_context(managed, show_company=True)}
    return private_response(render(request, "saft/_export_row.html", context))


# ---- messages ---------------------------------------------------------------------------


def _message_for(request: HttpRequest, outcome: RequestOutcome) -> None:
    export = outcome.export
    params = {"period": export.period.label}
    if outcome.joined:
        messages.info(
            request,
            _("The SAF-T for %(period)s is already being generated; your request joined it.")
            % params,
        )
    elif outcome.advance and outcome.advance.state == AdvanceState.FAILED:
        messages.error(
            request,
            _("The SAF-T for %(period)s failed: %(reason)s")
            % {**params, "reason": _export_words(export)},
        )
    elif outcome.advance and outcome.advance.transient:
        messages.warning(
            request,
            _("The SAF-T for %(period)s was requested, but: %(problem)s")
            % {**params, "problem": _export_words(export)},
        )
    elif export.is_ready and export.is_invalid:
        messages.error(
            request,
            _(
                "The SAF-T for %(period)s was archived, but it is invalid: do not submit it. "
                "Its validation report says why."
            )
            % params,
        )
    elif export.is_ready:
        messages.success(request, _("The SAF-T for %(period)s is ready.") % params)
    else:
        messages.success(
            request,
            _(
                "The SAF-T for %(period)s was requested. InvoiceXpress is generating it; "
                "this page updates by itself."
            )
            % params,
        )


def _export_words(export: SaftExport) -> str:
    """The export's message in the reader's language, and InvoiceXpress's words quoted."""
    words = render_sentences(export.message)
    if export.said:
        words += " " + _("InvoiceXpress said: “%(said)s”") % {"said": export.said}
    return words


def _queued_messages(
    request: HttpRequest, period: Period, *, queued: list[str], joined: list[str]
) -> None:
    # One banner per kind, naming the companies: one per company would bury the page.
    if queued:
        messages.success(
            request,
            ngettext(
                "The SAF-T for %(period)s was requested for %(companies)s. Its row below asks "
                "InvoiceXpress and updates by itself.",
                "The SAF-T for %(period)s was requested for %(companies)s. Their rows below ask "
                "InvoiceXpress and update by themselves.",
                len(queued),
            )
            % {"period": period.label, "companies": ", ".join(queued)},
        )
    if joined:
        messages.info(
            request,
            _(
                "The SAF-T for %(period)s was already being generated for %(companies)s; "
                "your request joined it."
            )
            % {"period": period.label, "companies": ", ".join(joined)},
        )


def _incomplete_warning(export: SaftExport) -> str:
    return _(
        "%(period)s is not over yet: this SAF-T holds only the documents issued so far, "
        "and the month must be exported again after it ends."
    ) % {"period": export.period.label}
