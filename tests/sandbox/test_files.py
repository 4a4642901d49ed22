"""PDF (202 until ready, 406 for drafts) and SAF-T (202 until ready, 422, 500 on demand)."""

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal

import pytest
import time_machine

from sandbox import faults
from sandbox.models import SandboxAccount, SandboxDocument
from sandbox.pdf import render_pdf
from sandbox.testing import api_fixture, sandbox_account_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

NS = {"s": "urn:OECD:StandardAuditFile-Tax:PT_1.04_01"}
SAFT_STARTED = {
    "message": "The SAF-T file generation was started. Please keep requesting until you get back the url."
}


def download(api, url: str):
    assert url.startswith("http://testserver/sandbox/acme/files/")
    return api.client.get(url.removeprefix("http://testserver"))


def assert_valid_pdf(content: bytes) -> None:
    """Header, trailer, and every xref offset pointing at its object."""
    assert content.startswith(b"%PDF-1.4\n")
    assert content.rstrip().endswith(b"%%EOF")
    xref_at = int(re.search(rb"startxref\n(\d+)\n%%EOF", content).group(1))
    assert content[xref_at:].startswith(b"xref\n")
    size = int(re.search(rb"xref\n0 (\d+)\n", content[xref_at:]).group(1))
    entries = re.findall(rb"(\d{10}) (\d{5}) ([nf]) \n", content[xref_at:])
    assert len(entries) == size
    for number, (offset, _, kind) in enumerate(entries):
        if kind == b"n":
            assert content[int(offset) :].startswith(f"{number} 0 obj".encode())
    for length, stream in re.findall(
        rb"<< /Length (\d+) >>\nstream\n(.*?)\nendstream", content, re.S
    ):
        assert int(length) == len(stream)


def test_it_answers_202_then_a_link_to_a_real_pdf(api):
    invoice = api.finalize("invoices", api.create(client={"name": "Café Lusitânia"})["id"])
    first, second = (
        api.get(f"api/pdf/{invoice['id']}.json"),
        api.get(f"api/pdf/{invoice['id']}.json"),
    )
    assert (first.status_code, first.content) == (202, b"")
    assert (second.status_code, second.content) == (202, b"")
    ready = api.get(f"api/pdf/{invoice['id']}.json")
    assert ready.status_code == 200
    url = ready.json()["output"]["pdfUrl"]
    assert url.endswith(".pdf") and "api_key" not in url
    pdf = download(api, url)
    assert pdf["Content-Type"] == "application/pdf"
    assert_valid_pdf(pdf.content)
    for text in (invoice["atcud"], invoice["inverted_sequence_number"], "Lusitânia", "12,30 EUR"):
        assert text.encode("cp1252") in pdf.content
    assert api.get(f"api/pdf/{invoice['id']}.json").json()["output"]["pdfUrl"] == url


def test_it_counts_second_copies_apart(api, sandbox_account):
    SandboxAccount.objects.filter(pk=sandbox_account.pk).update(pdf_pending_calls=1)
    invoice = api.finalize("invoices", api.create()["id"])
    assert api.get(f"api/pdf/{invoice['id']}.json").status_code == 202
    assert api.get(f"api/pdf/{invoice['id']}.json").status_code == 200
    assert api.get(f"api/pdf/{invoice['id']}.json", {"second_copy": "true"}).status_code == 202
    copy = api.get(f"api/pdf/{invoice['id']}.json", {"second_copy": "true"})
    assert b"2.\xaa via" in download(api, copy.json()["output"]["pdfUrl"]).content


def test_it_answers_406_for_a_draft_and_404_for_nothing(api):
    draft = api.create()
    response = api.get(f"api/pdf/{draft['id']}.json")
    assert (response.status_code, response.content) == (406, b"")
    assert api.get("api/pdf/999.json").status_code == 404


def test_it_refuses_a_pdf_link_of_another_account_or_token(api, client):
    assert client.get("/sandbox/acme/files/pdf/not-a-token.pdf").status_code == 404


def test_it_paginates_a_long_pdf_with_valid_offsets():
    rows = [(10, f"Linha {n} com acentuação (e parênteses) \\ barra") for n in range(150)]
    content = render_pdf(rows, title="FT 2026/1")
    assert_valid_pdf(content)
    assert b"/Count 3" in content


@pytest.fixture
def month_of_documents(api):
    """March 2026: two invoices, one canceled, one credit note, one draft; April: one invoice."""
    made = []
    for path, day in [("invoices", 2), ("invoices", 5), ("credit_notes", 9), ("invoices", 12)]:
        document = api.create(
            f"{path}.json",
            date=f"{day:02d}/03/2026",
            due_date="31/03/2026",
            client={"name": "Hanse GmbH", "country": "Germany", "fiscal_id": "DE123456789"},
        )
        made.append(api.finalize(path, document["id"]))
    api.change_state("invoices", made[3]["id"], "canceled", "Erro no preço")
    api.create(date="20/03/2026", due_date="20/03/2026")  # a draft: not in SAF-T
    april = api.create(date="01/04/2026", due_date="01/04/2026")
    api.finalize("invoices", april["id"])
    return made


