"""Against the sandbox: a credit note never takes back more than the invoice it corrects."""

from __future__ import annotations

import pytest

from invoices.models.submissions import Submission
from sandbox.models import SandboxDocument
from tests.create.helpers import URL, fresh_form, fresh_live_cache
from tests.create.helpers import live_form_data as form_data
from tests.documents.helpers import make_document


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    yield from fresh_live_cache(settings)


@pytest.fixture
def clerk(client, live_company):
    client.force_login(live_company.clerk)
    return client


@pytest.fixture
def owner(live_company):
    """FT 2025/1: 4 "Horas" at 50 € + 23 % = 246,00 €."""
    return make_document(
        live_company.sandbox, status="final", item_name="Horas", quantity="4",
        before_taxes="200.00",
    )  # fmt: skip


def credit_note(clerk, owner, items):
    token, series, _ = fresh_form(clerk)
    data = form_data(
        token, series, doc_type="credit_notes", owner_invoice_id=str(owner.pk), items=items
    )
    return clerk.post(URL, data)


def assert_nothing_sent(owner) -> None:
    assert not Submission.objects.exists()
    assert list(SandboxDocument.objects.values_list("pk", flat=True)) == [owner.pk]


def test_a_credit_note_line_cannot_credit_more_than_the_invoice_charged(clerk, owner):
    items = [{"name": "horas ", "quantity": "5", "unit_price": "1", "discount": "0"}]
    html = credit_note(clerk, owner, items).content.decode()
    assert "More than the invoice charged: FT 2025/1 has 4 of “Horas”" in html
    assert "this note credits 5." in html
    assert_nothing_sent(owner)


def test_lines_of_one_name_add_up_against_the_invoice(clerk, owner):
    items = [
        {"name": "Horas", "quantity": "2,5", "unit_price": "1", "discount": "0"},
        {"name": "Horas", "quantity": "2", "unit_price": "1", "discount": "0"},
    ]
    html = credit_note(clerk, owner, items).content.decode()
    assert "this note credits 4,5." in html
    assert_nothing_sent(owner)


def test_a_credit_note_cannot_exceed_the_invoices_total(clerk, owner):
    # QA's case: lines not on the invoice are allowed, but they count toward the total.
    items = [
        {"name": "Horas", "quantity": "1", "unit_price": "50", "discount": "0"},
        {"name": "Deslocação", "quantity": "1", "unit_price": "1030", "discount": "0"},
    ]
    html = credit_note(clerk, owner, items).content.decode()
    assert (
        "A credit note cannot exceed the invoice it corrects: FT 2025/1 totals 246,00\u00a0€, "
        "this note about 1.328,40\u00a0€."
    ) in html
    assert_nothing_sent(owner)


def test_a_credit_note_within_the_invoice_is_created(clerk, owner):
    items = [
        {"name": "Horas", "quantity": "4", "unit_price": "40", "discount": "0"},
        {"name": "Deslocação", "quantity": "1", "unit_price": "30", "discount": "0"},
    ]  # 190 € + 23 % = 233,70 € <= 246,00 €
    response = credit_note(clerk, owner, items)
    note = SandboxDocument.objects.get(doc_type="CreditNote")
    assert response["Location"] == f"/c/acme/documents/credit_notes/{note.pk}/"
    assert note.owner_id == owner.pk


def test_a_clerk_creating_a_draft_is_told_a_manager_finalizes_it(clerk, live_company):
    token, series, _ = fresh_form(clerk)
    page = clerk.post(URL, form_data(token, series), follow=True).content.decode()
    assert "Check it; a manager finalizes it." in page
    assert "finalize it from this page" not in page
