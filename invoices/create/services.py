"""Orchestration that needs both InvoiceXpress and the database (STYLE 8).

`document_create` / `submission_retry`: create a document exactly once, whatever the browser
or the network does. The `Submission` row is written (and committed) before the upstream
call; only the request that inserted it, or that moved it from "unknown" back to "pending"
with a filtered UPDATE, calls InvoiceXpress. The row's token travels as `proprietary_uid`,
so a resend after a lost answer is refused upstream with 409 and resolved to the document
the first attempt made (`find_created_document`), never a second one.
"""

from __future__ import annotations

import time
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop

from invoices.invoicexpress.document_types import document_type
from invoices.invoicexpress.errors import (
    BadResponse,
    Conflict,
    InvoiceXpressError,
    ServerError,
    Unreachable,
)
from invoices.invoicexpress.records import Document, to_date, to_decimal
from invoices.lifecycle.draft_dates import draft_date_problem
from invoices.models import Account, AuditEntry
from invoices.models.submissions import Submission
from invoices.sentences import failure_sentences, sentence

ACTION = "document.create"
RESOLVE_PAGE_SIZE = 100
RESOLVE_MAX_PAGES = 5
INTERRUPTED = gettext_noop("The request was interrupted; the outcome is unknown.")


def _wait_seconds() -> float:
    """How long a request that lost the claim waits for the winner's answer."""
    return float(getattr(settings, "IXPORTAL_SUBMISSION_WAIT", 8.0))


def _resolve_pauses() -> tuple[float, ...]:
    """Pauses between looks for the document after a 409: lists lag a few seconds."""
    return tuple(getattr(settings, "IXPORTAL_RESOLVE_PAUSES", (0.0, 1.0, 2.0)))


# ---- create, once --------------------------------------------------------------------


def document_create(
    *, account: Account, user, token: uuid.UUID, doc_type: str, invoice: dict[str, Any]
) -> Submission:
    """Create the document for this form token once; every later call gets the same outcome.

    Returns the submission: created (with `document_id`), failed (refused; `message`),
    unknown (no answer; safe to retry) or, for a caller that lost the race and waited in
    vain, still pending.
    """
    kind = document_type(doc_type)
    submission, claimed = Submission.claim(
        account=account, token=token, user=user, document_type=kind.path, payload=invoice
    )
    if not claimed:
        return submission.wait_until_settled(_wait_seconds())
    _send(account=account, user=user, submission=submission)
    return submission


def submission_retry(*, account: Account, user, submission: Submission) -> Submission:
    """Resend an unknown submission, byte for byte, under the same proprietary_uid."""
    if submission.is_created or submission.is_failed:
        return submission
    if not submission.claim_retry():
        return submission.wait_until_settled(_wait_seconds())
    _send(account=account, user=user, submission=submission)
    return submission


def _send(*, account: Account, user, submission: Submission) -> None:
    kind = document_type(submission.document_type)
    client = account.client()
    try:
        document = client.create_document(
            kind.path, submission.payload, proprietary_uid=submission.uid
        )
    except Conflict as exc:
        _resolve_conflict(account=account, user=user, submission=submission, error=exc)
    except (Unreachable, ServerError, BadResponse) as exc:
        # The request may have reached InvoiceXpress and created the document: we cannot
        # tell. A retry resends the same proprietary_uid, which cannot create a second one.
        items, said = failure_sentences(exc)
        items.append(
            sentence(
                gettext_noop(
                    "We do not know whether InvoiceXpress created the document. Retry safely: "
                    "the same request is sent again, and it can never create a second document."
                )
            )
        )
        submission.mark_unknown(items, said=said)
        _audit(account, user, submission, AuditEntry.Outcome.UNKNOWN, items, said)
    except InvoiceXpressError as exc:
        # Refused before anything was made (422, 401, 404, 429): nothing exists upstream.
        items, said = failure_sentences(exc)
        submission.mark_failed(items, said=said)
        _audit(account, user, submission, AuditEntry.Outcome.FAILED, items, said)
    except BaseException:
        items = [sentence(INTERRUPTED)]
        submission.mark_unknown(items)
        _audit(account, user, submission, AuditEntry.Outcome.UNKNOWN, items)
        raise
    else:
        submission.mark_created(document.id)
        _audit(account, user, submission, AuditEntry.Outcome.OK, [])


def _resolve_conflict(*, account: Account, user, submission: Submission, error: Conflict) -> None:
    """409: this proprietary_uid already made a document. Find it; never make another."""
    conflict, said = failure_sentences(error)
    try:
        found = find_created_document(account=account, submission=submission)
    except InvoiceXpressError as exc:
        found = []
        problem, problem_said = failure_sentences(exc)
        said = " ".join(filter(None, [said, problem_said]))
    else:
        problem = []
    if len(found) == 1:
        document = found[0]
        note = [
            sentence(
                gettext_noop(
                    "An earlier attempt had already created it (InvoiceXpress answered 409 for "
                    "the same request)."
                )
            )
        ]
        submission.mark_created(document.id, note)
        _audit(account, user, submission, AuditEntry.Outcome.OK, note, said)
        return
    if found:
        items = [
            sentence(
                gettext_noop(
                    "InvoiceXpress already has this document (it refused to create it twice), "
                    "but %(count)s identical drafts match it: %(ids)s. Check them in the "
                    "documents list."
                ),
                count=len(found),
                ids=", ".join(f"#{d.id}" for d in found),
            )
        ]
    else:
        items = [
            sentence(
                gettext_noop(
                    "InvoiceXpress already has this document (it refused to create it twice), "
                    "but it does not show in its list yet. Check again in a moment."
                )
            ),
            *problem,
        ]
    submission.mark_unknown(items, said=said)
    _audit(account, user, submission, AuditEntry.Outcome.UNKNOWN, [*conflict, *items], said)