@time_machine.travel("2026-04-10 12:00 +0000", tick=False)
def test_it_exports_saf_t_after_the_pending_calls(api, month_of_documents):
    for _ in range(3):
        pending = api.get("api/export_saft.json", {"month": "3", "year": "2026"})
        assert (pending.status_code, pending.json()) == (202, SAFT_STARTED)
    ready = api.get("api/export_saft.json", {"month": "3", "year": "2026"})
    assert ready.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(download(api, ready.json()["url"]).content))
    [name] = archive.namelist()
    root = ET.fromstring(archive.read(name))
    assert root.tag == "{urn:OECD:StandardAuditFile-Tax:PT_1.04_01}AuditFile"
    header = root.find("s:Header", NS)
    assert header.findtext("s:TaxRegistrationNumber", namespaces=NS) == "508025338"
    assert header.findtext("s:StartDate", namespaces=NS) == "2026-03-01"
    assert header.findtext("s:EndDate", namespaces=NS) == "2026-03-31"
    assert header.findtext("s:CurrencyCode", namespaces=NS) == "EUR"
    sales = root.find("s:SourceDocuments/s:SalesInvoices", NS)
    assert sales.findtext("s:NumberOfEntries", namespaces=NS) == "4"
    assert sales.findtext("s:TotalDebit", namespaces=NS) == "10.00"  # the credit note
    # two invoices count; the canceled one does not
    assert sales.findtext("s:TotalCredit", namespaces=NS) == "20.00"
    invoices = sales.findall("s:Invoice", NS)
    statuses = sorted(
        i.findtext("s:DocumentStatus/s:InvoiceStatus", namespaces=NS) for i in invoices
    )
    assert statuses == ["A", "N", "N", "N"]
    numbers = {i.findtext("s:InvoiceNo", namespaces=NS) for i in invoices}
    assert f"FT {month_of_documents[0]['inverted_sequence_number']}" in numbers
    first = next(i for i in invoices if i.findtext("s:InvoiceType", namespaces=NS) == "FT")
    assert first.findtext("s:ATCUD", namespaces=NS).endswith("-1")
    assert len(first.findtext("s:Hash", namespaces=NS)) == 172
    assert first.findtext("s:Line/s:CreditAmount", namespaces=NS) == "10.00"
    assert first.findtext("s:DocumentTotals/s:GrossTotal", namespaces=NS) == "12.30"
    customer = root.find("s:MasterFiles/s:Customer", NS)
    assert customer.findtext("s:BillingAddress/s:Country", namespaces=NS) == "DE"
    assert root.find("s:MasterFiles/s:TaxTable/s:TaxTableEntry", NS) is not None


@time_machine.travel("2026-04-10 12:00 +0000", tick=False)
def test_it_accepts_the_documented_years_parameter(api, sandbox_account):
    SandboxAccount.objects.filter(pk=sandbox_account.pk).update(saft_pending_calls=0)
    response = api.get("api/export_saft.json", {"month": "10", "years": "2025"})
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(download(api, response.json()["url"]).content))
    root = ET.fromstring(archive.read(archive.namelist()[0]))
    assert (
        root.findtext("s:SourceDocuments/s:SalesInvoices/s:NumberOfEntries", namespaces=NS) == "0"
    )


@time_machine.travel("2026-04-10 12:00 +0000", tick=False)
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"month": "3"},
        {"year": "2026"},
        {"month": "13", "year": "2026"},
        {"month": "0", "year": "2026"},
        {"month": "x", "year": "2026"},
        {"month": "5", "year": "2026"},  # the future
        {"month": "1", "year": "2027"},
        {"month": "1", "year": "99999"},
    ],
)
def test_it_refuses_bad_saf_t_parameters_with_an_empty_422(api, params):
    response = api.get("api/export_saft.json", params)
    assert (response.status_code, response.content) == (422, b"")


@time_machine.travel("2026-04-10 12:00 +0000", tick=False)
def test_it_fails_saf_t_generation_on_demand(api, sandbox_account):
    faults.inject(sandbox_account.account_name, "saft_500", count=1)
    failed = api.get("api/export_saft.json", {"month": "3", "year": "2026"})
    assert failed.status_code == 500
    assert failed.json() == {"message": "Error generating SAF-T. Please try again."}
    assert api.get("api/export_saft.json", {"month": "3", "year": "2026"}).status_code == 202


def test_it_sums_saf_t_totals_in_decimal(api, sandbox_account):
    invoice = api.create(
        date="01/03/2026", due_date="01/03/2026",
        items=[{"name": "A", "unit_price": "0.1", "quantity": "3"}],
    )  # fmt: skip
    api.finalize("invoices", invoice["id"])
    stored = SandboxDocument.objects.get(pk=invoice["id"])
    assert stored.before_taxes == Decimal("0.30")
