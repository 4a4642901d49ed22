"""Superusers manage accounts in the admin; the key is set or replaced, never shown."""

import pytest
from django.contrib.messages import get_messages

from invoices.models import Account


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.superuser)
    return client


def test_the_change_form_never_renders_the_key(admin_client, cast):
    response = admin_client.get(f"/admin/invoices/account/{cast.account.pk}/change/")
    assert response.status_code == 200
    assert b"acme-key" not in response.content
    assert b'name="new_api_key"' in response.content
    assert b'type="password"' in response.content


def test_leaving_the_key_empty_keeps_it(admin_client, cast):
    response = admin_client.post(
        f"/admin/invoices/account/{cast.account.pk}/change/",
        {
            "name": "Acme renamed",
            "slug": "acme",
            "account_name": "acme",
            "base_url": "",
            "is_active": "on",
            "new_api_key": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    account = Account.objects.get(pk=cast.account.pk)
    assert account.name == "Acme renamed" and account.api_key == "acme-key"


def test_a_new_key_replaces_the_old_one(admin_client, cast):
    admin_client.post(
        f"/admin/invoices/account/{cast.account.pk}/change/",
        {
            "name": "Acme",
            "slug": "acme",
            "account_name": "acme",
            "is_active": "on",
            "new_api_key": "brand-new-key",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert Account.objects.get(pk=cast.account.pk).api_key == "brand-new-key"


def test_a_new_account_needs_a_key(admin_client):
    response = admin_client.post(
        "/admin/invoices/account/add/",
        {
            "name": "New Co",
            "slug": "new-co",
            "account_name": "newco",
            "is_active": "on",
            "new_api_key": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert b"needs its API key" in response.content
    assert not Account.objects.filter(slug="new-co").exists()


def _run_test_connection(client, account) -> list[str]:
    response = client.post(
        "/admin/invoices/account/",
        {"action": "test_connection", "_selected_action": [account.pk]},
        follow=True,
    )
    return [str(m) for m in get_messages(response.wsgi_request)] or [
        m.message for m in response.context["messages"]
    ]


def test_test_connection_reports_unreachable(admin_client, cast):
    (message,) = _run_test_connection(admin_client, cast.account)
    assert "unreachable" in message
    assert "acme-key" not in message


def test_test_connection_reports_ok_and_bad_key(client, live_company):
    client.force_login(live_company.superuser)
    (message,) = _run_test_connection(client, live_company.account)
    assert "connection OK" in message
    live_company.account.api_key = "wrong-key"
    live_company.account.save()
    (message,) = _run_test_connection(client, live_company.account)
    assert "bad API key" in message and "wrong-key" not in message


def test_only_staff_reach_the_admin(client, cast):
    client.force_login(cast.manager)
    response = client.get("/admin/invoices/account/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def _change_nif(admin_client, cast, nif: str):
    return admin_client.post(
        f"/admin/invoices/account/{cast.account.pk}/change/",
        {
            "name": "Acme",
            "slug": "acme",
            "account_name": "acme",
            "nif": nif,
            "is_active": "on",
            "new_api_key": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )


def test_the_superuser_sets_the_company_nif(admin_client, cast):
    assert _change_nif(admin_client, cast, "508025338").status_code == 302
    assert Account.objects.get(pk=cast.account.pk).nif == "508025338"


def test_a_nif_with_a_wrong_check_digit_is_refused(admin_client, cast):
    response = _change_nif(admin_client, cast, "508025339")
    assert response.status_code == 200
    assert b"508025339 is not a valid Portuguese NIF." in response.content
    assert Account.objects.get(pk=cast.account.pk).nif == ""
