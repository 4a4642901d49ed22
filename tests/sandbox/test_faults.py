"""Faults on demand (every mode, counts, path prefixes, latency) and the staff control page."""

import time

import pytest

from sandbox import faults
from sandbox.models import FaultMode, SandboxAccount, SandboxDocument
from sandbox.testing import api_fixture, invoice_payload, sandbox_account_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def account(name="acme") -> SandboxAccount:
    return SandboxAccount.objects.get(account_name=name)


@pytest.mark.parametrize(
    ("mode", "status", "content_type", "needle"),
    [
        ("429", 429, "text/plain", b"Retry later"),
        ("500", 500, "text/html", b"something went wrong"),
        ("502", 502, "text/html", b"502 Bad Gateway"),
        ("503", 503, "text/html", b"503 Service Temporarily Unavailable"),
        ("html", 200, "text/html", b"<html"),
    ],
)
def test_it_replaces_the_answer_in_a_transport_mode(api, mode, status, content_type, needle):
    faults.inject("acme", mode)
    response = api.get("invoices.json")
    assert response.status_code == status
    assert response["Content-Type"].startswith(content_type)
    assert needle in response.content
    assert api.get("invoices.json").status_code == 200  # count=1: only once


def test_it_truncates_json_but_still_does_the_work(api):
    faults.inject("acme", "broken_json")
    response = api.post("invoices.json", {"invoice": invoice_payload(), "proprietary_uid": "u1"})
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json; charset=utf-8"
    with pytest.raises(ValueError):
        response.json()
    assert SandboxDocument.objects.count() == 1
    retry = api.post("invoices.json", {"invoice": invoice_payload(), "proprietary_uid": "u1"})
    assert retry.status_code == 409


def test_it_breaks_an_empty_body_too(api):
    faults.inject("acme", "broken_json")
    assert api.get("invoices/1.json").content == b"{"


def test_it_answers_late_in_timeout_mode_after_doing_the_work(api):
    faults.inject("acme", "timeout", timeout_seconds=0.3)
    started = time.monotonic()
    response = api.post("invoices.json", {"invoice": invoice_payload()})
    assert time.monotonic() - started >= 0.3
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("mode", "body"),
    [
        ("422_a", {"errors": [{"error": "Your current plan does not allow you to do this"}]}),
        ("422_b", {"errors": {"error": "Your current plan does not allow you to do this"}}),
        ("422_c", {"errors": ["Your current plan does not allow you to do this"]}),
        ("422_d", [["name", "não está disponível."]]),
    ],
)
def test_it_refuses_writes_in_every_422_shape(api, mode, body):
    faults.inject("acme", mode, count=None)
    assert api.get("invoices.json").status_code == 200  # reads pass
    response = api.post("invoices.json", {"invoice": invoice_payload()})
    assert (response.status_code, response.json()) == (422, body)
    assert SandboxDocument.objects.count() == 0


def test_it_counts_down_exactly(api):
    faults.inject("acme", "503", count=3)
    statuses = [api.get("taxes.json").status_code for _ in range(5)]
    assert statuses == [503, 503, 503, 200, 200]
    assert account().fault_remaining == 0


def test_it_fails_always_without_a_count(api):
    faults.inject("acme", "500", count=None)
    assert [api.get("taxes.json").status_code for _ in range(4)] == [500] * 4


def test_it_limits_a_fault_to_a_path_prefix(api):
    faults.inject("acme", "502", count=None, path_prefix="invoices.json")
    assert api.get("taxes.json").status_code == 200
    assert api.get("invoice_receipts.json").status_code == 200
    assert api.get("invoices.json").status_code == 502
    assert account().fault_remaining is None


def test_it_leaves_mode_specific_faults_to_their_endpoint(api):
    faults.inject("acme", "saft_500", count=1)
    assert api.get("invoices.json").status_code == 200
    assert account().fault_remaining == 1
    faults.inject("acme", "sequence_000", count=1)
    assert api.get("sequences.json").status_code == 200
    assert account().fault_remaining == 1


