"""Making one state change of a document: the call to InvoiceXpress, the audit log entry,
and the outcome in the page's words (including "we do not know" when no answer came).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


@dataclass(frozen=True)
class ChangeResult:
    outcome: str  # AuditEntry.Outcome
    message: str  # for the page
    document: Document | None = None  # after the change (None when it failed or is unknown)
    stops_batch: bool = False  # 401, unreachable, 429: the next ones would fail the same way

    @property
    def ok(self) -> bool:
        return self.outcome == AuditEntry.Outcome.OK

    @property
    def unknown(self) -> bool:
        return self.outcome == AuditEntry.Outcome.UNKNOWN


_DONE = {
    Action.FINALIZE: gettext_lazy("Finalized as %(number)s."),
    Action.DELETE: gettext_lazy("The draft was deleted."),
    Action.CANCEL: gettext_lazy("%(number)s was canceled."),
    Action.SETTLE: gettext_lazy("%(number)s is marked as settled."),
    Action.UNSETTLE: gettext_lazy("%(number)s is marked as unsettled (final) again."),
}
_VERBS = {
    Action.FINALIZE: gettext_lazy("finalized"),
    Action.DELETE: gettext_lazy("deleted"),
    Action.CANCEL: gettext_lazy("canceled"),
    Action.SETTLE: gettext_lazy("marked as settled"),
    Action.UNSETTLE: gettext_lazy("marked as unsettled"),
}


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
    if isinstance(exc, Unreachable) and exc.timed_out:
        # The write may have happened after the client gave up: never suggest resending.
        return ChangeResult(
            AuditEntry.Outcome.UNKNOWN,
            _(
                "InvoiceXpress did not answer in time, so we do not know whether the document "
                "was %(verb)s. Check again to read its current state before trying anything else."
            )
            % {"verb": verb},
            stops_batch=True,
        )
    if isinstance(exc, Unreachable | ServerError | BadResponse):
        return ChangeResult(
            AuditEntry.Outcome.UNKNOWN,
            exc.message
            + " "
            + _("Check again first: we cannot tell whether the document was %(verb)s.")
            % {"verb": verb},
            stops_batch=isinstance(exc, Unreachable),
        )
    return ChangeResult(
        AuditEntry.Outcome.FAILED,
        exc.message,
        stops_batch=isinstance(exc, Unauthorized | RateLimited),
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
            result = ChangeResult(
                AuditEntry.Outcome.FAILED,
                _("InvoiceXpress no longer has this document (404)."),
            )
        else:
            # The delete went through and the read-back found nothing, or it was already
            # gone: either way the draft no longer exists.
            result = ChangeResult(AuditEntry.Outcome.OK, str(_DONE[Action.DELETE]))
    except InvoiceXpressError as exc:
        result = failure(exc, action)
    except BaseException as exc:
        # A bug, or SystemExit when gunicorn kills a worker that overran its timeout: the
        # write may have gone through. Only the class name: an exception's text may hold a
        # URL, hence the api_key.
        unexpected = ChangeResult(
            AuditEntry.Outcome.UNKNOWN,
            _(
                "The request stopped unexpectedly (%(error)s) while waiting for InvoiceXpress: "
                "we do not know whether the document was %(verb)s."
            )
            % {"error": type(exc).__name__, "verb": _VERBS[action]},
        )
        _audit(
            account=account, user=user, doc=doc, action=action, message=message, result=unexpected
        )
        raise
    else:
        result = ChangeResult(
            AuditEntry.Outcome.OK, success_message(action, changed), document=changed
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
        target=doc.display_number
        if action == Action.DELETE
        else (result.document or doc).display_number,
        detail=message if result.ok else " ".join(filter(None, (message, result.message))),
    )
