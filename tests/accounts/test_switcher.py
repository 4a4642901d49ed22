"""The company switcher keeps the kind of page, and offers only the user's companies."""

from __future__ import annotations

import re

import pytest

from invoices.models import Membership, Role


@pytest.fixture
def two_companies(cast):
    """The acme manager is also a viewer of globex."""
    Membership.objects.create(user=cast.manager, account=cast.other_account, role=Role.VIEWER)
    return cast


def switcher_links(response) -> dict[str, str]:
    html = response.content.decode()
    menu = html.split('id="company-switcher"', 1)[1].split("</ul>", 1)[0]
    return {name: href for href, name in re.findall(r'href="([^"]+)">([^<]+)</a>', menu)}


@pytest.mark.parametrize(
    ("page", "lands_on"),
    [
        ("/c/acme/sequences/", "/c/globex/sequences/"),
        ("/c/acme/saft/", "/c/globex/saft/"),
        ("/c/acme/receivables/", "/c/globex/receivables/"),
        ("/c/acme/documents/", "/c/globex/documents/"),
        ("/c/acme/documents/invoices/12/", "/c/globex/documents/"),  # a document: the list
        ("/c/acme/audit/", "/c/globex/documents/"),  # a viewer there: no audit log
        ("/c/acme/documents/new/", "/c/globex/documents/"),  # a viewer cannot create there
    ],
)
def test_the_switcher_keeps_the_kind_of_page(client, two_companies, fast_failures, page, lands_on):
    client.force_login(two_companies.manager)

    response = client.get(page)

    # The unreachable company's document: its page says so, with the failure's status.
    assert response.status_code in (200, 404, 502)
    links = switcher_links(response)
    assert links["Globex, S.A."] == lands_on
    assert links["Acme, Lda."] == page.replace("/12/", "/").replace(
        "/documents/invoices/", "/documents/"
    )


def test_the_switcher_lists_only_the_users_companies(client, cast):
    client.force_login(cast.viewer)

    links = switcher_links(client.get("/c/acme/saft/"))

    assert set(links) == {"Acme, Lda.", "All my companies"}
