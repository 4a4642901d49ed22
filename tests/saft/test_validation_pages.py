"""Validation results on the pages: flagged everywhere a file is offered, the NIF offered for confirmation."""

import pytest
import time_machine

from invoices.models import AuditEntry
from saft.archive import read_saft_zip, sha256_of
from saft.models import SaftExport
from saft.services import export_validate
from sandbox.saft_defects import damaged
from sandbox.testing import api_fixture, sandbox_account_fixture  # noqa: F401
from tests.saft.corpus import COMPANY_NIF, base_file
from tests.saft.helpers import OCTOBER, at_lisbon
from tests.saft.test_archive import zipped


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def base(api):
    return base_file(api)


def archived(account, xml: bytes) -> SaftExport:
    """A ready export of October 2026 holding `xml`, validated (without reconciliation)."""
    content = zipped(("SAFT.xml", xml))
    export = SaftExport.objects.create(
        account=account,
        year=OCTOBER.year,
        month=OCTOBER.month,
        requested_at=at_lisbon(2026, 11, 2),
    )
    assert export.mark_ready(content=content, sha256=sha256_of(content), summary=read_saft_zip(content))  # fmt: skip
    export_validate(export=export, reconcile_upstream=False)
    export.refresh_from_db()
    return export


@pytest.fixture
def with_nif(cast):
    cast.account.nif = COMPANY_NIF
    cast.account.save()
    return cast


def test_a_valid_file_is_offered_as_valid(client, with_nif, base):
    export = archived(with_nif.account, base)
    assert export.validation == SaftExport.Validation.VALID and export.is_submittable
    client.force_login(with_nif.viewer)
    row = client.get("/c/acme/saft/").content.decode()
    assert 'data-validation="valid"' in row and "data-invalid-download" not in row
    page = client.get(f"/c/acme/saft/{export.pk}/").content.decode()
    assert 'data-verdict="valid"' in page and "passed every check" in page


def test_an_invalid_file_is_flagged_in_the_row_the_download_and_the_report(client, with_nif, base):
    xml, document = damaged(base, "wrong_gross_total")
    export = archived(with_nif.account, xml)
    assert export.is_invalid and not export.is_submittable and export.file  # kept as evidence
    client.force_login(with_nif.viewer)
    row = client.get("/c/acme/saft/").content.decode()
    assert 'data-validation="invalid"' in row and "Invalid: do not submit" in row
    assert "data-invalid-download" in row and "Download invalid file" in row
    page = client.get(f"/c/acme/saft/{export.pk}/").content.decode()
    assert 'data-verdict="invalid"' in page and "do not submit it" in page
    assert 'data-code="gross_total"' in page and document in page
    assert "246.00" in page and "247.00" in page  # expected and found


def test_an_invalid_file_does_not_make_the_month_done(client, with_nif, base):
    xml, _ = damaged(base, "foreign_nif")
    archived(with_nif.account, xml)
    client.force_login(with_nif.viewer)
    with time_machine.travel(at_lisbon(2026, 11, 20), tick=False):
        overview = client.get("/saft/").content.decode()
    assert 'data-deadline="submitted"' not in overview and 'data-file-state="ready"' not in overview
    assert "data-deadline-invalid" in overview and "Overdue by 15 days" in overview


def test_the_overview_history_flags_the_invalid_file(client, with_nif, base):
    xml, _ = damaged(base, "atcud_removed")
    archived(with_nif.account, xml)
    client.force_login(with_nif.manager)
    overview = client.get("/saft/").content.decode()
    assert "data-invalid-download" in overview


def test_without_a_company_nif_the_header_nif_is_offered_and_a_manager_confirms_it(client, cast, base):  # fmt: skip
    export = archived(cast.account, base)
    assert export.validation == SaftExport.Validation.WARNINGS
    client.force_login(cast.manager)
    page = client.get(f"/c/acme/saft/{export.pk}/").content.decode()
    assert f"Confirm {COMPANY_NIF} as the company" in page
    response = client.post(f"/c/acme/saft/{export.pk}/confirm-nif/")
    assert response.status_code == 302
    cast.account.refresh_from_db()
    assert cast.account.nif == COMPANY_NIF
    entry = AuditEntry.objects.get(action="account.nif")
    assert entry.username == "manager" and entry.target == COMPANY_NIF
    export.refresh_from_db()  # checked again, now against the NIF
    assert "nif_unknown" not in export.report.codes() and not export.is_invalid


def test_a_recorded_nif_is_never_replaced_from_a_file(client, cast, base):
    export = archived(cast.account, base)
    cast.account.nif = "503504564"
    cast.account.save()
    client.force_login(cast.manager)
    assert "Confirm" not in client.get(f"/c/acme/saft/{export.pk}/").content.decode()
    client.post(f"/c/acme/saft/{export.pk}/confirm-nif/")
    cast.account.refresh_from_db()
    assert cast.account.nif == "503504564"
    assert not AuditEntry.objects.filter(action="account.nif").exists()


@pytest.mark.parametrize("who, status", [("viewer", 403), ("clerk", 403), ("outsider", 404)])
def test_only_the_companys_managers_may_confirm_the_nif(client, cast, base, who, status):
    export = archived(cast.account, base)
    client.force_login(getattr(cast, who))
    assert client.post(f"/c/acme/saft/{export.pk}/confirm-nif/").status_code == status
    cast.account.refresh_from_db()
    assert cast.account.nif == ""
    client.force_login(cast.manager)
    assert client.get(f"/c/acme/saft/{export.pk}/confirm-nif/").status_code == 405


def test_the_nif_field_refuses_a_bad_check_digit(cast):
    from django.core.exceptions import ValidationError

    cast.account.nif = "508025339"
    with pytest.raises(ValidationError):
        cast.account.clean_fields(exclude=["base_url"])
    cast.account.nif = COMPANY_NIF
    cast.account.clean_fields(exclude=["base_url"])


def test_saft_validate_checks_the_files_nobody_checked(with_nif, base, settings):
    from django.core.management import call_command

    settings.IXPORTAL_SAFT_VALIDATE_INLINE_BYTES = 0  # as if too large to check inline
    content = zipped(("SAFT.xml", base))
    export = SaftExport.objects.create(account=with_nif.account, year=2026, month=10)
    export.mark_ready(content=content, sha256=sha256_of(content), summary=read_saft_zip(content))
    assert SaftExport.objects.unvalidated().get() == export
    call_command("saft_validate")
    export.refresh_from_db()
    assert export.is_validated and not export.is_invalid and export.validated_at
    assert not SaftExport.objects.unvalidated().exists()
