"""Clients and taxes: read-only, so the dashboard can offer known clients and real tax names."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from sandbox.auth import sandbox_api
from sandbox.filters import page_from
from sandbox.models import SandboxAccount, SandboxClient, SandboxTax
from sandbox.responses import empty_response, json_response
from sandbox.serializers import client_json, pagination_json, tax_json


@sandbox_api("GET")
def client_list(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    clients = SandboxClient.objects.filter(account=account).order_by("name", "pk")
    page = page_from(request.GET)
    total = clients.count()
    rows = clients[page.offset : page.offset + page.per_page]
    return json_response(
        {
            "clients": [client_json(client) for client in rows],
            "pagination": pagination_json(total, page.number, page.per_page),
        }
    )


def _one_client(client: SandboxClient | None) -> HttpResponse:
    if client is None:
        return empty_response(404)
    return json_response({"client": client_json(client, detail=True)})


@sandbox_api("GET")
def client_detail(request: HttpRequest, account: SandboxAccount, client_id: int) -> HttpResponse:
    return _one_client(SandboxClient.objects.filter(account=account, pk=client_id).first())


@sandbox_api("GET")
def client_find_by_code(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    code = request.GET.get("client_code", "").strip()
    clients = SandboxClient.objects.filter(account=account, code=code).order_by("pk")
    return _one_client(clients.first() if code else None)


@sandbox_api("GET")
def client_find_by_name(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    name = request.GET.get("client_name", "").strip()
    clients = SandboxClient.objects.filter(account=account, name=name).order_by("pk")
    return _one_client(clients.first() if name else None)


@sandbox_api("GET")
def tax_list(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    return json_response(
        {"taxes": [tax_json(tax) for tax in SandboxTax.objects.filter(account=account)]}
    )


@sandbox_api("GET")
def tax_detail(request: HttpRequest, account: SandboxAccount, tax_id: int) -> HttpResponse:
    tax = SandboxTax.objects.filter(account=account, pk=tax_id).first()
    if tax is None:
        return empty_response(404)
    return json_response({"tax": tax_json(tax)})
