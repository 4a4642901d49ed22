"""Ten companies on the live sandbox, each with its own mix of documents, for a user "boss".

A company outside the user's memberships ("hidden") has documents too: nothing of it may show.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from invoices.models import Account, Membership, Role
from tests.documents.helpers import make_document

NAMES = [f"co{n}" for n in range(10)]


def seed(sandbox, n: int, today: dt.date) -> None:
    """A different mix per company: overdue, open, drafts, this month, credit notes, old."""
    days = dt.timedelta
    number = iter(range(1, 1000))
    for k in range(n % 3 + 1):  # overdue invoices, oldest (10 + n) days late
        make_document(
            sandbox,
            number=next(number),
            date=today - days(40 + n),
            due_date=today - days(10 + n + k),
            before_taxes=f"{100 + n}.{k}5",
            client_name=f"Cliente Atrasado {n}",
        )
    make_document(  # overdue debit note
        sandbox,
        doc_type="DebitNote",
        number=next(number),
        date=today - days(70),
        due_date=today - days(65),
        before_taxes="12.34",
    )
    make_document(  # open, not yet due, issued today: also month to date
        sandbox, number=next(number), date=today, due_date=today + days(30), before_taxes=f"{n}7.00"
    )
    make_document(  # paid this month (settled): month to date, not open
        sandbox, status="settled", number=next(number), date=today, before_taxes="250.00"
    )
    make_document(  # invoice-receipt this month
        sandbox,
        doc_type="InvoiceReceipt",
        status="settled",
        number=next(number),
        date=today,
        before_taxes="40.00",
        tax_rate="6",
    )
    make_document(  # credit note this month: subtracts
        sandbox,
        doc_type="CreditNote",
        number=next(number),
        date=today,
        before_taxes=f"{n + 1}.50",
    )
    make_document(sandbox, status="canceled", number=next(number), date=today, before_taxes="999")
    make_document(sandbox, doc_type="Receipt", number=next(number), date=today, before_taxes="77")
    for _ in range(n % 4):  # drafts waiting
        make_document(sandbox, status="draft", date=today, before_taxes="5.00")
    make_document(  # settled long ago: nothing
        sandbox, status="settled", number=next(number), date=today - days(400), before_taxes="1"
    )


@pytest.fixture
def ten_companies(transactional_db, live_server):
    from sandbox.models import SandboxAccount, SandboxSequence

    today = timezone.localdate()
    boss = get_user_model().objects.create_user("boss", password="pw")
    accounts = []
    for n, name in enumerate(NAMES):
        sandbox = SandboxAccount.objects.create(
            account_name=name, api_key=f"{name}-key", company_name=f"Company {n}"
        )
        seed(sandbox, n, today)
        if n % 5 == 2:  # a series still waiting for the Tax Authority (N/D)
            SandboxSequence.objects.create_with_counters(
                account=sandbox, serie=f"ND{n}", registered=False
            )
        account = Account.objects.create(
            name=f"Company {n}",
            slug=name,
            account_name=name,
            api_key=f"{name}-key",
            base_url=f"{live_server.url}/sandbox/{name}",
        )
        Membership.objects.create(user=boss, account=account, role=Role.VIEWER)
        accounts.append(account)
    hidden = SandboxAccount.objects.create(
        account_name="hidden", api_key="hidden-key", company_name="Hidden"
    )
    make_document(hidden, number=1, due_date=today - dt.timedelta(days=3), client_name="Segredo")
    Account.objects.create(
        name="Hidden, S.A.",
        slug="hidden",
        account_name="hidden",
        api_key="hidden-key",
        base_url=f"{live_server.url}/sandbox/hidden",
    )
    yield SimpleNamespace(boss=boss, accounts=accounts, today=today, live_server=live_server)
    from invoices.invoicexpress.client import shared_session

    shared_session().close()
