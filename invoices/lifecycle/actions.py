"""A document's lifecycle: which state changes InvoiceXpress accepts, which of them we allow,
and the number finalizing a draft would give it.

The transition table is data (TRANSITIONS below), mirrored from the API documentation
("Change state") and the sandbox's `_target`: InvoiceXpress answers 422 to anything else.
On top of it, one policy of ours (`cancel_window_closed`) and the roles. What the document
page offers is in `pages`; making a change (the call and the audit log) is in
`state_changes`; finalizing many drafts in `bulk_finalize`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy

from invoices.invoicexpress.records import Document
from invoices.invoicexpress.sequences import CodeStatus, Sequence
from invoices.models import Account, Role
from invoices.models.submissions import Submission


class Action(StrEnum):
    FINALIZE = "finalize"
    DELETE = "delete"
    CANCEL = "cancel"
    SETTLE = "settle"
    UNSETTLE = "unsettle"


@dataclass(frozen=True)
class ActionSpec:
    action: Action
    state: str  # what `PUT change-state.json` is sent
    label: Any
    audit_action: str
    confirm: bool = False  # asked first, in a confirm panel (no one-click)
    reason: bool = False  # needs a message (a cancellation always does)
    style: str = "outline-secondary"  # Bootstrap button colour

    @property
    def name(self) -> str:
        return self.action.value


SPECS: dict[Action, ActionSpec] = {
    Action.FINALIZE: ActionSpec(
        Action.FINALIZE,
        "finalized",
        gettext_lazy("Finalize…"),
        "document.finalize",
        confirm=True,
        style="primary",
    ),
    Action.DELETE: ActionSpec(
        Action.DELETE,
        "deleted",
        gettext_lazy("Delete draft…"),
        "document.delete",
        confirm=True,
        style="outline-danger",
    ),
    Action.CANCEL: ActionSpec(
        Action.CANCEL,
        "canceled",
        gettext_lazy("Cancel…"),
        "document.cancel",
        confirm=True,
        reason=True,
        style="outline-danger",
    ),
    Action.SETTLE: ActionSpec(
        Action.SETTLE,
        "settled",
        gettext_lazy("Mark as settled…"),
        "document.settle",
        confirm=True,  # it changes what the client owes: never one click
        style="success",
    ),
    Action.UNSETTLE: ActionSpec(
        Action.UNSETTLE,
        "unsettled",
        gettext_lazy("Mark as unsettled…"),
        "document.unsettle",
        confirm=True,
    ),
}

# ---- the transition table ---------------------------------------------------------------
# status -> actions, per family of document types. Mirrors NOTES.md: draft -> finalized |
# deleted; final -> canceled | settled; settled -> unsettled. The sandbox (and the service)
# also let a `sent` document do what a `final` one does, let documents paid on the spot
# (invoice-receipts, simplified invoices: settled as soon as finalized) be canceled from
# settled but never settled/unsettled, and allow unsettle on every payable type (NOTES
# names credit/debit notes; the sandbox allows invoices too, so we offer it there as well).
_PAYABLE = {
    "draft": (Action.FINALIZE, Action.DELETE),
    "final": (Action.SETTLE, Action.CANCEL),
    "sent": (Action.SETTLE, Action.CANCEL),
    "settled": (Action.UNSETTLE,),
}
_PAID_ON_THE_SPOT = {
    "draft": (Action.FINALIZE, Action.DELETE),
    "final": (Action.CANCEL,),
    "sent": (Action.CANCEL,),
    "settled": (Action.CANCEL,),
}
_RECEIPT = {
    "draft": (Action.FINALIZE, Action.DELETE),
    "final": (Action.CANCEL,),
    "sent": (Action.CANCEL,),
}
TRANSITIONS: dict[str, dict[str, tuple[Action, ...]]] = {
    "Invoice": _PAYABLE,
    "VatMossInvoice": _PAYABLE,
    "CreditNote": _PAYABLE,
    "DebitNote": _PAYABLE,
    "InvoiceReceipt": _PAID_ON_THE_SPOT,
    "SimplifiedInvoice": _PAID_ON_THE_SPOT,
    "Receipt": _RECEIPT,
}
# Where finalizing leads (everything else becomes `final`).
FINALIZED_STATUS = {"InvoiceReceipt": "settled", "SimplifiedInvoice": "settled"}
# Types a credit note may correct (its owner_invoice_id).
CREDITABLE_TYPES = frozenset({"Invoice", "InvoiceReceipt", "SimplifiedInvoice", "VatMossInvoice"})
ISSUED_STATUSES = frozenset({"final", "sent", "settled"})
# What a clerk may do (and only to drafts they created through ixportal).
CLERK_ACTIONS = frozenset({Action.DELETE})


def table_actions(doc: Document) -> tuple[Action, ...]:
    """What InvoiceXpress accepts for this document's type and status."""
    return TRANSITIONS.get(doc.type.name, {}).get(doc.status, ())


