"""Read one document for a view that acts on it, the same way everywhere.

A document InvoiceXpress does not have is a 404. Any other failure to read it becomes an
error message on the document's page (`unreadable`, a translated text with `%(error)s`) and a
redirect there, made by `go` (a plain redirect, or an htmx client redirect).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from invoices.invoicexpress.errors import InvoiceXpressError, NotFound
from invoices.invoicexpress.records import Document
from invoices.models import Account


def document_or_redirect(
    request: HttpRequest,
    account: Account,
    type_path: str,
    document_id: int,
    *,
    detail_url: str,
    unreadable: str,
    go: Callable[[str], HttpResponse] = redirect,
) -> Document | HttpResponse:
    """The document, or the response that sends the user back to `detail_url` with why not."""
    try:
        return account.client().get_document(type_path, document_id)
    except NotFound:
        raise Http404("No such document.") from None
    except InvoiceXpressError as exc:
        messages.error(request, unreadable % {"error": exc.message})
        return go(detail_url)
