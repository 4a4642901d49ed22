"""The sandbox's monthly SAF-T files are valid against the official SAF-T (PT) 1.04_01 schema,
XSD 1.1 assertions included, for every month of the demo data; and the rules the schema
cannot see (0 % lines carry an exemption, HashControl, regional rates) hold."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import xmlschema

from sandbox.demo_catalog import COMPANIES
from sandbox.demo_data import load_demo
from sandbox.models import SandboxAccount, SandboxDocument, SandboxTax
from sandbox.saft_xml import NAMESPACE, audit_file
from sandbox.tax_regions import saft_code
from sandbox.testing import api_fixture, sandbox_account_fixture  # noqa: F401

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "saft" / "schema" / "SAFTPT1.04_01.xsd"
TODAY = date(2026, 11, 21)
NS = {"s": NAMESPACE}


@pytest.fixture(scope="session")
def schema() -> xmlschema.XMLSchema11:
    return xmlschema.XMLSchema11(str(SCHEMA_FILE))


@pytest.fixture(scope="module")
def demo_months(django_db_setup, django_db_blocker):
    """The demo, generated once for this module, as (account, year, month) of every month
    that has documents."""
    with django_db_blocker.unblock():
        load_demo(today=TODAY)
        names = [company.account_name for company in COMPANIES]
        months = sorted(
            {
                (doc.account, doc.date.year, doc.date.month)
                for doc in SandboxDocument.objects.filter(account__account_name__in=names)
                .exclude(number=None)
                .select_related("account")
            },
            key=lambda m: (m[0].account_name, m[1], m[2]),
        )
    yield months
    with django_db_blocker.unblock():
        from django.contrib.auth import get_user_model

        from invoices.models import Account, Membership

        slugs = [company.slug for company in COMPANIES]
        Membership.objects.filter(account__slug__in=slugs).delete()
        Account.objects.filter(slug__in=slugs).delete()
        get_user_model().objects.filter(username__in=("demo", "clerk", "viewer", "admin")).delete()
        SandboxAccount.objects.filter(account_name__in=names).delete()


@pytest.mark.django_db
def test_every_demo_month_is_valid_against_the_schema_with_its_assertions(schema, demo_months):
    assert len(demo_months) >= 60  # three companies, two years and more
    invalid, started = {}, time.monotonic()
    for account, year, month in demo_months:
        errors = [str(e.reason) for e in schema.iter_errors(audit_file(account, year, month))]
        if errors:
            invalid[f"{account.account_name} {year}-{month:02d}"] = errors[:3]
    print(
        f"\nSAF-T schema: {len(demo_months)} months validated in {time.monotonic() - started:.1f} s"
    )
    assert invalid == {}


def _lines(xml: bytes):
    return ET.fromstring(xml).findall(".//s:SalesInvoices/s:Invoice/s:Line", NS)


@pytest.mark.django_db
def test_a_zero_rate_line_without_an_exemption_is_written_with_m99(api, schema):
    draft = api.create(items=[{"name": "Livro", "unit_price": "10", "quantity": "1",
                               "tax": {"name": "Isento"}}], tax_exemption="M07")  # fmt: skip
    api.finalize("invoices", draft["id"])
    SandboxDocument.objects.filter(pk=draft["id"]).update(tax_exemption="")  # as old data has
    doc = SandboxDocument.objects.get(pk=draft["id"])
    xml = audit_file(doc.account, doc.date.year, doc.date.month)
    [line] = _lines(xml)
    assert line.findtext("s:TaxExemptionCode", namespaces=NS) == "M99"
    assert line.findtext("s:TaxExemptionReason", namespaces=NS) == "Não sujeito ou não tributado"
    schema.validate(xml)


@pytest.mark.django_db
def test_hash_control_is_0_while_the_certificate_number_is_0(api):
    draft = api.create()
    api.finalize("invoices", draft["id"])
    doc = SandboxDocument.objects.get(pk=draft["id"])
    root = ET.fromstring(audit_file(doc.account, doc.date.year, doc.date.month))
    assert root.findtext("s:Header/s:SoftwareCertificateNumber", namespaces=NS) == "0"
    assert root.findtext(".//s:Invoice/s:HashControl", namespaces=NS) == "0"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("region", "rate", "code"),
    [
        (None, "23", "NOR"), ("PT", "6", "RED"),
        ("PT-MA", "22", "NOR"), ("PT-MA", "12", "INT"), ("PT-MA", "4", "RED"),
        ("PT-AC", "16", "NOR"), ("PT-AC", "9", "INT"), ("PT-AC", "4", "RED"),
        ("PT-MA", "23", "OUT"),
    ],
)  # fmt: skip
def test_regional_rates_are_coded_with_their_region(
    api, sandbox_account, schema, region, rate, code
):
    SandboxTax.objects.create(account=sandbox_account, name="Regional", value=rate, region=region)
    draft = api.create(
        date="02/11/2026", due_date="02/11/2026",
        items=[{"name": "Bolo do caco", "unit_price": "10", "quantity": "1", "tax": {"name": "Regional"}}],
    )  # fmt: skip
    api.finalize("invoices", draft["id"])
    xml = audit_file(sandbox_account, 2026, 11)
    [line] = _lines(xml)
    assert line.findtext("s:Tax/s:TaxCountryRegion", namespaces=NS) == (region or "PT")
    assert line.findtext("s:Tax/s:TaxCode", namespaces=NS) == code
    table = ET.fromstring(xml).findall(".//s:TaxTable/s:TaxTableEntry", NS)
    assert ((region or "PT"), code, f"{Decimal(rate):.2f}") in {
        (e.findtext("s:TaxCountryRegion", namespaces=NS), e.findtext("s:TaxCode", namespaces=NS),
         e.findtext("s:TaxPercentage", namespaces=NS)) for e in table
    }  # fmt: skip
    schema.validate(xml)


def test_madeiras_reduced_rate_was_5_until_october_2024():
    assert saft_code("PT-MA", Decimal("5"), date(2024, 9, 30)) == "RED"
    assert saft_code("PT-MA", Decimal("5"), date(2024, 10, 1)) == "OUT"
    assert saft_code("PT-MA", Decimal("4"), date(2024, 10, 1)) == "RED"
    assert saft_code("PT-MA", Decimal("4"), date(2024, 9, 30)) == "OUT"
    assert saft_code("", Decimal("0"), date(2024, 9, 30)) == "ISE"
