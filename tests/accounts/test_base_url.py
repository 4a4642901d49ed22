"""The API key travels in the base URL's query string: plain http is refused, except for
the sandbox, or for this machine while DEBUG is on."""

import pytest
from django.core.management import CommandError, call_command

from invoices.models import Account
from invoices.models.accounts import plain_http_refusal


@pytest.mark.parametrize(
    ("url", "debug", "allowed"),
    [
        ("", False, True),
        ("https://acme.app.invoicexpress.com", False, True),
        ("https://proxy.example.internal/ix/", False, True),
        ("http://acme.app.invoicexpress.com", False, False),
        ("http://acme.app.invoicexpress.com", True, False),
        ("http://127.0.0.1:8100/sandbox/acme", False, False),  # loopback needs DEBUG
        ("http://127.0.0.1:8100/sandbox/acme", True, True),
        ("http://localhost:8100/acme", True, True),
        ("http://[::1]:8100/acme", True, True),
        ("http://10.0.0.5/acme", True, False),
        ("http://127.0.0.1:8000/sandbox/acme", False, True),  # the sandbox URL itself
        ("ftp://acme.example/", True, False),
    ],
)
def test_only_https_or_the_allowed_http_bases_pass(settings, url, debug, allowed):
    settings.DEBUG = debug
    settings.IXPORTAL_SANDBOX_URL = "http://127.0.0.1:8000/sandbox/"
    assert (plain_http_refusal(url) == "") is allowed


def test_the_admin_refuses_a_plain_http_base_url(client, cast):
    client.force_login(cast.superuser)
    response = client.post(
        f"/admin/invoices/account/{cast.account.pk}/change/",
        {
            "name": "Acme",
            "slug": "acme",
            "account_name": "acme",
            "base_url": "http://acme.app.invoicexpress.com/",
            "is_active": "on",
            "new_api_key": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert b"must start with https://" in response.content
    cast.account.refresh_from_db()
    assert cast.account.base_url != "http://acme.app.invoicexpress.com/"


@pytest.mark.django_db
def test_add_account_refuses_a_plain_http_base_url():
    with pytest.raises(CommandError, match="must start with https://"):
        call_command(
            "add_account",
            "--name=Plain Co",
            "--account-name=plain",
            "--api-key=k",
            "--base-url=http://plain.app.invoicexpress.com",
        )
    assert not Account.objects.filter(account_name="plain").exists()
    call_command(
        "add_account",
        "--name=Secure Co",
        "--account-name=secure",
        "--api-key=k",
        "--base-url=https://secure.app.invoicexpress.com",
    )
    assert Account.objects.filter(account_name="secure").exists()
