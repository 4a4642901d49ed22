"""Sequences (series): each company's series with their ATCUD state, and the writes on them.

A Portuguese company may only issue documents on series registered with the Tax Authority.
Each document type of a series carries its own validation code; ATCUD is that code, "-",
and the document's number. A code of "N/D" means the type needs one but the series is not
registered: InvoiceXpress refuses to finalize documents on it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event
from django_htmx.middleware import HtmxDetails

from invoices import company_cache
from invoices.access import get_account_for_user
from invoices.forms_sequences import SequenceCreateForm, SequenceListForm
from invoices.ix_errors import (
    BadResponse,
    Conflict,
    InvoiceXpressError,
    Rejected,
    ServerError,
    Unauthorized,
    Unreachable,
)
from invoices.ix_records import (
    DOCUMENT_TYPES,
    CodeStatus,
    Sequence,
    SequenceCounter,
)
from invoices.models import Account, AuditEntry, Role


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


SEQUENCES_CHANGED = "sequencesChanged"  # the table reloads itself on this client event
OVERVIEW_WORKERS = 8  # companies asked at once: one slow company must not stall the page

# The types a company invoices with, shown first and in this order; the rest fold away.
INVOICING_TYPE_KEYS = (
    "invoice",
    "invoice_receipt",
    "simplified_invoice",
    "credit_note",
    "debit_note",
    "receipt",
)
_TYPE_LABELS = {t.sequence_key: (t.label, t.code) for t in DOCUMENT_TYPES if t.sequence_key}
_TYPE_LABELS.update(
    {
        "shipping": (gettext_lazy("Delivery note"), "GR"),
        "transport": (gettext_lazy("Transport document"), "GT"),
        "devolution": (gettext_lazy("Return note"), "GD"),
        "proforma": (gettext_lazy("Pro forma invoice"), "PF"),
        "quote": (gettext_lazy("Quote"), "OR"),
        "fees_note": (gettext_lazy("Fees note"), ""),
        "purchase_order": (gettext_lazy("Purchase order"), "NE"),
        "vat_moss_credit_note": (gettext_lazy("VAT MOSS credit note"), ""),
        "vat_moss_receipt": (gettext_lazy("VAT MOSS receipt"), ""),
    }
)


# ---- what the pages show --------------------------------------------------------------


@dataclass(frozen=True)
class CounterRow:
    """One document type of a series, with the words the page needs."""

    counter: SequenceCounter
    label: str
    code: str  # FT, FR, ... ("" when the type has no printed code)

    @property
    def status(self) -> str:
        return self.counter.code_status

    @property
    def is_problem(self) -> bool:
        return self.status == CodeStatus.NOT_REGISTERED


@dataclass(frozen=True)
class SeriesRow:
    sequence: Sequence
    invoicing: tuple[CounterRow, ...]
    others: tuple[CounterRow, ...]

    @classmethod
    def of(cls, sequence: Sequence) -> SeriesRow:
        by_key = {c.type_key: c for c in sequence.counters}
        invoicing = tuple(_counter_row(by_key[k]) for k in INVOICING_TYPE_KEYS if k in by_key)
        others = tuple(
            _counter_row(c) for c in sequence.counters if c.type_key not in INVOICING_TYPE_KEYS
        )
        return cls(sequence=sequence, invoicing=invoicing, others=others)

    @property
    def problems(self) -> tuple[CounterRow, ...]:
        return tuple(r for r in (*self.invoicing, *self.others) if r.is_problem)

    @property
    def invoicing_problems(self) -> tuple[CounterRow, ...]:
        return tuple(r for r in self.invoicing if r.is_problem)

    @property
    def registered_nowhere(self) -> bool:
        """Every type that needs a validation code lacks one (the whole series is N/D)."""
        return bool(self.problems) and not any(
            r.status == CodeStatus.REGISTERED for r in (*self.invoicing, *self.others)
        )

    @property
    def invoice(self) -> CounterRow | None:
        return next((r for r in self.invoicing if r.counter.type_key == "invoice"), None)

    @property
    def others_have_problem(self) -> bool:
        return any(r.is_problem for r in self.others)


def _counter_row(counter: SequenceCounter) -> CounterRow:
    label, code = _TYPE_LABELS.get(
        counter.type_key, (counter.type_key.replace("_", " ").capitalize(), "")
    )
    return CounterRow(counter=counter, label=str(label), code=code)


def _series_rows(sequences: list[Sequence]) -> list[SeriesRow]:
    # The default series first (it is the one documents go to), then InvoiceXpress's order.
    ordered = sorted(sequences, key=lambda s: not s.is_default)
    return [SeriesRow.of(s) for s in ordered]


@dataclass
class Notice:
    """A message shown inside a swapped fragment (htmx responses skip the base layout)."""

    level: str  # bootstrap alert colour: success, danger, warning, info
    text: str
    in_progress: bool = False  # show a Refresh button: the Tax Authority is still working


def _table_context(account: Account, *, refresh: bool = False, **extra) -> dict:
    try:
        sequences = company_cache.get_sequences(account, refresh=refresh)
    except InvoiceXpressError as exc:
        return {"account": account, "series": None, "load_error": exc.message, **extra}
    return {"account": account, "series": _series_rows(sequences), "load_error": "", **extra}


# ---- what each upstream failure means here ---------------------------------------------


@dataclass
class Failure:
    message: str
    outcome: str  # AuditEntry.Outcome
    form_field: str | None = None  # the form field it is about, if any
    in_progress: bool = False
    service_said: list[str] = field(default_factory=list)


def _failure(exc: InvoiceXpressError, *, serie: str) -> Failure:
    """Turn a typed client error from a sequence write into the page's words and the audit outcome.

    Codes come from the sequences-create page (409: 006; 422: 001-005 and 000).
    """
    failed, unknown = AuditEntry.Outcome.FAILED, AuditEntry.Outcome.UNKNOWN
    said = list(getattr(exc, "errors", []) or [])
    code = getattr(exc, "code", "")
    if isinstance(exc, Conflict) and code == "006":
        return Failure(
            _(
                "The series “%(serie)s” is already being registered with the Tax Authority. "
                "This can take a few minutes: refresh to see its validation codes."
            )
            % {"serie": serie},
            failed,
            in_progress=True,
            service_said=said,
        )
    if isinstance(exc, Rejected) and code in _REJECTED_CODES:
        field_name, text = _REJECTED_CODES[code]
        return Failure(str(text) % {"serie": serie}, failed, field_name, service_said=said)
    if isinstance(exc, Unauthorized):
        return Failure(
            exc.message + " " + _("Ask an administrator to check the company's API key."),
            failed,
        )
    if isinstance(exc, Unreachable | ServerError | BadResponse):
        # No (usable) answer: the write may or may not have happened upstream.
        return Failure(
            exc.message
            + " "
            + _("Refresh the list to see whether the change was made before trying again."),
            unknown,
            service_said=said,
        )
    # 429 (answered before anything was done), other 409/422 shapes, 404.
    return Failure(exc.message, failed, service_said=said)


_REJECTED_CODES = {
    "001": (
        "serie",
        gettext_lazy(
            "InvoiceXpress does not allow the series name “%(serie)s” (code 001). "
            "Use 1 to 10 letters or digits, e.g. 2026 or A."
        ),
    ),
    "002": (
        "serie",
        gettext_lazy(
            "A series named “%(serie)s” already exists in this company (code 002). "
            "Refresh the list to see it, or choose another name."
        ),
    ),
    "003": (
        "serie",
        gettext_lazy("InvoiceXpress considers the series “%(serie)s” invalid (code 003)."),
    ),
    "004": (
        None,
        gettext_lazy(
            "The Tax Authority refused this company's AT credentials (code 004), so the "
            "series “%(serie)s” cannot be registered. Fix them in InvoiceXpress, in Settings > "
            "Tax Authority communication (“Definições > Comunicação à AT”), then try again."
        ),
    ),
    "005": (
        None,
        gettext_lazy(
            "The company's fiscal ID (NIF) has no open activity at the Tax Authority "
            "(code 005), so it cannot register the series “%(serie)s”. Declare the start of "
            "activity at the Tax Authority (Portal das Finanças), then try again."
        ),
    ),
    "000": (
        None,
        gettext_lazy(
            "InvoiceXpress could not register the series “%(serie)s”: unknown error (code 000). "
            "Try again in a few minutes; if it keeps failing, contact InvoiceXpress support."
        ),
    ),
}


@dataclass
class WriteResult:
    """What one sequence write did, in the page's words."""

    message: str
    level: str  # bootstrap alert colour
    sequence: Sequence | None = None
    failure: Failure | None = None

    @property
    def in_progress(self) -> bool:
        if self.failure is not None:
            return self.failure.in_progress
        return self.sequence is not None and self.sequence.has_unregistered


