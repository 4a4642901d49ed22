"""What the audit log keeps of a write on a series: our sentences as codes with parameters
(shown in the reader's language), InvoiceXpress's own words apart (quoted, never
translated)."""

from __future__ import annotations

import pytest
from django.conf import settings

from sandbox import faults
from tests.sequences.helpers import (
    HTMX,
    LIST,
    code_of,
    only_audit_entry,
    register_url,
    sandbox_series,
    set_default_url,
)

CONFIRM = {"confirm_registration": "on"}
AUDIT = "/c/acme/audit/"


@pytest.fixture
def live(live_company, client):
    client.force_login(live_company.manager)
    live_company.client = client
    return live_company


def speak_portuguese(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pt-pt"


def test_a_registration_is_stored_as_codes_and_read_in_portuguese(live):
    series = sandbox_series(live, "P", registered=False)
    speak_portuguese(live.client)
    html = live.client.post(register_url(series), CONFIRM, headers=HTMX).content.decode()
    assert "Série “P” comunicada à Autoridade Tributária." in html  # the page, in its language
    entry = only_audit_entry("sequence.register")
    code = code_of(series, "invoice")
    assert entry.sentences[0] == {
        "msgid": "Series “%(serie)s” registered with the Tax Authority.",
        "params": {"serie": "P"},
    }
    assert entry.sentences[1]["msgid"] == "Invoice validation code %(code)s, next ATCUD %(atcud)s."
    assert entry.sentences[1]["params"]["code"] == code
    audit = live.client.get(AUDIT).content.decode()
    assert "Série “P” comunicada à Autoridade Tributária." in audit
    assert f"Código de validação das faturas {code}" in audit
    assert "registered with the Tax Authority" not in audit


def test_a_refused_registration_keeps_the_services_words_apart(live):
    series = sandbox_series(live, "T", registered=False)
    faults.inject("acme", "sequence_000")
    live.client.post(register_url(series), CONFIRM, headers=HTMX)
    entry = only_audit_entry("sequence.register")
    assert entry.sentences == [
        {
            "msgid": "InvoiceXpress could not register the series “%(serie)s”: unknown error "
            "(code 000). Try again in a few minutes; if it keeps failing, contact InvoiceXpress "
            "support.",
            "params": {"serie": "T"},
        }
    ]
    assert entry.detail == "Unknown error."
    speak_portuguese(live.client)
    audit = live.client.get(AUDIT).content.decode()
    assert "O InvoiceXpress não conseguiu comunicar a série “T”" in audit
    assert "O InvoiceXpress disse: «Unknown error.»" in audit


def test_a_set_default_without_an_answer_is_stored_as_codes(live):
    series = sandbox_series(live, "X")
    live.client.get(LIST)
    faults.inject("acme", "503", path_prefix=f"sequences/{series.pk}/set_current.json")
    live.client.post(set_default_url(series), headers=HTMX)
    entry = only_audit_entry("sequence.set_default")
    assert [item["msgid"] for item in entry.sentences] == [
        "InvoiceXpress failed (error %(status)s).",
        "Refresh the list to see whether the change was made before trying again.",
    ]
    speak_portuguese(live.client)
    audit = live.client.get(AUDIT).content.decode()
    assert "O InvoiceXpress falhou (erro 503). Antes de tentar novamente, atualize a lista" in audit
