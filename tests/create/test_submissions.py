"""Submissions without the sandbox: unreachable upstream, pending, abandoned and refused.

Acme points at a port nothing listens on, so a valid form's outcome is "unknown"; the other
states are made directly in the database.
"""

import re
import uuid

import pytest

from invoices.models import AuditEntry
from invoices.models.submissions import Submission
from invoices.sentences import sentence
from tests.create.helpers import HTMX, URL, form_data, serve_company_lists


@pytest.fixture(autouse=True)
def company_lists(monkeypatch):
    """Acme's taxes and series, as the shared cache would hold them."""
    yield from serve_company_lists(monkeypatch)


@pytest.fixture
def clerk(client, cast):
    client.force_login(cast.clerk)
    return client


# ---- a valid form reaches upstream: here it is unreachable --------------------------------


def test_when_upstream_cannot_be_reached_the_outcome_is_unknown_and_retry_is_offered(clerk, cast):
    data = form_data()
    response = clerk.post(URL, data, follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [(f"{URL}{data['token']}/", 302)]
    assert response.status_code == 200
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.UNKNOWN
    assert submission.user == cast.clerk
    assert 'id="retry-submission"' in html
    assert f"/c/acme/documents/new/{data['token']}/retry/" in html
    assert 'id="submit-document"' not in html
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.outcome, entry.document_type) == (
        "document.create",
        "unknown",
        "Invoice",
    )
    assert "acme-key" not in entry.detail


# ---- submissions another request is still sending, or that were refused -----------------


def make_submission(cast, token, *, status, payload=None, age=None, document_id=None):
    from django.utils import timezone

    submission = Submission.objects.create(
        account=cast.account, token=token, user=cast.clerk, document_type="invoices",
        payload=payload or {}, status=status, document_id=document_id,
    )  # fmt: skip
    if age is not None:
        Submission.objects.filter(pk=submission.pk).update(updated_at=timezone.now() - age)
    return submission


def test_a_submit_while_another_request_is_sending_waits_then_says_it_is_being_created(
    clerk, cast, settings
):
    settings.IXPORTAL_SUBMISSION_WAIT = 0.3
    data = form_data()
    make_submission(cast, data["token"], status="pending")
    response = clerk.post(URL, data, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This document is being created." in html
    status_url = f"/c/acme/documents/new/{data['token']}/"
    assert f'hx-get="{status_url}"' in html and 'hx-trigger="every 2s' in html
    assert not AuditEntry.objects.exists()  # nothing was sent by this request

    # The poll answers the panel while pending, then sends the browser to the document.
    panel = clerk.get(status_url, headers=HTMX).content.decode()
    assert panel.lstrip().startswith('<div id="submission-status"')
    Submission.objects.filter(token=data["token"]).update(status="created", document_id=77)
    response = clerk.get(status_url, headers=HTMX)
    assert response["HX-Redirect"] == "/c/acme/documents/invoices/77/"
    assert clerk.get(status_url)["Location"] == "/c/acme/documents/invoices/77/"


def test_a_retry_of_a_submission_that_is_still_being_sent_does_not_send_it_again(
    clerk, cast, settings
):
    settings.IXPORTAL_SUBMISSION_WAIT = 0.1
    token = uuid.uuid4()
    make_submission(cast, token, status="pending", payload={"client": {"name": "X"}})
    html = clerk.post(f"{URL}{token}/retry/", follow=True).content.decode()
    assert "This document is being created." in html
    assert Submission.objects.get().status == "pending"
    assert not AuditEntry.objects.exists()


def test_an_abandoned_pending_submission_can_be_retried(clerk, cast):
    import datetime as dt

    token = uuid.uuid4()
    payload = {"date": "21/11/2026", "due_date": "21/11/2026", "client": {"name": "X"}, "items": []}
    make_submission(cast, token, status="pending", payload=payload, age=dt.timedelta(minutes=5))
    clerk.post(f"{URL}{token}/retry/")
    # It was sent again (here: unreachable, so unknown again, and recorded).
    assert Submission.objects.get().status == "unknown"
    assert AuditEntry.objects.get().outcome == "unknown"


def test_only_one_of_two_simultaneous_retries_claims_the_resend(cast):
    first = make_submission(cast, uuid.uuid4(), status="unknown")
    second = Submission.objects.get(pk=first.pk)
    assert first.claim_retry() is True
    assert second.claim_retry() is False
    assert Submission.objects.get().status == "pending"


def test_a_created_or_refused_submission_is_never_reclaimed(cast):
    created = make_submission(cast, uuid.uuid4(), status="created", document_id=3)
    refused = make_submission(cast, uuid.uuid4(), status="failed")
    assert not created.claim_retry() and not refused.claim_retry()
    assert not created.mark_unknown([sentence("x")])  # outcomes move a pending row only
    assert Submission.objects.get(pk=created.pk).status == "created"


def test_the_page_of_a_refused_submission_shows_the_refusal_and_a_fresh_token(clerk, cast):
    token = uuid.uuid4()
    payload = {
        "date": "21/11/2026", "due_date": "21/12/2026", "sequence_id": "101",
        "client": {"name": "Maria Silva", "country": "Portugal"},
        "items": [{"name": "Consulting", "quantity": "2", "unit_price": "10", "unit": "hour",
                   "discount": "0", "tax": {"name": "IVA23"}}],
    }  # fmt: skip
    submission = make_submission(cast, token, status="failed", payload=payload)
    Submission.objects.filter(pk=submission.pk).update(
        sentences=[sentence("InvoiceXpress refused it (422).")], said="nope."
    )
    html = clerk.get(f"{URL}{token}/").content.decode()
    assert "InvoiceXpress refused it (422). InvoiceXpress said: “nope.”" in html
    assert 'value="Maria Silva"' in html and 'name="items-0-quantity" value="2"' in html
    assert re.search(r'<option value="8" selected>', html)  # the series, found from its counter
    new_token = re.search(r'name="token" value="([^"]+)"', html)[1]
    assert new_token != str(token)
    # An htmx poll that finds it refused reloads the page to show that.
    response = clerk.get(f"{URL}{token}/", headers=HTMX)
    assert response["HX-Redirect"] == f"{URL}{token}/"


def test_a_second_submit_of_the_same_token_never_reaches_upstream_again(clerk, cast):
    data = form_data()
    clerk.post(URL, data)  # unreachable: unknown
    clerk.post(URL, data)  # same token: shows the same outcome, sends nothing
    assert Submission.objects.count() == 1
    assert AuditEntry.objects.count() == 1
