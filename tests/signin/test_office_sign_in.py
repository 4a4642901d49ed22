"""Office sign-in (OpenID Connect) against a provider served on loopback: a full sign-in
ends logged in as the user with that e-mail address; a bad token is refused."""

import http.client
import json
import urllib.request
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model

from invoices.models import Membership
from tests.signin.provider import CLIENT_ID, CLIENT_SECRET, Provider

OIDC_BACKEND = "signin.oidc.OfficeOIDCBackend"


@pytest.fixture
def provider(settings):
    running = Provider().start()
    # Configured from the discovery document, as README tells an operator to.
    with urllib.request.urlopen(f"{running.issuer}/.well-known/openid-configuration") as answer:
        discovery = json.load(answer)
    settings.IXPORTAL_OIDC_ENABLED = True
    settings.IXPORTAL_OIDC_PROVIDER_NAME = "Contoso"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_ISSUER = discovery["issuer"]
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, OIDC_BACKEND]
    yield running
    running.stop()


@pytest.fixture
def viewer(cast):
    cast.viewer.email = "viewer@example.pt"
    cast.viewer.save(update_fields=["email"])
    return cast.viewer


def sign_in(client, next_url="/c/acme/"):
    """Button -> provider -> callback, following each redirect by hand."""
    start = client.get(f"/accounts/oidc/authenticate/?next={next_url}")
    assert start.status_code == 302
    authorize = urlsplit(start["Location"])
    connection = http.client.HTTPConnection(authorize.hostname, authorize.port, timeout=5)
    connection.request("GET", f"{authorize.path}?{authorize.query}")
    answer = connection.getresponse()
    assert answer.status == 302
    back = urlsplit(answer.getheader("Location"))
    connection.close()
    assert back.path == "/accounts/oidc/callback/"
    return client.get(f"{back.path}?{back.query}")


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_the_login_page_offers_office_sign_in_when_it_is_on(client, provider):
    response = client.get("/accounts/login/?next=/c/acme/")
    assert b'id="office-sign-in"' in response.content
    assert b"Sign in with Contoso" in response.content
    assert b"/accounts/oidc/authenticate/?next=/c/acme/" in response.content
    assert b'name="password"' in response.content  # password login stays


def test_without_oidc_settings_there_is_no_button_and_no_route(client, db):
    assert b'id="office-sign-in"' not in client.get("/accounts/login/").content
    assert client.get("/accounts/oidc/authenticate/").status_code == 404
    assert client.get("/accounts/oidc/callback/?code=x&state=y").status_code == 404


def test_a_full_sign_in_ends_logged_in_as_the_user_with_that_email(client, provider, viewer):
    response = sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/c/acme/"
    assert signed_in_user_id(client) == str(viewer.pk)
    # The provider got the code with the client's secret and a PKCE verifier.
    request = provider.token_requests[-1]
    assert request["client_secret"] == CLIENT_SECRET and request["code_verifier"]
    assert b"Acme, Lda." in client.get("/").content


def test_it_never_grants_a_company(client, provider, viewer):
    before = set(Membership.objects.values_list("user_id", "account_id", "role"))
    sign_in(client)
    assert set(Membership.objects.values_list("user_id", "account_id", "role")) == before


@pytest.mark.parametrize("tamper", ["signature", "nonce", "audience", "issuer", "expired"])
def test_a_bad_id_token_is_refused(client, provider, viewer, tamper):
    provider.tamper = tamper
    response = sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert signed_in_user_id(client) is None
    page = client.get("/accounts/login/")
    assert b"Sign-in with Contoso did not work" in page.content


def test_an_unverified_email_is_refused(client, provider, viewer):
    provider.email_verified = False
    sign_in(client)
    assert signed_in_user_id(client) is None


def test_an_unknown_email_is_refused_and_no_user_is_made(client, provider, cast):
    provider.email = "stranger@example.pt"
    users = get_user_model().objects.count()
    sign_in(client)
    assert signed_in_user_id(client) is None
    assert get_user_model().objects.count() == users


def test_with_oidc_create_user_a_new_user_is_made_without_any_company(
    client, provider, cast, settings
):
    settings.OIDC_CREATE_USER = True
    provider.email = "New.Person@Example.PT"
    sign_in(client, next_url="/")
    user = get_user_model().objects.get(email="new.person@example.pt")
    assert signed_in_user_id(client) == str(user.pk)
    assert not user.has_usable_password() and not user.is_staff
    assert not Membership.objects.filter(user=user).exists()
    assert b"You are not a member of any company yet." in client.get("/").content


def test_a_forged_code_on_the_login_form_never_reaches_the_provider(client, provider, viewer):
    client.post("/accounts/login/?code=x&state=y", {"username": "viewer", "password": "no"})
    assert provider.token_requests == []
    assert signed_in_user_id(client) is None
