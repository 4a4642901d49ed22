"""The SAF-T file against the documents InvoiceXpress lists for the same month.

Per document type (FT, FR, FS, NC, ND): how many documents each side has (cancelled ones
included, as in NumberOfEntries) and their net, tax and gross totals (cancelled ones left
out, as in TotalCredit/TotalDebit); and the numbers that one side has and the other lacks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from invoices.invoicexpress.records import Document
from saft.periods import Period
from saft.report import Reconciliation, TypeReconciliation, TypeTotals
from saft.validation import FileDocument

ZERO = Decimal("0.00")
# The InvoiceXpress types whose documents SAF-T lists in SalesInvoices. Receipts go to
# Payments and VAT MOSS documents are not Portuguese VAT.
SALES_TYPE_NAMES = ("Invoice", "InvoiceReceipt", "SimplifiedInvoice", "CreditNote", "DebitNote")
NUMBERED_STATUSES = ("final", "sent", "settled", "canceled", "second_copy")
PER_PAGE = 100
MAX_PAGES = 200  # 20,000 documents: past that the month is reported as not reconciled


@dataclass(frozen=True)
class ListedDocument:
    number: str
    doc_type: str
    cancelled: bool
    net: Decimal
    tax: Decimal
    gross: Decimal


class TooManyDocuments(Exception):
    pass


def upstream_month_documents(client, period: Period) -> list[ListedDocument]:
    """Every numbered sales document InvoiceXpress lists for `period`, page by page.

    Each page is one call through the client (its timeout, retries and typed errors).
    """
    listed: list[ListedDocument] = []
    pages = numbered_documents(
        client, period, types=SALES_TYPE_NAMES, max_pages=MAX_PAGES, too_many=TooManyDocuments
    )
    for doc in pages:
        if doc.is_draft or not doc.inverted_sequence_number:
            continue
        listed.append(
            ListedDocument(
                number=doc.display_number,
                doc_type=doc.type.code,
                cancelled=doc.status == "canceled",
                net=doc.before_taxes,
                tax=doc.taxes,
                gross=doc.total,
            )
        )
    return listed


def numbered_documents(
    client,
    period: Period,
    *,
    max_pages: int,
    too_many: type[Exception],
    types: Iterable[str] = (),
) -> Iterator[Document]:
    """The numbered documents InvoiceXpress lists for `period`, page after page, as it lists them.

    Raises `too_many` when there would be a page past `max_pages`.
    """
    page = 1
    while True:
        result = client.list_documents(
            types=types,
            statuses=NUMBERED_STATUSES,
            date_from=period.first_day,
            date_to=period.last_day,
            page=page,
            per_page=PER_PAGE,
        )
        yield from result.documents
        if page >= result.total_pages or not result.documents:
            return
        page += 1
        if page > max_pages:
            raise too_many


def _totals(rows: Iterable[tuple[bool, Decimal, Decimal, Decimal]]) -> TypeTotals:
    count, net, tax, gross = 0, ZERO, ZERO, ZERO
    for cancelled, row_net, row_tax, row_gross in rows:
        count += 1
        if not cancelled:
            net, tax, gross = net + row_net, tax + row_tax, gross + row_gross
    return TypeTotals(count=count, net=f"{net:.2f}", tax=f"{tax:.2f}", gross=f"{gross:.2f}")


def reconcile(file_documents: list[FileDocument], listed: list[ListedDocument]) -> Reconciliation:
    types = sorted({d.doc_type for d in file_documents} | {d.doc_type for d in listed})
    rows = tuple(
        TypeReconciliation(
            doc_type=doc_type,
            file=_totals(
                (d.is_cancelled, d.net, d.tax, d.gross)
                for d in file_documents
                if d.doc_type == doc_type
            ),
            upstream=_totals(
                (d.cancelled, d.net, d.tax, d.gross) for d in listed if d.doc_type == doc_type
            ),
        )
        for doc_type in types
    )
    in_file = {d.number for d in file_documents}
    upstream = {d.number for d in listed}
    return Reconciliation(
        types=rows,
        missing_in_file=tuple(sorted(upstream - in_file)),
        missing_upstream=tuple(sorted(in_file - upstream)),
    )
