"""Writes that touch several sandbox tables: creating a document and changing its state."""

from __future__ import annotations

import base64
import hashlib
import random
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sandbox.credit_limits import over_credit_errors
from sandbox.doctypes import DocType, DocTypeInfo
from sandbox.models import (
    DateBeforeLastError,
    SandboxClient,
    SandboxDocument,
    SandboxItem,
    SandboxLine,
    SandboxSequenceCounter,
    Status,
)
from sandbox.models.sequences import NOT_REGISTERED
from sandbox.validation import DocumentPlan


class DuplicateUid(Exception):
    """The account already has a document with this proprietary_uid."""


class StateChangeError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def document_create(
    *, account, info: DocTypeInfo, plan: DocumentPlan, proprietary_uid: str | None
) -> SandboxDocument:
    """Persist a validated plan as a draft. Raises DuplicateUid for a reused uid.

    The unique constraint on (account, proprietary_uid) decides races: of N identical
    requests running at once, one commits; the others fail on the insert and roll back all
    they wrote (client, items). The early `exists()` only spares work on plain retries.
    """
    documents = SandboxDocument.objects.filter(account=account)
    if proprietary_uid and documents.filter(proprietary_uid=proprietary_uid).exists():
        raise DuplicateUid(proprietary_uid)
    try:
        with transaction.atomic():
            client = plan.client or SandboxClient.objects.create(
                account=account, **plan.client_fields
            )
            document = SandboxDocument.objects.create(
                account=account,
                doc_type=info.doc_type,
                proprietary_uid=proprietary_uid or None,
                client=client,
                **_plan_fields(plan),
            )
            _write_lines(account, document, plan)
    except IntegrityError:
        if proprietary_uid and documents.filter(proprietary_uid=proprietary_uid).exists():
            raise DuplicateUid(proprietary_uid) from None
        raise
    return document


def _plan_fields(plan: DocumentPlan) -> dict[str, Any]:
    """The document's fields a plan decides, for a create and for a draft's update alike."""
    totals = plan.totals
    return {
        "counter": plan.counter,
        "date": plan.date,
        "due_date": plan.due_date,
        "reference": plan.reference,
        "observations": plan.observations,
        "retention": plan.retention,
        "tax_exemption": plan.tax_exemption,
        "owner": plan.owner,
        "guide": plan.guide,
        "sum": totals.sum,
        "discount": totals.discount,
        "before_taxes": totals.before_taxes,
        "taxes": totals.taxes,
        "total": totals.total,
    }


def _write_lines(account, document: SandboxDocument, plan: DocumentPlan) -> None:
    """The plan's lines on `document`, and its items remembered in the catalogue."""
    # Sorted, so concurrent documents naming the same items lock them in one order.
    for line in sorted(plan.lines, key=lambda line: line.name):
        SandboxItem.objects.update_or_create(
            account=account,
            name=line.name,
            defaults={
                "description": line.description,
                "unit_price": line.unit_price,
                "unit": line.unit,
                "tax": line.tax,
            },
        )
    SandboxLine.objects.bulk_create(
        SandboxLine(
            document=document,
            position=position,
            name=line.name,
            description=line.description,
            unit_price=line.unit_price,
            unit=line.unit,
            quantity=line.quantity,
            discount=line.discount,
            tax_ref=line.tax.pk if line.tax else None,
            tax_name=line.tax.name if line.tax else "",
            tax_value=line.tax.value if line.tax else 0,
            tax_region=(line.tax.region or "") if line.tax else "",
            subtotal=line.totals.subtotal,
            discount_amount=line.totals.discount_amount,
            tax_amount=line.totals.tax_amount,
            total=line.totals.total,
        )
        for position, line in enumerate(plan.lines, start=1)
    )


def document_update(*, account, document: SandboxDocument, plan: DocumentPlan) -> None:
    """PUT /{type}/{id}.json: the draft becomes the plan, wholesale (lines replaced).

    Raises StateChangeError when the document is not (or no longer) a draft.
    """
    with transaction.atomic():
        locked = (
            SandboxDocument.objects.select_for_update()
            .filter(pk=document.pk, status=Status.DRAFT)
            .first()
        )
        if locked is None:
            raise StateChangeError(f"{document.doc_type} can't be changed anymore")
        client = plan.client or SandboxClient.objects.create(account=account, **plan.client_fields)
        SandboxDocument.objects.filter(pk=document.pk).update(client=client, **_plan_fields(plan))
        document.lines.all().delete()
        _write_lines(account, document, plan)


def saft_signature(doc: SandboxDocument, previous_hash: str) -> str:
    """A stand-in for the RSA-SHA1 signature: 172 base64 characters chained on the last one."""
    message = (
        f"{doc.date:%Y-%m-%d};{doc.finalized_at:%Y-%m-%dT%H:%M:%S};"
        f"{doc.info.code} {doc.inverted_sequence_number};{doc.total:.2f};{previous_hash}"
    ).encode()
    digest = hashlib.sha512(message).digest() + hashlib.sha512(message + b"#").digest()
    return base64.b64encode(digest).decode()


