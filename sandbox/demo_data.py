"""`manage.py load_demo`: three demo companies on the sandbox, wired into the dashboard.

Idempotent: a company whose sandbox account exists is left as it is (its api_key is kept),
users and memberships are created only when missing. Running it twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from invoices.models import Account, Membership, Role
from sandbox.demo_catalog import ATLANTICO, COMPANIES, OFICINA, PADARIA, DemoCompany
from sandbox.demo_documents import generate_company_documents
from sandbox.models import SandboxAccount


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    roles: dict  # company slug -> Role
    is_staff: bool = False
    is_superuser: bool = False

    @property
    def description(self) -> str:
        if self.is_superuser:
            return "superuser (Django admin)"
        roles = ", ".join(f"{role.label.lower()} of {slug}" for slug, role in self.roles.items())
        return roles + (" · staff: sandbox control page" if self.is_staff else "")


USERS = (
    DemoUser(
        "demo",
        "demo-ixportal",
        {company.slug: Role.MANAGER for company in COMPANIES},
        is_staff=True,
    ),
    DemoUser("clerk", "clerk-ixportal", {PADARIA.slug: Role.CLERK, ATLANTICO.slug: Role.CLERK}),
    DemoUser("viewer", "viewer-ixportal", {OFICINA.slug: Role.VIEWER}),
    DemoUser("admin", "admin-ixportal", {}, is_staff=True, is_superuser=True),
)


def sandbox_base_url(account_name: str) -> str:
    return settings.IXPORTAL_SANDBOX_URL.rstrip("/") + "/" + account_name


def _sandbox_account(company: DemoCompany, today: date) -> tuple[SandboxAccount, int]:
    """The company's sandbox account, created with its documents if missing."""
    existing = SandboxAccount.objects.filter(account_name=company.account_name).first()
    if existing is not None:
        return existing, 0
    with transaction.atomic():
        account = SandboxAccount.objects.create(
            account_name=company.account_name,
            company_name=company.name,
            fiscal_id=company.nif,
            address=company.address,
            city=company.city,
            postal_code=company.postal_code,
            mb_references=company.mb_references,
        )
        created = generate_company_documents(account, company, today)
    return account, created


def _dashboard_account(company: DemoCompany, sandbox: SandboxAccount) -> Account:
    base_url = sandbox_base_url(sandbox.account_name)
    account = Account.objects.filter(slug=company.slug).first()
    if account is None:
        return Account.objects.create(
            name=company.name,
            slug=company.slug,
            account_name=sandbox.account_name,
            api_key=sandbox.api_key,
            base_url=base_url,
        )
    # Only when out of step (a sandbox reset, another IXPORTAL_SANDBOX_URL): else no write.
    if account.api_key != sandbox.api_key or account.base_url != base_url:
        account.api_key, account.base_url = sandbox.api_key, base_url
        account.save(update_fields=["api_key", "base_url"])
    return account


def _user(spec: DemoUser, accounts: dict[str, Account]) -> None:
    user_model = get_user_model()
    user = user_model.objects.filter(username=spec.username).first()
    if user is None:
        user = user_model(
            username=spec.username, is_staff=spec.is_staff, is_superuser=spec.is_superuser
        )
        user.set_password(spec.password)
        user.save()
    for slug, role in spec.roles.items():
        Membership.objects.get_or_create(user=user, account=accounts[slug], defaults={"role": role})


def load_demo(today: date | None = None) -> list[str]:
    """Create what is missing; returns the lines to print."""
    today = today or timezone.localdate()
    report, accounts = [], {}
    for company in COMPANIES:
        sandbox, created = _sandbox_account(company, today)
        accounts[company.slug] = _dashboard_account(company, sandbox)
        count = sandbox.documents.count()
        state = f"created {created} documents" if created else "already there"
        report.append(
            f"  {company.name}: sandbox '{sandbox.account_name}', {count} documents ({state})"
        )
    for spec in USERS:
        _user(spec, accounts)
    # The address this server really serves (make demo sets it from HOST and PORT).
    sandbox_url = settings.IXPORTAL_SANDBOX_URL
    dashboard_url = sandbox_url.removesuffix("/").removesuffix("sandbox")
    report += [
        "",
        f"Dashboard: {dashboard_url}   (sandbox control page: {sandbox_url})",
        "Logins:",
    ]
    report += [f"  {u.username} / {u.password}  ({u.description})" for u in USERS]
    return report
