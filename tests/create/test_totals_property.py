"""Totals proven: the create form's estimate equals the sandbox's totals, to the cent, for
random documents (lines, discounts, exemptions, regional rates, withholding).

Two ways, same documents:
- in-process (CI, 1,000 documents): the form (`DocumentEntry`) estimates, then its payload
  goes through the sandbox's own create rules and create service (`validate_document`,
  `document_create`), no HTTP in between;
- over real HTTP: the dashboard's create view posts to the sandbox (live_server) through
  the InvoiceXpress client. IXPORTAL_TOTALS_HTTP_EXAMPLES documents (default 25 in CI;
  `make test-totals-http` runs 1,000).
"""

from __future__ import annotations

import json
import os
import uuid

import pytest
from django.http import QueryDict
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from invoices import company_cache
from invoices.create.entry import DocumentEntry, RawEntry
from invoices.invoicexpress.records import Tax
from invoices.invoicexpress.sequences import Sequence
from sandbox.doctypes import BY_PATH
from sandbox.models import SandboxDocument, SandboxSequence, SandboxTax
from sandbox.serializers import sequence_json, tax_json
from sandbox.services import document_create
from sandbox.testing import sandbox_account_fixture  # noqa: F401
from sandbox.totals import retention_amount
from sandbox.validation import validate_document
from tests.create.helpers import URL, fresh_form, fresh_live_cache
from tests.create.totals_strategies import REGIONAL_TAXES, documents, form_post

IN_PROCESS_EXAMPLES = 1000
HTTP_EXAMPLES = int(os.environ.get("IXPORTAL_TOTALS_HTTP_EXAMPLES", "25"))
TODAY = timezone.localdate()


def add_regional_taxes(account) -> None:
    SandboxTax.objects.bulk_create(
        SandboxTax(account=account, name=name, value=rate, region=region)
        for name, rate, region in REGIONAL_TAXES
    )


def form_entry(data: dict[str, str], taxes: list[Tax], sequences: list[Sequence]) -> DocumentEntry:
    query = QueryDict(mutable=True)
    query.update(data)
    entry = DocumentEntry(
        sequences=sequences, taxes=taxes, raw=RawEntry.from_post(query), bound=True
    )
    assert entry.is_valid(), (entry.form.errors, entry.items.errors)
    return entry


def assert_same_totals(estimate, doc: SandboxDocument) -> None:
    assert (estimate.sum, estimate.discount, estimate.before_taxes, estimate.taxes, estimate.total) == (
        doc.sum, doc.discount, doc.before_taxes, doc.taxes, doc.total
    )  # fmt: skip
    assert estimate.retention == retention_amount(doc.before_taxes, doc.retention)


@pytest.mark.django_db
def test_the_forms_estimate_equals_the_sandbox_create_service_to_the_cent(sandbox_account):
    add_regional_taxes(sandbox_account)
    taxes = [Tax.from_api(tax_json(t)) for t in SandboxTax.objects.filter(account=sandbox_account)]
    sequences = [
        Sequence.from_api(sequence_json(s))
        for s in SandboxSequence.objects.filter(account=sandbox_account).prefetch_related(
            "counters"
        )
    ]
    series = str(next(s.id for s in sequences if s.is_default))
    seen = []

    @hypothesis_settings(max_examples=IN_PROCESS_EXAMPLES, deadline=None, database=None)
    @given(st.data())
    def check(data):
        document = data.draw(documents(TODAY))
        entry = form_entry(
            form_post(document, token=str(uuid.uuid4()), series=series, day=TODAY),
            taxes, sequences,
        )  # fmt: skip
        payload = json.loads(json.dumps(entry.invoice()))  # what goes over the wire
        info = BY_PATH[entry.doc_type]
        plan = validate_document(sandbox_account, info, payload)
        assert plan.errors == []
        doc = document_create(account=sandbox_account, info=info, plan=plan, proprietary_uid=None)
        assert_same_totals(entry.estimate(), doc)
        seen.append(doc.pk)

    check()
    assert len(seen) == IN_PROCESS_EXAMPLES
    # The documents really used the regional rates and withholding, not only the mainland.
    assert {"PT-MA", "PT-AC", ""} <= set(
        SandboxDocument.objects.filter(pk__in=seen).values_list("lines__tax_region", flat=True)
    )
    assert SandboxDocument.objects.filter(pk__in=seen, retention__gt=0).exists()


def test_the_forms_estimate_equals_the_sandbox_over_http_to_the_cent(
    client, live_company, settings
):
    settings_gen = fresh_live_cache(settings)
    next(settings_gen)
    add_regional_taxes(live_company.sandbox)
    client.force_login(live_company.clerk)
    _, series, _ = fresh_form(client)  # taxes and series cached from here
    taxes = company_cache.get_taxes(live_company.account)
    sequences = company_cache.get_sequences(live_company.account)
    assert {t.region for t in taxes} >= {"PT-MA", "PT-AC"}
    created = []

    @hypothesis_settings(
        max_examples=HTTP_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.data())
    def check(data):
        document = data.draw(documents(TODAY))
        token = str(uuid.uuid4())
        post = form_post(document, token=token, series=series, day=TODAY)
        estimate = form_entry(post, taxes, sequences).estimate()
        response = client.post(URL, post)
        assert response.status_code == 302, response.content.decode()[:2000]
        doc = SandboxDocument.objects.get(proprietary_uid=token)
        assert response["Location"].endswith(f"/{doc.pk}/")
        assert_same_totals(estimate, doc)
        created.append(doc.pk)

    check()
    assert len(created) == HTTP_EXAMPLES
