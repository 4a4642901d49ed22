"""Shared by the lifecycle tests: drafts created through the client, URLs, sandbox reads."""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid

from django.utils import timezone

from invoices.invoicexpress.records import Document
from invoices.models import AuditEntry

HTMX = {"HX-Request": "true"}


def minimal_invoice(date: dt.date | None = None, **changes) -> dict:
    """A minimal valid invoice body, dated today."""
    date = date or timezone.localdate()
    body = {
        "date": date.strftime("%d/%m/%Y"),
        "due_date": (date + dt.timedelta(days=30)).strftime("%d/%m/%Y"),
        "client": {"name": "Cliente Exemplo, Lda.", "code": "C-1", "country": "Portugal"},
        "items": [
            {
                "name": "Consultoria",
                "unit_price": "100.00",
                "quantity": "2",
                "tax": {"name": "IVA23"},
            }
        ],
    }
    body.update(changes)
    return body


def create_draft(company, type_path: str = "invoices", date: dt.date | None = None, **changes):
    """A draft created through ixportal's own client, over HTTP, in the sandbox."""
    return company.account.client().create_document(
        type_path, minimal_invoice(date, **changes), proprietary_uid=uuid.uuid4().hex
    )


def doc_url(
    doc: Document | object, action: str = "", *, type_path: str = "", doc_id: int = 0
) -> str:
    path = type_path or doc.type.path
    number = doc_id or doc.id
    return f"/c/acme/documents/{path}/{number}/" + (f"{action}/" if action else "")


def offered_actions(html: str) -> set[str]:
    """The lifecycle actions (finalize, delete, ...) a page or header offers."""
    return set(re.findall(r'id="action-(finalize|delete|cancel|settle|unsettle)"', html))


def sandbox_doc(doc_id: int):
    from sandbox.models import SandboxDocument

    return SandboxDocument.objects.get(pk=doc_id)


def default_counter(sandbox, kind: str = "invoice"):
    from sandbox.models import SandboxSequenceCounter

    return SandboxSequenceCounter.objects.select_related("sequence").get(
        sequence__account=sandbox, sequence__is_default=True, kind=kind
    )


def wait_for(predicate, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def last_audit(action: str):

    return AuditEntry.objects.filter(action=action).latest("pk")
