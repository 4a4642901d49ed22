"""QA findings on the create flow, without the sandbox: the address bar of an unknown or
pending submission, series not registered with the Tax Authority, and the role-aware message
after a draft is created. (Credit notes against their invoice: test_document_create_live_qa.py.)
"""

import uuid

import pytest
from django.contrib.messages import get_messages

from invoices import company_cache
from invoices.invoicexpress.sequences import Sequence, SequenceCounter
from invoices.models.submissions import Submission
from tests.create.helpers import HTMX, SEQUENCES, URL, form_data, serve_company_lists

# A series whose invoice counter is not registered (N/D); its credit notes are.
LOJA2 = Sequence(
    id=9,
    serie="LOJA2",
    is_default=False,
    counters=(
        SequenceCounter(type_key="invoice", number=0, sequence_id="201", validation_code="N/D"),
        SequenceCounter(
            type_key="credit_note", number=0, sequence_id="202", validation_code="CD34"
        ),
    ),
)


@pytest.fixture(autouse=True)
def company_lists(monkeypatch):
    """Acme's taxes and series as the shared cache would hold them, plus LOJA2."""
    lists = serve_company_lists(monkeypatch)
    refreshed = next(lists)
    monkeypatch.setattr(
        company_cache, "get_sequences", lambda account, refresh=False: [*SEQUENCES, LOJA2]
    )
    yield refreshed
    next(lists, None)


@pytest.fixture
def clerk(client, cast):
    client.force_login(cast.clerk)
    return client


# ---- 1. an unknown or pending outcome puts the submission's URL in the address bar ---------


def test_a_plain_post_with_an_unknown_outcome_redirects_to_the_submission(clerk):
    data = form_data()
    response = clerk.post(URL, data)
    status_url = f"{URL}{data['token']}/"
    assert response.status_code == 302
    assert response["Location"] == status_url
    assert Submission.objects.get().status == "unknown"

    # Reloading that address shows the panel, its retry and what was sent; never a blank form.
    html = clerk.get(status_url).content.decode()
    assert 'id="retry-submission"' in html
    assert f'formaction="{status_url}retry/"' in html
    assert 'value="Maria Silva"' in html and 'id="submit-document"' not in html


def test_an_htmx_submit_with_an_unknown_outcome_pushes_the_submissions_url(clerk):
    data = form_data()
    response = clerk.post(URL, data, headers=HTMX)
    status_url = f"{URL}{data['token']}/"
    assert response.status_code == 200
    assert response["HX-Push-Url"] == status_url
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="document-form"')
    assert 'id="retry-submission"' in html


def test_a_pending_outcome_pushes_the_submissions_url_too(clerk, cast, settings):
    settings.IXPORTAL_SUBMISSION_WAIT = 0.1
    data = form_data()
    Submission.objects.create(
        account=cast.account, token=data["token"], user=cast.clerk, document_type="invoices"
    )
    status_url = f"{URL}{data['token']}/"
    response = clerk.post(URL, data, headers=HTMX)
    assert response["HX-Push-Url"] == status_url
    assert "This document is being created." in response.content.decode()
    assert clerk.post(URL, data)["Location"] == status_url


def test_a_retry_that_ends_unknown_again_keeps_the_submissions_url(clerk):
    data = form_data()
    clerk.post(URL, data)
    retry_url = f"{URL}{data['token']}/retry/"
    assert clerk.post(retry_url)["Location"] == f"{URL}{data['token']}/"
    assert clerk.post(retry_url, headers=HTMX)["HX-Push-Url"] == f"{URL}{data['token']}/"


def test_back_to_the_submissions_url_restores_the_whole_page(clerk):
    data = form_data()
    clerk.post(URL, data)
    # The page is hx-history="false": htmx asks the server for the page itself on back.
    headers = {**HTMX, "HX-History-Restore-Request": "true"}
    html = clerk.get(f"{URL}{data['token']}/", headers=headers).content.decode()
    assert "<html" in html and 'id="retry-submission"' in html


# ---- 3. a series not registered with the Tax Authority -------------------------------------


def test_an_unregistered_series_is_labelled_in_the_dropdown(clerk):
    html = clerk.get(URL).content.decode()
    assert '<option value="9">LOJA2 — not registered (N/D)</option>' in html
    assert '<option value="8" selected>2026 (default)</option>' in html
    assert 'data-warning="sequence"' not in html  # the default series is registered


def test_choosing_an_unregistered_series_warns_next_to_the_field(clerk):
    data = form_data(sequence="9")
    del data["submit_document"]
    html = clerk.post(URL, data, headers=HTMX).content.decode()
    assert 'data-warning="sequence"' in html
    assert "register it on the Sequences page first" in html
    assert not Submission.objects.exists()
    # The same series for a type whose counter is registered: no warning.
    html = clerk.post(URL, {**data, "doc_type": "credit_notes"}, headers=HTMX).content.decode()
    assert 'data-warning="sequence"' not in html


def test_a_submit_on_an_unregistered_series_is_refused(clerk):
    response = clerk.post(URL, form_data(sequence="9"))
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "documents on a series not registered with the Tax Authority are refused when "
        "finalized; register it on the Sequences page first"
    ) in html
    assert 'class="invalid-feedback d-block">Series LOJA2 is not registered' in html
    assert not Submission.objects.exists()


# ---- 4. the message after a draft is created depends on the role ---------------------------


def created_submission(cast) -> Submission:
    return Submission.objects.create(
        account=cast.account, token=uuid.uuid4(), user=cast.clerk, document_type="invoices",
        status="created", document_id=77,
    )  # fmt: skip


def messages_after(client, url) -> list[str]:
    response = client.get(url)
    assert response["Location"] == "/c/acme/documents/invoices/77/"
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_clerk_is_told_a_manager_finalizes_the_draft(clerk, cast):
    submission = created_submission(cast)
    said = messages_after(clerk, f"{URL}{submission.token}/")
    assert said == ["Invoice created as a draft. Check it; a manager finalizes it."]


def test_a_manager_is_told_to_finalize_it_from_its_page(client, cast):
    client.force_login(cast.manager)
    submission = created_submission(cast)
    said = messages_after(client, f"{URL}{submission.token}/")
    assert said == ["Invoice created as a draft. Check it, then finalize it from this page."]
