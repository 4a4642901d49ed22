"""Sequences pages: who may see and do what, and what an unreachable InvoiceXpress looks like.

Acme (the `cast` fixture) points at a port nothing listens on, so every upstream call fails
fast with "connection failed": enough to test access, tenancy and failure display without
the sandbox. The sandbox-backed behaviour is in test_sequences.py.
"""

import pytest

from invoices.invoicexpress.sequences import Sequence
from invoices.models import AuditEntry
from invoices.sequences.forms import SERIE_NAME_PATTERN, SequenceCreateForm

HTMX = {"HX-Request": "true"}


# ---- tenancy and roles ----------------------------------------------------------------


def test_it_hides_the_list_from_an_outsider(client, cast):
    client.force_login(cast.outsider)
    assert client.get("/c/acme/sequences/").status_code == 404


def test_it_hides_every_write_from_an_outsider(client, cast):
    client.force_login(cast.outsider)
    assert (
        client.post(
            "/c/acme/sequences/new/", {"confirm_registration": "on", "serie": "B"}
        ).status_code
        == 404
    )
    assert client.post("/c/acme/sequences/1/register/").status_code == 404
    assert client.post("/c/acme/sequences/1/set-default/").status_code == 404
    assert not AuditEntry.objects.exists()


def test_it_hides_the_list_from_a_superuser_who_is_not_a_member(client, cast):
    client.force_login(cast.superuser)
    assert client.get("/c/acme/sequences/").status_code == 404


def test_it_sends_anonymous_users_to_log_in(client, cast):
    response = client.get("/c/acme/sequences/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/sequences/").status_code == 302


def test_it_lets_a_viewer_see_the_list_without_write_buttons(client, cast):
    client.force_login(cast.viewer)
    response = client.get("/c/acme/sequences/")
    assert response.status_code == 200
    assert b'id="sequence-table"' in response.content
    assert b'id="sequence-form"' not in response.content


@pytest.mark.parametrize("user", ["viewer", "clerk"])
def test_it_forbids_creating_to_viewers_and_clerks(client, cast, user):
    client.force_login(getattr(cast, user))
    assert client.get("/c/acme/sequences/new/").status_code == 403
    assert (
        client.post(
            "/c/acme/sequences/new/", {"confirm_registration": "on", "serie": "B"}
        ).status_code
        == 403
    )
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("user", ["viewer", "clerk"])
@pytest.mark.parametrize("action", ["register", "set-default"])
def test_it_forbids_register_and_set_default_below_manager(client, cast, user, action):
    client.force_login(getattr(cast, user))
    response = client.post(f"/c/acme/sequences/7/{action}/", headers=HTMX)
    assert response.status_code == 403
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("action", ["register", "set-default"])
def test_it_rejects_get_on_writes(client, cast, action):
    client.force_login(cast.manager)
    assert client.get(f"/c/acme/sequences/7/{action}/").status_code == 405


# The overview asks each company from its own thread, and each thread's connection writes
# (the shared upstream budget): these tests commit, as a page's transactions do.
def test_the_overview_lists_only_the_users_companies(client, cast, transactional_db):
    client.force_login(cast.outsider)
    response = client.get("/sequences/")
    assert response.status_code == 200
    assert b'id="company-globex"' in response.content
    assert b"company-acme" not in response.content
    assert b"Acme" not in response.content


def test_the_overview_is_empty_for_a_superuser_with_no_membership(client, cast):
    client.force_login(cast.superuser)
    response = client.get("/sequences/")
    assert response.status_code == 200
    assert b"not a member of any company" in response.content


# ---- InvoiceXpress unreachable: a message, never a 500 ---------------------------------


def test_the_list_says_when_invoicexpress_cannot_be_reached(client, cast):
    client.force_login(cast.viewer)
    response = client.get("/c/acme/sequences/", headers=HTMX)
    assert response.status_code == 200
    assert b'id="sequence-load-error"' in response.content
    assert b"cannot be reached" in response.content


def test_the_overview_shows_a_failing_company_on_its_own_row(client, cast, transactional_db):
    client.force_login(cast.manager)
    response = client.get("/sequences/")
    assert response.status_code == 200
    assert b'data-can-invoice="unknown"' in response.content
    assert b"cannot be reached" in response.content


