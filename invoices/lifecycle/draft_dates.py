"""When a draft's date stops it being finalized: before the last finalized document of its
type on its series (InvoiceXpress numbers in date order and refuses), or after today.

Warned about when a draft is created, refused locally before asking InvoiceXpress to
finalize. The last finalized date is read from the document list (the API has no field for
it): the newest numbered documents of the type whose number is on the series ("2026/..."),
one page, newest first; a series with older documents only beyond that page is not checked.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from invoices.formatting import pt_date
from invoices.invoicexpress.client import InvoiceXpressClient
from invoices.invoicexpress.document_types import DocumentType

# Every status of a document that took a number (a canceled one keeps it and its date).
NUMBERED_STATUSES = ("final", "sent", "settled", "canceled", "second_copy")
PAGE_SIZE = 30


def last_finalized_date(
    client: InvoiceXpressClient, kind: DocumentType, serie: str
) -> dt.date | None:
    prefix = f"{serie}/"
    page = client.list_documents(
        text=prefix, types=[kind.name], statuses=NUMBERED_STATUSES, per_page=PAGE_SIZE
    )
    dates = [
        doc.date
        for doc in page.documents
        if doc.date
        and doc.type.name == kind.name
        and doc.inverted_sequence_number.startswith(prefix)
    ]
    return max(dates, default=None)


def draft_date_problem(
    *,
    client: InvoiceXpressClient,
    kind: DocumentType,
    serie: str,
    on: dt.date,
    today: dt.date,
) -> str:
    """Why a draft of `kind` dated `on` on `serie` cannot be finalized, or ""."""
    if on > today:
        return _(
            "Dated %(date)s, after today: a document cannot be finalized with a future date. "
            "Date it today or earlier."
        ) % {"date": pt_date(on)}
    if not serie or on == today:
        # Nothing is finalized with a date after today, so today is never too early: the
        # common case costs no list call.
        return ""
    last = last_finalized_date(client, kind, serie)
    if last is not None and on < last:
        return _(
            "Dated %(date)s, before %(last)s, the date of the last finalized %(kind)s on "
            "series %(serie)s: documents of a series are numbered in date order, so "
            "InvoiceXpress refuses to finalize it. Date it %(last)s or later."
        ) % {
            "date": pt_date(on),
            "last": pt_date(last),
            "kind": str(kind.label).lower(),
            "serie": serie,
        }
    return ""
