"""Documents: list (with the service's filters), get, create, change state."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse

from sandbox.auth import sandbox_api
from sandbox.doctypes import BY_PATH, DocTypeInfo
from sandbox.filters import filter_documents, page_from
from sandbox.models import SandboxAccount, SandboxDocument
from sandbox.responses import empty_response, errors_response, json_response, not_found_page
from sandbox.serializers import document_json, pagination_json
from sandbox.services import DuplicateUid, StateChangeError, document_change_state, document_create
from sandbox.validation import validate_document

MAX_UID_LENGTH = 255


def json_body(request: HttpRequest):
    """The request's JSON, or None when it is not JSON."""
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None


def _get_document(account: SandboxAccount, info: DocTypeInfo, document_id: int):
    return (
        SandboxDocument.objects.visible()
        .select_related("client")
        .prefetch_related("lines")
        .filter(account=account, doc_type=info.doc_type, pk=document_id)
        .first()
    )


@sandbox_api("GET", "POST")
def document_collection(
    request: HttpRequest, account: SandboxAccount, type_path: str
) -> HttpResponse:
    info = BY_PATH[type_path]
    if request.method == "POST":
        if not info.creatable:
            return not_found_page(request)
        return document_create_view(request, account, info)
    return document_list(request, account, info)


def document_list(request: HttpRequest, account: SandboxAccount, info: DocTypeInfo) -> HttpResponse:
    """invoices.json lists every type (filter with type[]); the other paths only theirs."""
    only = None if info.path == "invoices" else info
    documents = filter_documents(
        SandboxDocument.objects.visible().filter(account=account), request.GET, only
    )
    page = page_from(request.GET)
    total = documents.count()
    rows = (
        documents.newest_first()
        .select_related("client")
        .prefetch_related("lines")[page.offset : page.offset + page.per_page]
    )
    return json_response(
        {
            info.path: [document_json(doc) for doc in rows],
            "pagination": pagination_json(total, page.number, page.per_page),
        }
    )


def document_create_view(
    request: HttpRequest, account: SandboxAccount, info: DocTypeInfo
) -> HttpResponse:
    body = json_body(request)
    if not isinstance(body, dict) or not isinstance(body.get("invoice"), dict):
        return errors_response(["Invoice element should be an object"])
    uid = body.get("proprietary_uid")
    uid = None if uid in (None, "") else str(uid)
    if uid is not None and len(uid) > MAX_UID_LENGTH:
        return errors_response(["Proprietary uid is too long (maximum is 255 characters)"])
    plan = validate_document(account, info, body["invoice"])
    if plan.errors:
        return errors_response(plan.errors)
    try:
        document = document_create(account=account, info=info, plan=plan, proprietary_uid=uid)
    except DuplicateUid:
        return errors_response(["Proprietary uid has already been taken"], status=409)
    document = _get_document(account, info, document.pk)
    return json_response({info.root: document_json(document)}, status=201)


@sandbox_api("GET")
def document_detail(
    request: HttpRequest, account: SandboxAccount, type_path: str, document_id: int
) -> HttpResponse:
    info = BY_PATH[type_path]
    document = _get_document(account, info, document_id)
    if document is None:
        return empty_response(404)
    return json_response({info.root: document_json(document)})


@sandbox_api("PUT")
def document_change_state_view(
    request: HttpRequest, account: SandboxAccount, type_path: str, document_id: int
) -> HttpResponse:
    info = BY_PATH[type_path]
    document = _get_document(account, info, document_id)
    if document is None:
        return empty_response(404)
    body = json_body(request)
    data = body.get("invoice") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        return errors_response(["Invoice element should be an object"])
    state = str(data.get("state") or "").strip()
    message = str(data.get("message") or "").strip()
    document.account = account
    try:
        document_change_state(document, state, message)
    except StateChangeError as exc:
        return errors_response([exc.message])
    return json_response({info.root: document_json(document)})


@sandbox_api("GET")
def related_documents(
    request: HttpRequest, account: SandboxAccount, document_id: int
) -> HttpResponse:
    """The notes and receipts whose owner is this document, oldest first, drafts included."""
    document = SandboxDocument.objects.visible().filter(account=account, pk=document_id).first()
    if document is None:
        return empty_response(404)
    related = (
        SandboxDocument.objects.visible()
        .filter(account=account, owner=document)
        .select_related("client")
        .prefetch_related("lines")
        .order_by("date", "pk")
    )
    return json_response({"documents": [document_json(doc) for doc in related]})
