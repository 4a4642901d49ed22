"""Documents: list (with the service's filters), get, create, change state."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse

from sandbox.auth import sandbox_api
from sandbox.doctypes import BY_PATH, DocTypeInfo, family_doc_types
from sandbox.filters import filter_documents, page_from
from sandbox.models import SandboxAccount, SandboxDocument
from sandbox.responses import empty_response, errors_response, json_response, not_found_page
from sandbox.serializers import document_json, pagination_json
from sandbox.services import (
    DuplicateUid,
    StateChangeError,
    document_change_state,
    document_create,
    document_update,
)
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


@sandbox_api("GET")
def family_list(request: HttpRequest, account: SandboxAccount, family: str) -> HttpResponse:
    """estimates.json and guides.json: the same filters as invoices.json, their own root."""
    return _listing(request, account, family, None)


def document_list(request: HttpRequest, account: SandboxAccount, info: DocTypeInfo) -> HttpResponse:
    """invoices.json lists every invoicing type (filter with type[]); the other paths only theirs."""
    if info.path == "invoices":
        return _listing(request, account, "invoices", None)
    return _listing(request, account, info.path, info)


def _listing(
    request: HttpRequest, account: SandboxAccount, root: str, only: DocTypeInfo | None
) -> HttpResponse:
    documents = SandboxDocument.objects.visible().filter(account=account)
    if only is None:
        documents = documents.filter(doc_type__in=family_doc_types(root))
    documents = filter_documents(documents, request.GET, only)
    page = page_from(request.GET)
    total = documents.count()
    rows = (
        documents.newest_first()
        .select_related("client")
        .prefetch_related("lines")[page.offset : page.offset + page.per_page]
    )
    return json_response(
        {
            root: [document_json(doc) for doc in rows],
            "pagination": pagination_json(total, page.number, page.per_page),
        }
    )


def document_create_view(
    request: HttpRequest, account: SandboxAccount, info: DocTypeInfo
) -> HttpResponse:
    body = json_body(request)
    payload = _document_payload(body, info)
    if payload is None:
        return errors_response(["Invoice element should be an object"])
    uid = body.get("proprietary_uid")
    uid = None if uid in (None, "") else str(uid)
    if uid is not None and len(uid) > MAX_UID_LENGTH:
        return errors_response(["Proprietary uid is too long (maximum is 255 characters)"])
    plan = validate_document(account, info, payload)
    if plan.errors:
        return errors_response(plan.errors)
    try:
        document = document_create(account=account, info=info, plan=plan, proprietary_uid=uid)
    except DuplicateUid:
        return errors_response(["Proprietary uid has already been taken"], status=409)
    document = _get_document(account, info, document.pk)
    return json_response({info.root: document_json(document)}, status=201)


def _document_payload(body, info: DocTypeInfo) -> dict | None:
    """The document object: under "invoice", or under the type's own root ("quote")."""
    if not isinstance(body, dict):
        return None
    for key in ("invoice", info.root):
        if isinstance(body.get(key), dict):
            return body[key]
    return None


@sandbox_api("GET", "PUT")
def document_detail(
    request: HttpRequest, account: SandboxAccount, type_path: str, document_id: int
) -> HttpResponse:
    info = BY_PATH[type_path]
    if (document := _get_document(account, info, document_id)) is None:
        return empty_response(404)
    if request.method == "PUT":
        return document_update_view(request, account, info, document)
    return json_response({info.root: document_json(document)})


def document_update_view(
    request: HttpRequest, account: SandboxAccount, info: DocTypeInfo, document
) -> HttpResponse:
    """PUT: a draft replaced by the body (the service blanks what is not sent)."""
    if document.status != "draft":
        return errors_response([f"{info.doc_type} can't be changed anymore"])
    payload = _document_payload(json_body(request), info)
    if payload is None:
        return errors_response(["Invoice element should be an object"])
    plan = validate_document(account, info, payload)
    if plan.errors:
        return errors_response(plan.errors)
    try:
        document_update(account=account, document=document, plan=plan)
    except StateChangeError as exc:
        return errors_response([exc.message])
    return json_response({info.root: document_json(_get_document(account, info, document.pk))})


@sandbox_api("PUT")
def document_change_state_view(
    request: HttpRequest, account: SandboxAccount, type_path: str, document_id: int
) -> HttpResponse:
    info = BY_PATH[type_path]
    if (document := _get_document(account, info, document_id)) is None:
        return empty_response(404)
    data = _document_payload(json_body(request), info)  # "invoice", or "receipt" for receipts
    if data is None:
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
