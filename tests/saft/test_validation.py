"""SAF-T validation: the valid base file passes, each damaged copy gets its verdict and names its defect."""

import io

import pytest

from saft.report import ValidationReport, Verdict
from saft.validation import validate_saft
from sandbox.saft_defects import DEFECTS, FOREIGN_NIF, damaged
from sandbox.testing import api_fixture, sandbox_account_fixture  # noqa: F401
from tests.saft.corpus import COMPANY_NIF, MONTH, YEAR, base_file


def validate(xml: bytes, *, nif=COMPANY_NIF, **kwargs) -> ValidationReport:
    return validate_saft(io.BytesIO(xml), company_nif=nif, year=YEAR, month=MONTH, **kwargs)


@pytest.fixture
def base(api):
    return base_file(api)


def test_the_valid_file_passes(base):
    report = validate(base)
    assert report.verdict == Verdict.VALID, [p.message() for p in report.problems]
    assert report.documents == 4
    assert report.lines == 4
    assert report.tax_registration_number == COMPANY_NIF


def test_a_company_without_a_recorded_nif_is_valid_with_a_warning(base):
    report = validate(base, nif="")
    assert report.verdict == Verdict.WARNINGS
    assert [p.code for p in report.problems] == ["nif_unknown"]
    assert COMPANY_NIF in report.problems[0].message()


# defect -> the rule codes the report must hold (the schema's first error counts too).
EXPECTED = {
    "atcud_removed": {"schema", "atcud_missing"},
    "atcud_mismatch": {"atcud_mismatch"},
    "hash_removed": {"schema"},
    "hash_control": {"hash_control"},
    "master_files_removed": {"schema", "tax_table_missing", "unknown_customer"},
    "tax_table_removed": {"tax_table_missing"},
    "malformed_nif": {"nif_invalid", "nif_mismatch"},
    "foreign_nif": {"nif_mismatch"},
    "unknown_document_type": {"schema", "unknown_type"},
    "duplicate_number": {"schema", "duplicate_number"},
    "zero_rate_without_exemption": {"zero_rate_without_exemption"},
    "impossible_date": {"schema", "invalid_date"},
    "wrong_gross_total": {"gross_total"},
    "wrong_net_total": {"net_total"},
    "wrong_total_credit": {"total_credit_mismatch"},
    "cancelled_counted": {"total_credit_mismatch"},
    "wrong_number_of_entries": {"entries_mismatch"},
    "unknown_element": {"schema"},
    "wrong_period": {"period", "date_outside_period"},
}


ONLY_UPSTREAM = {name for name, defect in DEFECTS.items() if defect.only_upstream}


def test_every_defect_has_an_expectation():
    assert set(EXPECTED) | ONLY_UPSTREAM == set(DEFECTS)
    assert {"document_missing", "document_extra", "reconciliation_gaps"} == ONLY_UPSTREAM


@pytest.mark.parametrize("defect", sorted(ONLY_UPSTREAM))
def test_a_file_missing_or_adding_a_document_is_consistent_on_its_own(base, defect):
    # Only the comparison with InvoiceXpress's list can catch these (test_reconciliation).
    xml, _ = damaged(base, defect)
    assert validate(xml).verdict == Verdict.VALID


@pytest.mark.parametrize("defect", sorted(EXPECTED))
def test_each_damaged_file_is_invalid_and_named(base, defect):
    xml, document = damaged(base, defect)
    report = validate(xml)
    assert report.verdict == Verdict.INVALID
    assert report.codes() == EXPECTED[defect], [p.message() for p in report.problems]
    if document:
        # The report names the document the defect is in (a total's defect names none).
        named = {p.document for p in report.problems} | {
            p.found for p in report.problems if p.code == "duplicate_number"
        }
        assert document in named or defect == "cancelled_counted"


def test_a_schema_error_names_the_document_it_is_in(base):
    xml, document = damaged(base, "unknown_element")
    (problem,) = validate(xml).problems
    assert problem.document == document
    # The validator's own words are kept apart (quoted when shown), ours are a code.
    assert "Discount" in problem.said and problem.detail == ""
    assert problem.message() == "Does not follow the SAF-T (PT) 1.04_01 schema."


def test_another_companys_file_is_invalid_and_says_whose_it_is(base):
    xml, _ = damaged(base, "foreign_nif")
    (problem,) = validate(xml).problems
    assert problem.code == "nif_mismatch"
    assert (problem.found, problem.expected) == (FOREIGN_NIF, COMPANY_NIF)
    assert FOREIGN_NIF in problem.message() and COMPANY_NIF in problem.message()


def test_the_report_gives_expected_and_found_values(base):
    xml, document = damaged(base, "wrong_gross_total")
    (problem,) = validate(xml).problems
    assert (problem.document, problem.expected, problem.found) == (document, "246.00", "247.00")


def test_a_cancelled_document_counts_in_entries_but_not_in_totals(base):
    xml, _ = damaged(base, "cancelled_counted")
    (problem,) = validate(xml).problems
    assert problem.code == "total_credit_mismatch"
    assert (problem.expected, problem.found) == ("250.00", "450.00")


def test_a_doctype_is_refused_before_parsing(base):
    xml = base.replace(b"<AuditFile", b'<!DOCTYPE x [<!ENTITY a "b">]><AuditFile', 1)
    report = validate(xml)
    assert report.verdict == Verdict.INVALID
    assert report.codes() == {"unreadable"}  # our reason, stored as its msgid
    (problem,) = report.problems
    assert (
        problem.detail == "The SAF-T XML declares a document type, which a SAF-T file never does."
    )
    assert problem.message().startswith("The XML cannot be read: The SAF-T XML declares")


