"""Replace a draft upstream and audit it (STYLE 8: the view would otherwise hold this)."""

from __future__ import annotations

from typing import Any

from invoices.invoicexpress.document_types import document_type
from invoices.invoicexpress.errors import InvoiceXpressError, ServerError, Unreachable
from invoices.invoicexpress.records import Document
from invoices.models import Account, AuditEntry
from invoices.sentences import failure_sentences

ACTION = "document.edit"


def draft_update(
    *, account: Account, user, doc_type: str, doc_id: int, invoice: dict[str, Any]
) -> Document:
    """`PUT` the form's document over the draft; audited whatever happens. Raises typed.

    A PUT replaces the whole draft with the same body, so sending it again after a lost
    answer cannot make anything twice: the clerk may simply save again.
    """
    kind = document_type(doc_type)
    # Words in no language: the log shows the type (document_type) in the reader's.
    target = str((invoice.get("client") or {}).get("name", ""))
    try:
        document = account.client().update_document(kind.path, doc_id, invoice)
    except InvoiceXpressError as exc:
        outcome = (
            AuditEntry.Outcome.UNKNOWN
            if isinstance(exc, Unreachable | ServerError)
            else AuditEntry.Outcome.FAILED
        )
        items, said = failure_sentences(exc)
        _audit(account, user, kind.name, doc_id, target, outcome, items, said)
        raise
    _audit(account, user, kind.name, doc_id, target, AuditEntry.Outcome.OK, [])
    return document


def _audit(
    account, user, type_name, doc_id, target, outcome, items: list[dict[str, Any]], said=""
) -> None:
    AuditEntry.record(
        account=account,
        user=user,
        action=ACTION,
        outcome=outcome,
        document_type=type_name,
        document_id=doc_id,
        target=target,
        sentences=items,
        said=said,
    )
