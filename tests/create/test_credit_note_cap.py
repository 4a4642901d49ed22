"""Against the sandbox: a credit note never takes back more than remains of its invoice."""

from __future__ import annotations

import datetime as dt

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


@pytest.fixture
def nata(live_company):
    """The QA case: FT 2026/33, 15 "Pastel de nata" at 1,20 € + 13 % (20,34 €)."""
    return make_document(
        live_company.sandbox, status="final", serie="2026", number=33, item_name="Pastel de nata",
        quantity="15", before_taxes="18.00", tax_rate="13", date=dt.date(2026, 11, 2),
    )  # fmt: skip


def issued_note(live_company, owner, quantity: str, unit_price: str, status: str = "final"):
    """A credit note already issued against `owner` (stored directly)."""
    before = str(round(float(quantity) * float(unit_price), 2))
    note = make_document(
        live_company.sandbox, doc_type="CreditNote", status=status, serie="2026", number=1,
        item_name=owner.lines.get().name, quantity=quantity, before_taxes=before,
        tax_rate=str(owner.lines.get().tax_value),
    )  # fmt: skip
    note.owner = owner
    note.save(update_fields=["owner"])
    return note


def credit_note(clerk, owner, items, **fields):
    token, series, _ = fresh_form(clerk)
    fields.setdefault("owner_invoice_id", str(owner.pk))
    data = form_data(token, series, doc_type="credit_notes", items=items, **fields)
    return clerk.post(URL, data)


def created_notes():
    return SandboxDocument.objects.filter(doc_type="CreditNote", status="draft")


def assert_nothing_sent() -> None:
    assert not Submission.objects.exists()
    assert not created_notes().exists()


def nata_line(quantity: str) -> list[dict]:
    return [
        {"name": "Pastel de nata", "quantity": quantity, "unit": "unit", "unit_price": "1,2",
         "discount": "0", "tax": "IVA13"}
    ]  # fmt: skip


def test_the_second_note_beyond_what_remains_is_refused_saying_13_remain(clerk, live_company, nata):
    issued_note(live_company, nata, "2", "1.20")
    html = credit_note(clerk, nata, nata_line("14"), owner_number="FT 2026/33").content.decode()
    assert (
        "Only 13 of “Pastel de nata” remain to be credited on FT 2026/33 (15 invoiced, "
        "2 already credited); this note credits 14."
    ) in html
    assert "2,71\u00a0€ already credited, 17,63\u00a0€ remain" in html
    assert_nothing_sent()
    response = credit_note(clerk, nata, nata_line("13"), owner_number="FT 2026/33")
    note = created_notes().get()
    assert response["Location"] == f"/c/acme/documents/credit_notes/{note.pk}/"
    assert note.owner_id == nata.pk


def test_the_prefilled_note_offers_only_what_remains(clerk, live_company, nata):
    issued_note(live_company, nata, "2", "1.20")
    issued_note(live_company, nata, "15", "1.20", status="draft")  # credits nothing yet
    _, _, html = fresh_form(clerk, f"?type=credit_notes&owner={nata.pk}")
    assert 'name="items-0-quantity" value="13"' in html
    assert 'name="owner_number" value="FT 2026/33"' in html
    assert "what remains to be credited (17,63\u00a0€ of 20,34\u00a0€; 2,71\u00a0€" in html


def test_a_fully_credited_invoice_prefills_no_lines_and_says_so(clerk, live_company, nata):
    issued_note(live_company, nata, "15", "1.20")
    _, _, html = fresh_form(clerk, f"?type=credit_notes&owner={nata.pk}")
    assert "FT 2026/33 is fully credited: nothing remains to credit." in html
    assert 'name="items-0-name" value="Pastel de nata"' not in html


def test_a_canceled_note_credits_nothing(clerk, live_company, nata):
    issued_note(live_company, nata, "15", "1.20", status="canceled")
    credit_note(clerk, nata, nata_line("15"), owner_number="FT 2026/33")
    assert created_notes().count() == 1


