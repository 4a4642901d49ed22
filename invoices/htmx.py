"""The typed htmx request and the one way a view answers a page or its fragment.

Every view whose answer depends on HX-Request goes through `private_response`, usually by
way of `render_page_or_fragment`: the same URL then carries `Vary` on the htmx headers (a
cache must never hand the fragment to a full page load, or the page to htmx) and one cache
policy, `private, no-store`. Everything these views show is a company's financial data:
no shared cache may keep it, and the browser may not keep a copy either, or Back would
show a deleted draft with its buttons still live (no-store also keeps the page out of the
back/forward cache).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django_htmx.middleware import HtmxDetails

from invoices.invoicexpress.errors import InvoiceXpressError, RateLimited, Unreachable

# HX-History-Restore-Request too: a history restore asks for the whole page at the same URL.
VARY_HEADERS = ("HX-Request", "HX-History-Restore-Request")

ResponseT = TypeVar("ResponseT", bound=HttpResponseBase)


class HtmxHttpRequest(HttpRequest):
    """A request after django-htmx's middleware: `request.htmx` is typed."""

    htmx: HtmxDetails


def is_fragment_request(request: HttpRequest) -> bool:
    """htmx asked, and not to restore history (back/forward with no snapshot needs the page)."""
    htmx: HtmxDetails = request.htmx  # type: ignore[attr-defined]
    return bool(htmx) and not htmx.history_restore_request


def private_response(response: ResponseT) -> ResponseT:
    """`Vary` on the htmx headers and `Cache-Control: private, no-store` (see the module doc)."""
    patch_vary_headers(response, VARY_HEADERS)
    patch_cache_control(response, private=True, no_store=True)
    return response


def render_page_or_fragment(
    request: HttpRequest,
    *,
    page: str,
    fragment: str,
    context: Mapping[str, Any],
    status: int = 200,
) -> HttpResponse:
    """The `fragment` template for htmx, the `page` otherwise, with `private_response`'s headers.

    The server picks from `request.htmx`, never from a client parameter.
    """
    template = fragment if is_fragment_request(request) else page
    return private_response(render(request, template, context, status=status))


def upstream_failure_status(exc: InvoiceXpressError) -> int:
    """The status of a page that could not be made because InvoiceXpress failed.

    Never 200: htmx (and anything else reading the status) must see a failed page as
    failed, and app.js then shows it whole instead of swapping it into a fragment's place.
    A fragment that only reports a failure inside a working page (the documents table) keeps
    200, so it is swapped like any other answer.
    """
    if isinstance(exc, RateLimited):
        return 503  # busy: try again shortly
    if isinstance(exc, Unreachable) and exc.timed_out:
        return 504
    return 502  # the service failed, refused our key, or answered nonsense
