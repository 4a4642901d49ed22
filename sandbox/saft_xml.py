"""A monthly SAF-T (PT) 1.04_01 AuditFile, zipped, from the account's finalized documents.

SalesInvoices holds every numbered document of the month of the invoice family (FT, FR, FS,
NC, ND; VAT MOSS invoices are not PT VAT, so they are left out); Payments holds the month's
receipts (RG), each naming the invoice it pays. Canceled documents are listed with status A and kept out of TotalDebit/TotalCredit,
as the format requires; credit notes count as debit, the rest as credit.

Valid against the official schema with its XSD 1.1 assertions (saft/schema/): a 0 % line
always carries its exemption (the document's, or M99 the way the service stamps a document
sent without one); HashControl is "0" while SoftwareCertificateNumber is 0 (not certified);
each line's rate is coded for its tax region (sandbox/tax_regions.py).
"""

from __future__ import annotations

import calendar
import io
import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from decimal import Decimal

from django.utils import timezone

from sandbox.doctypes import DOC_TYPES, DocType
from sandbox.models import SandboxAccount, SandboxDocument, Status
from sandbox.reference import exemption_codes
from sandbox.tax_regions import rates_of, region_of, saft_code
from sandbox.totals import ZERO

NAMESPACE = "urn:OECD:StandardAuditFile-Tax:PT_1.04_01"
FINAL_CONSUMER_NIF = "999999990"
SALES_TYPES = tuple(info.doc_type for info in DOC_TYPES if info.in_saft_sales)
SOFTWARE_CERTIFICATE_NUMBER = "0"  # the stand-in is not certified by the Tax Authority
UNSPECIFIED_EXEMPTION = "M99"
COUNTRY_CODES = {
    "portugal": "PT", "spain": "ES", "france": "FR", "germany": "DE", "uk": "GB",
    "united states": "US", "brazil": "BR", "angola": "AO", "italy": "IT", "netherlands": "NL",
    "ireland": "IE", "belgium": "BE", "switzerland": "CH", "mozambique": "MZ",
}  # fmt: skip
INVOICE_STATUS = {Status.CANCELED: "A", Status.SETTLED: "N", Status.FINAL: "N", Status.SENT: "N"}


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def _add(parent: ET.Element, tag: str, text=None) -> ET.Element:
    element = ET.SubElement(parent, _q(tag))
    if text is not None:
        element.text = str(text)
    return element


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _exemption(doc: SandboxDocument) -> tuple[str, str]:
    """(code, reason) for the 0 % lines of `doc`: never missing from a 0 % line."""
    codes = exemption_codes()
    code = doc.tax_exemption if doc.tax_exemption in codes else UNSPECIFIED_EXEMPTION
    return code, codes[code][:60]


def _country(name: str) -> str:
    return COUNTRY_CODES.get(name.lower(), "Desconhecido") if name else "PT"


def month_documents(account: SandboxAccount, year: int, month: int):
    return (
        SandboxDocument.objects.filter(account=account, doc_type__in=SALES_TYPES)
        .finalized_in(year, month)
        .select_related("client", "owner")
        .prefetch_related("lines")
        .order_by("doc_type", "counter_id", "number")
    )


def month_receipts(account: SandboxAccount, year: int, month: int):
    return (
        SandboxDocument.objects.filter(account=account, doc_type=DocType.RECEIPT)
        .finalized_in(year, month)
        .select_related("client", "owner")
        .order_by("counter_id", "number")
    )


def _header(root, account: SandboxAccount, year: int, month: int) -> None:
    header = _add(root, "Header")
    _add(header, "AuditFileVersion", "1.04_01")
    _add(header, "CompanyID", account.fiscal_id)
    _add(header, "TaxRegistrationNumber", account.fiscal_id)
    _add(header, "TaxAccountingBasis", "F")
    _add(header, "CompanyName", account.display_name)
    address = _add(header, "CompanyAddress")
    _add(address, "AddressDetail", account.address or "Desconhecido")
    _add(address, "City", account.city or "Desconhecido")
    _add(address, "PostalCode", account.postal_code or "0000-000")
    _add(address, "Country", "PT")
    _add(header, "FiscalYear", year)
    _add(header, "StartDate", date(year, month, 1).isoformat())
    _add(header, "EndDate", date(year, month, calendar.monthrange(year, month)[1]).isoformat())
    _add(header, "CurrencyCode", "EUR")
    _add(header, "DateCreated", timezone.localdate().isoformat())
    _add(header, "TaxEntity", "Global")
    _add(header, "ProductCompanyTaxID", "508025338")
    _add(header, "SoftwareCertificateNumber", SOFTWARE_CERTIFICATE_NUMBER)
    _add(header, "ProductID", "ixportal sandbox/ixportal")
    _add(header, "ProductVersion", "1.0")


