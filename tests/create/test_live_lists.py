"""Against the sandbox: the form's lists come from the company (known clients, series, taxes).

Known clients are looked up from a cached list, so later keystrokes do not reach
InvoiceXpress; the taxes are cached too, until the clerk asks for a refresh.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from invoices.models.submissions import Submission
from sandbox import faults
from sandbox.models import SandboxClient
from tests.create.helpers import HTMX, URL, fresh_form, fresh_live_cache
from tests.create.helpers import live_form_data as form_data


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    yield from fresh_live_cache(settings)


@pytest.fixture
def clerk(client, live_company):
    client.force_login(live_company.clerk)
    return client


# ---- known clients -------------------------------------------------------------------------


def test_typing_a_name_or_nif_offers_known_clients_from_a_cached_list(clerk, live_company):
    for name, nif in (("Maria Silva", "123456789"), ("Mário Costa", "503504564"), ("Zé Lda", "")):
        SandboxClient.objects.create(
            account=live_company.sandbox, name=name, fiscal_id=nif, city="Porto"
        )
    html = clerk.get(URL + "clients/", {"client_name": "mar"}, headers=HTMX).content.decode()
    assert html.lstrip().startswith('<div id="client-suggestions"')
    assert "Maria Silva" in html and "Mário Costa" in html and "Zé Lda" not in html
    html = clerk.get(URL + "clients/", {"client_fiscal_id": "5035"}, headers=HTMX).content.decode()
    assert "Mário Costa" in html and "Maria Silva" not in html
    # Later keystrokes do not reach InvoiceXpress: it is down now, and the list still answers.
    faults.inject("acme", "503", count=None)
    html = clerk.get(URL + "clients/", {"client_name": "silva"}, headers=HTMX).content.decode()
    assert "Maria Silva" in html


def test_a_failing_client_look_up_says_so_quietly(clerk, live_company):
    faults.inject("acme", "503", count=None, path_prefix="clients.json")
    response = clerk.get(URL + "clients/", {"client_name": "mar"}, headers=HTMX)
    assert response.status_code == 200
    assert "Known clients could not be looked up" in response.content.decode()


def test_picking_a_known_client_fills_in_the_rest(clerk, live_company):
    known = SandboxClient.objects.create(
        account=live_company.sandbox, name="Maria Silva", code="MS", fiscal_id="123456789",
        email="m@example.pt", address="Rua B", city="Porto", postal_code="4000-001",
        country="Portugal", phone="22",
    )  # fmt: skip
    token, series, _ = fresh_form(clerk)
    data = form_data(
        token, series, client_name="Mar", client_code="", client_fiscal_id="", client_email=""
    )
    del data["submit_document"]
    data["pick_client"] = str(known.pk)
    html = clerk.post(URL, data, headers=HTMX).content.decode()
    for value in (
        'value="Maria Silva"',
        'value="MS"',
        'value="m@example.pt"',
        'value="4000-001"',
        'value="Porto"',
    ):
        assert value in html
    assert 'name="items-0-name" value="Consultoria"' in html  # the lines are untouched
    assert not Submission.objects.exists()


# ---- the lists come from the company -------------------------------------------------------


def test_the_form_offers_the_companys_series_and_taxes(clerk, live_company):
    from sandbox.models import SandboxSequence, SandboxTax

    SandboxTax.objects.create(account=live_company.sandbox, name="IVA22-MA", value=D("22"))
    SandboxSequence.objects.create_with_counters(
        account=live_company.sandbox, serie="LOJA", is_default=False, registered=True
    )
    _, _, html = fresh_form(clerk)
    assert ">IVA22-MA<" in html
    assert ">LOJA<" in html


def test_refreshing_the_taxes_picks_up_a_new_tax(clerk, live_company):
    from sandbox.models import SandboxTax

    token, series, html = fresh_form(clerk)
    assert "IVA4" not in html
    SandboxTax.objects.create(account=live_company.sandbox, name="IVA4", value=D("4"))
    data = form_data(token, series)
    del data["submit_document"]
    assert "IVA4" not in clerk.post(URL, {**data, "recalculate": "1"}).content.decode()  # cached
    assert ">IVA4<" in clerk.post(URL, {**data, "refresh_taxes": "1"}).content.decode()
