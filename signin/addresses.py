"""The client address django-axes locks on, correct behind a reverse proxy."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address the request came from.

    Behind IXPORTAL_TRUSTED_PROXIES proxies, each appended the address it saw to
    X-Forwarded-For, so the client is that many entries from the right. Entries further
    left were written by the client itself and prove nothing: trusting them would let an
    attacker pick a fresh address for every guess.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.IXPORTAL_TRUSTED_PROXIES
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:
        return remote
    return forwarded[-hops]