def test_a_create_that_cannot_reach_invoicexpress_is_audited_as_unknown(client, cast):
    client.force_login(cast.manager)
    response = client.post(
        "/c/acme/sequences/new/", {"confirm_registration": "on", "serie": "B"}, headers=HTMX
    )
    assert response.status_code == 200
    assert b"cannot be reached" in response.content
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.outcome, entry.target) == ("sequence.create", "unknown", "B")
    assert "acme-key" not in entry.detail


# ---- the local name rule ---------------------------------------------------------------


def test_the_name_rule_mirrors_the_sandboxs():
    from sandbox.sequence_rules import SEQUENCE_NAME_PATTERN

    assert SERIE_NAME_PATTERN == SEQUENCE_NAME_PATTERN


@pytest.mark.parametrize("name", ["A", "2026", "ABC123", "ZZZZZZZZZZ"])
def test_the_form_accepts_allowed_names(name):
    form = SequenceCreateForm({"serie": name, "confirm_registration": "on"})
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    "name", ["", "A/1", "2026 B", "SÉRIE", "A-1", "ABCDEFGHIJK", "A.B", "abc123", "Loja"]
)
def test_the_form_refuses_names_the_service_refuses(name):
    assert not SequenceCreateForm({"serie": name, "confirm_registration": "on"}).is_valid()


def test_an_eleven_letter_name_is_refused_never_cut():
    form = SequenceCreateForm({"serie": "LOJACENTRAL", "confirm_registration": "on"})
    assert form.errors["serie"] == [
        "“LOJACENTRAL” has 11 characters; a series name has at most 10."
    ]
    assert "maxlength" not in str(form["serie"])


def test_small_letters_are_refused_with_the_capital_spelling():
    form = SequenceCreateForm({"serie": "loja2", "confirm_registration": "on"})
    assert form.errors["serie"] == ["Use capital letters: “LOJA2”, not “loja2”."]


def test_the_field_states_the_allowed_characters_and_case():
    help_text = str(SequenceCreateForm()["serie"].help_text)
    assert "capital letters A-Z (no accents) or digits 0-9" in help_text
    assert "no spaces, small letters or symbols" in help_text


def test_creating_asks_to_confirm_that_registering_cannot_be_undone():
    form = SequenceCreateForm({"serie": "B"})
    assert form.errors["confirm_registration"] == [
        "Tick the confirmation: registering a series cannot be undone."
    ]
    assert "cannot be undone" in str(form["confirm_registration"].label)


def test_the_form_refuses_a_name_that_exists_in_any_case():
    existing = [Sequence(id=1, serie="abc", is_default=True)]
    form = SequenceCreateForm({"serie": "ABC"}, existing=existing)
    assert not form.is_valid()
    assert "already has a series" in form.errors["serie"][0]


def test_an_invalid_name_never_reaches_invoicexpress(client, cast):
    client.force_login(cast.manager)
    response = client.post(
        "/c/acme/sequences/new/", {"confirm_registration": "on", "serie": "A/B"}, headers=HTMX
    )
    assert response.status_code == 200
    assert b'id="sequence-form"' in response.content
    assert b"is-invalid" in response.content
    assert not AuditEntry.objects.exists()  # nothing was sent


def test_an_invalid_name_without_js_comes_back_on_the_full_page(client, cast):
    client.force_login(cast.manager)
    response = client.post("/c/acme/sequences/new/", {"confirm_registration": "on", "serie": "A B"})
    assert response.status_code == 200
    assert b"<html" in response.content
    assert b'id="sequence-table"' in response.content
    assert b"is-invalid" in response.content


def test_a_manager_gets_the_create_form_on_the_full_page_even_when_listing_fails(client, cast):
    client.force_login(cast.manager)
    response = client.get("/c/acme/sequences/new/")
    assert response.status_code == 200
    assert b'id="sequence-form"' in response.content
    assert b'id="sequence-load-error"' in response.content


def test_the_create_form_alone_answers_htmx(client, cast):
    client.force_login(cast.manager)
    response = client.get("/c/acme/sequences/new/", headers=HTMX)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section id="sequence-form"')


def test_an_empty_post_is_an_invalid_form_not_a_blank_one(client, cast):
    client.force_login(cast.manager)
    response = client.post("/c/acme/sequences/new/", {}, headers=HTMX)
    assert response.status_code == 200
    assert b"is-invalid" in response.content
    assert not AuditEntry.objects.exists()
