"""Against the sandbox: refusals, unknown outcomes and retries; nothing is created twice.

Faults are injected into the sandbox (`sandbox.faults`); every test counts sandbox
documents, submissions and audit entries to prove what was sent, and how often.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid

import pytest
from django.test import override_settings
from django.utils import timezone

from invoices.models import AuditEntry
from invoices.models.submissions import Submission
from sandbox import faults
from sandbox.models import SandboxDocument
from tests.create.helpers import (
    HTMX,
    URL,
    fresh_form,
    fresh_live_cache,
    live_form_data,
    only_document,
)


def form_data(token: str, series: str, **changes) -> dict[str, str]:
    """Dated today: the draft-date check then needs no list call, so a fault injected on
    invoices.json hits the create itself."""
    today = timezone.localdate()
    changes.setdefault("date", f"{today:%d/%m/%Y}")
    changes.setdefault("due_date", f"{today + dt.timedelta(days=30):%d/%m/%Y}")
    return live_form_data(token, series, **changes)


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    yield from fresh_live_cache(settings)


@pytest.fixture
def clerk(client, live_company):
    client.force_login(live_company.clerk)
    return client


# ---- refusals the form cannot foresee: every 422 body shape keeps the input ----------------


@pytest.mark.parametrize(
    ("mode", "said"),
    [
        ("422_a", "Your current plan does not allow you to do this"),
        ("422_b", "Your current plan does not allow you to do this"),
        ("422_c", "Your current plan does not allow you to do this"),
        ("422_d", "name não está disponível"),
        ("422_xml", "Your current plan does not allow you to do this"),
        ("422_html", ""),  # a web page: nothing of the service's own to quote
    ],
)
def test_a_refusal_in_any_body_shape_is_shown_on_the_form_with_all_input_kept(
    clerk, live_company, mode, said
):
    token, series, _ = fresh_form(clerk)
    faults.inject("acme", mode, count=1, path_prefix="invoices.json")
    data = form_data(
        token, series, items=[{"name": "Consultoria"}, {"name": "Deslocação", "unit_price": "35"}]
    )
    response = clerk.post(URL, data, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    # Our sentence in the reader's language; the service's words quoted as it sent them.
    assert "InvoiceXpress refused it (422)." in html
    if said:
        assert f"InvoiceXpress said: “{said}" in html
    else:
        assert "InvoiceXpress said" not in html
    for value in (
        "Maria Silva",
        "C-001",
        "123 456 789",
        "Rua Augusta, 10",
        "1100-053",
        "PO-77",
        "Deslocação",
        "50,5",
    ):
        assert value in html
    new_token = re.search(r'name="token" value="([^"]+)"', html)[1]
    assert new_token != token  # a refused token is spent; the corrected form gets a new one
    submission = Submission.objects.get()
    assert (submission.status, submission.document_id) == ("failed", None)
    assert AuditEntry.objects.get().outcome == "failed"
    assert not SandboxDocument.objects.exists()

    # Correcting and sending again creates it, once.
    data["token"] = new_token
    response = clerk.post(URL, data)
    assert response.status_code == 302
    only_document(live_company)


def test_a_double_click_on_a_refused_form_shows_the_refusal_again_without_resending(
    clerk, live_company
):
    token, series, _ = fresh_form(clerk)
    faults.inject("acme", "422_a", count=1, path_prefix="invoices.json")
    data = form_data(token, series)
    clerk.post(URL, data)
    html = clerk.post(URL, data).content.decode()  # the second click, same token
    assert "Your current plan does not allow you to do this" in html
    assert Submission.objects.count() == 1
    assert AuditEntry.objects.count() == 1  # one upstream call only
    assert not SandboxDocument.objects.exists()


def test_an_unknown_upstream_failure_is_never_a_500(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    faults.inject("acme", "html", count=1, path_prefix="invoices.json")
    response = clerk.post(URL, form_data(token, series), follow=True)
    assert response.redirect_chain == [(f"{URL}{token}/", 302)]  # reload keeps the retry
    assert response.status_code == 200
    assert Submission.objects.get().status == "unknown"
    assert "Retry safely" in response.content.decode()


# ---- never twice -------------------------------------------------------------------------


def test_a_resubmit_or_back_button_returns_the_same_document(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    data = form_data(token, series)
    first = clerk.post(URL, data)
    again = clerk.post(URL, data)
    # The back button shows the old form; adding a line there and creating again:
    data_after_back = {**data, "items-0-name": "Consultoria"}
    third = clerk.post(URL, data_after_back, headers=HTMX)
    doc = only_document(live_company)
    assert (
        first["Location"]
        == again["Location"]
        == third["HX-Redirect"]
        == f"/c/acme/documents/invoices/{doc.pk}/"
    )
    assert Submission.objects.count() == 1
    assert AuditEntry.objects.count() == 1


def test_a_timeout_then_a_retry_creates_exactly_one_document(clerk, live_company):
    token, series, _ = fresh_form(clerk)  # taxes and series are cached from here on
    # The sandbox sleeps past our read timeout, then creates the document anyway.
    faults.inject("acme", "timeout", count=1, path_prefix="invoices.json", timeout_seconds=1.0)
    with override_settings(IXPORTAL_READ_TIMEOUT=0.5):
        response = clerk.post(URL, form_data(token, series), headers=HTMX)
    html = response.content.decode()
    submission = Submission.objects.get()
    assert submission.status == "unknown"
    assert (
        "did not answer in time" in html
        and "We do not know yet whether the document was created" in html
    )
    retry_url = f"/c/acme/documents/new/{token}/retry/"
    assert f'formaction="{retry_url}"' in html
    assert AuditEntry.objects.get().outcome == "unknown"

    wait_for(lambda: SandboxDocument.objects.filter(proprietary_uid=token).exists())
    # The retry resends the same proprietary_uid: 409, resolved to the first document.
    response = clerk.post(retry_url, {}, headers=HTMX)
    doc = only_document(live_company)
    assert response["HX-Redirect"] == f"/c/acme/documents/invoices/{doc.pk}/"
    submission.refresh_from_db()
    assert (submission.status, submission.document_id) == ("created", doc.pk)
    assert submission.sentences[0]["msgid"].startswith("An earlier attempt had already created it")
    assert "409" in submission.message_text
    assert list(AuditEntry.objects.order_by("pk").values_list("outcome", "document_id")) == [
        ("unknown", None),
        ("ok", doc.pk),
    ]
    # Retrying again, or resubmitting the old form, still lands on the same document.
    assert clerk.post(retry_url)["Location"] == f"/c/acme/documents/invoices/{doc.pk}/"
    assert (
        clerk.post(URL, form_data(token, series))["Location"]
        == f"/c/acme/documents/invoices/{doc.pk}/"
    )
    assert AuditEntry.objects.count() == 2


def test_a_retry_after_a_request_that_never_arrived_creates_it(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    faults.inject("acme", "503", count=1, path_prefix="invoices.json")
    clerk.post(URL, form_data(token, series))
    assert Submission.objects.get().status == "unknown"
    assert not SandboxDocument.objects.exists()
    response = clerk.post(f"/c/acme/documents/new/{token}/retry/")
    doc = only_document(live_company)
    assert response["Location"] == f"/c/acme/documents/invoices/{doc.pk}/"
    assert doc.proprietary_uid == token


def test_the_status_page_of_an_unknown_submission_offers_the_retry_with_the_form_rebuilt(
    clerk, live_company
):
    token, series, _ = fresh_form(clerk)
    faults.inject("acme", "503", count=1, path_prefix="invoices.json")
    clerk.post(URL, form_data(token, series))
    html = clerk.get(f"{URL}{token}/").content.decode()
    assert 'id="retry-submission"' in html
    assert 'value="Maria Silva"' in html and 'name="items-0-unit_price" value="50.5"' in html
    assert re.search(rf'<option value="{series}" selected>', html)


def test_a_409_is_resolved_to_this_forms_document_not_a_look_alike(clerk, live_company):
    # An identical draft made earlier by another form of this company:
    token_a, series, _ = fresh_form(clerk)
    clerk.post(URL, form_data(token_a, series))
    first = SandboxDocument.objects.get()
    # This form's first attempt arrived, but its answer was lost:
    token_b, _, _ = fresh_form(clerk)
    payload = Submission.objects.get(token=token_a).payload
    ours = live_company.account.client().create_document(
        "invoices", payload, proprietary_uid=token_b
    )
    response = clerk.post(URL, form_data(token_b, series))
    assert response["Location"] == f"/c/acme/documents/invoices/{ours.id}/"
    assert ours.id != first.pk
    assert SandboxDocument.objects.count() == 2


def test_a_409_with_several_identical_unclaimed_drafts_is_not_guessed(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    data = form_data(token, series)
    api = live_company.account.client()
    # Two identical drafts made outside this form; one of them carries this form's uid.
    clerk.post(URL, data)
    payload = Submission.objects.get().payload
    Submission.objects.all().delete()  # as if that first one came from elsewhere
    SandboxDocument.objects.update(proprietary_uid=None)
    api.create_document("invoices", payload, proprietary_uid=token)
    response = clerk.post(URL, data, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 identical drafts match it" in html
    assert Submission.objects.get().status == "unknown"
    assert SandboxDocument.objects.count() == 2


def test_a_draft_whose_lines_differ_is_not_taken_for_ours(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    data = form_data(token, series)
    clerk.post(
        URL, form_data(str(uuid.uuid4()), series, items=[{"name": "Consultoria", "quantity": "3"}])
    )
    SandboxDocument.objects.update(proprietary_uid=token)  # the uid is taken, by a different draft
    Submission.objects.all().delete()
    html = clerk.post(URL, data, follow=True).content.decode()
    assert "does not show in its list yet" in html
    assert Submission.objects.get().status == "unknown"


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


# ---- the API key stays secret, even on a timeout -------------------------------------------


def test_no_page_or_log_shows_the_api_key(clerk, live_company, caplog):
    token, series, _ = fresh_form(clerk)
    faults.inject("acme", "timeout", count=1, path_prefix="invoices.json", timeout_seconds=0.3)
    with override_settings(IXPORTAL_READ_TIMEOUT=0.1):
        html = clerk.post(URL, form_data(token, series)).content.decode()
    assert "acme-key" not in html
    assert "acme-key" not in caplog.text
    assert all("acme-key" not in e.detail for e in AuditEntry.objects.all())
    time.sleep(0.4)  # let the sandbox finish before the database is flushed
