"""The document list as a CSV file that Portuguese Excel opens as it is.

Excel in a Portuguese locale reads `;` as the separator, `,` as the decimal mark, and only
recognises UTF-8 with a byte-order mark. The whole filtered result is fetched page by page
while the file streams, so memory stays flat; the size is checked on the first page, before
anything is sent, so an export is either complete or refused with a message.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from invoices.formatting import pt_number, status_label
from invoices.invoicexpress.client import InvoiceXpressClient
from invoices.invoicexpress.errors import InvoiceXpressError
from invoices.invoicexpress.records import Document, DocumentPage, format_date

MAX_ROWS = 10_000
# The largest page InvoiceXpress serves (the sandbox caps per_page at the same value): fewer,
# larger pages keep a 10,000-row export near 100 requests, far below the 780/min limit.
PAGE_SIZE = 100
BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class TooManyRows(Exception):
    def __init__(self, total: int, limit: int) -> None:
        self.total = total
        self.limit = limit
        self.message = _(
            "These filters match %(total)s documents; an export holds at most %(limit)s. "
            "Narrow the filters (for example a date range) and export in parts."
        ) % {"total": pt_number(total, 0), "limit": pt_number(limit, 0)}
        super().__init__(self.message)


def decimal_comma(value: Decimal | None) -> str:
    """Decimal("1234.5") -> "1234,50": no thousands separator, so Excel reads a number."""
    if value is None:
        return ""
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}".replace(".", ",")


def safe_text(value: str) -> str:
    """Text that Excel will not run as a formula (client names come from outside)."""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def header() -> list[str]:
    return [
        _("Type"),
        _("Number"),
        _("ATCUD"),
        _("Date"),
        _("Due date"),
        _("Status"),
        _("Client"),
        _("Client NIF"),
        _("Reference"),
        _("Before taxes"),
        _("Taxes"),
        _("Total"),
        _("Signed total (credit notes negative)"),
        _("Currency"),
        _("Archived"),
        _("InvoiceXpress id"),
    ]


def row(doc: Document) -> list[str]:
    return [
        safe_text(str(doc.type.label)),
        doc.display_number,
        safe_text(doc.atcud),
        format_date(doc.date) if doc.date else "",
        format_date(doc.due_date) if doc.due_date else "",
        str(status_label(doc.status)),
        safe_text(doc.client.name),
        safe_text(doc.client.fiscal_id),
        safe_text(doc.reference),
        decimal_comma(doc.before_taxes),
        decimal_comma(doc.taxes),
        decimal_comma(doc.total),
        decimal_comma(doc.signed_total),
        doc.currency,
        _("yes") if doc.archived else _("no"),
        str(doc.id),
    ]


def _render(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()


@dataclass
class Export:
    client: InvoiceXpressClient
    filters: Mapping[str, Any]
    first: DocumentPage
    page_size: int
    max_rows: int
    _seen: set[int] = field(default_factory=set)

    def lines(self) -> Iterator[str]:
        """The file, one chunk per upstream page: header, then every matching document."""
        yield BOM + _render([header()])
        yield self._chunk(self.first)
        for number in range(2, self.pages + 1):
            if len(self._seen) >= self.max_rows:
                break
            try:
                page = self.client.list_documents(
                    **self.filters, page=number, per_page=self.page_size
                )
            except InvoiceXpressError as exc:
                # Headers are gone: the last line says so, so a short file never looks whole.
                yield _render(
                    [
                        [
                            _("EXPORT INCOMPLETE"),
                            _("InvoiceXpress failed at page %(page)s of %(pages)s: %(error)s")
                            % {
                                "page": number,
                                "pages": self.pages,
                                "error": exc.message,
                            },
                        ]
                    ]
                )
                return
            if not page.documents:
                break
            yield self._chunk(page)

    @property
    def pages(self) -> int:
        """Pages as the first answer counted them, at the page size the service really used
        (it may serve fewer rows than asked); derived from the count if it sent no total_pages."""
        served = len(self.first.documents)
        derived = math.ceil(self.first.total_entries / served) if served else 1
        return max(self.first.total_pages, derived)

    def _chunk(self, page: DocumentPage) -> str:
        rows = []
        for doc in page.documents:
            # A document created during the export shifts the pages: never list one twice.
            if doc.id in self._seen or len(self._seen) >= self.max_rows:
                continue
            self._seen.add(doc.id)
            rows.append(row(doc))
        return _render(rows)


def start_export(
    client: InvoiceXpressClient,
    filters: Mapping[str, Any],
    *,
    max_rows: int | None = None,
    page_size: int | None = None,
) -> Export:
    """Fetch the first page and check the size; raises typed errors or TooManyRows.

    Everything that can refuse the export happens here, before the response starts.
    """
    max_rows = MAX_ROWS if max_rows is None else max_rows
    page_size = PAGE_SIZE if page_size is None else page_size
    first = client.list_documents(**filters, page=1, per_page=page_size)
    if first.total_entries > max_rows:
        raise TooManyRows(first.total_entries, max_rows)
    return Export(
        client=client, filters=filters, first=first, page_size=page_size, max_rows=max_rows
    )