def _master_files(root, documents, receipts=()) -> None:
    master = _add(root, "MasterFiles")
    clients = {doc.client_id: doc.client for doc in [*documents, *receipts]}
    for client in sorted(clients.values(), key=lambda c: c.pk):
        customer = _add(master, "Customer")
        _add(customer, "CustomerID", client.pk)
        _add(customer, "AccountID", "Desconhecido")
        _add(customer, "CustomerTaxID", client.fiscal_id or FINAL_CONSUMER_NIF)
        _add(customer, "CompanyName", client.name if client.fiscal_id else "Consumidor final")
        billing = _add(customer, "BillingAddress")
        _add(billing, "AddressDetail", client.address or "Desconhecido")
        _add(billing, "City", client.city or "Desconhecido")
        _add(billing, "PostalCode", client.postal_code or "Desconhecido")
        _add(billing, "Country", _country(client.country))
        _add(customer, "SelfBillingIndicator", 0)
    products = {line.name: line for doc in documents for line in doc.lines.all()}
    for name, line in sorted(products.items()):
        product = _add(master, "Product")
        _add(
            product, "ProductType", "S" if line.unit in ("hour", "day", "month", "service") else "P"
        )
        _add(product, "ProductCode", name[:60])
        _add(product, "ProductDescription", (line.description or name)[:200])
        _add(product, "ProductNumberCode", name[:60])
    table = _add(master, "TaxTable")
    last_day = max((doc.date for doc in documents), default=timezone.localdate())
    taxes = {(region_of(line.tax_region), line.tax_value, saft_code(line.tax_region, line.tax_value, doc.date))
             for doc in documents for line in doc.lines.all()}  # fmt: skip
    taxes |= {("PT", rate, saft_code("PT", rate, last_day)) for rate in rates_of("PT", last_day)}
    taxes.add(("PT", ZERO, "ISE"))
    for region, rate, code in sorted(taxes, key=lambda t: (t[0], -t[1], t[2])):
        entry = _add(table, "TaxTableEntry")
        _add(entry, "TaxType", "IVA")
        _add(entry, "TaxCountryRegion", region)
        _add(entry, "TaxCode", code)
        _add(entry, "Description", f"IVA {rate.normalize():f}%" if rate else "Isento")
        _add(entry, "TaxPercentage", f"{rate:.2f}")


def _invoice(parent, doc: SandboxDocument) -> None:
    info = doc.info
    entry_time = timezone.localtime(doc.finalized_at or timezone.now()).strftime(
        "%Y-%m-%dT%H:%M:%S"
    )
    invoice = _add(parent, "Invoice")
    _add(invoice, "InvoiceNo", doc.display_number)
    _add(invoice, "ATCUD", doc.atcud or "0")
    status = _add(invoice, "DocumentStatus")
    _add(status, "InvoiceStatus", INVOICE_STATUS.get(doc.status, "N"))
    _add(status, "InvoiceStatusDate", entry_time)
    if doc.status == Status.CANCELED and doc.state_message:
        _add(status, "Reason", doc.state_message[:50])
    _add(status, "SourceID", "sandbox")
    _add(status, "SourceBilling", "P")
    _add(invoice, "Hash", doc.saft_hash or "0")
    # The key version of the signature; "0" for software without a certificate number.
    _add(invoice, "HashControl", "0" if SOFTWARE_CERTIFICATE_NUMBER == "0" else "1")
    _add(invoice, "Period", doc.date.month)
    _add(invoice, "InvoiceDate", doc.date.isoformat())
    _add(invoice, "InvoiceType", info.code)
    regimes = _add(invoice, "SpecialRegimes")
    for tag in ("SelfBillingIndicator", "CashVATSchemeIndicator", "ThirdPartiesBillingIndicator"):
        _add(regimes, tag, 0)
    _add(invoice, "SourceID", "sandbox")
    _add(invoice, "SystemEntryDate", entry_time)
    _add(invoice, "CustomerID", doc.client_id)
    side = "DebitAmount" if doc.doc_type == DocType.CREDIT_NOTE else "CreditAmount"
    for line in doc.lines.all():
        element = _add(invoice, "Line")
        net = line.subtotal - line.discount_amount
        _add(element, "LineNumber", line.position)
        _add(element, "ProductCode", line.name[:60])
        _add(element, "ProductDescription", (line.description or line.name)[:200])
        _add(element, "Quantity", f"{line.quantity.normalize():f}")
        _add(element, "UnitOfMeasure", line.unit or "unit")
        unit_net = net / line.quantity if line.quantity else ZERO
        _add(element, "UnitPrice", f"{unit_net:.6f}")
        _add(element, "TaxPointDate", doc.date.isoformat())
        if doc.owner is not None and info.has_owner:
            references = _add(element, "References")
            _add(references, "Reference", doc.owner.display_number)
            _add(references, "Reason", (doc.observations or "Correção")[:50])
        _add(element, "Description", (line.description or line.name)[:200])
        _add(element, side, _amount(net))
        tax = _add(element, "Tax")
        _add(tax, "TaxType", "IVA")
        _add(tax, "TaxCountryRegion", region_of(line.tax_region))
        _add(tax, "TaxCode", saft_code(line.tax_region, line.tax_value, doc.date))
        _add(tax, "TaxPercentage", f"{line.tax_value:.2f}")
        if not line.tax_value:
            code, reason = _exemption(doc)
            _add(element, "TaxExemptionReason", reason)
            _add(element, "TaxExemptionCode", code)
        _add(element, "SettlementAmount", _amount(line.discount_amount))
    totals = _add(invoice, "DocumentTotals")
    _add(totals, "TaxPayable", _amount(doc.taxes))
    _add(totals, "NetTotal", _amount(doc.before_taxes))
    _add(totals, "GrossTotal", _amount(doc.total))


