"""Check a SAF-T zip from InvoiceXpress and read its summary, without trusting it.

The zip comes from another server, so it is treated as hostile input:
- a zip bomb is stopped by a cap on the uncompressed size, enforced while reading (the
  sizes a zip declares are not trusted) and by a cap on the number of members;
- the XML is parsed with the standard library (`xml.etree`), which resolves no external
  entities, after refusing any DOCTYPE: a document type declaration is the only place
  entities can be declared, so "billion laughs" never reaches the parser;
- the XML is streamed (`iterparse`) and every element is dropped once read, so a large
  month does not sit in memory as a tree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import lzma
import re
import zipfile
import zlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree import ElementTree

from django.utils.translation import gettext_noop

from invoices.sentences import render_sentence, sentence

SAFT_NAMESPACE = "urn:OECD:StandardAuditFile-Tax:PT_1.04_01"
MAX_MEMBERS = 16
MAX_XML_BYTES = 1024 * 1024 * 1024  # 1 GiB uncompressed; a busy month is tens of MB
PROLOG_BYTES = 64 * 1024  # how far into the file the root element must start
_CHUNK = 256 * 1024


# What a corrupt member raises from zipfile and its decompressors while it is opened or
# read: a bad header (BadZipFile, ValueError "negative seek value", UnicodeDecodeError on the
# name), an unsupported method (NotImplementedError), or damaged data (OSError for bz2,
# zlib.error, lzma.LZMAError, EOFError). Found by flipping bytes in real zips.
_DAMAGED_MEMBER = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    EOFError,
    OSError,
    ValueError,
    zlib.error,
    lzma.LZMAError,
)


class SaftFileError(Exception):
    """The file is not a usable SAF-T export.

    `.sentence` is the reason as a code (msgid + params) to store; `.message` the same in
    the active language, fit for the page.
    """

    def __init__(self, msgid: str, **params: Any) -> None:
        self.sentence = sentence(msgid, **params)
        self.message = render_sentence(self.sentence)
        super().__init__(self.message)


def _damaged() -> SaftFileError:
    return SaftFileError(gettext_noop("The SAF-T zip is damaged and cannot be read."))


@dataclass(frozen=True)
class SaftSummary:
    fiscal_year: int | None
    start_date: dt.date
    end_date: dt.date
    number_of_entries: int
    total_debit: Decimal
    total_credit: Decimal
    invoices_found: int  # <Invoice> elements actually present under SalesInvoices
    tax_registration_number: str = ""
    company_name: str = ""


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def read_saft_zip(content: bytes, *, max_xml_bytes: int = MAX_XML_BYTES) -> SaftSummary:
    """The summary of the SAF-T XML inside `content` (a zip), or SaftFileError."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
        # NotImplementedError: a central directory claiming a zip version nobody supports.
        raise SaftFileError(
            gettext_noop("The file from InvoiceXpress is not a zip archive.")
        ) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise SaftFileError(
                gettext_noop("The SAF-T zip holds too many files to be a SAF-T export.")
            )
        # The name test first: is_dir() fails on an empty name, which a crafted zip can hold.
        xml_members = [m for m in members if m.filename.lower().endswith(".xml") and not m.is_dir()]
        if len(xml_members) != 1:
            raise SaftFileError(
                gettext_noop("The SAF-T zip should hold exactly one XML file; it holds %(count)s."),
                count=len(xml_members),
            )
        member = xml_members[0]
        if member.flag_bits & 0x1:
            raise SaftFileError(gettext_noop("The SAF-T zip is encrypted."))
        if member.file_size > max_xml_bytes:
            raise SaftFileError(gettext_noop("The SAF-T XML is larger than the dashboard accepts."))
        try:
            with archive.open(member) as raw:
                return _read_xml(_Capped(raw, max_xml_bytes))
        except _DAMAGED_MEMBER:
            raise _damaged() from None


