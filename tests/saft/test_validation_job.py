"""A file over the inline limits is validated by a background job, whose progress its row shows."""

from __future__ import annotations

from django.core.management import call_command

from invoices.jobs.models import Job
from saft.jobs import validation_start
from saft.models import SaftExport
from saft.services import export_request
from tests.saft.helpers import OCTOBER, ready_export


def test_a_month_over_the_inline_limit_is_validated_by_a_job_with_progress(october, settings):
    settings.IXPORTAL_SAFT_VALIDATE_INLINE_DOCUMENTS = 3  # the month has 4
    export = export_request(account=october.account, user=october.manager, period=OCTOBER).export
    export.refresh_from_db()
    # The immediate task backend ran the job as the archive step committed.
    job = export.validation_job
    assert job is not None and job.kind == Job.Kind.SAFT_VALIDATE
    assert job.status == Job.Status.DONE and job.account == october.account
    assert job.started_by == october.manager
    assert (job.done, job.total) == (4, 4)  # n of N documents
    assert export.is_validated and export.report.reconciliation.matches
    (item,) = job.items.all()
    assert item.outcome == export.validation and item.result["verdict"] == export.validation
    assert job.summary == {export.validation: 1}


def test_a_small_file_is_validated_inline_without_a_job(october):
    export = export_request(account=october.account, user=october.manager, period=OCTOBER).export
    export.refresh_from_db()
    assert export.is_validated and export.validation_job is None
    assert not Job.objects.filter(kind=Job.Kind.SAFT_VALIDATE).exists()


def test_saft_validate_still_checks_a_file_by_hand(october, settings):
    settings.IXPORTAL_SAFT_VALIDATE_INLINE_DOCUMENTS = 3
    export = export_request(account=october.account, user=october.manager, period=OCTOBER).export
    SaftExport.objects.filter(pk=export.pk).update(validation="unchecked", validation_report=None)
    call_command("saft_validate")
    export.refresh_from_db()
    assert export.is_validated


def test_the_row_shows_the_running_jobs_progress_and_reloads_when_it_ends(client, cast, settings, tmp_path):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path / "media"
    export = ready_export(cast.account)
    job = Job.objects.create(
        account=cast.account, kind=Job.Kind.SAFT_VALIDATE, status="running", total=40, done=10
    )
    SaftExport.objects.filter(pk=export.pk).update(validation_job=job)
    client.force_login(cast.viewer)
    page = client.get("/c/acme/saft/").content.decode()
    assert f'id="job-{job.pk}-progress"' in page
    assert 'value="10" max="40"' in page
    assert 'data-validation="validating"' in page
    assert 'hx-trigger="jobFinished from:body"' in page
    Job.objects.filter(pk=job.pk).update(status="done", done=40)
    page = client.get("/c/acme/saft/").content.decode()
    assert f'id="job-{job.pk}-progress"' not in page
    assert "jobFinished from:body" not in page


def test_a_job_for_an_export_that_has_no_file_skips_it(cast, django_capture_on_commit_callbacks):
    export = SaftExport.objects.create(account=cast.account, year=2026, month=10)
    with django_capture_on_commit_callbacks(execute=True):
        job = validation_start(export)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.summary == {"skipped": 1}


def test_the_periodic_job_starts_a_validation_for_a_file_nobody_checked(cast, fast_failures, django_capture_on_commit_callbacks):  # fmt: skip
    from invoices.jobs.runner import _every_tick
    from saft.jobs import validate_unchecked_exports

    assert validate_unchecked_exports in _every_tick  # registered by SaftConfig.ready
    export = ready_export(cast.account)  # archived, never validated, no job
    with django_capture_on_commit_callbacks(execute=True):
        assert validate_unchecked_exports() == 1
    export.refresh_from_db()
    assert export.validation_job is not None and export.is_validated
    assert export.validation_job.status == Job.Status.DONE
    # Checked now: the next tick leaves it alone.
    assert validate_unchecked_exports() == 0