def test_it_never_faults_an_unauthenticated_request(client, sandbox_account):
    faults.inject("acme", "503", count=1)
    assert client.get("/sandbox/acme/invoices.json?api_key=wrong").status_code == 401
    assert account().fault_remaining == 1


def test_it_adds_latency_to_every_request(api):
    faults.set_latency("acme", 150)
    started = time.monotonic()
    api.get("taxes.json")
    assert time.monotonic() - started >= 0.15


def test_it_clears_faults_and_latency(api):
    faults.inject("acme", "503", count=None)
    faults.set_latency("acme", 100)
    faults.clear("acme")
    cleared = account()
    assert (cleared.fault_mode, cleared.latency_ms, cleared.fault_remaining) == ("none", 0, None)
    assert api.get("taxes.json").status_code == 200


def test_it_refuses_to_inject_into_an_unknown_account(db):
    with pytest.raises(SandboxAccount.DoesNotExist):
        faults.inject("nobody", "503")
    with pytest.raises(ValueError):
        faults.inject("nobody", "418")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("staffer", password="pw", is_staff=True)


def test_it_keeps_the_control_page_from_non_staff(client, django_user_model, sandbox_account):
    assert client.get("/sandbox/").status_code == 302  # to the admin login
    client.force_login(django_user_model.objects.create_user("clerk", password="pw"))
    assert client.get("/sandbox/").status_code == 302
    response = client.post("/sandbox/", {"account": sandbox_account.pk, "clear": "1"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_it_shows_and_saves_an_accounts_faults_on_the_control_page(client, staff, sandbox_account):
    client.force_login(staff)
    page = client.get("/sandbox/")
    assert page.status_code == 200
    assert b"acme" in page.content and b"fault_mode" in page.content
    prefix = f"account-{sandbox_account.pk}"
    form = {
        "account": sandbox_account.pk,
        f"{prefix}-latency_ms": "250",
        f"{prefix}-fault_mode": FaultMode.TOO_MANY_REQUESTS,
        f"{prefix}-fault_remaining": "2",
        f"{prefix}-fault_path_prefix": "invoices.json",
        f"{prefix}-fault_timeout_seconds": "30",
        f"{prefix}-has_at_credentials": "on",
        f"{prefix}-sequence_registering_seconds": "0",
        f"{prefix}-pdf_pending_calls": "1",
        f"{prefix}-saft_pending_calls": "0",
    }
    response = client.post("/sandbox/", form)
    assert response.status_code == 302
    saved = account()
    assert (saved.latency_ms, saved.fault_mode, saved.fault_remaining) == (250, "429", 2)
    assert saved.fault_path_prefix == "invoices.json"
    assert saved.has_at_credentials and not saved.has_open_activity
    assert saved.api_key == sandbox_account.api_key  # untouched
    client.post("/sandbox/", {"account": sandbox_account.pk, "clear": "1"})
    assert account().fault_mode == "none"


def test_it_redisplays_an_invalid_control_form(client, staff, sandbox_account):
    client.force_login(staff)
    prefix = f"account-{sandbox_account.pk}"
    response = client.post(
        "/sandbox/", {"account": sandbox_account.pk, f"{prefix}-fault_mode": "nope"}
    )
    assert response.status_code == 200
    assert b"errorlist" in response.content


def test_it_registers_the_sandbox_models_in_the_admin(admin_client, sandbox_account):
    assert admin_client.get("/admin/sandbox/sandboxaccount/").status_code == 200
    assert (
        admin_client.get(f"/admin/sandbox/sandboxaccount/{sandbox_account.pk}/change/").status_code
        == 200
    )
    assert admin_client.get("/admin/sandbox/sandboxdocument/").status_code == 200
    assert admin_client.get("/admin/sandbox/sandboxsequence/").status_code == 200
