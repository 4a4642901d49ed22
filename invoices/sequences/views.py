"""Sequences (series): the pages of each company's series with their ATCUD state, and the
buttons that write on them. HTTP glue only: the rows the pages show are in `sequences.pages`,
the audited writes and their failure words in `sequences.writes`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from invoices import company_cache
from invoices.access import get_account_for_user
from invoices.htmx import (
    HtmxHttpRequest,
    is_fragment_request,
    private_response,
    render_page_or_fragment,
)
from invoices.invoicexpress.client import InvoiceXpressClient
from invoices.invoicexpress.sequences import Sequence
from invoices.models import Account, Role
from invoices.sequences.forms import SequenceCreateForm, SequenceListForm, SequenceRegisterForm
from invoices.sequences.pages import Notice, SeriesRow, company_rows, series_rows
from invoices.sequences.writes import WriteResult, cached_sequences, sequence_write, serie_name

SEQUENCES_CHANGED = "sequencesChanged"  # the table reloads itself on this client event


def _table_context(
    account: Account, *, refresh: bool = False, after: WriteResult | None = None, **extra
) -> dict:
    if after is not None and after.failure is not None and after.failure.no_answer:
        # The write just went unanswered: reading the list would wait as long again. The
        # page says to refresh, and the htmx table reloads itself on SEQUENCES_CHANGED.
        not_read = _("Not read again, as InvoiceXpress did not answer: refresh in a moment.")
        return {"account": account, "series": None, "load_error": not_read, **extra}
    got = company_cache.get_sequences_or_stale(account, refresh=refresh)
    return {
        "account": account,
        "series": None if got.value is None else series_rows(got.value),
        "load_error": got.error,
        "as_of": got.as_of,  # set when the series shown are the last good list, not a fresh one
        **extra,
    }


# ---- one company ----------------------------------------------------------------------


@require_GET
@login_required
def sequence_list(request: HtmxHttpRequest, account_slug: str) -> HttpResponse:
    account = get_account_for_user(request, account_slug, role=Role.VIEWER)
    query = SequenceListForm(request.GET)
    context = _table_context(
        account, refresh=query.wants_refresh, created_id=query.created_id, nav="sequences"
    )
    if account.role.allows(Role.MANAGER) and not is_fragment_request(request):
        existing = [row.sequence for row in context["series"] or []]
        context["form"] = SequenceCreateForm(existing=existing)
    return render_page_or_fragment(
        request,
        page="invoices/sequences/sequence_list.html",
        fragment="invoices/sequences/_table.html",
        context=context,
    )


@require_http_methods(["GET", "POST"])
@login_required
def sequence_create(request: HtmxHttpRequest, account_slug: str) -> HttpResponse:
    account = get_account_for_user(request, account_slug, role=Role.MANAGER)
    existing = cached_sequences(account, read=request.method != "POST")
    data = request.POST if request.method == "POST" else None
    form = SequenceCreateForm(data, existing=existing)
    result = None
    if request.method == "POST" and form.is_valid():
        serie, make_default = form.cleaned_data["serie"], form.cleaned_data["make_default"]
        result = sequence_write(
            account=account,
            user=request.user,
            action="sequence.create",
            serie=serie,
            call=lambda client: client.create_sequence(serie, make_default=make_default),
            done=gettext_noop("Series “%(serie)s” created."),
        )
        if result.failure is None:
            created = result.sequence
            if created is None:  # sequence_write answers the series of every write that worked
                raise AssertionError("A series write without a failure must return the series.")
            if not is_fragment_request(request):
                messages.add_message(request, _MESSAGE_LEVELS[result.level], result.message)
                url = reverse("invoices:sequence_list", args=[account.slug])
                return redirect(f"{url}?created={created.id}")
            form = SequenceCreateForm(existing=[*existing, created])  # the next one
        elif not result.failure.in_progress:
            form.add_error(result.failure.form_field, result.failure.message)
    context = {
        "account": account,
        "nav": "sequences",
        "form": form,
        "result": result,
        "created": SeriesRow.of(result.sequence) if result and result.sequence else None,
    }
    if is_fragment_request(request):
        response = private_response(render(request, "invoices/sequences/_form.html", context))
        if result is not None:
            # Whatever happened upstream, the table lists the series as they are now.
            trigger_client_event(response, SEQUENCES_CHANGED)
        return response
    # The full page shows the series beside the form.
    context.update(_table_context(account, after=result))
    return private_response(render(request, "invoices/sequences/sequence_list.html", context))


@dataclass(frozen=True)
class SeriesButton:
    """A button on one series: the audit log's action, the upstream call, the page's words."""

    action: str
    call: Callable[[InvoiceXpressClient, int], Sequence]
    done: str  # a msgid (gettext_noop): "%(serie)s" is filled in, translated when shown


REGISTER = SeriesButton(
    "sequence.register",
    lambda client, sequence_id: client.register_sequence(sequence_id),
    gettext_noop("Series “%(serie)s” registered with the Tax Authority."),
)
SET_DEFAULT = SeriesButton(
    "sequence.set_default",
    lambda client, sequence_id: client.set_current_sequence(sequence_id),
    gettext_noop("Series “%(serie)s” is now the default series."),
)


@require_POST
@login_required
def sequence_register(
    request: HtmxHttpRequest, account_slug: str, sequence_id: int
) -> HttpResponse:
    account = get_account_for_user(request, account_slug, role=Role.MANAGER)
    if not SequenceRegisterForm(request.POST).is_valid():
        serie = serie_name(account, sequence_id) or ""
        text = _(
            "Series “%(serie)s” was not registered: tick “I understand this cannot be undone” "
            "first. A series registered with the Tax Authority cannot be deleted or renamed."
        ) % {"serie": serie}
        return _notice_response(request, account, Notice("warning", text))
    return _sequence_action(request, account, sequence_id, REGISTER)


@require_POST
@login_required
def sequence_set_default(
    request: HtmxHttpRequest, account_slug: str, sequence_id: int
) -> HttpResponse:
    account = get_account_for_user(request, account_slug, role=Role.MANAGER)
    return _sequence_action(request, account, sequence_id, SET_DEFAULT)


_MESSAGE_LEVELS = {
    "success": messages.SUCCESS,
    "info": messages.INFO,
    "warning": messages.WARNING,
    "danger": messages.ERROR,
}


def _sequence_action(
    request: HtmxHttpRequest, account: Account, sequence_id: int, button: SeriesButton
) -> HttpResponse:
    """A button on one series: write, then the list in place (htmx) or a redirect to it."""
    serie = serie_name(account, sequence_id)
    result = None
    if serie is None:
        notice = Notice("danger", _("This company has no such series. The list was refreshed."))
    else:
        result = sequence_write(
            account=account,
            user=request.user,
            action=button.action,
            serie=serie,
            call=lambda client: button.call(client, sequence_id),
            done=button.done,
        )
        notice = Notice(result.level, result.message, in_progress=result.in_progress)
    return _notice_response(request, account, notice, after=result)


def _notice_response(
    request: HtmxHttpRequest,
    account: Account,
    notice: Notice,
    *,
    after: WriteResult | None = None,
) -> HttpResponse:
    """The list with `notice` (htmx), or a redirect to it with the notice as a message.
    `after`: the write just made (an unanswered one means not reading the list again)."""
    if request.htmx:
        context = _table_context(account, notice=notice, after=after)
        return private_response(render(request, "invoices/sequences/_table.html", context))
    messages.add_message(request, _MESSAGE_LEVELS[notice.level], notice.text)
    return redirect("invoices:sequence_list", account.slug)


# ---- every company --------------------------------------------------------------------


@require_GET
@login_required
def sequence_overview(request: HtmxHttpRequest) -> HttpResponse:
    query = SequenceListForm(request.GET)
    accounts = list(Account.objects.for_user(request.user))
    companies = company_rows(
        accounts, refresh=query.wants_refresh, language=translation.get_language()
    )
    blocked = [c for c in companies if c.can_invoice is False]
    unknown = [c for c in companies if c.can_invoice is None]
    return render(
        request,
        "invoices/sequences/sequence_overview.html",
        {"companies": companies, "blocked": blocked, "unknown": unknown},
    )
