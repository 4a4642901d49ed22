"""The SAF-T zip/XML checker: what it reads, and the hostile files it refuses."""

import datetime as dt
import io
import struct
import zipfile
from decimal import Decimal

import pytest

from saft.archive import SaftFileError, read_saft_zip, sha256_of

NS = "urn:OECD:StandardAuditFile-Tax:PT_1.04_01"


def audit_file(*, entries=2, debit="10.00", credit="250.50", start="2026-10-01", end="2026-10-31",
               namespace=NS, prolog='<?xml version="1.0" encoding="utf-8"?>\n', sales=True) -> bytes:  # fmt: skip
    invoices = "".join(
        f"<Invoice><InvoiceNo>FT A/{i}</InvoiceNo></Invoice>" for i in range(entries)
    )
    sales_xml = (
        f"<SalesInvoices><NumberOfEntries>{entries}</NumberOfEntries>"
        f"<TotalDebit>{debit}</TotalDebit><TotalCredit>{credit}</TotalCredit>{invoices}</SalesInvoices>"
        if sales
        else ""
    )
    return (
        f'{prolog}<AuditFile xmlns="{namespace}"><Header><AuditFileVersion>1.04_01</AuditFileVersion>'
        f"<TaxRegistrationNumber>508332668</TaxRegistrationNumber><CompanyName>Acme</CompanyName>"
        f"<FiscalYear>2026</FiscalYear><StartDate>{start}</StartDate><EndDate>{end}</EndDate></Header>"
        f"<MasterFiles/><SourceDocuments>{sales_xml}</SourceDocuments></AuditFile>"
    ).encode()


def zipped(*members: tuple[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def test_it_reads_the_period_the_count_and_the_totals():
    summary = read_saft_zip(zipped(("SAFT_508332668_202610.xml", audit_file())))
    assert (summary.start_date, summary.end_date) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert summary.number_of_entries == 2 == summary.invoices_found
    assert summary.total_debit == Decimal("10.00")
    assert summary.total_credit == Decimal("250.50")
    assert summary.fiscal_year == 2026
    assert summary.tax_registration_number == "508332668"


def test_a_month_without_sales_reads_as_zero():
    summary = read_saft_zip(zipped(("saft.xml", audit_file(sales=False))))
    assert summary.number_of_entries == 0
    assert summary.total_credit == Decimal("0") == summary.total_debit


def test_it_accepts_windows_1252_as_saft_pt_files_often_are():
    xml = audit_file(prolog='<?xml version="1.0" encoding="Windows-1252"?>\n').replace(
        b"Acme", "Açores".encode("cp1252")
    )
    assert read_saft_zip(zipped(("saft.xml", xml))).company_name == "Açores"


def test_sha256_is_the_hex_digest():
    assert sha256_of(b"abc").startswith("ba7816bf8f01cfea")


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"not a zip at all", "not a zip"),
        (zipped(("readme.txt", b"hello")), "exactly one XML"),
        (zipped(("a.xml", audit_file()), ("b.xml", audit_file())), "exactly one XML"),
        (zipped(("saft.xml", audit_file()[:-40])), "malformed"),
        (zipped(("saft.xml", audit_file(namespace="urn:OECD:StandardAuditFile-Tax:PT_1.03_01"))), "not a Portuguese SAF-T"),
        (zipped(("saft.xml", b"just text, no xml")), "not an XML document"),
        (zipped(("saft.xml", audit_file(start="2026-13-01"))), "no valid period"),
        (zipped(("saft.xml", audit_file(credit="lots"))), "invalid TotalCredit"),
        (zipped(("saft.xml", audit_file().decode().encode("utf-16"))), "encoding"),
    ],
)  # fmt: skip
def test_it_refuses_what_is_not_a_saft_zip(content, reason):
    with pytest.raises(SaftFileError, match=reason):
        read_saft_zip(content)


def test_it_refuses_a_doctype_so_billion_laughs_never_reaches_the_parser():
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<AuditFile xmlns="' + NS.encode() + b'">&lol2;</AuditFile>'
    )
    with pytest.raises(SaftFileError, match="document type"):
        read_saft_zip(zipped(("saft.xml", laughs)))


def test_it_refuses_an_external_entity_declaration_too():
    xxe = (
        b'<?xml version="1.0"?><!doctype x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<AuditFile xmlns="' + NS.encode() + b'">&xxe;</AuditFile>'
    )
    with pytest.raises(SaftFileError, match="document type"):
        read_saft_zip(zipped(("saft.xml", xxe)))


