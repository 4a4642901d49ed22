"""`POST /documents/{id}/partial_payments.json`: a payment on an invoice, answered with the
receipt it made (`{"receipt": {...}}`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from sandbox.auth import sandbox_api
from sandbox.models import SandboxAccount, SandboxDocument
from sandbox.payments import check_payment, payment_register
from sandbox.responses import empty_response, errors_response, json_response
from sandbox.serializers import document_json
from sandbox.services import StateChangeError
from sandbox.views.documents import json_body


@sandbox_api("POST")
def partial_payment_create(
    request: HttpRequest, account: SandboxAccount, document_id: int
) -> HttpResponse:
    invoice = (
        SandboxDocument.objects.visible()
        .select_related("client")
        .filter(account=account, pk=document_id)
        .first()
    )
    if invoice is None:
        return empty_response(404)
    body = json_body(request)
    data = body.get("partial_payment") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        return errors_response(["Partial payment element should be an object"])
    plan, errors = check_payment(invoice, data)
    if errors:
        return errors_response(errors)
    try:
        receipt = payment_register(invoice, plan)
    except StateChangeError as exc:
        return errors_response([exc.message])
    receipt = SandboxDocument.objects.select_related("client").get(pk=receipt.pk)
    return json_response({"receipt": document_json(receipt)}, status=201)
