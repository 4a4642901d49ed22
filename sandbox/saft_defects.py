"""Damaged and foreign SAF-T files, one defect each, made from a valid audit file.

The sandbox serves them on demand (`SandboxAccount.saft_defect`, set on the control page) so
the demo shows every verdict, and the tests build their corpus from the same functions.
Each defect changes one thing in the first document it applies to; `DEFECTS[name].document`
says which document that was, so a test can check the report names it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

NAMESPACE = "urn:OECD:StandardAuditFile-Tax:PT_1.04_01"
FOREIGN_NIF = "503504564"  # a valid NIF of some other company


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def _path(*tags: str) -> str:
    return "/".join(_q(tag) for tag in tags)


def _invoices(root: ET.Element) -> list[ET.Element]:
    return root.findall(_path("SourceDocuments", "SalesInvoices", "Invoice"))


def _normal_invoice(root: ET.Element, doc_type: str = "FT", zero_rate: bool = False) -> ET.Element:
    """The first document of `doc_type`, not cancelled, with (or without) a 0 % line."""
    for invoice in _invoices(root):
        status = invoice.findtext(_path("DocumentStatus", "InvoiceStatus"))
        if invoice.findtext(_q("InvoiceType")) != doc_type or status == "A":
            continue
        rates = {Decimal(r.text or "0") for r in invoice.iter(_q("TaxPercentage"))}
        if (Decimal("0") in rates) == zero_rate:
            return invoice
    raise LookupError(f"the base file has no {doc_type} document to damage")


def _number(invoice: ET.Element) -> str:
    return invoice.findtext(_q("InvoiceNo")) or ""


def _remove(parent: ET.Element, tag: str) -> None:
    parent.remove(parent.find(_q(tag)))


def _set(element: ET.Element, tag: str, text: str) -> None:
    element.find(_q(tag)).text = text


def _shift_amount(text: str, by: str) -> str:
    return f"{Decimal(text) + Decimal(by):.2f}"


# ---- the defects: each takes the parsed file, damages it, returns the document it hit ----


def atcud_removed(root):
    invoice = _normal_invoice(root)
    _remove(invoice, "ATCUD")
    return _number(invoice)


def atcud_mismatch(root):
    invoice = _normal_invoice(root)
    code = invoice.findtext(_q("ATCUD")) or "X"
    _set(invoice, "ATCUD", code.rpartition("-")[0] + "-999")
    return _number(invoice)


def hash_removed(root):
    invoice = _normal_invoice(root)
    _remove(invoice, "Hash")
    return _number(invoice)


def hash_control_without_certificate(root):
    invoice = _normal_invoice(root)
    _set(invoice, "HashControl", "1")
    return _number(invoice)


def master_files_removed(root):
    _remove(root, "MasterFiles")
    return ""


def tax_table_removed(root):
    _remove(root.find(_q("MasterFiles")), "TaxTable")
    return ""


def malformed_nif(root):
    header = root.find(_q("Header"))
    nif = header.findtext(_q("TaxRegistrationNumber")) or "000000000"
    # Same digits but the check digit: looks right, is not a NIF.
    broken = nif[:-1] + str((int(nif[-1]) + 1) % 10)
    _set(header, "TaxRegistrationNumber", broken)
    _set(header, "CompanyID", broken)
    return ""


def foreign_nif(root):
    header = root.find(_q("Header"))
    _set(header, "TaxRegistrationNumber", FOREIGN_NIF)
    _set(header, "CompanyID", FOREIGN_NIF)
    _set(header, "CompanyName", "Outra Empresa, S.A.")
    return ""


def unknown_document_type(root):
    invoice = _normal_invoice(root)
    _set(invoice, "InvoiceType", "XY")
    return _number(invoice)


def duplicate_number(root):
    first, *others = [i for i in _invoices(root) if i.findtext(_q("InvoiceType")) == "FT"]
    second = others[0]
    _set(second, "InvoiceNo", _number(first))
    _set(second, "ATCUD", first.findtext(_q("ATCUD")) or "0")
    return _number(first)


def zero_rate_without_exemption(root):
    invoice = _normal_invoice(root, zero_rate=True)
    for line in invoice.findall(_q("Line")):
        for tag in ("TaxExemptionReason", "TaxExemptionCode"):
            if line.find(_q(tag)) is not None:
                _remove(line, tag)
    return _number(invoice)


def impossible_date(root):
    invoice = _normal_invoice(root)
    date = invoice.findtext(_q("InvoiceDate")) or "2026-01-01"
    _set(invoice, "InvoiceDate", date[:8] + "32")
    return _number(invoice)


def wrong_gross_total(root):
    invoice = _normal_invoice(root)
    totals = invoice.find(_q("DocumentTotals"))
    _set(totals, "GrossTotal", _shift_amount(totals.findtext(_q("GrossTotal")), "1.00"))
    return _number(invoice)


def wrong_net_total(root):
    invoice = _normal_invoice(root)
    totals = invoice.find(_q("DocumentTotals"))
    # NetTotal and GrossTotal both move, so only "NetTotal = sum of lines" breaks.
    for tag in ("NetTotal", "GrossTotal"):
        _set(totals, tag, _shift_amount(totals.findtext(_q(tag)), "0.01"))
    return _number(invoice)


def wrong_total_credit(root):
    sales = root.find(_path("SourceDocuments", "SalesInvoices"))
    _set(sales, "TotalCredit", _shift_amount(sales.findtext(_q("TotalCredit")), "0.10"))
    return ""


def cancelled_counted_in_totals(root):
    """The classic mistake: a cancelled document (status A) summed into TotalCredit."""
    sales = root.find(_path("SourceDocuments", "SalesInvoices"))
    for invoice in _invoices(root):
        if invoice.findtext(_path("DocumentStatus", "InvoiceStatus")) == "A":
            net = invoice.findtext(_path("DocumentTotals", "NetTotal"))
            _set(sales, "TotalCredit", _shift_amount(sales.findtext(_q("TotalCredit")), net))
            return _number(invoice)
    raise LookupError("the base file has no cancelled document")


def wrong_number_of_entries(root):
    sales = root.find(_path("SourceDocuments", "SalesInvoices"))
    _set(sales, "NumberOfEntries", str(int(sales.findtext(_q("NumberOfEntries"))) + 1))
    return ""


def unknown_element(root):
    invoice = _normal_invoice(root)
    period = invoice.find(_q("Period"))
    extra = ET.Element(_q("Discount"))
    extra.text = "10"
    invoice.insert(list(invoice).index(period) + 1, extra)
    return _number(invoice)


def wrong_period(root):
    header = root.find(_q("Header"))
    start = header.findtext(_q("StartDate")) or "2026-01-01"
    year, month = int(start[:4]), int(start[5:7])
    year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    _set(header, "StartDate", f"{year:04d}-{month:02d}-01")
    _set(header, "EndDate", f"{year:04d}-{month:02d}-28")
    return ""


# ---- files valid on their own, which only a comparison with the service's list catches ----


def _sales(root) -> ET.Element:
    return root.find(_path("SourceDocuments", "SalesInvoices"))


def _credit_of(invoice: ET.Element) -> Decimal:
    return sum((Decimal(e.text or "0") for e in invoice.iter(_q("CreditAmount"))), Decimal("0"))


def _drop_document(root) -> str:
    """The last FT that is not cancelled leaves the file; its count and totals follow."""
    sales = _sales(root)
    invoice = [
        i
        for i in _invoices(root)
        if i.findtext(_q("InvoiceType")) == "FT"
        and i.findtext(_path("DocumentStatus", "InvoiceStatus")) != "A"
    ][-1]
    sales.remove(invoice)
    _set(sales, "NumberOfEntries", str(int(sales.findtext(_q("NumberOfEntries"))) - 1))
    _set(sales, "TotalCredit", f"{Decimal(sales.findtext(_q('TotalCredit'))) - _credit_of(invoice):.2f}")  # fmt: skip
    return _number(invoice)


def _add_document(root) -> str:
    """A copy of the first FT under a number the service never issued; totals follow."""
    sales = _sales(root)
    original = _normal_invoice(root)
    copy = ET.fromstring(ET.tostring(original))
    prefix = _number(original).rpartition("/")[0]
    number = f"{prefix}/900"
    _set(copy, "InvoiceNo", number)
    _set(copy, "ATCUD", (original.findtext(_q("ATCUD")) or "X-1").rpartition("-")[0] + "-900")
    sales.append(copy)
    _set(sales, "NumberOfEntries", str(int(sales.findtext(_q("NumberOfEntries"))) + 1))
    _set(sales, "TotalCredit", f"{Decimal(sales.findtext(_q('TotalCredit'))) + _credit_of(copy):.2f}")  # fmt: skip
    return number


def document_missing(root):
    return _drop_document(root)


def document_extra(root):
    return _add_document(root)


def reconciliation_gaps(root):
    """One document the service lists is missing, and one it never issued is there."""
    missing = _drop_document(root)
    extra = _add_document(root)
    return f"{missing} {extra}"


@dataclass(frozen=True)
class Defect:
    name: str
    label: str
    damage: Callable[[ET.Element], str]
    # True: the file alone passes every check; only reconciling with the list catches it.
    only_upstream: bool = False


DEFECTS: dict[str, Defect] = {
    d.name: d
    for d in (
        Defect("atcud_removed", "ATCUD removed", atcud_removed),
        Defect("atcud_mismatch", "ATCUD not matching the number", atcud_mismatch),
        Defect("hash_removed", "Hash removed", hash_removed),
        Defect("hash_control", "HashControl 1 without certificate", hash_control_without_certificate),
        Defect("master_files_removed", "MasterFiles removed", master_files_removed),
        Defect("tax_table_removed", "TaxTable removed", tax_table_removed),
        Defect("malformed_nif", "Malformed company NIF", malformed_nif),
        Defect("foreign_nif", "Another company's file (foreign NIF)", foreign_nif),
        Defect("unknown_document_type", "Unknown document type", unknown_document_type),
        Defect("duplicate_number", "Duplicate invoice number", duplicate_number),
        Defect("zero_rate_without_exemption", "0 % line without exemption", zero_rate_without_exemption),
        Defect("impossible_date", "Impossible date", impossible_date),
        Defect("wrong_gross_total", "Wrong GrossTotal", wrong_gross_total),
        Defect("wrong_net_total", "Wrong NetTotal", wrong_net_total),
        Defect("wrong_total_credit", "Wrong TotalCredit", wrong_total_credit),
        Defect("cancelled_counted", "Cancelled document in the totals", cancelled_counted_in_totals),
        Defect("wrong_number_of_entries", "Wrong NumberOfEntries", wrong_number_of_entries),
        Defect("unknown_element", "Unknown element", unknown_element),
        Defect("wrong_period", "Another month's period", wrong_period),
        Defect("document_missing", "A listed document missing from the file", document_missing, True),
        Defect("document_extra", "A document the service never listed", document_extra, True),
        Defect("reconciliation_gaps", "One document missing and one extra", reconciliation_gaps, True),
    )
}  # fmt: skip
DEFECT_CHOICES = [("", "none")] + [(d.name, d.label) for d in DEFECTS.values()]


def damaged_saft_zip(account, year: int, month: int) -> bytes:
    """The account's SAF-T zip for the month, with its `saft_defect` applied."""
    import io
    import zipfile

    from sandbox.saft_xml import audit_file, saft_filename  # imports the models

    xml, _document = damaged(audit_file(account, year, month), account.saft_defect)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(saft_filename(account, year, month), xml)
    return buffer.getvalue()


def damaged(xml: bytes, name: str) -> tuple[bytes, str]:
    """`xml` with the defect `name`, and the number of the document it hit ("" if none)."""
    ET.register_namespace("", NAMESPACE)
    root = ET.fromstring(xml)
    document = DEFECTS[name].damage(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True), document