def _audit(
    account: Account,
    user,
    submission: Submission,
    outcome: str,
    items: list[dict[str, Any]],
    said: str = "",
) -> None:
    kind = document_type(submission.document_type)
    client_name = str((submission.payload.get("client") or {}).get("name", ""))
    AuditEntry.record(
        account=account,
        user=user,
        action=ACTION,
        outcome=outcome,
        document_type=kind.name,
        document_id=submission.document_id,
        target=client_name,  # the type is shown from document_type, translated
        sentences=[
            *items,
            sentence(gettext_noop("(request %(uid)s)"), uid=submission.uid),
        ],
        said=said,
    )


# ---- finding the document an earlier attempt made ------------------------------------


def find_created_document(*, account: Account, submission: Submission) -> list[Document]:
    """The drafts that are exactly what this submission sent, not claimed by another one.

    The 409 body carries no id. Matching on client name + total + line count (what a
    person would eyeball) can pick a look-alike, so this matches on everything that was
    sent and that the service echoes back: type, draft, date, due date, reference,
    retention, client (name, or code when one was sent), and every line in order (name,
    quantity, unit price, discount, tax name). Drafts already linked to another submission
    of this company are someone else's and are left out. The caller accepts exactly one
    match; several identical drafts stay "unknown" rather than guessing.
    """
    payload = submission.payload
    kind = document_type(submission.document_type)
    client_data = payload.get("client") or {}
    day = to_date(payload.get("date"))
    client = account.client()
    searches = [str(client_data.get("name", ""))]
    if client_data.get("code"):
        searches.append(str(client_data["code"]))
    taken = set(
        Submission.objects.for_account(account)
        .exclude(pk=submission.pk)
        .filter(document_id__isnull=False)
        .values_list("document_id", flat=True)
    )
    for pause in _resolve_pauses():
        if pause:
            time.sleep(pause)
        for text in searches:
            matches = _search_matches(client, kind, day, text, payload, taken)
            if matches:
                return matches
    return []


def _search_matches(client, kind, day, text, payload, taken) -> list[Document]:
    matches: dict[int, Document] = {}
    page_number = 1
    while page_number <= RESOLVE_MAX_PAGES:
        page = client.list_documents(
            text=text,
            types=[kind.name],
            statuses=["draft"],
            date_from=day,
            date_to=day,
            page=page_number,
            per_page=RESOLVE_PAGE_SIZE,
        )
        for document in page.documents:
            if document.id in taken or not _header_matches(document, kind, payload):
                continue
            if not document.items:  # a list without lines: read the document itself
                document = client.get_document(kind.path, document.id)
            if _lines_match(document, payload):
                matches[document.id] = document
        if page_number >= page.total_pages:
            break
        page_number += 1
    return list(matches.values())


def _same_text(a: Any, b: Any) -> bool:
    return str(a or "").strip().casefold() == str(b or "").strip().casefold()


def _same_number(a: Any, b: Any) -> bool:
    left = to_decimal(a) or Decimal("0")
    right = to_decimal(b) or Decimal("0")
    return left == right


def _header_matches(document: Document, kind, payload: dict[str, Any]) -> bool:
    client_data = payload.get("client") or {}
    same_client = _same_text(document.client.name, client_data.get("name")) or (
        bool(client_data.get("code")) and _same_text(document.client.code, client_data["code"])
    )
    return (
        document.type.name == kind.name
        and document.is_draft
        and same_client
        and document.date == to_date(payload.get("date"))
        and document.due_date == to_date(payload.get("due_date"))
        and _same_text(document.reference, payload.get("reference"))
        and _same_number(document.retention, payload.get("retention"))
    )


def _lines_match(document: Document, payload: dict[str, Any]) -> bool:
    sent = payload.get("items") or []
    if len(document.items) != len(sent):
        return False
    for item, line in zip(document.items, sent, strict=True):
        tax_name = (line.get("tax") or {}).get("name", "")
        if not (
            _same_text(item.name, line.get("name"))
            and _same_number(item.quantity, line.get("quantity"))
            and _same_number(item.unit_price, line.get("unit_price"))
            and _same_number(item.discount, line.get("discount"))
            and (not tax_name or _same_text(item.tax_name, tax_name))
        ):
            return False
    return True


# ---- what the form needs from upstream -------------------------------------------------


def draft_date_warning(*, account: Account, entry: Any) -> str:
    """Why the draft `entry` would make could not be finalized as dated, or "" (unknown: "").

    Skipped for a form already sent (its first outcome is shown instead).
    """
    data = entry.form.cleaned_data
    if Submission.objects.filter(account=account, token=entry.token).exists():
        return ""
    sequence = entry.form.sequences.get(data.get("sequence") or "")
    try:
        return draft_date_problem(
            client=account.client(),
            kind=document_type(data["doc_type"]),
            serie=sequence.serie if sequence else "",
            on=data["date"],
            today=timezone.localdate(),
        )
    except InvoiceXpressError:
        return ""
