"""The pt-PT translation: who gets Portuguese, the language switch, and a complete catalogue.

English stays the default (every other test asserts English text); a Portuguese browser
(Accept-Language: pt-PT) or the language cookie set by the navbar switch gets pt-PT. The
catalogue is checked as shipped: every entry translated, placeholders kept, and the committed
.mo in step with the .po (a clean clone compiles nothing).
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "pt_PT" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"

PT_BROWSER = {"Accept-Language": "pt-PT,pt;q=0.9,en;q=0.5"}
EN_BROWSER = {"Accept-Language": "en-GB,en;q=0.9"}
HTMX = {"HX-Request": "true"}
DOCUMENTS = "/c/acme/documents/"
SET_LANGUAGE = "/i18n/setlang/"


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def speak_portuguese(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pt-pt"


# ---- who gets which language --------------------------------------------------------


def test_english_is_the_default(client, db):
    html = html_of(client.get("/accounts/login/"))
    assert '<html lang="en">' in html
    assert "Log in to ixportal" in html
    assert "Iniciar sessão" not in html


def test_an_english_browser_gets_english(client, db):
    html = html_of(client.get("/accounts/login/", headers=EN_BROWSER))
    assert "Log in to ixportal" in html
    assert "Username" in html


def test_a_portuguese_browser_gets_the_login_page_in_portuguese(client, db):
    html = html_of(client.get("/accounts/login/", headers=PT_BROWSER))
    assert '<html lang="pt-pt">' in html
    assert "Iniciar sessão no ixportal" in html
    assert "Nome de utilizador" in html
    assert "Palavra-passe" in html
    assert "Log in to ixportal" not in html


def test_a_browser_asking_for_plain_portuguese_gets_pt_pt(client, db):
    html = html_of(client.get("/accounts/login/", headers={"Accept-Language": "pt"}))
    assert "Iniciar sessão no ixportal" in html


def test_the_language_cookie_wins_over_the_browser(client, db):
    speak_portuguese(client)
    html = html_of(client.get("/accounts/login/", headers=EN_BROWSER))
    assert "Iniciar sessão no ixportal" in html


def test_the_documents_page_and_its_error_banner_are_in_portuguese(client, cast, fast_failures):
    client.force_login(cast.manager)
    speak_portuguese(client)
    html = html_of(client.get(DOCUMENTS))
    assert "<title>Documentos · Acme, Lda.</title>" in html
    assert "Nova fatura" in html
    assert "Finalizar rascunhos…" in html
    # The filter form's choices come from lazy labels: they follow the request's language.
    assert "Fatura-recibo" in html
    assert "Rascunho" in html
    assert "Data desde" in html
    # acme's InvoiceXpress is unreachable: the typed error's message is translated too.
    assert "Não é possível contactar o InvoiceXpress (a ligação falhou)." in html
    assert "Tentar novamente" in html
    assert "cannot be reached" not in html


def test_the_documents_table_fragment_is_in_portuguese(client, cast, fast_failures):
    client.force_login(cast.clerk)
    speak_portuguese(client)
    html = html_of(client.get(DOCUMENTS, headers=HTMX))
    assert "Não é possível contactar o InvoiceXpress" in html
    assert "<html" not in html


def test_the_company_switcher_is_in_portuguese(client, cast):
    client.force_login(cast.manager)
    speak_portuguese(client)
    html = html_of(client.get("/"))
    switcher = html[html.index('id="company-switcher"') : html.index('id="main-nav"')]
    assert "Escolher empresa" in switcher
    assert "Acme, Lda." in switcher
    assert "Todas as minhas empresas" in switcher
    assert "As minhas empresas" in html
    assert "Terminar sessão" in html


def test_the_company_switcher_of_someone_without_companies_is_in_portuguese(client, cast):
    client.force_login(cast.superuser)
    html = html_of(client.get("/", headers=PT_BROWSER))
    assert "Ainda não é membro de nenhuma empresa." in html
    assert "Administração" in html


def test_outsiders_are_still_refused_in_portuguese(client, cast):
    client.force_login(cast.outsider)
    speak_portuguese(client)
    response = client.get(DOCUMENTS)
    assert response.status_code == 404
    assert "Não encontrado" in response.content.decode()


# ---- the switch -----------------------------------------------------------------------


def language_form(html: str) -> str:
    start = html.rindex("<form", 0, html.index('id="language-switcher"'))
    return html[start : html.index("</form>", start)]


def test_the_navbar_offers_both_languages_and_comes_back_to_this_page(client, cast, fast_failures):
    client.force_login(cast.viewer)
    form = language_form(html_of(client.get(DOCUMENTS + "?status=draft&page=2")))
    assert '<form method="post" action="/i18n/setlang/"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert 'name="next" value="/c/acme/documents/?status=draft&amp;page=2"' in form
    assert 'name="language" value="en"' in form
    assert 'name="language" value="pt-pt"' in form
    assert "English" in form
    assert "Português" in form
    assert re.search(r'value="en"[^>]*class="btn btn-secondary active" aria-current="true"', form)


def test_the_switch_is_there_before_logging_in(client, db):
    form = language_form(html_of(client.get("/accounts/login/?next=/c/acme/")))
    assert 'name="next" value="/accounts/login/?next=/c/acme/"' in form


def test_switching_to_portuguese_redirects_back_and_is_remembered(client, cast):
    client.force_login(cast.manager)
    response = client.post(SET_LANGUAGE, {"language": "pt-pt", "next": DOCUMENTS + "?page=2"})
    assert response.status_code == 302
    assert response["Location"] == DOCUMENTS + "?page=2"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pt-pt"
    # Remembered for the next pages, whatever the browser asks for.
    html = html_of(client.get("/", headers=EN_BROWSER))
    assert "As minhas empresas" in html
    assert re.search(r'value="pt-pt"[^>]*class="btn btn-secondary active"', html)


def test_switching_back_to_english(client, cast):
    client.force_login(cast.manager)
    speak_portuguese(client)
    response = client.post(SET_LANGUAGE, {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "My companies" in html_of(client.get("/", headers=PT_BROWSER))


def test_the_choice_survives_logging_out(client, cast):
    client.force_login(cast.manager)
    client.post(SET_LANGUAGE, {"language": "pt-pt", "next": "/"})
    client.post("/accounts/logout/")
    assert "Iniciar sessão no ixportal" in html_of(client.get("/accounts/login/"))


def test_the_switch_never_redirects_off_site(client, db):
    response = client.post(
        SET_LANGUAGE, {"language": "pt-pt", "next": "https://evil.example/phish"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_an_unknown_language_changes_nothing(client, db):
    response = client.post(SET_LANGUAGE, {"language": "xx", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert "Log in to ixportal" in html_of(client.get("/accounts/login/"))


def test_the_switch_needs_the_csrf_token(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(SET_LANGUAGE, {"language": "pt-pt", "next": "/"})
    assert response.status_code == 403


# ---- the catalogue --------------------------------------------------------------------


def _unquote(text: str) -> str:
    body = text.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), body)


def read_po(path: Path) -> list[dict]:
    """The .po's entries: msgctxt, msgid, msgid_plural, msgstr (one per plural form), flags."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry: dict = {
            "msgctxt": None,
            "msgid": None,
            "msgid_plural": None,
            "msgstr": [],
            "flags": set(),
        }
        target = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif m := re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (.*)", line):
                keyword, value = m[1], _unquote(m[2])
                if keyword.startswith("msgstr"):
                    entry["msgstr"].append(value)
                    target = ("msgstr", len(entry["msgstr"]) - 1)
                else:
                    entry[keyword] = value
                    target = (keyword, None)
            elif line.startswith('"'):
                key, index = target
                if index is None:
                    entry[key] += _unquote(line)
                else:
                    entry[key][index] += _unquote(line)
        entries.append(entry)
    return entries