def _sequence_write(
    *, account: Account, user, action: str, serie: str, call, done: str
) -> WriteResult:
    """One write upstream (create / register / set default), audited; the cache dropped.

    The cache goes whatever the outcome: a write that failed without an answer may still
    have happened, and set-default changes the other series too.
    """
    try:
        sequence = call(account.client())
    except InvoiceXpressError as exc:
        failure = _failure(exc, serie=serie)
        result = WriteResult(
            failure.message,
            "info" if failure.in_progress else "danger",
            failure=failure,
        )
        outcome = failure.outcome
        detail = failure.message
        if failure.service_said:
            detail += " " + _("InvoiceXpress said: %(said)s") % {
                "said": " ".join(failure.service_said)
            }
    else:
        serie = sequence.serie or serie
        message = done % {"serie": serie}
        level = "success"
        if sequence.has_unregistered:
            message += " " + _(
                "The Tax Authority has not given it every validation code yet (N/D): documents "
                "on it will be refused until it is registered. Refresh in a few minutes."
            )
            level = "warning"
        else:
            message = f"{message} {_codes_summary(sequence)}".strip()
        result = WriteResult(message, level, sequence=sequence)
        outcome, detail = AuditEntry.Outcome.OK, message
    finally:
        company_cache.forget_sequences(account)
    AuditEntry.record(
        account=account, user=user, action=action, outcome=outcome, target=serie, detail=detail
    )
    return result


