"""The company's audit log page: managers only, this company only, newest first, paginated."""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from invoices.invoicexpress.document_types import document_type
from invoices.models import AuditEntry

URL = "/c/acme/audit/"
HTMX = {"HX-Request": "true"}


def record(account, user, *, outcome="ok", document_id=None, target="Invoice for Maria", detail=""):
    return AuditEntry.record(
        account=account, user=user, action="document.create", outcome=outcome,
        document_type="Invoice", document_id=document_id, target=target,
        sentences=[{"text": detail}] if detail else None,  # as written before codes
    )  # fmt: skip


@pytest.mark.parametrize("who", ["clerk", "viewer"])
def test_it_is_for_managers_only(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(URL).status_code == 403


def test_it_hides_the_company_from_outsiders(client, cast):
    client.force_login(cast.outsider)
    assert client.get(URL).status_code == 404
    client.force_login(cast.superuser)
    assert client.get(URL).status_code == 404


def test_it_sends_anonymous_users_to_log_in(client, cast):
    assert client.get(URL)["Location"].startswith("/accounts/login/")


def test_it_shows_who_did_what_with_a_link_to_the_document(client, cast):
    record(cast.account, cast.clerk, document_id=42, detail="(request abc)")
    record(
        cast.account,
        cast.clerk,
        outcome="failed",
        target="Credit note for Zé",
        detail="InvoiceXpress refused",
    )
    client.force_login(cast.manager)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/c/acme/documents/invoices/42/">Invoice #42</a>' in html
    assert "Credit note for Zé" in html and "InvoiceXpress refused" in html
    assert html.count('class="audit-entry"') == 2
    assert re.search(r'data-outcome="failed".*data-outcome="ok"', html, re.S)  # newest first


def test_it_lists_only_this_companys_entries(client, cast):
    record(cast.account, cast.clerk, target="ours")
    record(cast.other_account, cast.outsider, target="theirs")
    client.force_login(cast.manager)
    html = client.get(URL).content.decode()
    assert "ours" in html and "theirs" not in html


def test_it_pages_fifty_at_a_time_newest_first(client, cast):
    start = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
    for i in range(55):
        with time_machine.travel(start + dt.timedelta(minutes=i), tick=False):
            record(cast.account, cast.clerk, target=f"entry {i:02d}")
    client.force_login(cast.manager)
    first = client.get(URL).content.decode()
    assert first.count('class="audit-entry"') == 50
    assert first.index("entry 54") < first.index("entry 53")
    assert "entry 04" not in first
    assert 'href="?page=2" hx-get="?page=2"' in first
    second = client.get(URL, {"page": "2"}, headers=HTMX).content.decode()
    assert second.lstrip().startswith('<div id="audit-table"')
    assert second.count('class="audit-entry"') == 5
    assert "entry 04" in second and "entry 00" in second
    # A page number that is no number, or too far, still answers.
    assert client.get(URL, {"page": "x"}).status_code == 200
    assert client.get(URL, {"page": "99"}).status_code == 200


def test_an_empty_log_says_so(client, cast):
    client.force_login(cast.manager)
    assert "Nothing has been recorded" in client.get(URL).content.decode()


def test_the_nav_links_to_it_for_managers(client, cast):
    client.force_login(cast.manager)
    assert 'href="/c/acme/audit/"' in client.get(URL).content.decode()


def test_entries_cannot_be_changed_or_deleted(cast):
    entry = record(cast.account, cast.clerk)
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        AuditEntry.objects.filter(pk=entry.pk).update(outcome="failed")
    with pytest.raises(ValidationError):
        AuditEntry.objects.all().delete()


# ---- one language: codes and parameters, translated when shown ------------------------------


def _entry(account, user, **kwargs):
    from invoices.sentences import sentence, word

    return AuditEntry.record(
        account=account,
        user=user,
        action="document.cancel",
        outcome="failed",
        target="FT 2025/7",
        sentences=[
            sentence("%(number)s was canceled.", number="FT 2025/7"),
            sentence(
                "Check again first: we cannot tell whether the document was %(verb)s.",
                verb=word("finalized"),
            ),
        ],
        **kwargs,
    )


def test_every_action_code_written_anywhere_has_a_label():
    import pathlib

    from invoices.models.audit import ACTION_LABELS

    root = pathlib.Path(__file__).resolve().parents[2]
    written = set()
    for package in ("invoices", "saft"):
        for path in (root / package).rglob("*.py"):
            written.update(
                re.findall(
                    r'"((?:document|payment|receipt|sequence|saft|account)\.[a-z_]+)"',
                    path.read_text(),
                )
            )
    written -= {"document.html", "saft.zip", "saft.xml", "receipt.pdf"}  # file names
    assert written and written <= set(ACTION_LABELS), written - set(ACTION_LABELS)


def test_the_page_shows_labels_not_codes_and_our_sentences_in_the_readers_language(client, cast):
    _entry(cast.account, cast.manager, said="Document can't be canceled: it has a receipt.")
    client.force_login(cast.manager)
    english = client.get(URL).content.decode()
    assert "document.cancel" not in english.replace('data-action="document.cancel"', "")
    assert ">Canceled</td>" in english
    assert (
        "FT 2025/7 was canceled. Check again first: we cannot tell whether the document was finalized."
        in english
    )
    # The service's own words are quoted as such, never translated.
    assert "InvoiceXpress said: “Document can&#x27;t be canceled: it has a receipt.”" in english

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pt-pt"
    portuguese = client.get(URL).content.decode()
    assert "FT 2025/7 foi anulado." in portuguese and "finalizado" in portuguese
    assert "was canceled" not in portuguese
    assert "Document can&#x27;t be canceled: it has a receipt." in portuguese


def test_an_entry_written_before_sentences_keeps_its_text(client, cast):
    record(cast.account, cast.clerk, detail="Criado em português antes da mudança.")
    entry = AuditEntry.objects.get()
    assert entry.sentences == [{"text": "Criado em português antes da mudança."}]
    assert entry.detail == ""
    client.force_login(cast.manager)
    html = client.get(URL).content.decode()
    assert "Criado em português antes da mudança." in html and "InvoiceXpress said" not in html


def test_what_and_which_document_read_in_the_readers_language(client, cast):
    """The type is stored as its code and named when shown; "what" holds no words of the
    writer's language (a client's name, a number, an amount the Portuguese way)."""
    record(cast.account, cast.clerk, document_id=42, target="Maria Lda")
    client.force_login(cast.manager)
    english = client.get(URL).content.decode()
    assert ">Invoice #42</a>" in english and "Maria Lda" in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pt-pt"
    portuguese = client.get(URL).content.decode()
    with translation.override("pt-pt"):
        fatura = str(document_type("Invoice").label)
    assert fatura != "Invoice"
    assert f">{fatura} #42</a>" in portuguese and ">Invoice #42<" not in portuguese
