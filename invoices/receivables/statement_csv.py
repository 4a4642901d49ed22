"""A client's statement as a CSV that Portuguese Excel opens as it is (as the documents CSV)."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from invoices.documents.csv_export import BOM, decimal_comma, safe_text
from invoices.invoicexpress.records import format_date
from invoices.receivables.services import Statement


def render(statement: Statement) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Client"), safe_text(statement.name), _("NIF"), safe_text(statement.nif)])
    writer.writerow([_("Period"), format_date(statement.date_from), format_date(statement.date_to)])
    writer.writerow(
        [_("Date"), _("Document"), _("Type"), _("Due date"), _("Debit"), _("Credit"), _("Balance")]
    )
    writer.writerow(
        [
            format_date(statement.date_from),
            _("Opening balance"),
            "",
            "",
            "",
            "",
            decimal_comma(statement.opening),
        ]
    )
    for move in statement.movements:
        doc = move.doc
        writer.writerow(
            [
                format_date(doc.date) if doc.date else "",
                safe_text(doc.display_number),
                str(doc.type.label),
                format_date(doc.due_date) if doc.due_date else "",
                decimal_comma(move.debit) if move.debit else "",
                decimal_comma(move.credit) if move.credit else "",
                decimal_comma(move.balance),
            ]
        )
    writer.writerow(
        [
            format_date(statement.date_to),
            _("Closing balance"),
            "",
            "",
            decimal_comma(statement.debits),
            decimal_comma(statement.credits),
            decimal_comma(statement.closing),
        ]
    )
    if not statement.complete:
        writer.writerow([_("INCOMPLETE"), _("The client has more documents than were read.")])
    return BOM + buffer.getvalue()