def _codes_summary(sequence: Sequence) -> str:
    invoice = sequence.counter("invoice")
    if invoice is None or invoice.code_status != CodeStatus.REGISTERED:
        return ""
    return _("Invoice validation code %(code)s, next ATCUD %(atcud)s.") % {
        "code": invoice.validation_code,
        "atcud": invoice.next_atcud,
    }


def _cached_sequences(account: Account) -> list[Sequence]:
    try:
        return company_cache.get_sequences(account)
    except InvoiceXpressError:
        return []  # cannot check locally; InvoiceXpress still refuses a duplicate (002)


# ---- one company ----------------------------------------------------------------------


@require_GET
@login_required
def sequence_list(request: HtmxHttpRequest, account_slug: str) -> HttpResponse:
    account = get_account_for_user(request, account_slug, role=Role.VIEWER)
    query = SequenceListForm(request.GET)
    context = _table_context(
        account, refresh=query.wants_refresh, created_id=query.created_id, nav="sequences"
    )
    if request.htmx:
        return render(request, "invoices/_sequence_table.html", context)
    if account.role.allows(Role.MANAGER):
        existing = [row.sequence for row in context["series"] or []]
        context["form"] = SequenceCreateForm(existing=existing)
    return render(request, "invoices/sequence_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def sequence_create(request: HtmxHttpRequest, account_slug: str) -> HttpResponse:
    account = get_account_for_user(request, account_slug, role=Role.MANAGER)
    existing = _cached_sequences(account)
    data = request.POST if request.method == "POST" else None
    form = SequenceCreateForm(data, existing=existing)
    result = None
    if request.method == "POST" and form.is_valid():
        serie, make_default = form.cleaned_data["serie"], form.cleaned_data["make_default"]
        result = _sequence_write(
            account=account,
            user=request.user,
            action="sequence.create",
            serie=serie,
            call=lambda client: client.create_sequence(serie, make_default=make_default),
            done=_("Series “%(serie)s” created."),
        )
        if result.failure is None and not request.htmx:
            messages.add_message(request, _MESSAGE_LEVELS[result.level], result.message)
            url = reverse("invoices:sequence_list", args=[account.slug])
            return redirect(f"{url}?created={result.sequence.id}")
        if result.failure is None:
            form = SequenceCreateForm(existing=[*existing, result.sequence])  # the next one
        elif not result.failure.in_progress:
            form.add_error(result.failure.form_field, result.failure.message)
    context = {
        "account": account,
        "nav": "sequences",
        "form": form,
        "result": result,
        "created": SeriesRow.of(result.sequence) if result and result.sequence else None,
    }
    if request.htmx:
        response = render(request, "invoices/_sequence_form.html", context)
        if result is not None:
            # Whatever happened upstream, the table lists the series as they are now.
            trigger_client_event(response, SEQUENCES_CHANGED)
        return response
    context.update(_table_context(account))  # the full page shows the series beside the form
    return render(request, "invoices/sequence_list.html", context)


@require_POST
@login_required
def sequence_register(
    request: HtmxHttpRequest, account_slug: str, sequence_id: int
) -> HttpResponse:
    account = get_account_for_user(request, account_slug, role=Role.MANAGER)
    return _sequence_action(
        request,
        account,
        sequence_id,
        action="sequence.register",
        call=lambda client: client.register_sequence(sequence_id),
        done=_("Series “%(serie)s” registered with the Tax Authority."),
    )


@require_POST
@login_required
def sequence_set_default(
    request: HtmxHttpRequest, account_slug: str, sequence_id: int
) -> HttpResponse:
    account = get_account_for_user(request, account_slug, role=Role.MANAGER)
    return _sequence_action(
        request,
        account,
        sequence_id,
        action="sequence.set_default",
        call=lambda client: client.set_current_sequence(sequence_id),
        done=_("Series “%(serie)s” is now the default series."),
    )


_MESSAGE_LEVELS = {
    "success": messages.SUCCESS,
    "info": messages.INFO,
    "warning": messages.WARNING,
    "danger": messages.ERROR,
}


def _sequence_action(
    request: HtmxHttpRequest, account: Account, sequence_id: int, *, action: str, call, done: str
) -> HttpResponse:
    """A button on one series: write, then the list in place (htmx) or a redirect to it."""
    serie = _serie_name(account, sequence_id)
    if serie is None:
        notice = Notice("danger", _("This company has no such series. The list was refreshed."))
    else:
        result = _sequence_write(
            account=account, user=request.user, action=action, serie=serie, call=call, done=done
        )
        notice = Notice(result.level, result.message, in_progress=result.in_progress)
    if request.htmx:
        context = _table_context(account, notice=notice)
        return render(request, "invoices/_sequence_table.html", context)
    messages.add_message(request, _MESSAGE_LEVELS[notice.level], notice.text)
    return redirect("invoices:sequence_list", account.slug)


def _serie_name(account: Account, sequence_id: int) -> str | None:
    """The name of one of the company's series (for messages and the audit log), or None.

    Looked up in the cached list, then once in a fresh one: a series created elsewhere a
    minute ago is not in the cache yet.
    """
    for refresh in (False, True):
        try:
            sequences = company_cache.get_sequences(account, refresh=refresh)
        except InvoiceXpressError:
            return f"#{sequence_id}"  # cannot list: let the write itself say what is wrong
        for sequence in sequences:
            if sequence.id == sequence_id:
                return sequence.serie
    return None


# ---- every company --------------------------------------------------------------------


@dataclass
class CompanyRow:
    account: Account
    default: SeriesRow | None = None
    problem_series: list[SeriesRow] = field(default_factory=list)  # with an N/D type
    error: str = ""

    @property
    def can_invoice(self) -> bool | None:
        """None when unknown (InvoiceXpress did not answer)."""
        if self.error:
            return None
        return self.default is not None and not self.default.invoicing_problems


def _company_row(account: Account, *, refresh: bool, language: str) -> CompanyRow:
    with translation.override(language):  # threads do not inherit the request's language
        try:
            sequences = company_cache.get_sequences(account, refresh=refresh)
        except InvoiceXpressError as exc:
            return CompanyRow(account=account, error=exc.message)
    rows = _series_rows(sequences)
    return CompanyRow(
        account=account,
        default=next((r for r in rows if r.sequence.is_default), None),
        problem_series=[r for r in rows if r.problems],
    )


@require_GET
@login_required
def sequence_overview(request: HtmxHttpRequest) -> HttpResponse:
    query = SequenceListForm(request.GET)
    refresh, language = query.wants_refresh, translation.get_language()
    accounts = list(Account.objects.for_user(request.user))

    def company_row(account: Account) -> CompanyRow:
        return _company_row(account, refresh=refresh, language=language)

    # Ask the companies at once: one that times out must not hold up the others. The
    # workers only use the cache and HTTP, never the database.
    with ThreadPoolExecutor(max_workers=max(1, min(OVERVIEW_WORKERS, len(accounts)))) as pool:
        companies = list(pool.map(company_row, accounts))
    blocked = [c for c in companies if c.can_invoice is False]
    unknown = [c for c in companies if c.can_invoice is None]
    return render(
        request,
        "invoices/sequence_overview.html",
        {"companies": companies, "blocked": blocked, "unknown": unknown},
    )
