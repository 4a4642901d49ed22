"""The writes on a company's series (create, register with the Tax Authority, set default):
one call upstream each, audited, with every upstream failure in the page's words.

A Portuguese company may only issue documents on series registered with the Tax Authority.
Each document type of a series carries its own validation code; ATCUD is that code, "-",
and the document's number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from invoices import company_cache
from invoices.invoicexpress.client import InvoiceXpressClient
from invoices.invoicexpress.errors import (
    BadResponse,
    Conflict,
    InvoiceXpressError,
    Rejected,
    ServerError,
    Unauthorized,
    Unreachable,
)
from invoices.invoicexpress.sequences import CodeStatus, Sequence
from invoices.models import Account, AuditEntry
from invoices.sentences import failure_sentences, render_sentences, sentence


@dataclass
class Failure:
    message: str
    outcome: str  # AuditEntry.Outcome
    form_field: str | None = None  # the form field it is about, if any
    in_progress: bool = False
    service_said: list[str] = field(default_factory=list)
    no_answer: bool = False  # timeout or no connection: reading the list now would wait too
    # For the audit log: the same in our sentences, as codes translated when shown.
    sentences: list[dict[str, Any]] = field(default_factory=list)


def write_failure(exc: InvoiceXpressError, *, serie: str) -> Failure:
    """Turn a typed client error from a sequence write into the page's words and the audit outcome.

    Codes come from the sequences-create page (409: 006; 422: 001-005 and 000).
    """
    failed, unknown = AuditEntry.Outcome.FAILED, AuditEntry.Outcome.UNKNOWN
    said = list(getattr(exc, "errors", []) or [])
    code = getattr(exc, "code", "")
    kind = failure_sentences(exc)[0]  # the service's words are `said`, kept as a list here
    if isinstance(exc, Conflict) and code == "006":
        return Failure(
            _(_BEING_REGISTERED) % {"serie": serie},
            failed,
            in_progress=True,
            service_said=said,
            sentences=[sentence(_BEING_REGISTERED, serie=serie)],
        )
    if isinstance(exc, Rejected) and code in _REJECTED_CODES:
        field_name, msgid = _REJECTED_CODES[code]
        return Failure(
            _(msgid) % {"serie": serie},
            failed,
            field_name,
            service_said=said,
            sentences=[sentence(msgid, serie=serie)],
        )
    if isinstance(exc, Unauthorized):
        return Failure(
            exc.message + " " + _(_CHECK_THE_KEY),
            failed,
            sentences=[*kind, sentence(_CHECK_THE_KEY)],
        )
    if isinstance(exc, Unreachable | ServerError | BadResponse):
        # No (usable) answer: the write may or may not have happened upstream.
        return Failure(
            exc.message + " " + _(_REFRESH_FIRST),
            unknown,
            service_said=said,
            no_answer=isinstance(exc, Unreachable),
            sentences=[*kind, sentence(_REFRESH_FIRST)],
        )
    # 429 (answered before anything was done), other 409/422 shapes, 404.
    return Failure(exc.message, failed, service_said=said, sentences=kind)


# msgids (gettext_noop): the page shows them translated, the audit log stores them.
_BEING_REGISTERED = gettext_noop(
    "The series “%(serie)s” is already being registered with the Tax Authority. "
    "This can take a few minutes: check again in a while to see its validation "
    "codes. Do not create it again under another name. If after an hour it still "
    "does not appear, or still reads N/D, open InvoiceXpress, Settings > Series "
    "(“Definições > Séries”), check the AT communication there, and contact "
    "InvoiceXpress support if it is stuck."
)
_CHECK_THE_KEY = gettext_noop("Ask an administrator to check the company's API key.")
_REFRESH_FIRST = gettext_noop(
    "Refresh the list to see whether the change was made before trying again."
)
_REJECTED_CODES = {
    "001": (
        "serie",
        gettext_noop(
            "InvoiceXpress does not allow the series name “%(serie)s” (code 001). "
            "Use 1 to 10 capital letters or digits, e.g. 2026 or A."
        ),
    ),
    "002": (
        "serie",
        gettext_noop(
            "A series named “%(serie)s” already exists in this company (code 002). "
            "Refresh the list to see it, or choose another name."
        ),
    ),
    "003": (
        "serie",
        gettext_noop("InvoiceXpress considers the series “%(serie)s” invalid (code 003)."),
    ),
    "004": (
        None,
        gettext_noop(
            "The Tax Authority refused this company's AT credentials (code 004), so the "
            "series “%(serie)s” cannot be registered. Fix them in InvoiceXpress, in Settings > "
            "Tax Authority communication (“Definições > Comunicação à AT”), then try again."
        ),
    ),
    "005": (
        None,
        gettext_noop(
            "The company's fiscal ID (NIF) has no open activity at the Tax Authority "
            "(code 005), so it cannot register the series “%(serie)s”. Declare the start of "
            "activity at the Tax Authority (Portal das Finanças), then try again."
        ),
    ),
    "000": (
        None,
        gettext_noop(
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
    # The Tax Authority is working on it: a refresh later will show the codes.
    registering: bool = False

    @property
    def in_progress(self) -> bool:
        if self.failure is not None:
            return self.failure.in_progress
        return self.registering


def sequence_write(
    *,
    account: Account,
    user,
    action: str,
    serie: str,
    call: Callable[[InvoiceXpressClient], Sequence],
    done: str,
) -> WriteResult:
    """One write upstream (create / register / set default), audited; the cache dropped.

    `done` is a msgid (gettext_noop) with "%(serie)s": the page shows it translated, the
    audit log stores it. The cache goes whatever the outcome: a write that failed without an
    answer may still have happened, and set-default changes the other series too.
    """
    said = ""
    try:
        sequence = call(account.client())
    except InvoiceXpressError as exc:
        failure = write_failure(exc, serie=serie)
        result = WriteResult(
            failure.message,
            "info" if failure.in_progress else "danger",
            failure=failure,
        )
        outcome, items, said = failure.outcome, failure.sentences, " ".join(failure.service_said)
    else:
        serie = sequence.serie or serie
        items = [sentence(done, serie=serie)]
        level = "success"
        registering = False
        if sequence.has_unregistered:
            items.append(sentence(_not_registered_msgid(action)))
            level = "warning"
            registering = action == "sequence.register"
        else:
            items += _codes_summary(sequence)
        result = WriteResult(
            render_sentences(items), level, sequence=sequence, registering=registering
        )
        outcome = AuditEntry.Outcome.OK
    finally:
        company_cache.forget_sequences(account)
    AuditEntry.record(
        account=account,
        user=user,
        action=action,
        outcome=outcome,
        target=serie,
        sentences=items,
        said=said,
    )
    return result


def _not_registered_msgid(action: str) -> str:
    """What N/D codes mean after a write that succeeded.

    Only a registration asked for just now is being worked on. Nothing registers a series
    that was merely made the default: saying "refresh in a few minutes" there would leave
    people waiting for something that never happens.
    """
    if action == "sequence.register":
        return gettext_noop(
            "The Tax Authority is still registering it (N/D): refresh in a few minutes to see "
            "its validation codes."
        )
    if action == "sequence.create":
        # InvoiceXpress registers a new series itself, but that can fail or lag behind.
        return gettext_noop(
            "It is not registered with the Tax Authority yet (N/D): documents on it cannot be "
            "finalized until it is. If it still shows N/D, register it with its Register button."
        )
    return gettext_noop(
        "It is not registered with the Tax Authority (N/D): register it with its Register "
        "button before documents on it can be finalized."
    )


def _codes_summary(sequence: Sequence) -> list[dict[str, Any]]:
    invoice = sequence.counter("invoice")
    if invoice is None or invoice.code_status != CodeStatus.REGISTERED:
        return []
    return [
        sentence(
            gettext_noop("Invoice validation code %(code)s, next ATCUD %(atcud)s."),
            code=invoice.validation_code,
            atcud=invoice.next_atcud,
        )
    ]


# ---- what a write needs to know first ---------------------------------------------------


def cached_sequences(account: Account, *, read: bool = True) -> list[Sequence]:
    """The company's series for the create form's name check.

    `read=False` (the POST that writes) takes only what the cache holds: under an upstream
    timeout a fresh read would spend the read timeout before the write even starts.
    InvoiceXpress refuses a duplicate anyway (002), shown on the same field.
    """
    if not read:
        return company_cache.peek_sequences(account) or []
    try:
        return company_cache.get_sequences(account)
    except InvoiceXpressError:
        return []  # cannot check locally; InvoiceXpress still refuses a duplicate (002)


def serie_name(account: Account, sequence_id: int) -> str | None:
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
