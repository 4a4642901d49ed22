"""Login everywhere; a user sees and acts only on their companies, with their role."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from invoices.access import get_account_for_user
from invoices.models import Role

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_access_helper_returns_the_account_with_the_members_role(cast):
    account = get_account_for_user(_request(cast.clerk), "acme", role=Role.CLERK)
    assert account == cast.account and account.role == Role.CLERK


def test_the_access_helper_hides_other_companies_with_404(cast):
    with pytest.raises(Http404):
        get_account_for_user(_request(cast.outsider), "acme")
    with pytest.raises(Http404):
        get_account_for_user(_request(cast.superuser), "acme")  # membership is explicit
    with pytest.raises(Http404):
        get_account_for_user(_request(cast.manager), "no-such-company")


@pytest.mark.parametrize(
    ("user", "needed"), [("viewer", Role.CLERK), ("viewer", Role.MANAGER), ("clerk", Role.MANAGER)]
)
def test_the_access_helper_refuses_a_role_too_low_with_403(cast, user, needed):
    with pytest.raises(PermissionDenied):
        get_account_for_user(_request(getattr(cast, user)), "acme", role=needed)


def test_an_inactive_company_is_gone_for_everyone(cast):
    cast.account.is_active = False
    cast.account.save(update_fields=["is_active"])
    with pytest.raises(Http404):
        get_account_for_user(_request(cast.manager), "acme")


def test_it_requires_login(client, cast):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = client.get("/c/acme/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_login_page_renders(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b'name="password"' in response.content


def test_home_lists_only_my_companies(client, cast):
    client.force_login(cast.manager)
    response = client.get("/")
    assert b"Acme, Lda." in response.content
    assert b"Globex" not in response.content
    client.force_login(cast.outsider)
    response = client.get("/")
    assert b"Globex" in response.content
    assert b"Acme" not in response.content


def test_the_company_switcher_lists_only_my_companies(client, cast):
    client.force_login(cast.viewer)
    response = client.get("/")
    switcher = response.content.decode().split('id="company-switcher"', 1)[1].split("</ul>", 1)[0]
    assert "/c/acme/" in switcher and "/c/globex/" not in switcher


def test_a_non_member_gets_404_on_every_company_url(client, cast):
    """Walk every URL under /c/<slug>/ and try it as the outsider: always 404."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern)

    # Real-looking values, so that only the access check can refuse (a view's own
    # "no such document type" 404 must not hide a missing check).
    values = {
        "account_slug": "acme",
        "type_path": "invoices",
        "document_id": "1",
        "sequence_id": "1",
        "job_id": "1",
        "payment_id": "1",
        "pk": "1",
        "token": "00000000-0000-4000-8000-000000000001",
    }
    routes = [
        r for r in walk(get_resolver().url_patterns) if r.startswith("c/<slug:account_slug>/")
    ]
    assert len(routes) >= 27, routes
    client.force_login(cast.outsider)
    import re

    for route in routes:
        url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m[1]], route)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (404, 405), (
                f"{method.upper()} {url} -> {response.status_code}"
            )
            if response.status_code == 405:
                continue
            assert b"Acme" not in response.content, f"{url} reveals the company"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/c/acme/documents/invoices/99999999999999999999999/",
        "/c/acme/documents/invoices/99999999999999999999999/pdf/?copy=0",
        "/c/acme/documents/invoices/99999999999999999999999/pdf/download/",
        "/c/acme/sequences/99999999999999999999999/register/",
    ],
)
def test_an_id_too_long_for_any_record_is_a_404_not_a_500(client, cast, path):
    client.force_login(cast.manager)
    assert client.get(path).status_code == 404
