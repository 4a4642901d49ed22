"""The CSV export: the whole filtered result, in the format Portuguese Excel opens as is."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from invoices.documents import csv_export as document_csv
from invoices.invoicexpress.errors import ServerError
from invoices.invoicexpress.records import DocumentPage
from sandbox import faults
from tests.documents.helpers import make_document

URL = "/c/acme/documents/export.csv"


def body_of(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def _seed_many(sandbox, count: int) -> None:
    from sandbox.models import SandboxClient, SandboxDocument

    client = SandboxClient.objects.create(account=sandbox, name="Cliente em massa")
    start = dt.date(2024, 1, 1)
    SandboxDocument.objects.bulk_create(
        SandboxDocument(
            account=sandbox,
            doc_type="Invoice",
            status="final",
            client=client,
            number=n,
            sequence_number=f"{n}/2024",
            inverted_sequence_number=f"2024/{n}",
            atcud=f"ABCD1234-{n}",
            date=start + dt.timedelta(days=n % 360),
            due_date=start + dt.timedelta(days=n % 360 + 30),
            sum=n,
            before_taxes=n,
            taxes=0,
            total=n,
        )
        for n in range(1, count + 1)
    )


def test_it_exports_every_page_of_the_filtered_result(client, live_company, upstream):
    _seed_many(live_company.sandbox, 250)
    make_document(live_company.sandbox, doc_type="CreditNote", number=1)
    client.force_login(live_company.viewer)

    response = client.get(URL, {"type": "Invoice", "per_page": "10", "page": "3"})

    assert response.status_code == 200
    assert response.streaming
    rows = rows_of(body_of(response))
    assert len(rows) == 1 + 250
    assert {row[1] for row in rows[1:]} == {f"FT 2024/{n}" for n in range(1, 251)}
    # Page by page at the largest page size, whatever the list's page and page size.
    assert [(c.value("page"), c.value("per_page")) for c in upstream] == [
        ("1", "100"),
        ("2", "100"),
        ("3", "100"),
    ]
    assert all(c.values("type[]") == ["Invoice"] for c in upstream)


def test_the_file_is_what_portuguese_excel_expects(client, live_company):
    make_document(
        live_company.sandbox,
        number=28,
        date=dt.date(2025, 1, 5),
        due_date=dt.date(2025, 2, 4),
        before_taxes="1234.50",
        client_name="Café Açoriano; Lda.",
        client_fields={"fiscal_id": "508025338"},
        reference="PO-1",
    )
    client.force_login(live_company.viewer)

    response = client.get(URL)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="acme-documents-')
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    text = raw.decode("utf-8")
    assert "\r\n" in text
    header, row = rows_of(text)
    assert header[:5] == ["Type", "Number", "ATCUD", "Date", "Due date"]
    assert row[:9] == [
        "Invoice",
        "FT 2025/28",
        "ABCD1234-28",
        "05/01/2025",
        "04/02/2025",
        "Final",
        "Café Açoriano; Lda.",
        "508025338",
        "PO-1",
    ]
    assert row[9:14] == ["1234,50", "283,94", "1518,44", "1518,44", "Euro"]
    assert '"Café Açoriano; Lda."' in text  # a ; inside a value is quoted


def test_text_that_excel_would_run_as_a_formula_is_defused(client, live_company):
    make_document(live_company.sandbox, client_name='=HYPERLINK("http://x")', reference="+1")
    client.force_login(live_company.viewer)
    [_, row] = rows_of(body_of(client.get(URL)))
    assert row[6] == '\'=HYPERLINK("http://x")'
    assert row[8] == "'+1"


def test_an_empty_result_is_a_file_with_only_the_header(client, live_company):
    client.force_login(live_company.viewer)
    rows = rows_of(body_of(client.get(URL)))
    assert len(rows) == 1


def test_too_many_documents_are_refused_with_a_message_before_anything_streams(
    client, live_company, upstream, monkeypatch
):
    monkeypatch.setattr(document_csv, "MAX_ROWS", 20)
    _seed_many(live_company.sandbox, 21)
    client.force_login(live_company.viewer)

    response = client.get(URL, {"type": "Invoice"}, follow=True)

    assert response.redirect_chain == [("/c/acme/documents/?type=Invoice", 302)]
    html = response.content.decode()
    assert "These filters match 21 documents; an export holds at most 20." in html
    assert upstream[0].value("per_page") == "100"


def test_bad_filters_go_back_to_the_list_with_the_messages(client, cast, upstream):
    client.force_login(cast.viewer)
    response = client.get(URL, {"date_from": "2025-13-01"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [("/c/acme/documents/?date_from=2025-13-01", 302)]
    assert "Fix the filters before exporting." in html
    assert "Enter a date as dd/mm/yyyy" in html
    assert upstream == []


@pytest.mark.parametrize(
    ("mode", "message"),
    [("503", "HTTP 503"), ("429", "(429)"), ("html", "web page instead of data")],
)
def test_a_failure_before_streaming_goes_back_with_a_message(client, live_company, mode, message):
    faults.inject("acme", mode, count=3)  # the first try and both retries
    client.force_login(live_company.viewer)

    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == "/c/acme/documents/"
    html = client.get(response["Location"]).content.decode()
    assert "The export did not start" in html and message in html


def test_a_wrong_api_key_goes_back_with_a_message(client, live_company):
    live_company.sandbox.api_key = "rotated"
    live_company.sandbox.save()
    client.force_login(live_company.viewer)
    response = client.get(URL, follow=True)
    assert "The export did not start" in response.content.decode()


def test_a_refused_connection_goes_back_with_a_message(client, cast):
    client.force_login(cast.viewer)
    response = client.get(URL, follow=True)
    assert "The export did not start" in response.content.decode()


def test_a_failure_after_streaming_started_is_written_as_the_last_line(
    client, live_company, settings
):
    settings.IXPORTAL_GET_RETRIES = 0
    _seed_many(live_company.sandbox, 150)
    client.force_login(live_company.viewer)

    response = client.get(URL)
    faults.inject("acme", "500", count=None)  # page 1 is in; page 2 will fail
    rows = rows_of(body_of(response))

    assert len(rows) == 1 + 100 + 1
    assert rows[-1][0] == "EXPORT INCOMPLETE"
    assert "page 2 of 2" in rows[-1][1]


def test_it_hides_a_company_from_outsiders(client, cast, upstream):
    client.force_login(cast.outsider)
    assert client.get(URL).status_code == 404
    assert upstream == []


def test_it_requires_login(client, cast):
    assert client.get(URL).status_code == 302


# ---- the export's own logic, against a stand-in client ----------------------------------------


class _PagedClient:
    """Answers list_documents from canned pages; raises where a page is an exception."""

    def __init__(self, pages):
        self.pages = pages
        self.asked = []

    def list_documents(self, *, page, per_page, **filters):
        self.asked.append(page)
        answer = self.pages[page - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer


def _page(ids, number, pages, total):
    from invoices.invoicexpress.records import Document

    docs = tuple(
        Document.from_api({"id": i, "type": "Invoice", "status": "draft", "total": 1}) for i in ids
    )
    return DocumentPage(
        docs, total_entries=total, total_pages=pages, current_page=number, per_page=2
    )


def test_a_document_that_shifts_to_the_next_page_is_listed_once():
    # A document created during the export pushes document 2 onto page 2.
    pages = [_page([1, 2], 1, 2, 4), _page([2, 3], 2, 2, 4)]
    export = document_csv.start_export(_PagedClient(pages), {}, page_size=2)
    rows = rows_of("".join(export.lines()))
    assert [row[-1] for row in rows[1:]] == ["1", "2", "3"]


def test_the_export_stops_at_the_maximum_even_if_the_result_grows():
    pages = [_page([1, 2], 1, 3, 4), _page([3, 4], 2, 3, 6), _page([5, 6], 3, 3, 6)]
    fake = _PagedClient(pages)
    export = document_csv.start_export(fake, {}, page_size=2, max_rows=4)
    rows = rows_of("".join(export.lines()))
    assert len(rows) == 1 + 4
    assert fake.asked == [1, 2]


def test_start_export_raises_before_anything_is_written():
    fake = _PagedClient([ServerError("InvoiceXpress failed (HTTP 500).")])
    with pytest.raises(ServerError):
        document_csv.start_export(fake, {})


def test_amounts_use_a_decimal_comma_without_thousands_separators():
    from decimal import Decimal

    assert document_csv.decimal_comma(Decimal("1234567.891")) == "1234567,89"
    assert document_csv.decimal_comma(Decimal("-0.005")) == "-0,01"
    assert document_csv.decimal_comma(Decimal("10")) == "10,00"


def test_without_a_page_count_the_pages_follow_from_the_document_count():
    pages = [_page([1, 2], 1, 1, 5), _page([3, 4], 2, 1, 5), _page([5], 3, 1, 5)]
    fake = _PagedClient(pages)
    rows = rows_of("".join(document_csv.start_export(fake, {}, page_size=2).lines()))
    assert len(rows) == 1 + 5
    assert fake.asked == [1, 2, 3]


@pytest.mark.django_db
def test_the_csv_link_is_a_plain_link_so_a_refusal_shows_its_message(client, cast, monkeypatch):
    from invoices.invoicexpress.records import Document, DocumentPage

    page = DocumentPage(
        documents=(Document.from_api({"id": 1, "type": "Invoice", "status": "final"}),),
        total_entries=1,
        total_pages=1,
        current_page=1,
        per_page=30,
    )
    monkeypatch.setattr(
        "invoices.invoicexpress.client.InvoiceXpressClient.list_documents", lambda self, **kw: page
    )
    client.force_login(cast.viewer)
    html = client.get("/c/acme/documents/").content.decode()
    export_link = html.split('id="document-export"', 1)[1].split(">", 1)[0]
    assert " download" not in export_link


def test_a_credit_note_has_a_negative_signed_total_named_in_the_header(client, live_company):
    make_document(live_company.sandbox, number=1, before_taxes="100.00")
    make_document(
        live_company.sandbox, doc_type="CreditNote", number=2, before_taxes="40.00",
        date=dt.date(2025, 1, 16),
    )  # fmt: skip
    client.force_login(live_company.viewer)
    header, *rows = rows_of(b"".join(client.get(URL).streaming_content).decode("utf-8"))
    column = header.index("Signed total (credit notes negative)")
    assert header[column - 1] == "Total"
    assert {row[1]: (row[column - 1], row[column]) for row in rows} == {
        "NC 2025/2": ("49,20", "-49,20"),
        "FT 2025/1": ("123,00", "123,00"),
    }
