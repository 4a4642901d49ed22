"""The job pages: a job's page, its progress bar (polling only while it runs), the list."""

from __future__ import annotations

import pytest

from invoices.jobs.models import Job, JobItem

HTMX = {"HX-Request": "true"}


@pytest.fixture
def job(cast):
    job = Job.objects.create(
        account=cast.account, started_by=cast.manager, kind=Job.Kind.BULK_FINALIZE, total=2
    )
    JobItem.objects.create(job=job, position=0, key="11", data={"label": "Invoice 11"})
    JobItem.objects.create(job=job, position=1, key="12", data={"label": "Invoice 12"})
    return job


def test_a_running_jobs_progress_bar_polls_itself(client, cast, job):
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, done=1)
    client.force_login(cast.clerk)
    html = client.get(f"/c/acme/jobs/{job.pk}/progress/", headers=HTMX).content.decode()
    assert html.lstrip().startswith(f'<div id="job-{job.pk}-progress"')
    assert f'hx-get="/c/acme/jobs/{job.pk}/progress/"' in html and "hx-trigger=" in html
    assert 'hx-swap="outerHTML"' in html and "1 of 2" in html and 'value="1" max="2"' in html


def test_a_finished_jobs_progress_bar_stops_polling_and_says_so(client, cast, job):
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE, done=2, summary={"finalized": 1, "refused": 1}
    )
    client.force_login(cast.viewer)
    response = client.get(f"/c/acme/jobs/{job.pk}/progress/", headers=HTMX)
    html = response.content.decode()
    assert "hx-trigger" not in html and "2 of 2" in html
    assert 'data-outcome="finalized"' in html and 'data-outcome="refused"' in html
    assert response.headers["HX-Trigger"] == f'{{"jobFinished": {{"job": {job.pk}}}}}'


def test_the_jobs_page_shows_who_what_and_each_item(client, cast, job):
    JobItem.objects.filter(job=job, key="11").update(
        outcome="finalized", result={"number": "FT 2026/1", "atcud": "ABCD-1", "type": "invoices"}
    )
    client.force_login(cast.viewer)
    html = client.get(f"/c/acme/jobs/{job.pk}/").content.decode()
    assert f"Finalize drafts #{job.pk}" in html and "manager" in html
    assert 'data-item-key="11" data-outcome="finalized"' in html and "FT 2026/1" in html
    assert 'data-item-key="12" data-outcome="pending"' in html
    assert 'hx-trigger="jobFinished from:body"' in html
    fragment = client.get(f"/c/acme/jobs/{job.pk}/", headers=HTMX).content.decode()
    assert fragment.lstrip().startswith('<section id="job-items"')


def test_without_javascript_the_progress_url_leads_to_the_jobs_page(client, cast, job):
    client.force_login(cast.viewer)
    response = client.get(f"/c/acme/jobs/{job.pk}/progress/")
    assert response.status_code == 302 and response.url == f"/c/acme/jobs/{job.pk}/"


def test_managers_see_the_companys_recent_jobs(client, cast, job):
    other = Job.objects.create(account=cast.other_account, kind=Job.Kind.BULK_FINALIZE)
    client.force_login(cast.manager)
    html = client.get("/c/acme/jobs/").content.decode()
    assert f'data-job="{job.pk}"' in html and f'data-job="{other.pk}"' not in html


@pytest.mark.parametrize("who", ["clerk", "viewer"])
def test_only_managers_see_the_list(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get("/c/acme/jobs/").status_code == 403


@pytest.mark.parametrize("path", ["", "{pk}/", "{pk}/progress/"])
def test_an_outsider_never_sees_a_companys_jobs(client, cast, job, path):
    client.force_login(cast.outsider)
    url = "/c/acme/jobs/" + path.format(pk=job.pk)
    assert client.get(url).status_code == 404
    assert client.get(url, headers=HTMX).status_code == 404


def test_a_job_of_another_company_is_not_found_under_yours(client, cast):
    theirs = Job.objects.create(account=cast.other_account, kind=Job.Kind.BULK_FINALIZE)
    client.force_login(cast.manager)  # a manager of acme, not of globex
    assert client.get(f"/c/acme/jobs/{theirs.pk}/").status_code == 404
    assert client.get(f"/c/acme/jobs/{theirs.pk}/progress/", headers=HTMX).status_code == 404
    assert client.get(f"/c/globex/jobs/{theirs.pk}/").status_code == 404
