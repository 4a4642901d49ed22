"""Every view whose answer depends on HX-Request says so (Vary) and keeps it out of caches.

One URL answers a page or a fragment: without `Vary: HX-Request` a browser or proxy cache
could hand the fragment to a full page load (or the page to htmx). The views run against
the sandbox over real HTTP, each asked once as a page and once by htmx.
"""

from __future__ import annotations

import uuid

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django_htmx.middleware import HtmxMiddleware

from invoices.htmx import private_response, render_page_or_fragment
from invoices.models.submissions import Submission
from saft.models import SaftExport
from tests.lifecycle.helpers import HTMX, create_draft

MODES = pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])


def assert_private_and_varies(response) -> None:
    assert "HX-Request" in response["Vary"]
    assert "HX-History-Restore-Request" in response["Vary"]
    assert response["Cache-Control"] == "private, no-store"


@pytest.fixture
def manager(client, live_company):
    client.force_login(live_company.manager)
    return client


@MODES
@pytest.mark.parametrize(
    "url",
    [
        "/c/acme/documents/",
        "/c/acme/documents/new/",
        "/c/acme/documents/finalize/",
        "/c/acme/sequences/",
        "/c/acme/sequences/new/",
        "/c/acme/audit/",
    ],
)
def test_each_company_page_that_has_a_fragment_varies_on_hx_request(manager, url, headers):
    response = manager.get(url, headers=headers)
    assert response.status_code == 200
    assert_private_and_varies(response)


@MODES
@pytest.mark.parametrize("tail", ["", "finalize/", "header/", "pdf/"])
def test_each_document_view_varies_on_hx_request(manager, live_company, tail, headers):
    draft = create_draft(live_company)
    response = manager.get(f"/c/acme/documents/invoices/{draft.id}/{tail}", headers=headers)
    assert response.status_code in (200, 302)
    assert_private_and_varies(response)


@MODES
def test_the_submission_status_varies_on_hx_request(manager, live_company, headers):
    submission = Submission.objects.create(
        account=live_company.account,
        user=live_company.manager,
        token=uuid.uuid4(),
        document_type="invoices",
        payload={},
    )
    response = manager.get(f"/c/acme/documents/new/{submission.token}/", headers=headers)
    assert response.status_code == 200
    assert_private_and_varies(response)


@MODES
def test_the_bulk_finalize_answer_varies_on_hx_request(manager, live_company, headers):
    draft = create_draft(live_company)
    response = manager.post(
        "/c/acme/documents/finalize/", {"documents": [str(draft.id)]}, headers=headers
    )
    # htmx gets the progress fragment; a plain post goes to the job's page.
    assert response.status_code == (200 if headers else 302)
    assert_private_and_varies(response)


@MODES
@pytest.mark.parametrize("overview", [False, True], ids=["company", "overview"])
def test_a_saft_export_row_varies_on_hx_request(manager, live_company, overview, headers):
    export = SaftExport.objects.create(account=live_company.account, year=2026, month=1)
    export.mark_failed([{"text": "The test failed it."}])
    url = f"/saft/exports/{export.pk}/" if overview else f"/c/acme/saft/{export.pk}/"
    response = manager.get(url, headers=headers)
    assert response.status_code in (200, 302)
    assert_private_and_varies(response)


def _request(headers: dict[str, str]):
    request = RequestFactory().get("/", headers=headers)
    HtmxMiddleware(lambda r: HttpResponse())(request)
    return request


@pytest.mark.parametrize(
    ("headers", "template"),
    [
        ({}, "page"),
        (HTMX, "fragment"),
        ({**HTMX, "HX-History-Restore-Request": "true"}, "page"),
    ],
)
def test_the_helper_picks_the_fragment_only_for_htmx_and_never_for_a_history_restore(
    headers, template, monkeypatch
):
    chosen = []
    monkeypatch.setattr(
        "invoices.htmx.render",
        lambda request, name, context, status: chosen.append(name) or HttpResponse(status=status),
    )
    response = render_page_or_fragment(
        _request(headers), page="page", fragment="fragment", context={}
    )
    assert chosen == [template]
    assert_private_and_varies(response)


def test_private_response_keeps_a_vary_the_response_already_had():
    response = HttpResponse()
    response["Vary"] = "Cookie"
    private_response(response)
    assert response["Vary"].split(", ") == ["Cookie", "HX-Request", "HX-History-Restore-Request"]
    assert response["Cache-Control"] == "private, no-store"
