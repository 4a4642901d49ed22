"""A document's lifecycle: which state changes the dashboard offers, and making them.

The transition table is data (TRANSITIONS below), mirrored from shared/api-docs/NOTES.md
("Change state") and the sandbox's `_target`: InvoiceXpress answers 422 to anything else.
On top of it, one policy of ours (`cancel_window_closed`) and the roles. The functions at
the end call InvoiceXpress and write the audit log; views only pick templates and words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from invoices import company_cache
from invoices.ix_errors import (
    BadResponse,
    InvoiceXpressError,
    NotFound,
    RateLimited,
    ServerError,
    Unauthorized,
    Unreachable,
)
from invoices.ix_records import GETTABLE_TYPE_PATHS, CodeStatus, Document, Sequence
from invoices.models import Account, AuditEntry, Role
from invoices.submissions import Submission


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
        gettext_lazy("Mark as settled"),
        "document.settle",
        style="success",
    ),
    Action.UNSETTLE: ActionSpec(
        Action.UNSETTLE, "unsettled", gettext_lazy("Mark as unsettled"), "document.unsettle"
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
    return Submission.objects.filter(
        account=account,
        user_id=getattr(user, "pk", None),
        document_type=doc_type_path,
        document_id=doc_id,
    ).exists()


def clerk_may(action: Action) -> bool:
    return action in CLERK_ACTIONS


# ---- what the page offers ---------------------------------------------------------------


@dataclass(frozen=True)
class OfferedAction:
    spec: ActionSpec
    url: str


@dataclass(frozen=True)
class PdfButton:
    """One PDF widget (the original or a second copy) in one of its states."""

    second_copy: bool
    url: str  # the polling view, with ?copy=
    download_url: str
    state: str = "idle"  # idle, pending, ready, gave_up, failed, unavailable
    attempt: int = 0
    message: str = ""

    @property
    def dom_id(self) -> str:
        return "pdf-second-copy" if self.second_copy else "pdf-original"

    @property
    def next_url(self) -> str:
        return f"{self.url}&attempt={self.attempt}"


@dataclass(frozen=True)
class Offer:
    """What the document page offers one member for one document."""

    actions: tuple[OfferedAction, ...] = ()
    cancel_closed: bool = False  # the table allows cancel; our policy does not any more
    credit_note_url: str = ""
    pdf: PdfButton | None = None
    second_copy: PdfButton | None = None
    draft_without_pdf: bool = False

    def allows(self, action: Action) -> bool:
        return any(offered.spec.action == action for offered in self.actions)


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


def document_url(
    account: Account, doc_type_path: str, doc_id: int, name: str = "document_detail"
) -> str:
    return reverse(f"invoices:{name}", args=[account.slug, doc_type_path, doc_id])


def pdf_buttons(account: Account, doc_type_path: str, doc_id: int) -> tuple[PdfButton, PdfButton]:
    base = document_url(account, doc_type_path, doc_id, "document_pdf")
    download = document_url(account, doc_type_path, doc_id, "document_pdf_download")
    return (
        PdfButton(False, f"{base}?copy=0", f"{download}?copy=0"),
        PdfButton(True, f"{base}?copy=1", f"{download}?copy=1"),
    )


def credit_note_url(account: Account, doc: Document) -> str:
    """The Create form, prefilled for a credit note on `doc`; "" while that page is absent."""
    try:
        create = reverse("invoices:document_create", args=[account.slug])
    except NoReverseMatch:
        return ""
    return f"{create}?type=credit_notes&owner={doc.id}"


def offer_for(account: Account, user: Any, doc: Document, today: dt.date) -> Offer:
    role = Role(getattr(account, "role", Role.VIEWER))
    actions = allowed_actions(
        doc,
        role=role,
        today=today,
        created_by_user=lambda: created_through_ixportal(
            account=account, user=user, doc_type_path=doc.type.path, doc_id=doc.id
        ),
    )
    cancel_closed = Action.CANCEL in table_actions(doc) and cancel_window_closed(doc, today)
    cancellable = Action.CANCEL in table_actions(doc) and not cancel_closed
    wants_credit_note = (
        doc.type.name in CREDITABLE_TYPES
        and doc.status in ISSUED_STATUSES
        and not cancellable
        and role.allows(Role.CLERK)
    )
    gettable = doc.type.path in GETTABLE_TYPE_PATHS
    original, copy = pdf_buttons(account, doc.type.path, doc.id) if gettable else (None, None)
    return Offer(
        actions=tuple(
            OfferedAction(SPECS[a], document_url(account, doc.type.path, doc.id, f"document_{a}"))
            for a in actions
        ),
        cancel_closed=cancel_closed and role.allows(Role.CLERK),
        credit_note_url=credit_note_url(account, doc) if wants_credit_note else "",
        pdf=None if doc.is_draft else original,
        second_copy=copy if doc.status in ISSUED_STATUSES else None,
        draft_without_pdf=doc.is_draft,
    )


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


# ---- making the change ----------------------------------------------------------------------


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
    """Ask InvoiceXpress for one state change of `doc` and record it in the audit log."""
    spec = SPECS[action]
    try:
        changed = account.client().change_state(doc.type.path, doc.id, spec.state, message)
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
    else:
        result = ChangeResult(
            AuditEntry.Outcome.OK, success_message(action, changed), document=changed
        )
    if result.ok and action == Action.FINALIZE:
        company_cache.forget_sequences(account)  # its counter moved on
    AuditEntry.record(
        account=account,
        user=user,
        action=spec.audit_action,
        outcome=result.outcome,
        document_type=doc.type.name,
        document_id=doc.id,
        # A deleted draft reads back as "deleted": name it as it was.
        target=doc.display_number
        if action == Action.DELETE
        else (result.document or doc).display_number,
        detail=message if result.ok else " ".join(filter(None, (message, result.message))),
    )
    return result


# ---- finalizing many drafts -----------------------------------------------------------------

MAX_DRAFT_PAGES = 5  # 500 drafts; more than that and the page says the list is incomplete
DRAFTS_PER_PAGE = 100


@dataclass(frozen=True)
class Drafts:
    documents: tuple[Document, ...]  # oldest first: the order they are finalized in
    total: int  # as InvoiceXpress counts them

    @property
    def incomplete(self) -> bool:
        return self.total > len(self.documents)


def finalize_order(doc: Document) -> tuple[dt.date, int]:
    """Date order, then id: InvoiceXpress refuses a date earlier than the series' last."""
    return (doc.date or dt.date.max, doc.id)