def test_a_zip_bomb_is_stopped_at_the_cap_without_inflating_it_all():
    # 20 MB of one repeated byte deflates to a few KB: the classic bomb shape.
    padding = b"<!-- " + b"A" * (20 * 1024 * 1024) + b" -->"
    bomb = zipped(
        ("saft.xml", audit_file().replace(b"<MasterFiles/>", b"<MasterFiles/>" + padding))
    )
    assert len(bomb) < 100_000
    with pytest.raises(SaftFileError, match="larger than the dashboard accepts"):
        read_saft_zip(bomb, max_xml_bytes=1024 * 1024)


def test_a_damaged_zip_is_a_clear_error():
    content = bytearray(zipped(("saft.xml", audit_file(entries=50))))
    middle = len(content) // 3
    content[middle : middle + 20] = b"\x00" * 20
    with pytest.raises(SaftFileError):
        read_saft_zip(bytes(content))


# ---- files that used to escape as a bare exception (a 500, and a row polling forever) ----------


@pytest.mark.parametrize("encoding", ["x-nope", "rot13", "shift_jis", "idna"])
def test_an_encoding_the_parser_cannot_use_is_a_clear_error(encoding):
    # Unknown (LookupError), multi-byte (ValueError), or a codec that fails (UnicodeError).
    xml = audit_file(prolog=f'<?xml version="1.0" encoding="{encoding}"?>\n')
    with pytest.raises(SaftFileError, match="not a readable SAF-T"):
        read_saft_zip(zipped(("saft.xml", xml)))


@pytest.mark.parametrize(
    "field, text",
    [("NumberOfEntries", "²"), ("NumberOfEntries", "٢"), ("TotalCredit", "٢٥٠")],
)
def test_numbers_in_other_digits_than_ascii_are_refused(field, text):
    # "²".isdigit() is true and int("²") raises; int("٢") and Decimal("٢٥٠") read as numbers.
    xml = audit_file(entries=2, credit="250.50").replace(
        {"NumberOfEntries": b">2<", "TotalCredit": b">250.50<"}[field], f">{text}<".encode()
    )
    with pytest.raises(SaftFileError, match=f"invalid {field}"):
        read_saft_zip(zipped(("saft.xml", xml)))


def test_a_fiscal_year_in_superscript_digits_is_left_out():
    xml = audit_file().replace(b"<FiscalYear>2026<", "<FiscalYear>²⁰²⁶<".encode())
    assert read_saft_zip(zipped(("saft.xml", xml))).fiscal_year is None


def _patched(content: bytes, at: int, fmt: str, change) -> bytes:
    patched = bytearray(content)
    (value,) = struct.unpack_from(fmt, patched, at)
    struct.pack_into(fmt, patched, at, change(value))
    return bytes(patched)


def _lzma_with_damaged_data() -> bytes:
    content = bytearray(zipped(("saft.xml", audit_file(entries=50)), compression=zipfile.ZIP_LZMA))
    middle = len(content) // 3
    content[middle : middle + 20] = b"\x00" * 20
    return bytes(content)


def _central_directory_offset_past_its_start() -> bytes:
    # The local header then lies before the start of the file: "negative seek value".
    content = zipped(("saft.xml", audit_file()))
    return _patched(content, content.rindex(b"PK\x05\x06") + 16, "<I", lambda v: v + 1000)


def _unsupported_zip_version() -> bytes:
    content = zipped(("saft.xml", audit_file()))
    return _patched(content, content.rindex(b"PK\x01\x02") + 6, "<B", lambda v: 99)


def _member_name_that_does_not_decode() -> bytes:
    content = zipped(("saft-ç.xml", audit_file()))
    return content.replace("ç".encode(), b"\xff\xff", 1)  # the local header's copy only


@pytest.mark.parametrize(
    "content, reason",
    [
        (_lzma_with_damaged_data(), "damaged"),
        (_central_directory_offset_past_its_start(), "damaged"),
        (_member_name_that_does_not_decode(), "damaged"),
        (_unsupported_zip_version(), "not a zip archive"),
    ],
    ids=["lzma-data", "negative-offset", "undecodable-name", "zip-version"],
)
def test_damage_zipfile_reports_as_other_errors_is_a_clear_error(content, reason):
    with pytest.raises(SaftFileError, match=reason):
        read_saft_zip(content)


def test_a_member_without_a_name_is_skipped():
    # A NUL-led name reads back as "": ZipInfo.is_dir() would fail on it (IndexError).
    content = zipped(("N.txt", b"x"), ("saft.xml", audit_file())).replace(b"N.txt", b"\x00.txt")
    assert read_saft_zip(content).number_of_entries == 2
