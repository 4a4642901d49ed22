"""Making one state change of a document: the call to InvoiceXpress, the audit log entry,
and the outcome in the page's words (including "we do not know" when no answer came).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from invoices import company_cache
from invoices.invoicexpress.errors import (
    BadResponse,
    InvoiceXpressError,
    NotFound,
    RateLimited,
    ServerError,
    Unauthorized,
    Unreachable,
)
from invoices.invoicexpress.records import Document
from invoices.lifecycle.actions import SPECS, Action
from invoices.models import Account, AuditEntry
from invoices.sentences import failure_sentences, sentence, word


@dataclass(frozen=True)
class ChangeResult:
    outcome: str  # AuditEntry.Outcome
    message: str  # for the page
    document: Document | None = None  # after the change (None when it failed or is unknown)
    stops_batch: bool = False  # 401, unreachable, 429: the next ones would fail the same way
    # For the audit log: our sentences as codes (translated when shown), the service's words.
    audit: tuple[dict[str, Any], ...] = ()
    said: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome == AuditEntry.Outcome.OK

    @property
    def unknown(self) -> bool:
        return self.outcome == AuditEntry.Outcome.UNKNOWN


# msgids (gettext_noop): the audit log stores them and translates them when shown.
_DONE_MSGIDS = {
    Action.FINALIZE: gettext_noop("Finalized as %(number)s."),
    Action.DELETE: gettext_noop("The draft was deleted."),
    Action.CANCEL: gettext_noop("%(number)s was canceled."),
    Action.SETTLE: gettext_noop("%(number)s is marked as settled."),
    Action.UNSETTLE: gettext_noop("%(number)s is marked as unsettled (final) again."),
}
_VERB_MSGIDS = {
    Action.FINALIZE: gettext_noop("finalized"),
    Action.DELETE: gettext_noop("deleted"),
    Action.CANCEL: gettext_noop("canceled"),
    Action.SETTLE: gettext_noop("marked as settled"),
    Action.UNSETTLE: gettext_noop("marked as unsettled"),
}
_DONE = {action: gettext_lazy(msgid) for action, msgid in _DONE_MSGIDS.items()}
_VERBS = {action: gettext_lazy(msgid) for action, msgid in _VERB_MSGIDS.items()}
_UNKNOWN_TIMEOUT = gettext_noop(
    "InvoiceXpress did not answer in time, so we do not know whether the document "
    "was %(verb)s. Check again to read its current state before trying anything else."
)
_CHECK_FIRST = gettext_noop("Check again first: we cannot tell whether the document was %(verb)s.")
_STOPPED = gettext_noop(
    "The request stopped unexpectedly (%(error)s) while waiting for InvoiceXpress: "
    "we do not know whether the document was %(verb)s."
)


def success_sentences(action: Action, doc: Document) -> tuple[dict[str, Any], ...]:
    # A draft has no number yet: "Draft" is stored as a word, read in the reader's language.
    number = doc.issued_number or word(gettext_noop("Draft"))
    items = [sentence(_DONE_MSGIDS[action], number=number)]
    if action == Action.FINALIZE and doc.atcud:
        items.append(sentence(gettext_noop("ATCUD %(atcud)s."), atcud=doc.atcud))
    return tuple(items)


def success_message(action: Action, doc: Document) -> str:
    text = str(_DONE[action]) % {"number": doc.display_number}
    if action == Action.FINALIZE:
        if doc.atcud:
            text += " " + _("ATCUD %(atcud)s.") % {"atcud": doc.atcud}
        if doc.status == "settled":
            text += " " + _("A %(kind)s is settled as soon as it is finalized.") % {
                "kind": str(doc.type.label).lower()
            }
    return text


def failure(exc: InvoiceXpressError, action: Action) -> ChangeResult:
    """The page's words and the audit outcome for a change InvoiceXpress did not confirm."""
    verb = _VERBS[action]
    kind, said = failure_sentences(exc)
    if isinstance(exc, Unreachable) and exc.timed_out:
        # The write may have happened after the client gave up: never suggest resending.
        return ChangeResult(
            AuditEntry.Outcome.UNKNOWN,
            _(_UNKNOWN_TIMEOUT) % {"verb": verb},
            stops_batch=True,
            audit=(sentence(_UNKNOWN_TIMEOUT, verb=word(_VERB_MSGIDS[action])),),
            said=said,
        )
    if isinstance(exc, Unreachable | ServerError | BadResponse):
        return ChangeResult(
            AuditEntry.Outcome.UNKNOWN,
            exc.message + " " + _(_CHECK_FIRST) % {"verb": verb},
            stops_batch=isinstance(exc, Unreachable),
            audit=(*kind, sentence(_CHECK_FIRST, verb=word(_VERB_MSGIDS[action]))),
            said=said,
        )
    return ChangeResult(
        AuditEntry.Outcome.FAILED,
        exc.message,
        stops_batch=isinstance(exc, Unauthorized | RateLimited),
        audit=tuple(kind),
        said=said,
    )


