"""What a create stores about its outcome, on the submission and in the audit log: our
sentences as codes with parameters (shown in the reader's language), InvoiceXpress's own
words apart (quoted as it sent them, never translated)."""

from __future__ import annotations

import pytest
from django.conf import settings

from invoices.models import AuditEntry
from invoices.models.submissions import Submission
from sandbox import faults
from sandbox.faults import REJECT_MESSAGE
from tests.create.helpers import HTMX, URL, fresh_form, fresh_live_cache
from tests.create.test_live_outcomes import form_data

REFUSED = {"msgid": "InvoiceXpress refused it (422).", "params": {"status": 422}}


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    yield from fresh_live_cache(settings)


@pytest.fixture
def clerk(client, live_company):
    client.force_login(live_company.clerk)
    return client


def speak_portuguese(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pt-pt"


def test_a_refusal_is_stored_as_codes_and_the_services_words_apart(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    faults.inject("acme", "422_a", count=1, path_prefix="invoices.json")
    clerk.post(URL, form_data(token, series), headers=HTMX)
    submission = Submission.objects.get()
    assert (submission.sentences, submission.said) == ([REFUSED], REJECT_MESSAGE)
    entry = AuditEntry.objects.get()
    assert entry.sentences == [REFUSED, {"msgid": "(request %(uid)s)", "params": {"uid": token}}]
    assert entry.detail == REJECT_MESSAGE


def test_a_refusal_reads_in_portuguese_with_the_services_words_quoted(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    faults.inject("acme", "422_a", count=1, path_prefix="invoices.json")
    clerk.post(URL, form_data(token, series), headers=HTMX)

    speak_portuguese(clerk)
    form = clerk.get(f"{URL}{token}/").content.decode()
    assert f"O InvoiceXpress recusou-o (422). O InvoiceXpress disse: «{REJECT_MESSAGE}»" in form
    assert "refused it" not in form

    clerk.force_login(live_company.manager)
    audit = clerk.get("/c/acme/audit/").content.decode()
    assert f"O InvoiceXpress recusou-o (422). (pedido {token})" in audit
    assert f"O InvoiceXpress disse: «{REJECT_MESSAGE}»" in audit


def test_an_unknown_outcome_reads_in_the_readers_language(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    faults.inject("acme", "503", count=None, path_prefix="invoices.json")
    clerk.post(URL, form_data(token, series), headers=HTMX)
    submission = Submission.objects.get()
    assert submission.status == "unknown"
    assert [item["msgid"] for item in submission.sentences] == [
        "InvoiceXpress failed (error %(status)s).",
        "We do not know whether InvoiceXpress created the document. Retry safely: the same "
        "request is sent again, and it can never create a second document.",
    ]
    assert submission.sentences[0]["params"] == {"status": 503}
    assert submission.said == ""  # a web page: nothing of the service's own to quote

    status_url = f"{URL}{token}/"
    english = clerk.get(status_url).content.decode()
    assert "InvoiceXpress failed (error 503). We do not know whether" in english
    speak_portuguese(clerk)
    portuguese = clerk.get(status_url).content.decode()
    assert "O InvoiceXpress falhou (erro 503). Não sabemos se o InvoiceXpress criou" in portuguese
    assert "We do not know" not in portuguese and "disse" not in portuguese