def test_a_truncated_file_is_malformed(base):
    report = validate(base[: len(base) // 2])
    assert report.codes() == {"malformed"}


def test_not_a_saft_file_is_invalid():
    report = validate(b'<?xml version="1.0"?><Invoice xmlns="urn:other"/>')
    assert report.verdict == Verdict.INVALID
    assert "not_saft" in report.codes()


def test_the_report_survives_a_json_round_trip(base):
    xml, _ = damaged(base, "wrong_gross_total")
    report = validate(xml)
    again = ValidationReport.from_json(report.to_json())
    assert again.problems == report.problems
    assert again.verdict == Verdict.INVALID


def test_progress_is_reported(base):
    seen = []
    validate(base, progress=seen.append)
    assert seen == []  # fewer documents than one progress step


def test_a_generated_month_of_thousands_of_documents_is_valid_and_reports_progress(tmp_path):
    from bench.saft_file import NIF, write_big_saft

    path = write_big_saft(tmp_path / "big.xml", lines=2500, lines_per_invoice=1)
    seen = []
    report = validate_saft(path, company_nif=NIF, year=2026, month=10, progress=seen.append)
    assert report.verdict == Verdict.VALID, [p.message() for p in report.problems[:3]]
    assert (report.documents, report.lines) == (2500, 2500)
    assert seen == [1000, 2000]


def test_every_broken_document_of_a_large_file_is_named(tmp_path):
    from bench.saft_file import NIF, write_big_saft

    path = write_big_saft(tmp_path / "big.xml", lines=300, lines_per_invoice=3, broken=True)
    report = validate_saft(path, company_nif=NIF, year=2026, month=10)
    assert report.verdict == Verdict.INVALID
    assert {(p.code, p.document) for p in report.problems} >= {
        ("schema", "FT 2026/1"),
        ("atcud_missing", "FT 2026/1"),
    }


def _with_section(base: bytes, section: str) -> bytes:
    return base.replace(b"</SalesInvoices>", b"</SalesInvoices>" + section.encode(), 1)


def test_the_schemas_assertions_apply_to_working_documents_and_payments_too(base):
    tax_zero = "<Tax><TaxType>IVA</TaxType><TaxCountryRegion>PT</TaxCountryRegion><TaxCode>ISE</TaxCode><TaxPercentage>0.00</TaxPercentage></Tax>"  # fmt: skip
    working = (
        "<WorkingDocuments><NumberOfEntries>1</NumberOfEntries><TotalDebit>0.00</TotalDebit>"
        "<TotalCredit>10.00</TotalCredit><WorkDocument><DocumentNumber>OR 2026/1</DocumentNumber>"
        f"<Line><LineNumber>1</LineNumber><CreditAmount>10.00</CreditAmount>{tax_zero}</Line>"
        "</WorkDocument></WorkingDocuments>"
        "<Payments><NumberOfEntries>1</NumberOfEntries><TotalDebit>0.00</TotalDebit>"
        "<TotalCredit>10.00</TotalCredit><Payment><PaymentRefNo>RG 2026/1</PaymentRefNo>"
        "<PaymentType>RC</PaymentType><Line><LineNumber>1</LineNumber>"
        "<CreditAmount>10.00</CreditAmount><TaxExemptionCode>M07</TaxExemptionCode></Line>"
        "</Payment></Payments>"
    )
    report = validate(_with_section(base, working))
    named = {(p.code, p.document) for p in report.problems}
    assert ("zero_rate_without_exemption", "OR 2026/1") in named
    assert ("payment_without_tax", "RG 2026/1") in named
    assert ("payment_type_without_tax", "RG 2026/1") in named
    assert ("exemption_incomplete", "RG 2026/1") in named
    assert report.verdict == Verdict.INVALID


def test_the_general_ledger_grouping_assertions_are_checked(base):
    accounts = (
        "<GeneralLedgerAccounts><TaxonomyReference>S</TaxonomyReference>"
        "<Account><AccountID>11</AccountID><AccountDescription>Caixa</AccountDescription>"
        "<OpeningDebitBalance>0.00</OpeningDebitBalance><OpeningCreditBalance>0.00</OpeningCreditBalance>"
        "<ClosingDebitBalance>0.00</ClosingDebitBalance><ClosingCreditBalance>0.00</ClosingCreditBalance>"
        "<GroupingCategory>GM</GroupingCategory><GroupingCode>1</GroupingCode></Account>"
        "</GeneralLedgerAccounts>"
    )
    xml = base.replace(b"<MasterFiles>", b"<MasterFiles>" + accounts.encode(), 1)
    report = validate(xml)
    assert ("gl_grouping", "11") in {(p.code, p.document) for p in report.problems}


def test_the_stored_report_holds_codes_and_values_never_sentences(base):
    xml, document = damaged(base, "wrong_gross_total")
    stored = validate(xml).to_json()
    assert stored["problems"] == [
        {"code": "gross_total", "severity": "error", "document": document,
         "expected": "246.00", "found": "247.00", "detail": "", "said": ""},
    ]  # fmt: skip
    assert "GrossTotal is" not in str(
        stored
    )  # the sentence is made when shown, in the reader's language