def cancel_window_closed(doc: Document, today: dt.date) -> bool:
    """True once a document may have reached the client or the Tax Authority.

    NOTES.md: "Cancel only what was neither sent to the client nor communicated to the Tax
    Authority; otherwise the correction is a credit note". The API does not say whether a
    document was e-mailed or communicated, so we decide on what it does tell: `sent` means
    it went to the client; and a document dated before today may already be in a SAF-T
    or e-fatura communication (webservice communication is near real time), so only
    same-day documents stay cancellable. A missing date counts as old: when in doubt, the
    safe correction is the credit note.
    """
    return doc.status == "sent" or doc.date is None or doc.date < today


def created_through_ixportal(
    *, account: Account, user: Any, doc_type_path: str, doc_id: int
) -> bool:
    """The user created this document with ixportal's Create form (the Submission row)."""
    user_id = getattr(user, "pk", None)
    if user_id is None:
        # No signed-in user created anything; `user_id=None` would be IS NULL and match
        # the submissions of deleted users (the column is SET_NULL).
        return False
    return Submission.objects.filter(
        account=account,
        user_id=user_id,
        document_type=doc_type_path,
        document_id=doc_id,
    ).exists()


def clerk_may(action: Action) -> bool:
    return action in CLERK_ACTIONS


def allowed_actions(
    doc: Document, *, role: Role, today: dt.date, created_by_user: Callable[[], bool]
) -> tuple[Action, ...]:
    """The table, less what our cancel rule closes, less what the role may not do."""
    actions = tuple(
        a
        for a in table_actions(doc)
        if not (a == Action.CANCEL and cancel_window_closed(doc, today))
    )
    if role == Role.MANAGER:
        return actions
    if role == Role.CLERK and doc.is_draft and created_by_user():
        return tuple(a for a in actions if clerk_may(a))
    return ()


# ---- the number a draft will take ---------------------------------------------------------


@dataclass(frozen=True)
class NextNumber:
    display: str  # "FT A/29"
    atcud: str  # "ABCD1234-29", or "" when the series has no validation code for the type
    code_status: str  # CodeStatus
    serie: str

    @property
    def not_registered(self) -> bool:
        return self.code_status == CodeStatus.NOT_REGISTERED


def next_number(doc: Document, sequences: Iterable[Sequence]) -> NextNumber | None:
    """The number finalizing `doc` would give it now (someone else may finalize first).

    A draft names its series counter in `sequence_id`; a draft created without one is
    numbered on the default series when finalized.
    """
    key = doc.type.sequence_key
    found = None
    for sequence in sequences:
        counter = sequence.counter(key)
        if counter is None:
            continue
        if doc.sequence_id and counter.sequence_id == doc.sequence_id:
            found = (sequence, counter)
            break
        if not doc.sequence_id and sequence.is_default:
            found = (sequence, counter)
    if found is None:
        return None
    sequence, counter = found
    return NextNumber(
        display=f"{doc.type.code} {sequence.serie}/{counter.number + 1}",
        atcud=counter.next_atcud,
        code_status=counter.code_status,
        serie=sequence.serie,
    )
