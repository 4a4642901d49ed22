"""A large, schema-valid SAF-T (PT) 1.04_01 file for the validation benchmark.

Written as text, invoice by invoice, so generating 100,000 lines needs no memory to speak of
and no database. Every document balances (NetTotal = sum of lines, GrossTotal = NetTotal +
TaxPayable) and the control totals match, so a correct validator reports it valid.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

NIF = "508025338"
CUSTOMER_NIF = "503504564"
_RATE = Decimal("23")


def _header(year: int, month: int, last_day: int) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<AuditFile xmlns="urn:OECD:StandardAuditFile-Tax:PT_1.04_01"><Header><AuditFileVersion>1.04_01</AuditFileVersion><CompanyID>{NIF}</CompanyID><TaxRegistrationNumber>{NIF}</TaxRegistrationNumber><TaxAccountingBasis>F</TaxAccountingBasis><CompanyName>Bench, Lda.</CompanyName><CompanyAddress><AddressDetail>Rua Augusta 1</AddressDetail><City>Lisboa</City><PostalCode>1100-048</PostalCode><Country>PT</Country></CompanyAddress><FiscalYear>{year}</FiscalYear><StartDate>{year}-{month:02d}-01</StartDate><EndDate>{year}-{month:02d}-{last_day:02d}</EndDate><CurrencyCode>EUR</CurrencyCode><DateCreated>{year}-{month:02d}-{last_day:02d}</DateCreated><TaxEntity>Global</TaxEntity><ProductCompanyTaxID>{NIF}</ProductCompanyTaxID><SoftwareCertificateNumber>0</SoftwareCertificateNumber><ProductID>ixportal bench/ixportal</ProductID><ProductVersion>1.0</ProductVersion></Header>
<MasterFiles><Customer><CustomerID>1</CustomerID><AccountID>Desconhecido</AccountID><CustomerTaxID>{CUSTOMER_NIF}</CustomerTaxID><CompanyName>Beta, Lda.</CompanyName><BillingAddress><AddressDetail>Desconhecido</AddressDetail><City>Lisboa</City><PostalCode>1000-001</PostalCode><Country>PT</Country></BillingAddress><SelfBillingIndicator>0</SelfBillingIndicator></Customer><Product><ProductType>S</ProductType><ProductCode>P1</ProductCode><ProductDescription>Consultoria</ProductDescription><ProductNumberCode>P1</ProductNumberCode></Product><TaxTable><TaxTableEntry><TaxType>IVA</TaxType><TaxCountryRegion>PT</TaxCountryRegion><TaxCode>NOR</TaxCode><Description>IVA 23%</Description><TaxPercentage>23.00</TaxPercentage></TaxTableEntry></TaxTable></MasterFiles>
"""


def _line(number: int, date: str, amount: Decimal) -> str:
    return (
        f"<Line><LineNumber>{number}</LineNumber><ProductCode>P1</ProductCode>"
        f"<ProductDescription>Consultoria</ProductDescription><Quantity>1</Quantity>"
        f"<UnitOfMeasure>hour</UnitOfMeasure><UnitPrice>{amount:.2f}</UnitPrice>"
        f"<TaxPointDate>{date}</TaxPointDate><Description>Consultoria</Description>"
        f"<CreditAmount>{amount:.2f}</CreditAmount><Tax><TaxType>IVA</TaxType>"
        f"<TaxCountryRegion>PT</TaxCountryRegion><TaxCode>NOR</TaxCode>"
        f"<TaxPercentage>23.00</TaxPercentage></Tax><SettlementAmount>0.00</SettlementAmount></Line>"
    )


def write_big_saft(
    path: Path,
    *,
    lines: int = 100_000,
    lines_per_invoice: int = 10,
    year: int = 2026,
    month: int = 10,
    broken: bool = False,
) -> Path:
    """Write a valid SAF-T with `lines` invoice lines to `path` (and return it).

    `broken`: the first invoice has no ATCUD, a structural error, so validation takes its
    slower path (the streamed pass stops; each document is then checked on its own).
    """
    invoices = -(-lines // lines_per_invoice)
    with open(path, "w", encoding="utf-8") as out:
        out.write(_header(year, month, 31 if month in (1, 3, 5, 7, 8, 10, 12) else 28))
        # The control totals come before the invoices: compute them first (cheap, no text kept).
        total = Decimal("0.00")
        written = 0
        for number in range(1, invoices + 1):
            count = min(lines_per_invoice, lines - written)
            written += count
            total += sum(Decimal(10 + (number + i) % 90) for i in range(count))
        out.write(
            f"<SourceDocuments><SalesInvoices><NumberOfEntries>{invoices}</NumberOfEntries>"
            f"<TotalDebit>0.00</TotalDebit><TotalCredit>{total:.2f}</TotalCredit>\n"
        )
        written = 0
        for number in range(1, invoices + 1):
            count = min(lines_per_invoice, lines - written)
            written += count
            day = 1 + number % 28
            date = f"{year}-{month:02d}-{day:02d}"
            amounts = [Decimal(10 + (number + i) % 90) for i in range(count)]
            net = sum(amounts, Decimal("0.00"))
            tax = sum((a * _RATE / 100).quantize(Decimal("0.01")) for a in amounts)
            bodies = "".join(_line(i + 1, date, a) for i, a in enumerate(amounts))
            out.write(
                f"<Invoice><InvoiceNo>FT 2026/{number}</InvoiceNo>"
                + ("" if broken and number == 1 else f"<ATCUD>BENCH123-{number}</ATCUD>")
                + f"<DocumentStatus><InvoiceStatus>N</InvoiceStatus>"
                f"<InvoiceStatusDate>{date}T10:00:00</InvoiceStatusDate><SourceID>bench</SourceID>"
                f"<SourceBilling>P</SourceBilling></DocumentStatus><Hash>0</Hash>"
                f"<HashControl>0</HashControl><Period>{month}</Period><InvoiceDate>{date}</InvoiceDate>"
                f"<InvoiceType>FT</InvoiceType><SpecialRegimes><SelfBillingIndicator>0</SelfBillingIndicator>"
                f"<CashVATSchemeIndicator>0</CashVATSchemeIndicator>"
                f"<ThirdPartiesBillingIndicator>0</ThirdPartiesBillingIndicator></SpecialRegimes>"
                f"<SourceID>bench</SourceID><SystemEntryDate>{date}T10:00:00</SystemEntryDate>"
                f"<CustomerID>1</CustomerID>{bodies}<DocumentTotals><TaxPayable>{tax:.2f}</TaxPayable>"
                f"<NetTotal>{net:.2f}</NetTotal><GrossTotal>{net + tax:.2f}</GrossTotal>"
                f"</DocumentTotals></Invoice>\n"
            )
        out.write("</SalesInvoices></SourceDocuments></AuditFile>\n")
    return path
