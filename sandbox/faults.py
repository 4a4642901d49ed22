"""Failures on demand, per sandbox account, stored in the database.

For tests and demos:

    from sandbox import faults
    faults.inject("acme", "503", count=2)                 # the next two requests answer 503
    faults.inject("acme", "422_b", path_prefix="invoices.json")
    faults.inject("acme", "timeout", count=None, timeout_seconds=5)   # always
    faults.set_latency("acme", 300)
    faults.clear("acme")

A count is decremented with a filtered UPDATE, so "the next N requests" is exact even when
several processes serve the sandbox.
"""

from __future__ import annotations

from django.db.models import F
from django.http import HttpRequest, HttpResponse

from sandbox.models import FaultMode, SandboxAccount
from sandbox.responses import JSON_TYPE, json_response

# Modes that replace the answer of any API request.
TRANSPORT_MODES = frozenset(
    {
        FaultMode.TOO_MANY_REQUESTS,
        FaultMode.SERVER_ERROR,
        FaultMode.BAD_GATEWAY,
        FaultMode.UNAVAILABLE,
        FaultMode.TIMEOUT,
        FaultMode.HTML,
        FaultMode.BROKEN_JSON,
    }
)
# Modes that refuse writes (POST/PUT) with one of the service's 422 body shapes.
REJECT_MODES = frozenset(
    {
        FaultMode.REJECT_A,
        FaultMode.REJECT_B,
        FaultMode.REJECT_C,
        FaultMode.REJECT_D,
        FaultMode.REJECT_XML,
        FaultMode.REJECT_HTML,
    }
)
WRITE_METHODS = frozenset({"POST", "PUT"})

REJECT_MESSAGE = "Your current plan does not allow you to do this"
REJECT_BODIES = {
    FaultMode.REJECT_A: {"errors": [{"error": REJECT_MESSAGE}]},
    FaultMode.REJECT_B: {"errors": {"error": REJECT_MESSAGE}},
    FaultMode.REJECT_C: {"errors": [REJECT_MESSAGE]},
    FaultMode.REJECT_D: [["name", "não está disponível."]],
}

# The XML API's error shape (the service's XML endpoints, and a JSON request that reached
# one): the same message, as <errors><error>..</error></errors>.
REJECT_XML_BODY = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<errors>\n'
    f"  <error>{REJECT_MESSAGE}</error>\n</errors>\n"
)
_XML = "application/xml; charset=utf-8"
_HTML = "text/html; charset=utf-8"
_NGINX_PAGE = (
    "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n"
    "<center><h1>{code} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)
_RAILS_500 = (
    "<!DOCTYPE html>\n<html>\n<head><title>We're sorry, but something went wrong (500)</title></head>\n"
    '<body><div class="dialog"><h1>We\'re sorry, but something went wrong.</h1></div></body>\n</html>\n'
)
_MAINTENANCE = (
    '<!DOCTYPE html>\n<html lang="pt">\n<head><meta charset="utf-8">'
    "<title>InvoiceXpress</title></head>\n<body><h1>Estamos em manutenção</h1>"
    "<p>Voltamos dentro de momentos.</p></body>\n</html>\n"
)


def inject(
    account_name: str,
    mode: str,
    count: int | None = 1,
    path_prefix: str = "",
    *,
    timeout_seconds: float | None = None,
) -> None:
    """Make the account fail in `mode` for the next `count` requests (None: always)."""
    fields = {
        "fault_mode": FaultMode(mode),
        "fault_remaining": count,
        "fault_path_prefix": path_prefix,
    }
    if timeout_seconds is not None:
        fields["fault_timeout_seconds"] = timeout_seconds
    if not SandboxAccount.objects.filter(account_name=account_name).update(**fields):
        raise SandboxAccount.DoesNotExist(account_name)


def clear(account_name: str) -> None:
    """No fault and no added latency."""
    SandboxAccount.objects.filter(account_name=account_name).update(
        fault_mode=FaultMode.NONE,
        fault_remaining=None,
        fault_path_prefix="",
        latency_ms=0,
        saft_defect="",
    )


def set_saft_defect(account_name: str, defect: str) -> None:
    """Serve the account's SAF-T files with `defect` (a name in sandbox.saft_defects.DEFECTS)."""
    from sandbox.saft_defects import DEFECTS

    if defect and defect not in DEFECTS:
        raise ValueError(f"unknown SAF-T defect {defect!r}")
    if not SandboxAccount.objects.filter(account_name=account_name).update(saft_defect=defect):
        raise SandboxAccount.DoesNotExist(account_name)


def set_latency(account_name: str, milliseconds: int) -> None:
    SandboxAccount.objects.filter(account_name=account_name).update(latency_ms=milliseconds)


def relative_path(request: HttpRequest, account: SandboxAccount) -> str:
    """The request path after /sandbox/<account_name>/, e.g. "invoices/12.json"."""
    marker = f"/{account.account_name}/"
    return request.path.split(marker, 1)[1] if marker in request.path else request.path


def take(account: SandboxAccount, request: HttpRequest, modes: frozenset) -> str | None:
    """The account's fault mode if it is in `modes` and applies to this request.

    Uses up one of the remaining count (exactly, across processes); None when no fault.
    """
    mode = account.fault_mode
    if mode not in modes:
        return None
    prefix = account.fault_path_prefix.lstrip("/")
    if prefix and not relative_path(request, account).startswith(prefix):
        return None
    if account.fault_remaining is None:
        return mode
    claimed = SandboxAccount.objects.filter(
        pk=account.pk, fault_mode=mode, fault_remaining__gt=0
    ).update(fault_remaining=F("fault_remaining") - 1)
    return mode if claimed else None


def request_modes(request: HttpRequest) -> frozenset:
    return TRANSPORT_MODES | REJECT_MODES if request.method in WRITE_METHODS else TRANSPORT_MODES


def fault_response(mode: str) -> HttpResponse:
    """The canned answer for a mode that replaces the view's answer."""
    if mode in REJECT_BODIES:
        return json_response(REJECT_BODIES[mode], status=422)
    if mode == FaultMode.REJECT_XML:
        return HttpResponse(REJECT_XML_BODY, status=422, content_type=_XML)
    if mode == FaultMode.REJECT_HTML:
        page = _NGINX_PAGE.format(code=422, reason="Unprocessable Entity")
        return HttpResponse(page, status=422, content_type=_HTML)
    if mode == FaultMode.TOO_MANY_REQUESTS:
        return HttpResponse("Retry later\n", status=429, content_type="text/plain")
    if mode == FaultMode.SERVER_ERROR:
        return HttpResponse(_RAILS_500, status=500, content_type=_HTML)
    if mode == FaultMode.BAD_GATEWAY:
        return HttpResponse(
            _NGINX_PAGE.format(code=502, reason="Bad Gateway"), status=502, content_type=_HTML
        )
    if mode == FaultMode.UNAVAILABLE:
        page = _NGINX_PAGE.format(code=503, reason="Service Temporarily Unavailable")
        return HttpResponse(page, status=503, content_type=_HTML)
    if mode == FaultMode.HTML:
        return HttpResponse(_MAINTENANCE, status=200, content_type=_HTML)
    raise ValueError(f"{mode} does not replace the answer")


def break_json(response: HttpResponse) -> HttpResponse:
    """The view's answer with its body cut in half: valid HTTP, unreadable JSON."""
    body = response.content
    response.content = body[: len(body) // 2] if len(body) > 1 else b"{"
    response["Content-Type"] = JSON_TYPE
    return response
