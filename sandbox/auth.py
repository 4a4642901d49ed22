"""The choke point every API view goes through: route method, api_key, latency, faults."""

from __future__ import annotations

import hmac
import time
from functools import wraps

from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from sandbox import faults
from sandbox.locking import one_at_a_time
from sandbox.loose import loosen_response
from sandbox.models import FaultMode, SandboxAccount, SandboxRequest
from sandbox.responses import errors_response, not_found_page


def unauthorized():
    return errors_response(["Invalid API key"], status=401)


def authenticate(account_name: str, api_key: str) -> SandboxAccount | None:
    account = SandboxAccount.objects.filter(account_name=account_name).first()
    if account is None or not hmac.compare_digest(account.api_key.encode(), api_key.encode()):
        return None
    return account


def _count(request, account: SandboxAccount, account_name: str) -> None:
    path = request.path.split(f"/{account_name}/", 1)[-1]
    SandboxRequest.objects.create(
        account=account, at=timezone.now(), method=request.method, path=path[:300]
    )


def sandbox_api(*methods: str):
    """Decorate a view `view(request, account, **kwargs)` of the stand-in API.

    A method the route does not have is an unknown route (HTML 404, like the service). Then
    the api_key (401 with the service's body), the account's added latency, and its fault.
    The timeout mode sleeps and then answers normally: the caller has given up, but the
    write happened, as it may on the real service.
    """

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, account_name: str, **kwargs):
            if request.method not in methods:
                return not_found_page(request)
            with one_at_a_time():
                account = authenticate(account_name, request.GET.get("api_key", ""))
                if account is not None:
                    _count(request, account, account_name)
            if account is None:
                return unauthorized()
            if account.latency_ms:
                time.sleep(account.latency_ms / 1000)
            with one_at_a_time():
                mode = faults.take(account, request, faults.request_modes(request))
            if mode == FaultMode.TIMEOUT:
                time.sleep(account.fault_timeout_seconds)
            elif mode not in (None, FaultMode.BROKEN_JSON):
                return faults.fault_response(mode)
            with one_at_a_time():  # never around a sleep: it would stall every request
                response = view(request, account, **kwargs)
            if account.loose_types:
                response = loosen_response(response)
            return faults.break_json(response) if mode == FaultMode.BROKEN_JSON else response

        return wrapper

    return decorator