ENTRIES = read_po(PO)
HEADER = next(e for e in ENTRIES if e["msgid"] == "")
MESSAGES = [e for e in ENTRIES if e["msgid"]]

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd%]|\{\{ *[\w.]+ *\}\}|&[a-z]+;|&#\d+;")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_the_catalogue_is_portuguese_with_two_plural_forms():
    assert "Language: pt_PT\n" in HEADER["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in HEADER["msgstr"][0]
    assert len(MESSAGES) > 500


def test_every_message_is_translated_and_none_is_fuzzy():
    untranslated = [e["msgid"] for e in MESSAGES if not all(s.strip() for s in e["msgstr"])]
    fuzzy = [e["msgid"] for e in ENTRIES if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_plural_messages_have_both_forms():
    plurals = [e for e in MESSAGES if e["msgid_plural"]]
    assert plurals
    assert [e["msgid"] for e in plurals if len(e["msgstr"]) != 2] == []


def test_translations_keep_every_placeholder():
    wrong = []
    for e in MESSAGES:
        sources = [e["msgid"], e["msgid_plural"]] if e["msgid_plural"] else [e["msgid"]]
        for source, translation in zip(sources, e["msgstr"], strict=True):
            if placeholders(source) != placeholders(translation):
                wrong.append((source, translation))
    assert wrong == []


def test_the_committed_mo_matches_the_po():
    # The .mo is committed so that a clean clone needs no gettext: it must not lag the .po.
    with MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = []
    for e in MESSAGES:
        if e["msgctxt"] is not None:
            got = [compiled.pgettext(e["msgctxt"], e["msgid"])]
        elif e["msgid_plural"]:
            got = [compiled.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
        else:
            got = [compiled.gettext(e["msgid"])]
        if got != e["msgstr"]:
            stale.append(e["msgid"])
    assert stale == []


def test_a_period_reads_the_portuguese_way():
    from django.utils import translation

    from saft.periods import Period

    with translation.override("pt-pt"):
        assert Period(2026, 10).label == "outubro de 2026"
    with translation.override("en"):
        assert Period(2026, 10).label == "October 2026"
