"""Production settings come from the environment, and malformed values fail loudly."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASE = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 60,
    "IXPORTAL_ENCRYPTION_KEYS": "dGVzdC1rZXktb25lLWZvci1peHBvcnRhbC10ZXN0cyE=",
    "DJANGO_SETTINGS_MODULE": "ixportal.settings",
}
NAMES = [
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "CSRF_TRUSTED_ORIGINS",
    "SESSION_COOKIE_AGE",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE",
    "LANGUAGE_COOKIE_SAMESITE",
    "SESSION_COOKIE_SECURE",
    "IXPORTAL_EMAIL_ENABLED",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_USE_TLS",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_TIME",
    "IXPORTAL_OIDC_ENABLED",
    "AUTHENTICATION_BACKENDS",
]


def settings_with(**env):
    # Not the test settings: a fresh process reads ixportal.settings from this environment.
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO", "IXPORTAL", "EMAIL", "OIDC", "SECURE", "AXES"))
    }
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: str(getattr(s, n, None)) for n in {NAMES!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **BASE, **env},
        capture_output=True,
        text=True,
    )
    return result.returncode, (
        json.loads(result.stdout) if result.returncode == 0 else result.stderr
    )


def test_https_behind_a_proxy_is_configured_from_the_environment():
    code, values = settings_with(
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        SECURE_SSL_REDIRECT="true",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
        CSRF_TRUSTED_ORIGINS="https://ixportal.example.internal,https://other.example",
        SESSION_COOKIE_AGE="3600",
    )
    assert code == 0, values
    assert values["SECURE_PROXY_SSL_HEADER"] == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert values["SECURE_SSL_REDIRECT"] == "True"
    assert values["SECURE_HSTS_SECONDS"] == "31536000"
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] == values["SECURE_HSTS_PRELOAD"] == "True"
    assert "https://other.example" in values["CSRF_TRUSTED_ORIGINS"]
    assert values["SESSION_COOKIE_AGE"] == "3600"
    assert values["SESSION_COOKIE_SECURE"] == "True"
    for cookie in ("SESSION", "CSRF", "LANGUAGE"):
        assert values[f"{cookie}_COOKIE_SAMESITE"] == "Lax"


def test_a_malformed_proxy_header_fails_loudly():
    code, error = settings_with(SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert code != 0 and "SECURE_PROXY_SSL_HEADER takes HEADER,VALUE" in error


def test_email_comes_from_email_url():
    code, values = settings_with()
    assert values["IXPORTAL_EMAIL_ENABLED"] == "False"
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.dummy.EmailBackend"
    code, values = settings_with(EMAIL_URL="smtp+tls://user:pw@mail.example.pt:587")
    assert code == 0, values
    assert values["IXPORTAL_EMAIL_ENABLED"] == "True"
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"], values["EMAIL_USE_TLS"]) == (
        "mail.example.pt",
        "587",
        "True",
    )


def test_lockout_limits_come_from_the_environment():
    code, values = settings_with(AXES_FAILURE_LIMIT="3", AXES_COOLOFF_MINUTES="60")
    assert (values["AXES_FAILURE_LIMIT"], values["AXES_COOLOFF_TIME"]) == ("3", "1:00:00")


def test_office_sign_in_turns_on_with_its_client_id_and_needs_its_endpoints():
    code, values = settings_with()
    assert values["IXPORTAL_OIDC_ENABLED"] == "False"
    assert "signin.oidc.OfficeOIDCBackend" not in values["AUTHENTICATION_BACKENDS"]
    code, error = settings_with(OIDC_RP_CLIENT_ID="ixportal")
    assert code != 0 and "OIDC_OP_TOKEN_ENDPOINT" in error
    code, values = settings_with(
        OIDC_RP_CLIENT_ID="ixportal",
        OIDC_RP_CLIENT_SECRET="s",
        OIDC_OP_ISSUER="https://idp.example",
        OIDC_OP_AUTHORIZATION_ENDPOINT="https://idp.example/authorize",
        OIDC_OP_TOKEN_ENDPOINT="https://idp.example/token",
        OIDC_OP_JWKS_ENDPOINT="https://idp.example/jwks",
    )
    assert code == 0, values
    assert values["IXPORTAL_OIDC_ENABLED"] == "True"
    assert values["AUTHENTICATION_BACKENDS"].startswith("['axes.backends.AxesStandaloneBackend'")
    assert "signin.oidc.OfficeOIDCBackend" in values["AUTHENTICATION_BACKENDS"]


def test_every_cookie_the_site_sets_says_samesite(client, cast):
    client.get("/accounts/login/")
    client.post("/accounts/login/", {"username": "viewer", "password": "pw"})
    client.post("/i18n/setlang/", {"language": "pt-pt", "next": "/"})
    client.post("/c/acme/documents/", {})  # anything that adds a message cookie or not
    names = set()
    for name, morsel in client.cookies.items():
        names.add(name)
        assert morsel["samesite"] == "Lax", name
    assert {"csrftoken", "sessionid", "django_language"} <= names