def test_the_note_is_chosen_by_its_invoices_number(clerk, live_company, nata, owner):
    # No id in the form: the number alone finds the invoice.
    response = credit_note(
        clerk, nata, nata_line("1"), owner_invoice_id="", owner_number="ft  2026/33"
    )
    note = created_notes().get()
    assert response["Location"] == f"/c/acme/documents/credit_notes/{note.pk}/"
    assert note.owner_id == nata.pk


def test_the_number_wins_over_a_stale_id(clerk, live_company, nata, owner):
    credit_note(
        clerk, nata, nata_line("1"), owner_invoice_id=str(owner.pk), owner_number="FT 2026/33"
    )
    assert created_notes().get().owner_id == nata.pk


def test_an_unknown_or_malformed_number_is_refused_before_sending(clerk, live_company, nata):
    html = credit_note(
        clerk, nata, nata_line("1"), owner_invoice_id="", owner_number="FT 2026/99"
    ).content.decode()
    assert "There is no invoice FT 2026/99 in this company." in html
    html = credit_note(
        clerk, nata, nata_line("1"), owner_invoice_id="", owner_number="2026-33"
    ).content.decode()
    assert "Give the number as printed: type code, space, series/number (FT 2026/33)." in html
    html = credit_note(clerk, nata, nata_line("1"), owner_invoice_id="").content.decode()
    assert "A credit note corrects an issued invoice: give that invoice&#x27;s number." in html
    assert_nothing_sent()


def test_the_invoice_search_offers_issued_invoices_by_number(clerk, live_company, nata):
    make_document(live_company.sandbox, status="draft", item_name="Pastel de nata")
    html = clerk.get(
        "/c/acme/documents/new/owners/",
        {"owner_number": "FT 2026/3"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert f'name="pick_owner" value="{nata.pk}"' in html
    assert "FT 2026/33" in html
    assert html.count('name="pick_owner"') == 1


def test_picking_a_suggested_invoice_prefills_the_note(clerk, live_company, nata):
    token, series, _ = fresh_form(clerk)
    data = form_data(token, series, doc_type="credit_notes")
    data.pop("submit_document")
    data["pick_owner"] = str(nata.pk)
    html = clerk.post(URL, data).content.decode()
    assert 'name="owner_number" value="FT 2026/33"' in html
    assert 'name="items-0-quantity" value="15"' in html


def test_a_credit_note_line_cannot_credit_more_than_the_invoice_charged(clerk, owner):
    items = [{"name": "horas ", "quantity": "5", "unit_price": "1", "discount": "0"}]
    html = credit_note(clerk, owner, items).content.decode()
    assert "Only 4 of “Horas” remain to be credited on FT 2025/1 (4 invoiced, 0 already" in html
    assert "this note credits 5." in html
    assert_nothing_sent()


def test_lines_of_one_name_add_up_against_the_invoice(clerk, owner):
    items = [
        {"name": "Horas", "quantity": "2,5", "unit_price": "1", "discount": "0"},
        {"name": "Horas", "quantity": "2", "unit_price": "1", "discount": "0"},
    ]
    html = credit_note(clerk, owner, items).content.decode()
    assert "this note credits 4,5." in html
    assert_nothing_sent()


def test_a_credit_note_cannot_exceed_the_invoices_total(clerk, owner):
    # Lines not on the invoice are allowed, but they count toward the total.
    items = [
        {"name": "Horas", "quantity": "1", "unit_price": "50", "discount": "0"},
        {"name": "Deslocação", "quantity": "1", "unit_price": "1030", "discount": "0"},
    ]
    html = credit_note(clerk, owner, items).content.decode()
    assert (
        "A credit note cannot credit more than remains: FT 2025/1 totals 246,00\u00a0€, "
        "0,00\u00a0€ already credited, 246,00\u00a0€ remain; this note about 1.328,40\u00a0€."
    ) in html
    assert_nothing_sent()


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
