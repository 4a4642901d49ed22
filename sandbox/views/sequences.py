"""Sequences: list, get, create (and register at the Tax Authority), register, set current.

Outcomes of create and register, in the order they are checked:
  000 when the account's fault is `sequence_000`;
  003 for a body without a `sequence` object or without a `serie`;
  001 for a name outside SEQUENCE_NAME_PATTERN (sandbox/sequence_rules.py);
  409 006 while a sequence of that name is still being registered (and for registering
      one that is registered already);
  002 for a name that exists (case-insensitive);
  004 when the account has no Tax Authority credentials;
  005 when the account's fiscal ID has no open activity.
"""

from __future__ import annotations

from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse

from sandbox import faults
from sandbox.auth import sandbox_api
from sandbox.models import FaultMode, SandboxAccount, SandboxSequence
from sandbox.models.sequences import registering_window
from sandbox.responses import empty_response, json_response
from sandbox.sequence_rules import SEQUENCE_ERRORS, is_allowed_sequence_name
from sandbox.serializers import sequence_json
from sandbox.views.documents import json_body

SEQUENCE_FAULT = frozenset({FaultMode.SEQUENCE_000})


def sequence_error(code: str) -> HttpResponse:
    status, message = SEQUENCE_ERRORS[code]
    return json_response({"code": code, "message": message}, status=status)


def _sequences(account: SandboxAccount):
    return SandboxSequence.objects.filter(account=account).prefetch_related("counters")


def _tax_authority_refusal(account: SandboxAccount) -> HttpResponse | None:
    if not account.has_at_credentials:
        return sequence_error("004")
    if not account.has_open_activity:
        return sequence_error("005")
    return None


@sandbox_api("GET", "POST")
def sequence_collection(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    if request.method == "POST":
        return sequence_create(request, account)
    return json_response({"sequences": [sequence_json(s) for s in _sequences(account)]})


def _existing_refusal(account: SandboxAccount, serie: str) -> HttpResponse | None:
    existing = SandboxSequence.objects.filter(account=account, serie__iexact=serie).first()
    if existing is None:
        return None
    return sequence_error("006" if existing.is_registering else "002")


def sequence_create(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    if faults.take(account, request, SEQUENCE_FAULT):
        return sequence_error("000")
    body = json_body(request)
    data = body.get("sequence") if isinstance(body, dict) else None
    serie = data.get("serie") if isinstance(data, dict) else None
    if serie in (None, "") or isinstance(serie, (bool, dict, list)):
        return sequence_error("003")
    serie = str(serie).strip()
    if not is_allowed_sequence_name(serie):
        return sequence_error("001")
    refusal = _existing_refusal(account, serie) or _tax_authority_refusal(account)
    if refusal is not None:
        return refusal
    try:
        sequence = SandboxSequence.objects.create_with_counters(
            account=account,
            serie=serie,
            is_default=str(data.get("default_sequence", "")).strip() == "1",
            registered=True,
            registering_until=registering_window(account),
        )
    except IntegrityError:  # the same name created by a request running at the same time
        return _existing_refusal(account, serie) or sequence_error("002")
    return json_response({"sequence": sequence_json(_sequences(account).get(pk=sequence.pk))}, 201)


@sandbox_api("GET")
def sequence_detail(
    request: HttpRequest, account: SandboxAccount, sequence_id: int
) -> HttpResponse:
    sequence = _sequences(account).filter(pk=sequence_id).first()
    if sequence is None:
        return empty_response(404)
    return json_response({"sequence": sequence_json(sequence)})


@sandbox_api("PUT")
def sequence_register(
    request: HttpRequest, account: SandboxAccount, sequence_id: int
) -> HttpResponse:
    sequence = _sequences(account).filter(pk=sequence_id).first()
    if sequence is None:
        return empty_response(404)
    if faults.take(account, request, SEQUENCE_FAULT):
        return sequence_error("000")
    if sequence.is_registering or sequence.is_registered:
        return sequence_error("006")
    refusal = _tax_authority_refusal(account)
    if refusal is not None:
        return refusal
    sequence.register()
    return json_response({"sequence": sequence_json(_sequences(account).get(pk=sequence.pk))})


@sandbox_api("PUT")
def sequence_set_current(
    request: HttpRequest, account: SandboxAccount, sequence_id: int
) -> HttpResponse:
    sequence = _sequences(account).filter(pk=sequence_id).first()
    if sequence is None:
        return empty_response(404)
    sequence.make_default()
    return json_response({"sequence": sequence_json(sequence)})