def can_finalize(doc: Document) -> bool:
    return Action.FINALIZE in table_actions(doc) and doc.type.path in GETTABLE_TYPE_PATHS


def list_drafts(account: Account) -> Drafts:
    """Every draft of the company (up to MAX_DRAFT_PAGES pages), oldest first.

    The list comes newest first: reading only its first page would leave the oldest drafts
    out, and finalizing the newer ones first would block those for good.
    """
    client = account.client()
    page = client.list_documents(statuses=["draft"], per_page=DRAFTS_PER_PAGE)
    documents = list(page.documents)
    number = 1
    while number < min(page.total_pages, MAX_DRAFT_PAGES):
        number += 1
        documents += client.list_documents(
            statuses=["draft"], per_page=DRAFTS_PER_PAGE, page=number
        ).documents
    unique = {d.id: d for d in documents if d.is_draft}  # a page may shift while we read
    return Drafts(
        documents=tuple(sorted(unique.values(), key=finalize_order)),
        total=max(page.total_entries, len(unique)),
    )


class BulkOutcome(StrEnum):
    FINALIZED = "finalized"
    REFUSED = "refused"
    UNKNOWN = "unknown"
    NOT_ATTEMPTED = "not_attempted"
    SKIPPED = "skipped"  # no longer a draft (or not finalizable)


@dataclass(frozen=True)
class BulkRow:
    document_id: int
    outcome: BulkOutcome
    draft: Document | None = None  # as listed before finalizing
    document: Document | None = None  # after finalizing
    message: str = ""


def bulk_finalize(
    *, account: Account, user: Any, drafts: Drafts, selected: Iterable[int]
) -> list[BulkRow]:
    """Finalize the selected drafts one at a time, oldest first, and say how each went.

    A refusal stops nothing; a 401, a 429 or an unreachable service stops the batch (the
    rest would fail the same way) and the rest are reported as not attempted.
    """
    wanted = set(selected)
    chosen = [d for d in drafts.documents if d.id in wanted]  # already in finalize order
    rows: list[BulkRow] = []
    stopped = ""
    for draft in chosen:
        if not can_finalize(draft):
            rows.append(
                BulkRow(
                    draft.id, BulkOutcome.SKIPPED, draft, message=_("Cannot be finalized here.")
                )
            )
            continue
        if stopped:
            rows.append(BulkRow(draft.id, BulkOutcome.NOT_ATTEMPTED, draft, message=stopped))
            continue
        result = document_change_state(
            account=account, user=user, doc=draft, action=Action.FINALIZE
        )
        if result.ok:
            outcome = BulkOutcome.FINALIZED
        elif result.unknown:
            outcome = BulkOutcome.UNKNOWN
        else:
            outcome = BulkOutcome.REFUSED
        rows.append(
            BulkRow(
                draft.id,
                outcome,
                draft,
                result.document,
                "" if result.ok else result.message,
            )
        )
        if result.stops_batch:
            stopped = _("Not attempted: the batch stopped after the error above.")
    listed = {d.id for d in chosen}
    for missing in sorted(wanted - listed):
        rows.append(
            BulkRow(
                missing,
                BulkOutcome.SKIPPED,
                message=_("No longer a draft (finalized or deleted meanwhile): left alone."),
            )
        )
    return rows
