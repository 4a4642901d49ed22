"""The accountant's pack: built by a job on the live sandbox, every finalized document's PDF
inside, and a manifest whose SHA-256s the test recomputes; who may build and download it."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest

from invoices.jobs.models import Job
from invoices.models import AuditEntry, Membership, Role
from saft.services import export_request
from sandbox.models import SandboxAccount, SandboxPdf
from tests.saft.helpers import OCTOBER, ready_export

PACK = {"pack-month": 10, "pack-year": 2026}


def test_the_pack_holds_every_finalized_documents_pdf_and_its_manifest_verifies(client, october, settings):  # fmt: skip
    settings.IXPORTAL_BULK_PDF_WAITS = (0.01, 0.01)
    export = export_request(account=october.account, user=october.manager, period=OCTOBER).export
    export.refresh_from_db()
    # The service answers 202 once per PDF before it serves it: the job waits and asks again.
    SandboxAccount.objects.filter(pk=october.sandbox.pk).update(pdf_pending_calls=1)
    client.force_login(october.manager)
    response = client.post("/c/acme/saft/pack/", PACK)
    assert response.status_code == 302
    job = Job.objects.get(kind=Job.Kind.SAFT_PACK)
    assert job.status == Job.Status.DONE, job.error
    finalized = {str(d["id"]) for d in october.documents.values()}
    assert len(finalized) == 4  # three invoices (one cancelled) and a credit note
    assert {i.key for i in job.items.all()} == finalized
    assert set(job.items.values_list("outcome", flat=True)) == {"included"}
    assert (job.done, job.total) == (4, 4)
    # Each PDF was asked for twice: 202 (rendering), then 200 with its link.
    assert sorted(SandboxPdf.objects.values_list("calls", flat=True)) == [2, 2, 2, 2]

    page = client.get("/c/acme/saft/").content.decode()
    url = f"/c/acme/saft/packs/{job.pk}/download/"
    assert url in page and f'id="job-{job.pk}-progress"' in page
    got = client.get(url)
    assert got.status_code == 200 and "private" in got["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(got.streaming_content)))
    manifest = json.loads(archive.read("manifest.json"))
    listed = {f["name"]: f for f in manifest["files"]}
    # Every file but the manifest is listed, and every listed hash is the file's.
    assert set(listed) == set(archive.namelist()) - {"manifest.json"}
    for name, entry in listed.items():
        content = archive.read(name)
        assert hashlib.sha256(content).hexdigest() == entry["sha256"], name
        assert len(content) == entry["size"]
    pdfs = [n for n in listed if n.startswith("pdf/")]
    assert len(pdfs) == 4 and all(archive.read(n).startswith(b"%PDF") for n in pdfs)
    assert manifest["missing"] == [] and manifest["period"] == "2026-10"
    (saft,) = [n for n in listed if n.startswith("saft/")]
    assert listed[saft]["sha256"] == export.sha256  # the archived file, as archived
    csv = archive.read("documents.csv").decode("utf-8-sig")
    for doc in october.documents.values():
        assert str(doc["id"]) in csv
    report = archive.read("validation-report.txt").decode()
    assert export.sha256 in report and export.get_validation_display() in report
    # Each PDF download was audited, as any other.
    assert AuditEntry.objects.filter(action="document.pdf", outcome="ok").count() == 4


def test_a_month_without_an_archived_file_gets_no_pack(client, cast):
    client.force_login(cast.manager)
    response = client.post("/c/acme/saft/pack/", PACK, follow=True)
    assert "no archived SAF-T of the whole month" in response.content.decode()
    assert not Job.objects.exists()


def test_the_overview_starts_one_pack_per_company_it_can(client, cast, settings):
    Membership.objects.create(user=cast.manager, account=cast.other_account, role=Role.MANAGER)
    ready_export(cast.account)
    client.force_login(cast.manager)
    response = client.post("/saft/pack/", PACK, follow=True)
    page = response.content.decode()
    (job,) = Job.objects.filter(kind=Job.Kind.SAFT_PACK)  # queued: no worker in this test
    assert job.account == cast.account and job.params["export"]
    assert "Globex" in page and "request it first" in page
    assert f'id="job-{job.pk}-progress"' in page
    ready_export(cast.other_account)
    client.post("/saft/pack/", PACK)
    assert Job.objects.filter(kind=Job.Kind.SAFT_PACK).count() == 3


@pytest.mark.parametrize(("who", "status"), [("clerk", 403), ("viewer", 403), ("outsider", 404)])
def test_only_managers_build_a_pack(client, cast, who, status):
    ready_export(cast.account)
    client.force_login(getattr(cast, who))
    assert client.post("/c/acme/saft/pack/", PACK).status_code == status
    assert not Job.objects.exists()


def test_a_pack_is_downloaded_by_members_only(client, cast, tmp_path):
    job = Job.objects.create(
        account=cast.account,
        kind=Job.Kind.SAFT_PACK,
        status="done",
        params={"year": 2026, "month": 10},
    )
    job.result_file.save("pack.zip", io.BytesIO(b"PK\x05\x06" + b"\0" * 18))
    url = f"/c/acme/saft/packs/{job.pk}/download/"
    client.force_login(cast.viewer)
    assert client.get(url).status_code == 200
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    assert client.get(f"/c/globex/saft/packs/{job.pk}/download/").status_code == 404
    other = Job.objects.create(account=cast.account, kind=Job.Kind.BULK_FINALIZE, status="done")
    client.force_login(cast.viewer)
    assert client.get(f"/c/acme/saft/packs/{other.pk}/download/").status_code == 404
