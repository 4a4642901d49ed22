"""The Tax Authority's SAF-T (PT) 1.04_01 schema, loaded for libxml2 (lxml).

The schema is XSD 1.1; libxml2 reads XSD 1.0. Two XSD 1.1 features are rewritten when it
is loaded, and nothing is lost:
- `xs:assert` elements are removed: `saft.validation` checks each of them in Python;
- one `xs:all` with `maxOccurs="unbounded"` children (GeneralLedgerEntries' Lines: DebitLine
  and CreditLine in any order) becomes a repeated `xs:choice`, which accepts the same
  documents except that it cannot demand one of each; InvoiceXpress files (TaxAccountingBasis
  F) never hold general ledger entries.
The file itself is kept byte for byte as published (see README.md).
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

from lxml import etree

SCHEMA_PATH = Path(__file__).with_name("SAFTPT1.04_01.xsd")
_XS = "{http://www.w3.org/2001/XMLSchema}"


@functools.cache
def saft_schema() -> etree.XMLSchema:
    """The compiled schema; built once per process (a few milliseconds)."""
    return etree.XMLSchema(_xsd10())


@functools.cache
def invoice_schema() -> etree.XMLSchema:
    """The same schema with SalesInvoices' Invoice as a root: one document checked alone.

    libxml2 streams a file with one error and stops; checking documents one by one then
    says which of them are wrong, and how (the file-wide unique/keyref rules excepted).
    """
    document = _xsd10()
    root = document.getroot()
    sales = root.find(f"{_XS}element[@name='SalesInvoices']")
    if sales is None:  # a local declaration in this version: look it up anywhere
        sales = next(e for e in root.iter(f"{_XS}element") if e.get("name") == "SalesInvoices")
    invoice = next(e for e in sales.iter(f"{_XS}element") if e.get("name") == "Invoice")
    declaration = copy.deepcopy(invoice)
    for attribute in ("minOccurs", "maxOccurs"):
        declaration.attrib.pop(attribute, None)
    root.append(declaration)
    return etree.XMLSchema(document)


def _xsd10() -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    document = etree.parse(str(SCHEMA_PATH), parser)
    for assertion in list(document.iter(f"{_XS}assert")):
        assertion.getparent().remove(assertion)
    for group in document.iter(f"{_XS}all"):
        if any(child.get("maxOccurs") == "unbounded" for child in group):
            group.tag = f"{_XS}choice"
            group.set("maxOccurs", "unbounded")
            for child in group:
                child.attrib.pop("maxOccurs", None)
                child.set("minOccurs", "0")
    return document
