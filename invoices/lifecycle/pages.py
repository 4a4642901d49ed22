"""What the document pages show of its lifecycle: the actions and PDF buttons offered to one
member, the confirm panel, and the notices inside #document-header.

The rules behind the offer (the transition table, our cancel rule, the roles) are in
`lifecycle`; this module turns them into buttons, URLs and words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from invoices import company_cache
from invoices.formatting import status_label
from invoices.invoicexpress.document_types import GETTABLE_TYPE_PATHS, DocumentType
from invoices.invoicexpress.errors import InvoiceXpressError
from invoices.invoicexpress.records import Document
from invoices.lifecycle.actions import (
    CREDITABLE_TYPES,
    ISSUED_STATUSES,
    SPECS,
    Action,
    ActionSpec,
    NextNumber,
    allowed_actions,
    cancel_window_closed,
    created_through_ixportal,
    next_number,
    table_actions,
)
from invoices.lifecycle.draft_dates import draft_date_problem
from invoices.lifecycle.forms import StateChangeForm
from invoices.models import Account, Role

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


# ---- the confirm panel and the notices ------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """A message shown inside #document-header (htmx answers skip the layout's messages)."""

    level: str  # Bootstrap alert colour: success, danger, warning, info
    text: str  # the service's own words are in it (invoicexpress.errors.message_for_status)
    check_again_url: str = ""  # offered when the outcome is unknown: re-read, never resend


@dataclass(frozen=True)
class Panel:
    """The confirm step of one action, shown inside #document-header."""

    spec: ActionSpec
    form: StateChangeForm
    url: str
    next_number: NextNumber | None = None
    next_number_error: str = ""
    date_problem: str = ""  # why finalizing would be refused (its date); the button is off


def confirm_panel(
    account: Account, doc: Document, spec: ActionSpec, form: StateChangeForm, url: str
) -> Panel:
    """The confirm step of one action; finalizing shows the number the draft would take."""
    panel_args: dict[str, Any] = {}
    if spec.action == Action.FINALIZE:
        try:
            # Fresh, not cached: the number shown is the one it takes (unless someone else
            # finalizes on the same series first). This also refreshes the shared cache.
            sequences = company_cache.get_sequences(account, refresh=True)
        except InvoiceXpressError as exc:
            panel_args["next_number_error"] = exc.message
        else:
            panel_args["next_number"] = next_number(doc, sequences)
            panel_args["date_problem"] = finalize_date_problem(account, doc, sequences)
    return Panel(spec, form, url, **panel_args)


def finalize_date_problem(account: Account, doc: Document, sequences: list | None = None) -> str:
    """Why InvoiceXpress would refuse to finalize `doc` because of its date, or "".

    Unknown (the list could not be read) counts as no problem: the service still decides.
    """
    if doc.date is None:
        return ""
    try:
        if sequences is None:
            sequences = company_cache.get_sequences(account)
        number = next_number(doc, sequences)
        return draft_date_problem(
            client=account.client(),
            kind=doc.type,
            serie=number.serie if number else "",
            on=doc.date,
            today=timezone.localdate(),
        )
    except InvoiceXpressError:
        return ""


def not_possible_text(doc: Document, action: Action) -> str:
    """Why `action` is refused now: the document moved on, or our cancel rule closed."""
    if action == Action.CANCEL and Action.CANCEL in table_actions(doc):
        return _(
            "%(number)s can no longer be canceled: it was sent to the client or is dated before "
            "today, so it may have been communicated to the Tax Authority. Correct it with a "
            "credit note instead."
        ) % {"number": doc.display_number}
    return _(
        "Not possible now: this %(kind)s is “%(status)s”. The page shows its current state."
    ) % {"kind": str(doc.type.label).lower(), "status": status_label(doc.status)}


def check_again_url(account: Account, kind: DocumentType, document_id: int) -> str:
    return document_url(account, kind.path, document_id, "document_header") + "?check=1"