def _payments(parent, receipts) -> None:
    """SourceDocuments/Payments: the receipts, canceled ones with status A and not counted."""
    if not receipts:
        return
    payments = _add(parent, "Payments")
    counted = [r for r in receipts if r.status != Status.CANCELED]
    _add(payments, "NumberOfEntries", len(receipts))
    _add(payments, "TotalDebit", _amount(ZERO))
    _add(payments, "TotalCredit", _amount(sum((r.total for r in counted), ZERO)))
    for receipt in receipts:
        entry_time = timezone.localtime(receipt.finalized_at or timezone.now()).strftime(
            "%Y-%m-%dT%H:%M:%S"
        )
        payment = _add(payments, "Payment")
        _add(payment, "PaymentRefNo", receipt.display_number)
        _add(payment, "ATCUD", receipt.atcud or "0")
        _add(payment, "Period", receipt.date.month)
        _add(payment, "TransactionDate", receipt.date.isoformat())
        _add(payment, "PaymentType", "RG")
        status = _add(payment, "DocumentStatus")
        _add(status, "PaymentStatus", "A" if receipt.status == Status.CANCELED else "N")
        _add(status, "PaymentStatusDate", entry_time)
        if receipt.status == Status.CANCELED and receipt.state_message:
            _add(status, "Reason", receipt.state_message[:50])
        _add(status, "SourceID", "sandbox")
        _add(status, "SourcePayment", "P")
        method = _add(payment, "PaymentMethod")
        _add(method, "PaymentMechanism", receipt.payment_mechanism or "OU")
        _add(method, "PaymentAmount", _amount(receipt.total))
        _add(method, "PaymentDate", receipt.date.isoformat())
        _add(payment, "SourceID", "sandbox")
        _add(payment, "SystemEntryDate", entry_time)
        _add(payment, "CustomerID", receipt.client_id)
        line = _add(payment, "Line")
        _add(line, "LineNumber", 1)
        if receipt.owner is not None:
            source = _add(line, "SourceDocumentID")
            _add(source, "OriginatingON", receipt.owner.display_number)
            _add(source, "InvoiceDate", receipt.owner.date.isoformat())
        _add(line, "CreditAmount", _amount(receipt.total))
        totals = _add(payment, "DocumentTotals")
        _add(totals, "TaxPayable", _amount(ZERO))
        _add(totals, "NetTotal", _amount(receipt.total))
        _add(totals, "GrossTotal", _amount(receipt.total))


def audit_file(account: SandboxAccount, year: int, month: int) -> bytes:
    """The SAF-T XML for one month."""
    ET.register_namespace("", NAMESPACE)
    documents = list(month_documents(account, year, month))
    receipts = list(month_receipts(account, year, month))
    root = ET.Element(_q("AuditFile"))
    _header(root, account, year, month)
    _master_files(root, documents, receipts)
    sales = _add(_add(root, "SourceDocuments"), "SalesInvoices")
    counted = [doc for doc in documents if doc.status != Status.CANCELED]
    debit = sum((d.before_taxes for d in counted if d.doc_type == DocType.CREDIT_NOTE), ZERO)
    credit = sum((d.before_taxes for d in counted if d.doc_type != DocType.CREDIT_NOTE), ZERO)
    _add(sales, "NumberOfEntries", len(documents))
    _add(sales, "TotalDebit", _amount(debit))
    _add(sales, "TotalCredit", _amount(credit))
    for doc in documents:
        _invoice(sales, doc)
    _payments(root.find(_q("SourceDocuments")), receipts)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def saft_filename(account: SandboxAccount, year: int, month: int) -> str:
    return f"SAFT_{account.fiscal_id}_{year}{month:02d}.xml"


def saft_zip(account: SandboxAccount, year: int, month: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(saft_filename(account, year, month), audit_file(account, year, month))
    return buffer.getvalue()
