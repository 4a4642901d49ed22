"""The archived SAF-T against the documents the sandbox lists for that month, over real HTTP."""

from saft.models import SaftExport
from saft.periods import Period
from saft.reconciliation import ListedDocument, reconcile
from saft.report import Verdict
from saft.services import export_request
from saft.validation import FileDocument
from sandbox import faults

OCTOBER = Period(2026, 10)
# The sandbox's own file still writes HashControl 1 with certificate 0 (issue 13 fixes it):
# the only problem these tests tolerate in it.
SANDBOX_OWN = {"hash_control"}


def _archive(world) -> SaftExport:
    export = export_request(account=world.account, user=world.manager, period=OCTOBER).export
    export.refresh_from_db()
    assert export.is_ready and export.is_validated
    return export


def test_a_month_the_file_and_the_list_agree_on_is_reconciled(october):
    report = _archive(october).report
    assert report.codes() <= SANDBOX_OWN
    rec = report.reconciliation
    assert rec is not None and not rec.failed
    assert not rec.missing_in_file and not rec.missing_upstream
    ft = next(row for row in rec.types if row.doc_type == "FT")
    # Three invoices, one cancelled: counted, not summed.
    assert (ft.file.count, ft.file.net, ft.file.tax, ft.file.gross) == (3, "250.00", "46.00", "296.00")  # fmt: skip
    assert ft.upstream == ft.file
    nc = next(row for row in rec.types if row.doc_type == "NC")
    assert (nc.upstream.count, nc.upstream.gross) == (1, "123.00")
    assert rec.matches


def test_a_document_missing_from_the_file_and_one_the_service_never_listed_are_both_named(client, october):  # fmt: skip
    faults.set_saft_defect("acme", "reconciliation_gaps")
    export = _archive(october)
    report = export.report
    rec = report.reconciliation
    assert rec.missing_in_file == ("FT 2026/2",)  # listed by InvoiceXpress, not in the file
    assert rec.missing_upstream == ("FT 2026/900",)  # in the file, never issued
    assert export.is_invalid and report.verdict == Verdict.INVALID
    # The file is consistent on its own: only the list tells.
    assert {p.code for p in report.errors} <= SANDBOX_OWN
    client.force_login(october.viewer)
    page = client.get(f"/c/acme/saft/{export.pk}/").content.decode()
    assert 'data-missing="file"' in page and "FT 2026/2" in page
    assert 'data-missing="upstream"' in page and "FT 2026/900" in page


def test_the_demo_serves_another_companys_file_on_demand(october):
    faults.set_saft_defect("acme", "foreign_nif")
    export = _archive(october)
    assert export.is_invalid and "nif_mismatch" in export.report.codes()
    assert export.report.codes() - SANDBOX_OWN == {"nif_mismatch"}


def test_an_unreadable_list_leaves_a_warning_not_a_verdict_of_invalid(october):
    # Only the list call fails: the SAF-T endpoints answer as usual.
    faults.inject("acme", "503", count=None, path_prefix="invoices.json")
    export = _archive(october)
    report = export.report
    rec = report.reconciliation
    assert rec.failed and not rec.error  # codes, not a text
    assert rec.failure == ({"msgid": "InvoiceXpress failed (error %(status)s).", "params": {"status": 503}},)  # fmt: skip
    assert report.codes() <= SANDBOX_OWN
    # Without the sandbox's own defect, a list that cannot be read is a warning only.
    report.problems = []
    assert report.verdict == Verdict.WARNINGS


def test_reconcile_compares_counts_totals_and_numbers_per_type():
    from decimal import Decimal as D

    file_docs = [
        FileDocument("FT A/1", "FT", "N", D("10.00"), D("2.30"), D("12.30")),
        FileDocument("FT A/2", "FT", "A", D("5.00"), D("1.15"), D("6.15")),
    ]
    listed = [
        ListedDocument("FT A/1", "FT", False, D("10.00"), D("2.30"), D("12.30")),
        ListedDocument("FT A/2", "FT", True, D("5.00"), D("1.15"), D("6.15")),
        ListedDocument("FT A/3", "FT", False, D("1.00"), D("0.23"), D("1.23")),
    ]
    rec = reconcile(file_docs, listed)
    (row,) = rec.types
    assert (row.file.count, row.file.gross) == (2, "12.30")
    assert (row.upstream.count, row.upstream.gross) == (3, "13.53")
    assert rec.missing_in_file == ("FT A/3",) and rec.missing_upstream == ()
    assert not rec.matches