def mb_reference_for(doc: SandboxDocument) -> tuple[str, str]:
    rng = random.Random(doc.pk)
    return "21217", "".join(str(rng.randrange(10)) for _ in range(9))


def document_finalize(doc: SandboxDocument, new_status: str) -> None:
    """Number, ATCUD and signature for a draft; `new_status` is final or settled."""
    counter = doc.counter or (
        SandboxSequenceCounter.objects.filter(
            sequence__account_id=doc.account_id, sequence__is_default=True, kind=doc.info.kind
        ).first()
    )
    if counter is None:
        raise StateChangeError("The account has no default sequence")
    if doc.date > timezone.localdate():
        raise StateChangeError(f"Date can't be later than today ({doc.date:%d/%m/%Y})")
    if doc.doc_type == DocType.CREDIT_NOTE and doc.owner_id is not None:
        # Another note may have been issued since this one was drafted.
        lines = [(line.name, line.quantity) for line in doc.lines.all()]
        errors = over_credit_errors(doc.owner, lines, doc.total, exclude_pk=doc.pk)
        if errors:
            raise StateChangeError(errors[0])
    try:
        number, previous_hash = counter.claim_next(doc.date)
    except DateBeforeLastError as exc:
        raise StateChangeError(
            f"Date can't be earlier than {exc.last_date:%d/%m/%Y}, the date of the last "
            f"finalized document of this type in sequence {counter.sequence.serie}"
        ) from None
    serie = counter.sequence.serie
    doc.status = new_status
    doc.counter = counter
    doc.number = number
    doc.sequence_number = f"{number}/{serie}"
    doc.inverted_sequence_number = f"{serie}/{number}"
    doc.atcud = NOT_REGISTERED if counter.sequence.is_registering else counter.atcud(number)
    doc.finalized_at = timezone.now()
    doc.saft_hash = saft_signature(doc, previous_hash)
    counter.record_hash(number, doc.saft_hash)
    fields = [
        "status", "counter", "number", "sequence_number", "inverted_sequence_number", "atcud",
        "finalized_at", "saft_hash",
    ]  # fmt: skip
    if doc.doc_type == DocType.INVOICE and doc.account.mb_references and doc.total > 0:
        doc.mb_entity, doc.mb_reference = mb_reference_for(doc)
        fields += ["mb_entity", "mb_reference"]
    doc.save(update_fields=fields)


STATES = ("finalized", "deleted", "canceled", "settled", "unsettled", "accepted", "refused")


def _target(doc: SandboxDocument, state: str) -> str | None:
    """The transition table: the status `state` leads to from `doc.status`, or None."""
    info = doc.info
    paid_on_the_spot = info.settled_when_finalized
    payable = doc.doc_type != DocType.RECEIPT and not paid_on_the_spot and info.family == "invoices"
    issued = (Status.FINAL, Status.SENT)
    table = {
        (Status.DRAFT, "finalized"): Status.SETTLED if paid_on_the_spot else Status.FINAL,
        (Status.DRAFT, "deleted"): Status.DELETED,
        **{(status, "canceled"): Status.CANCELED for status in issued},
        **{(status, "settled"): Status.SETTLED for status in issued if payable},
    }
    if paid_on_the_spot:
        table[(Status.SETTLED, "canceled")] = Status.CANCELED
    if info.family == "estimates":
        table[(Status.FINAL, "accepted")] = Status.ACCEPTED
        table[(Status.FINAL, "refused")] = Status.REFUSED
    if payable:
        table[(Status.SETTLED, "unsettled")] = Status.FINAL
    return table.get((doc.status, state))


def document_change_state(doc: SandboxDocument, state: str, message: str) -> SandboxDocument:
    """Apply `state` (finalized, deleted, canceled, settled, unsettled) or raise StateChangeError."""
    if state not in STATES:
        raise StateChangeError(f"State {state or '(blank)'} is not valid")
    target = _target(doc, state)
    if target is None:
        raise StateChangeError(f"A {doc.status} {doc.doc_type} can't be {state}")
    if state == "canceled" and not message:
        raise StateChangeError("A message is required to cancel a document")
    with transaction.atomic():
        # Filter on the old status: of two requests racing, only one moves the document.
        moved = SandboxDocument.objects.filter(pk=doc.pk, status=doc.status).update(
            status=target, state_message=message
        )
        if not moved:
            raise StateChangeError("The document was changed by another request; try again")
        if state == "finalized":
            document_finalize(doc, target)
        doc.status, doc.state_message = target, message
        if doc.doc_type == DocType.RECEIPT and target == Status.CANCELED:
            from sandbox.payments import receipt_canceled  # payments imports this module

            receipt_canceled(doc)
    return doc
