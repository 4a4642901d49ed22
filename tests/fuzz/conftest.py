"""The world the property tests fuzz: the tenancy cast, with "acme" an account of the
sandbox served in process (see `inprocess`), holding a draft, a final and a settled invoice,
and a SAF-T export row."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
from django.utils import timezone

from invoices.invoicexpress.client import shared_session
from saft.models import SaftExport
from tests.conftest import build_cast
from tests.create.helpers import form_data
from tests.fuzz import inprocess
from tests.lifecycle.helpers import minimal_invoice


class World(SimpleNamespace):
    def __repr__(self) -> str:  # hypothesis prints it with every falsifying example
        return "<fuzz world: acme in the in-process sandbox>"


@pytest.fixture(autouse=True)
def uninstrumented_templates(monkeypatch):
    """Templates render as in production, without the test runner's instrumentation.

    The test environment wraps Template._render to send `template_rendered`, and the test
    client copies every context it sees: on the create form (hundreds of widget templates
    per page) that more than doubles a request's time. The fuzz only asks for the status.
    """
    from django.template.base import Template
    from django.test.utils import _TestState

    saved = getattr(getattr(_TestState, "saved_data", None), "template_render", None)
    if saved is not None:
        monkeypatch.setattr(Template, "_render", saved)


@pytest.fixture
def world(db, client):
    from sandbox.models import SandboxAccount, SandboxSequence

    session = shared_session()
    adapter = inprocess.mount(session)
    try:
        cast = build_cast(f"{inprocess.BASE}/sandbox/acme")
        SandboxAccount.objects.create(
            account_name="acme", api_key="acme-key", company_name="Acme, Lda."
        )
        upstream = cast.account.client()

        def new(date=None):
            return upstream.create_document(
                "invoices", minimal_invoice(date), proprietary_uid=uuid.uuid4().hex
            )

        draft = new()
        final = upstream.change_state("invoices", new().id, "finalized")
        settled = upstream.change_state("invoices", final.id, "settled")
        final = upstream.change_state("invoices", new().id, "finalized")
        export = SaftExport.objects.create(account=cast.account, year=2025, month=1)
        sequence_id = str(SandboxSequence.objects.get(account__account_name="acme").pk)
        client.force_login(cast.manager)
        submission = uuid.uuid4()
        sent = client.post(
            "/c/acme/documents/new/",
            # Dated today: the world's finalized invoices are, and an earlier draft would
            # (rightly) be held back with a date warning.
            form_data(
                token=str(submission),
                sequence=sequence_id,
                client_country="Portugal",
                date=f"{timezone.localdate():%d/%m/%Y}",
                due_date=f"{timezone.localdate():%d/%m/%Y}",
            ),
        )
        assert sent.status_code == 302, "the valid base form must create a document"
        yield World(
            cast=cast,
            client=client,
            sequence_id=sequence_id,
            submission=submission,
            draft=draft,
            final=final,
            settled=settled,
            export=export,
            adapter=adapter,
        )
    finally:
        inprocess.unmount(session)