def document_change_state(
    *, account: Account, user: Any, doc: Document, action: Action, message: str = ""
) -> ChangeResult:
    """Ask InvoiceXpress for one state change of `doc` and record it in the audit log.

    Every call that may have reached InvoiceXpress is audited, even when it ends in an
    exception this function does not expect: that is recorded as unknown, then re-raised.
    """
    spec = SPECS[action]
    client = account.client()
    try:
        changed = client.change_state(doc.type.path, doc.id, spec.state, message)
    except NotFound:
        if action != Action.DELETE:
            gone = gettext_noop("InvoiceXpress no longer has this document (404).")
            result = ChangeResult(AuditEntry.Outcome.FAILED, _(gone), audit=(sentence(gone),))
        else:
            # The delete went through and the read-back found nothing, or it was already
            # gone: either way the draft no longer exists.
            result = ChangeResult(
                AuditEntry.Outcome.OK,
                str(_DONE[Action.DELETE]),
                audit=(sentence(_DONE_MSGIDS[Action.DELETE]),),
            )
    except InvoiceXpressError as exc:
        result = failure(exc, action)
    except BaseException as exc:
        # A bug, or SystemExit when gunicorn kills a worker that overran its timeout: the
        # write may have gone through. Only the class name: an exception's text may hold a
        # URL, hence the api_key.
        unexpected = ChangeResult(
            AuditEntry.Outcome.UNKNOWN,
            _(_STOPPED) % {"error": type(exc).__name__, "verb": _VERBS[action]},
            audit=(sentence(_STOPPED, error=type(exc).__name__, verb=word(_VERB_MSGIDS[action])),),
        )
        _audit(
            account=account, user=user, doc=doc, action=action, message=message, result=unexpected
        )
        raise
    else:
        result = ChangeResult(
            AuditEntry.Outcome.OK,
            success_message(action, changed),
            document=changed,
            audit=success_sentences(action, changed),
        )
    _audit(account=account, user=user, doc=doc, action=action, message=message, result=result)
    if result.ok and action == Action.FINALIZE:
        company_cache.forget_sequences(account)  # its counter moved on
    return result


def _audit(
    *,
    account: Account,
    user: Any,
    doc: Document,
    action: Action,
    message: str,
    result: ChangeResult,
) -> None:
    AuditEntry.record(
        account=account,
        user=user,
        action=SPECS[action].audit_action,
        outcome=result.outcome,
        document_type=doc.type.name,
        document_id=doc.id,
        # A deleted draft reads back as "deleted": name it as it was.
        target=doc.issued_number
        if action == Action.DELETE
        else (result.document or doc).issued_number,
        sentences=[*_reason(message), *result.audit],
        said=result.said,
    )


def _reason(message: str) -> list[dict[str, Any]]:
    # The person's own words (a cancel's reason): quoted as typed, in a sentence of ours.
    return (
        [sentence(gettext_noop("Reason given: “%(reason)s”."), reason=message)] if message else []
    )