class _Capped(io.RawIOBase):
    """A read-only stream that fails once more than `limit` bytes came through."""

    def __init__(self, raw, limit: int) -> None:
        self._raw = raw
        self._left = limit

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        size = _CHUNK if size is None or size < 0 else min(size, _CHUNK)
        try:
            data = self._raw.read(size)
        except _DAMAGED_MEMBER:
            # Said here, while the parser is reading, so the parser's own ValueError handling
            # (a bad encoding) never mistakes damaged data for one.
            raise _damaged() from None
        self._left -= len(data)
        if self._left < 0:
            raise SaftFileError(gettext_noop("The SAF-T XML is larger than the dashboard accepts."))
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def check_prolog(head: bytes) -> None:
    """Refuse a DOCTYPE (and so any entity) before the parser sees a byte of the file."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        # UTF-16/32 would hide "<!DOCTYPE" from a byte scan; SAF-T PT is never sent so.
        raise SaftFileError(
            gettext_noop("The SAF-T XML uses an encoding the dashboard does not accept.")
        )
    if _DECLARATION.search(head):
        raise SaftFileError(
            gettext_noop("The SAF-T XML declares a document type, which a SAF-T file never does.")
        )
    # The root element must start within the head, so nothing after it can be a DOCTYPE
    # (the parser itself rejects one after the root as malformed).
    if not re.search(rb"<[A-Za-z_]", head):
        raise SaftFileError(gettext_noop("The file inside the SAF-T zip is not an XML document."))


class _Prefixed(io.RawIOBase):
    """`head` followed by the rest of `stream`: lets the prolog be inspected, then parsed."""

    def __init__(self, head: bytes, stream) -> None:
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._head:
            data, self._head = self._head, b""
            return data
        return self._stream.read(size)

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


_HEADER_FIELDS = {
    "FiscalYear",
    "StartDate",
    "EndDate",
    "TaxRegistrationNumber",
    "CompanyName",
}
_SALES_FIELDS = {"NumberOfEntries", "TotalDebit", "TotalCredit"}


def _read_xml(stream) -> SaftSummary:
    head = b""
    while len(head) < PROLOG_BYTES:
        chunk = stream.read(PROLOG_BYTES - len(head))
        if not chunk:
            break
        head += chunk
    check_prolog(head)

    header: dict[str, str] = {}
    sales: dict[str, str] = {}
    invoices_found = 0
    root_seen = False
    path: list[str] = []
    parents: list[ElementTree.Element] = []
    try:
        for event, element in ElementTree.iterparse(
            _Prefixed(head, stream), events=("start", "end")
        ):
            namespace, _sep, local = element.tag[1:].partition("}")
            if event == "start":
                if not root_seen:
                    if element.tag != f"{{{SAFT_NAMESPACE}}}AuditFile":
                        raise SaftFileError(
                            gettext_noop(
                                "The XML is not a Portuguese SAF-T (1.04_01) audit file: "
                                "its root element or namespace is wrong."
                            )
                        )
                    root_seen = True
                path.append(local if namespace == SAFT_NAMESPACE else element.tag)
                parents.append(element)
                continue
            # "end": read what we need, then drop the element so memory stays flat.
            where = path[1:]
            if where[:1] == ["Header"] and len(where) == 2 and local in _HEADER_FIELDS:
                header[local] = (element.text or "").strip()
            elif where[:2] == ["SourceDocuments", "SalesInvoices"] and len(where) == 3:
                if local in _SALES_FIELDS:
                    sales[local] = (element.text or "").strip()
                elif local == "Invoice":
                    invoices_found += 1
            path.pop()
            parents.pop()
            if parents:
                parents[-1].remove(element)
    except ElementTree.ParseError:
        raise SaftFileError(
            gettext_noop("The SAF-T XML is malformed and cannot be read.")
        ) from None
    except (LookupError, ValueError):
        # The XML declaration names the encoding, and the parser trusts it: an unknown name
        # ("x-nope") raises LookupError, a multi-byte or non-text codec ValueError, bytes the
        # codec rejects UnicodeError (a ValueError too). None of them is a parse error.
        raise SaftFileError(
            gettext_noop(
                "The file inside the SAF-T zip is not a readable SAF-T: its XML declares an "
                "encoding the dashboard cannot read, or its text does not decode."
            )
        ) from None

    start = _date(header.get("StartDate"))
    end = _date(header.get("EndDate"))
    if start is None or end is None:
        raise SaftFileError(
            gettext_noop("The SAF-T XML has no valid period (Header StartDate/EndDate).")
        )
    if end < start:
        raise SaftFileError(gettext_noop("The SAF-T XML's period ends before it starts."))
    # A month without sales has no SalesInvoices section: zero documents, zero totals.
    number = _integer(sales.get("NumberOfEntries", "0"), "NumberOfEntries")
    debit = _decimal(sales.get("TotalDebit", "0"), "TotalDebit")
    credit = _decimal(sales.get("TotalCredit", "0"), "TotalCredit")
    fiscal_year = header.get("FiscalYear")
    return SaftSummary(
        fiscal_year=int(fiscal_year) if fiscal_year and _is_ascii_digits(fiscal_year) else None,
        start_date=start,
        end_date=end,
        number_of_entries=number,
        total_debit=debit,
        total_credit=credit,
        invoices_found=invoices_found,
        tax_registration_number=header.get("TaxRegistrationNumber", ""),
        company_name=header.get("CompanyName", ""),
    )


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text or "")
    except ValueError:
        return None


def _is_ascii_digits(text: str) -> bool:
    # str.isdigit() is true for "²" and "٣" too, which int() refuses or reads as a number.
    return text.isascii() and text.isdigit()


def _integer(text: str, field: str) -> int:
    if not _is_ascii_digits(text):
        raise SaftFileError(gettext_noop("The SAF-T XML has an invalid %(field)s."), field=field)
    return int(text)


def _decimal(text: str, field: str) -> Decimal:
    try:
        # Decimal() reads "٣" as 3: an XML decimal is ASCII, so anything else is refused.
        value = Decimal(text) if text.isascii() else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise SaftFileError(gettext_noop("The SAF-T XML has an invalid %(field)s."), field=field)
    return value
