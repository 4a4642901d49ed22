"""The create form's page, shared by create and by drafts (edit a draft): the company's
lists the form needs, rendering the form as a page or fragment, and picking a known client.
Not views: `create.views` and `drafts.views` call these."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from invoices import company_cache, countries
from invoices.create import clients
from invoices.create.entry import DocumentEntry, RawEntry
from invoices.create.prefill import header_from_client
from invoices.htmx import HtmxHttpRequest, render_page_or_fragment
from invoices.invoicexpress.errors import InvoiceXpressError
from invoices.invoicexpress.records import Tax
from invoices.invoicexpress.sequences import Sequence
from invoices.models import Account
from invoices.models.submissions import Submission

FORM_TEMPLATE = "invoices/create/_form.html"
PAGE_TEMPLATE = "invoices/create/document_create.html"
STATUS_TEMPLATE = "invoices/create/_submission_status.html"


def company_lists(
    account: Account, *, refresh_taxes: bool = False
) -> tuple[list[Tax], list[Sequence], list[str]]:
    """The company's taxes and series, and what went wrong loading them (for the page)."""
    problems = []
    try:
        taxes = company_cache.get_taxes(account, refresh=refresh_taxes)
    except InvoiceXpressError as exc:
        taxes = []
        problems.append(
            _("The company's taxes could not be loaded. %(error)s") % {"error": exc.message}
        )
    try:
        sequences = company_cache.get_sequences(account)
    except InvoiceXpressError as exc:
        sequences = []
        problems.append(
            _("The company's series could not be loaded. %(error)s") % {"error": exc.message}
        )
    return taxes, sequences, problems


def render_entry(
    request: HtmxHttpRequest,
    account: Account,
    entry: DocumentEntry,
    *,
    problems: list[str],
    submission: Submission | None = None,
    notices: list[str] | None = None,
    focus: str = "",
    extra: dict[str, Any] | None = None,
    date_warning: str = "",
) -> HttpResponse:
    """The create form, as a page or (htmx) the form fragment. `extra`: the edit form's
    `form_url`, `editing` and `page_title` (drafts.views reuses this form)."""
    context: dict[str, Any] = {
        "focus_id": _focus_id(entry, focus),
        "date_warning": date_warning,
        "account": account,
        "nav": "create",
        "entry": entry,
        "form": entry.form,
        "items": entry.items,
        "estimate": entry.estimate(),
        "problems": problems,
        "notices": notices or [],
        "submission": submission,
        **(extra or {}),
    }
    return render_page_or_fragment(
        request, page=PAGE_TEMPLATE, fragment=FORM_TEMPLATE, context=context
    )


def _focus_id(entry: DocumentEntry, focus: str) -> str:
    """The id of the field where the clerk continues after a re-render (app.js focuses it):
    the new line's first field, the add-line button after a removal, or the field after the
    client's when a suggestion was picked."""
    if focus == "new_line" and entry.items.forms:
        return entry.items.forms[-1].visible_fields()[0].id_for_label or ""
    if focus == "add_line":
        return "add-line"
    if focus == "after_client":
        return entry.form["client_email"].id_for_label or ""
    return ""


def pick_client(account: Account, raw: RawEntry, client_id: str) -> list[str]:
    try:
        client = clients.client_by_id(account=account, client_id=int(client_id))
    except ValueError:
        client = None
    except InvoiceXpressError as exc:
        return [_("The client list could not be loaded. %(error)s") % {"error": exc.message}]
    if client is None:
        return [_("That client is no longer in the list; type the details instead.")]
    country = raw.header.get("client_country") or countries.DEFAULT_COUNTRY
    raw.header.update(header_from_client(client, country=country))
    return []
