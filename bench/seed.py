"""Seed the benchmark database: sandbox accounts with documents, wired into the dashboard.

Run by bench/run.py in a subprocess, with the benchmark's environment (a throwaway SQLite
file under /tmp); prints one JSON line: the API key, the company slug and a document to open.
The first company ("bench") is the one whose list page is measured; the cockpit is measured
over it and the others ("bench2", ...), seeded alike.

    python bench/seed.py <sandbox base url> <latency ms> <documents> [<companies> | <company slug>]
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ixportal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402

from invoices.models import Account, Membership, Role  # noqa: E402
from sandbox.models import (  # noqa: E402
    SandboxAccount,
    SandboxClient,
    SandboxDocument,
    SandboxLine,
)

SLUG = "bench"
USERNAME = "bench"
PASSWORD = "bench-password-not-secret"


def seed(
    base_url: str, latency_ms: int, count: int, companies: int = 1, first_slug: str = SLUG
) -> dict:
    """`companies` companies of `count` documents each, the first named `first_slug`; the
    bench user (created once, whichever run comes first) is a member of every one."""
    user = get_user_model().objects.filter(username=USERNAME).first()
    if user is None:
        user = get_user_model().objects.create_user(USERNAME, password=PASSWORD)
    every = []
    for n in range(1, companies + 1):
        slug = first_slug if n == 1 else f"{first_slug}{n}"
        every.append(seed_company(base_url, latency_ms, count, slug, user))
    keys = {seeded["slug"]: seeded["api_key"] for seeded in every}
    return {**every[0], "companies": companies, "api_keys": keys}


def seed_company(base_url: str, latency_ms: int, count: int, slug: str, user) -> dict:
    with transaction.atomic():
        sandbox = SandboxAccount.objects.create(
            account_name=slug, company_name=f"Benchmark {slug}, Lda.", latency_ms=latency_ms
        )
        clients = SandboxClient.objects.bulk_create(
            SandboxClient(
                account=sandbox,
                name=f"Cliente {n:03d}, Lda.",
                fiscal_id=f"5{n:08d}",
                country="Portugal",
                city="Lisboa",
            )
            for n in range(1, 41)
        )
        start = dt.date(2024, 1, 2)
        documents = SandboxDocument.objects.bulk_create(
            SandboxDocument(
                account=sandbox,
                doc_type="Invoice",
                status=("final", "settled", "sent")[n % 3],
                client=clients[n % len(clients)],
                number=n,
                sequence_number=f"{n}/2024",
                inverted_sequence_number=f"2024/{n}",
                atcud=f"JF7K2Q9X-{n}",
                date=start + dt.timedelta(days=n // 2),
                due_date=start + dt.timedelta(days=n // 2 + 30),
                reference=f"PO-{n:05d}",
                sum=Decimal(n * 10),
                before_taxes=Decimal(n * 10),
                taxes=Decimal(n * 10) * Decimal("0.23"),
                total=Decimal(n * 10) * Decimal("1.23"),
            )
            for n in range(1, count + 1)
        )
        SandboxLine.objects.bulk_create(
            SandboxLine(
                document=doc,
                position=position,
                name=f"Serviço {position}",
                description="Horas de consultoria",
                unit_price=doc.before_taxes / 2,
                unit="hour",
                quantity=Decimal(1),
                tax_name="IVA23",
                tax_value=Decimal(23),
                subtotal=doc.before_taxes / 2,
                tax_amount=doc.taxes / 2,
                total=doc.total / 2,
            )
            for doc in documents
            for position in (1, 2)
        )
        account = Account.objects.create(
            name=f"Benchmark {slug}, Lda.",
            slug=slug,
            account_name=slug,
            api_key=sandbox.api_key,
            base_url=f"{base_url.rstrip('/')}/{slug}",
        )
        Membership.objects.create(user=user, account=account, role=Role.VIEWER)
    return {
        "api_key": sandbox.api_key,
        "slug": slug,
        "username": USERNAME,
        "password": PASSWORD,
        "document_id": documents[-1].pk,
    }


if __name__ == "__main__":
    extra = sys.argv[4] if len(sys.argv) > 4 else "1"
    if extra.isdigit():  # how many companies
        print(json.dumps(seed(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(extra))))
    else:  # one company with this slug
        print(json.dumps(seed(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), 1, extra)))
