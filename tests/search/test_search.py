"""Search across companies: numbers, names without accents, NIFs, ATCUDs; only my companies."""

from __future__ import annotations

import re

import pytest

from invoices.search.services import Kind, interpret
from sandbox import faults
from tests.documents.helpers import make_document

URL = "/search/"
NIF = {"fiscal_id": "508025338"}


def groups(response) -> dict[str, list[str]]:
    """Company slug -> the document numbers listed under it."""
    html = response.content.decode()
    found = {}
    for slug, body in re.findall(
        r'<section class="mb-4" data-company="([\w-]+)">(.*?)</section>', html, re.S
    ):
        found[slug] = re.findall(r'<td class="text-nowrap"><a href="[^"]+">([^<]+)</a>', body)
    return found


@pytest.mark.parametrize(
    ("typed", "kind", "text"),
    [
        ("FT 2026/33", Kind.NUMBER, "2026/33"),
        ("ft2026/33", Kind.NUMBER, "2026/33"),
        ("PT 508 025 338", Kind.NIF, "508025338"),
        ("508025338", Kind.NIF, "508025338"),
        ("pt508025338", Kind.NIF, "508025338"),
        ("ABCD1234-33", Kind.ATCUD, ""),
        ("João Gonçalves", Kind.TEXT, "João Gonçalves"),
        ("NC Software", Kind.TEXT, "NC Software"),
    ],
)
def test_it_recognises_what_was_typed(typed, kind, text):
    query = interpret(typed)
    assert (query.kind, query.text) == (kind, text)


@pytest.mark.parametrize("typed", ["FT 2026/33", "FT2026/33", "ft 2026/33"])
def test_a_number_with_or_without_the_space(client, two_live_companies, typed):
    w = two_live_companies
    make_document(w.sandbox, number=33, serie="2026")
    make_document(w.sandbox, number=330, serie="2026")  # contains "2026/33": not it
    make_document(w.sandbox, doc_type="CreditNote", number=33, serie="2026")  # NC, not FT
    make_document(w.beta_sandbox, number=33, serie="2026")
    client.force_login(w.manager)

    response = client.get(URL, {"q": typed})

    assert groups(response) == {"acme": ["FT 2026/33"], "beta": ["FT 2026/33"]}


def test_a_client_name_without_accents(client, two_live_companies):
    w = two_live_companies
    make_document(w.sandbox, number=1, client_name="João Gonçalves, Lda.")
    make_document(w.sandbox, number=2, client_name="Outro Cliente")
    make_document(w.beta_sandbox, number=5, client_name="Joao Goncalves")
    client.force_login(w.manager)

    for typed in ("joao goncalves", "João Gonçalves"):
        response = client.get(URL, {"q": typed})
        assert groups(response) == {"acme": ["FT 2025/1"], "beta": ["FT 2025/5"]}, typed


def test_a_nif_with_or_without_pt(client, two_live_companies):
    w = two_live_companies
    make_document(w.sandbox, number=1, client_fields=NIF)
    make_document(w.sandbox, number=2, reference="508025338")  # the digits, another client
    make_document(w.beta_sandbox, number=9, client_fields=NIF)
    client.force_login(w.manager)

    for typed in ("PT508025338", "508 025 338"):
        response = client.get(URL, {"q": typed})
        assert groups(response) == {"acme": ["FT 2025/1"], "beta": ["FT 2025/9"]}, typed


def test_an_atcud(client, two_live_companies):
    w = two_live_companies
    sequence = w.sandbox.sequences.get(is_default=True)
    code = sequence.counters.get(kind="invoice").validation_code
    make_document(w.sandbox, number=7, serie=sequence.serie, atcud=f"{code}-7")
    make_document(w.sandbox, number=77, serie=sequence.serie, atcud=f"{code}-77")
    client.force_login(w.manager)

    response = client.get(URL, {"q": f"{code}-7"})

    assert groups(response) == {"acme": [f"FT {sequence.serie}/7"]}


def test_a_failing_company_shows_its_own_error_and_the_others_their_results(
    client, two_live_companies, settings
):
    settings.IXPORTAL_GET_RETRIES = 0
    w = two_live_companies
    make_document(w.sandbox, number=1, client_fields=NIF)
    faults.inject("beta", "500", count=None)
    client.force_login(w.manager)

    response = client.get(URL, {"q": "508025338"})

    assert groups(response) == {"acme": ["FT 2025/1"], "beta": []}
    assert "Beta, Lda. could not be searched" in response.content.decode()


def test_only_my_companies_are_searched(client, two_live_companies, upstream):
    w = two_live_companies
    make_document(w.sandbox, number=1, client_fields=NIF)
    client.force_login(w.outsider)  # globex only

    response = client.get(
        URL,
        {"q": "508025338"},
    )

    assert "acme" not in groups(response) and "Acme" not in response.content.decode()
    assert all("/sandbox/acme/" not in call.path for call in upstream)


def test_a_short_query_is_a_clear_error_and_asks_nobody(client, cast, upstream):
    client.force_login(cast.manager)

    response = client.get(URL, {"q": "x"})

    assert response.status_code == 200
    assert "Type at least 2 characters." in response.content.decode()
    assert upstream == []


def test_search_needs_login(client, db):
    assert client.get(URL, {"q": "508025338"}).status_code == 302
