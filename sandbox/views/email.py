"""`PUT /{type}/{id}/email-document.json`: send a finalized document to an address. The
service answers 200 with an EMPTY body; bad addresses are 422 "Email: is an invalid email"
(and "Cc: ...", "Bcc: ..."); "save": "1" stores the address on the client."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from sandbox.auth import sandbox_api
from sandbox.doctypes import BY_PATH
from sandbox.models import SandboxAccount, SandboxDocument, SandboxEmail, Status
from sandbox.responses import empty_response, errors_response
from sandbox.validation import EMAIL_RE
from sandbox.views.documents import json_body


def _addresses(value) -> list[str] | None:
    """A comma/semicolon separated list of addresses; None when one is not an address."""
    text = "" if value is None else str(value)
    found = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    return found if all(EMAIL_RE.match(a) for a in found) else None


@sandbox_api("PUT")
def document_email(
    request: HttpRequest, account: SandboxAccount, type_path: str, document_id: int
) -> HttpResponse:
    info = BY_PATH[type_path]
    document = (
        SandboxDocument.objects.visible()
        .select_related("client")
        .filter(account=account, doc_type=info.doc_type, pk=document_id)
        .first()
    )
    if document is None:
        return empty_response(404)
    body = json_body(request)
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, dict):
        return errors_response(["Message element should be an object"])
    client = message.get("client") if isinstance(message.get("client"), dict) else {}
    to = str(client.get("email") or "").strip()
    errors = []
    if not EMAIL_RE.match(to):
        errors.append("Email: is an invalid email")
    cc, bcc = _addresses(message.get("cc")), _addresses(message.get("bcc"))
    if cc is None:
        errors.append("Cc: is an invalid email")
    if bcc is None:
        errors.append("Bcc: is an invalid email")
    if errors:
        return errors_response(errors)
    if document.status == Status.DRAFT:
        return errors_response(["A draft can't be sent: finalize the document first"])
    with transaction.atomic():
        SandboxEmail.objects.create(
            document=document,
            to=to,
            cc=", ".join(cc),
            bcc=", ".join(bcc),
            subject=str(message.get("subject") or ""),
            body=str(message.get("body") or ""),
            logo=str(message.get("logo") or "0") == "1",
        )
        if str(client.get("save") or "0") == "1":
            type(document.client).objects.filter(pk=document.client_id).update(email=to)
        # Sent to the client: a final document becomes "sent", as on the service.
        SandboxDocument.objects.filter(pk=document.pk, status=Status.FINAL).update(
            status=Status.SENT
        )
    return HttpResponse(b"", status=200, content_type="application/json; charset=utf-8")
