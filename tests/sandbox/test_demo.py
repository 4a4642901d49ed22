"""manage.py load_demo: idempotent, consistent numbering, wired into the dashboard."""

import io
from collections import Counter
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from stdnum.pt import nif

from invoices.models import Account, Membership
from sandbox.demo_catalog import COMPANIES, OFICINA
from sandbox.demo_data import load_demo
from sandbox.demo_documents import generate_company_documents
from sandbox.models import (
    SandboxAccount,
    SandboxClient,
    SandboxDocument,
    SandboxLine,
    SandboxSequence,
    SandboxSequenceCounter,
    Status,
)
from sandbox.testing import SandboxApi

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 21)
MODELS = (
    SandboxAccount, SandboxDocument, SandboxLine, SandboxClient, SandboxSequence, Account,
    Membership, get_user_model(),
)  # fmt: skip


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


DEMO_USERNAMES = ("demo", "clerk", "viewer", "admin")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for the module (it takes seconds), and remove it afterwards."""
    with django_db_blocker.unblock():
        load_demo(today=TODAY)
    yield
    with django_db_blocker.unblock():
        slugs = [company.slug for company in COMPANIES]
        Membership.objects.filter(account__slug__in=slugs).delete()
        Account.objects.filter(slug__in=slugs).delete()
        get_user_model().objects.filter(username__in=DEMO_USERNAMES).delete()
        SandboxAccount.objects.filter(account_name__in=[c.account_name for c in COMPANIES]).delete()


def test_it_loads_the_demo_twice_without_changing_anything(demo):
    first = counts()
    keys = dict(SandboxAccount.objects.values_list("account_name", "api_key"))
    out = io.StringIO()
    call_command("load_demo", "--force", stdout=out)
    assert counts() == first
    assert dict(SandboxAccount.objects.values_list("account_name", "api_key")) == keys
    assert "already there" in out.getvalue()
    assert "demo / demo-ixportal" in out.getvalue() and "http://127.0.0.1:8000/" in out.getvalue()


def test_it_prints_the_address_it_really_serves(demo, settings):
    original = settings.IXPORTAL_SANDBOX_URL
    settings.IXPORTAL_SANDBOX_URL = "http://127.0.0.1:8021/sandbox/"
    out = io.StringIO()
    call_command("load_demo", "--force", stdout=out)
    assert "Dashboard: http://127.0.0.1:8021/ " in out.getvalue()
    assert "8000" not in out.getvalue()
    assert Account.objects.get(slug=COMPANIES[0].slug).base_url.startswith(
        "http://127.0.0.1:8021/sandbox/"
    )
    settings.IXPORTAL_SANDBOX_URL = original
    call_command(
        "load_demo", "--force", stdout=io.StringIO()
    )  # the other tests' accounts point back


def test_it_makes_a_few_hundred_documents_of_every_type_and_status(demo):
    for account in SandboxAccount.objects.all():
        documents = account.documents.all()
        assert 250 <= documents.count() <= 700
        assert {Status.DRAFT, Status.FINAL, Status.SETTLED, Status.CANCELED} <= set(
            documents.values_list("status", flat=True)
        )
        assert documents.filter(
            status=Status.FINAL, doc_type="Invoice", due_date__lt=TODAY
        ).exists()
        assert documents.filter(doc_type="CreditNote", owner__isnull=False).exists()
        assert documents.filter(doc_type="Receipt", owner__isnull=False).exists()
        assert documents.filter(archived=True).exists()
        assert min(documents.values_list("date", flat=True)) <= date(2024, 12, 1)
        assert max(documents.values_list("date", flat=True)) <= TODAY
    types = set(SandboxDocument.objects.values_list("doc_type", flat=True))
    assert types == {
        "Invoice", "InvoiceReceipt", "SimplifiedInvoice", "CreditNote", "DebitNote", "Receipt",
        "VatMossInvoice",
    }  # fmt: skip
    rates = set(SandboxLine.objects.values_list("tax_value", flat=True))
    assert {23, 13, 6, 0} <= {int(rate) for rate in rates}
    exemptions = set(
        SandboxDocument.objects.exclude(tax_exemption="").values_list("tax_exemption", flat=True)
    )
    assert exemptions and exemptions <= {"M07", "M40"}


def test_it_numbers_documents_consistently_with_their_sequences(demo):
    for counter in SandboxSequenceCounter.objects.select_related("sequence"):
        numbered = SandboxDocument.objects.filter(counter=counter).order_by("number")
        numbers = list(numbered.values_list("number", flat=True))
        assert numbers == list(range(1, counter.number + 1))
        dates = list(numbered.values_list("date", flat=True))
        assert dates == sorted(dates)
        for document in numbered:
            assert document.date.year == int(counter.sequence.serie)
            assert document.sequence_number == f"{document.number}/{counter.sequence.serie}"
            assert document.atcud == counter.atcud(document.number)
    assert not SandboxDocument.objects.filter(status=Status.DRAFT, number__isnull=False).exists()
    assert (
        not SandboxDocument.objects.exclude(status=Status.DRAFT)
        .filter(number__isnull=True)
        .exists()
    )


def test_it_keeps_stored_totals_equal_to_their_lines(demo):
    for document in SandboxDocument.objects.prefetch_related("lines")[:200]:
        lines = list(document.lines.all())
        assert document.sum == sum(line.subtotal for line in lines)
        assert document.total == document.before_taxes + document.taxes
        assert document.taxes == sum(line.tax_amount for line in lines)


def test_it_gives_each_company_a_default_and_an_unregistered_sequence(demo):
    for account in SandboxAccount.objects.all():
        sequences = list(account.sequences.prefetch_related("counters"))
        assert [s.serie for s in sequences if s.is_default] == [str(TODAY.year)]
        assert [s.is_registered for s in sequences].count(False) == 1


def test_it_gives_clients_valid_portuguese_nifs(demo):
    portuguese = SandboxClient.objects.filter(country="Portugal").exclude(fiscal_id="")
    assert portuguese.count() >= 15
    assert all(nif.is_valid(client.fiscal_id) for client in portuguese)
    assert all(nif.is_valid(company.nif) for company in COMPANIES)


def test_it_wires_each_company_into_the_dashboard(demo, client):
    for company in COMPANIES:
        account = Account.objects.get(slug=company.slug)
        sandbox = SandboxAccount.objects.get(account_name=account.account_name)
        assert account.api_key == sandbox.api_key
        assert account.base_url == f"http://127.0.0.1:8000/sandbox/{sandbox.account_name}"
        response = SandboxApi(client, sandbox).get("invoices.json")
        assert response.json()["pagination"]["total_entries"] == sandbox.documents.visible().count()


def test_it_creates_the_demo_users_with_their_roles(demo, client):
    users = get_user_model().objects
    demo_user = users.get(username="demo")
    assert demo_user.is_staff and not demo_user.is_superuser
    assert set(Membership.objects.filter(user=demo_user).values_list("role", flat=True)) == {
        "manager"
    }
    assert Counter(
        Membership.objects.filter(user__username="clerk").values_list("role", flat=True)
    ) == {"clerk": 2}
    assert Membership.objects.filter(user__username="viewer").count() == 1
    assert users.get(username="admin").is_superuser
    # Through the login form: django-axes needs the request that client.login() omits.
    for username in ("viewer", "demo"):
        response = client.post(
            "/accounts/login/", {"username": username, "password": f"{username}-ixportal"}
        )
        assert response.status_code == 302, username
    assert client.get("/sandbox/").status_code == 200  # staff: the control page


def test_it_generates_the_same_documents_from_the_same_seed_and_deletes_them_with_the_account():
    def fingerprint(account):
        generate_company_documents(account, OFICINA, TODAY)
        return list(
            account.documents.order_by("pk").values_list(
                "doc_type", "status", "date", "total", "number"
            )
        )

    first = SandboxAccount.objects.create(account_name="first")
    generated = fingerprint(first)
    first.delete()
    assert not SandboxDocument.objects.filter(account_id=first.pk).exists()
    assert fingerprint(SandboxAccount.objects.create(account_name="second")) == generated
