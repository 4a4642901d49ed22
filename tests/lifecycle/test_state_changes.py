"""Finalize, delete, cancel, settle and unsettle from the document page, against the sandbox
over real HTTP: the confirm step, the reason, the answers (htmx and plain), the refusals."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from invoices.models import AuditEntry
from sandbox import faults
from tests.documents.helpers import make_document
from tests.lifecycle.helpers import (
    HTMX,
    create_draft,
    default_counter,
    doc_url,
    last_audit,
    offered_actions,
    sandbox_doc,
    wait_for,
)


@pytest.fixture
def manager(client, live_company):
    client.force_login(live_company.manager)
    return client


def year() -> str:
    return str(timezone.localdate().year)


def finalize(manager, doc, **headers):
    return manager.post(doc_url(doc, "finalize"), {"confirm": "1"}, headers=headers)


# ---- what the page offers ------------------------------------------------------------------


def test_a_draft_offers_finalize_and_delete_and_no_pdf_yet(manager, live_company):
    draft = create_draft(live_company)
    html = manager.get(doc_url(draft)).content.decode()
    assert 'id="action-finalize"' in html and 'id="action-delete"' in html
    assert 'id="action-cancel"' not in html and 'id="action-settle"' not in html
    assert "A draft has no PDF yet: finalize it first." in html
    assert 'id="lifecycle-panel"' in html


def test_a_final_invoice_of_today_offers_settle_cancel_and_the_pdfs(manager, live_company):
    draft = create_draft(live_company)
    live_company.account.client().change_state("invoices", draft.id, "finalized")
    html = manager.get(doc_url(draft)).content.decode()
    for action in ("settle", "cancel"):
        assert f'id="action-{action}"' in html
    assert 'id="action-finalize"' not in html and 'id="action-delete"' not in html
    assert 'id="pdf-original"' in html and 'id="pdf-second-copy"' in html
    assert 'id="action-credit-note"' not in html


def test_a_viewer_sees_no_action_but_the_pdf(client, live_company):
    client.force_login(live_company.viewer)
    draft = create_draft(live_company)
    live_company.account.client().change_state("invoices", draft.id, "finalized")
    html = client.get(doc_url(draft)).content.decode()
    assert "action-" not in html
    assert 'id="pdf-original-request"' in html


# ---- finalize ---------------------------------------------------------------------------------


def test_the_finalize_step_says_it_is_irreversible_and_shows_the_number_and_atcud(
    manager, live_company
):
    first = create_draft(live_company)
    finalize(manager, first)  # the counter moves to 1
    draft = create_draft(live_company)
    response = manager.get(doc_url(draft, "finalize"), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="lifecycle-panel"')
    assert "This cannot be undone." in html
    code = default_counter(live_company.sandbox).validation_code
    assert re.search(rf'id="next-number">FT {year()}/2<', html)
    assert f">{code}-2<" in html
    assert 'name="confirm" value="1"' in html
    assert sandbox_doc(draft.id).status == "draft"  # asking changes nothing


def test_the_finalize_step_works_without_javascript_on_a_page_of_its_own(manager, live_company):
    draft = create_draft(live_company)
    html = manager.get(doc_url(draft, "finalize")).content.decode()
    assert "<html" in html and 'id="document-header"' in html
    assert 'id="lifecycle-confirm"' in html and f"FT {year()}/1" in html


def test_a_finalize_post_without_the_confirmation_only_shows_the_confirm_step(
    manager, live_company
):
    draft = create_draft(live_company)
    response = manager.post(doc_url(draft, "finalize"), {}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="lifecycle-confirm"' in html and 'id="confirm-error"' in html
    assert sandbox_doc(draft.id).status == "draft"
    assert not AuditEntry.objects.exists()


def test_finalizing_with_htmx_answers_the_header_with_status_number_and_atcud(
    manager, live_company
):
    draft = create_draft(live_company)
    response = finalize(manager, draft, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="document-header"')
    stored = sandbox_doc(draft.id)
    assert stored.status == "final" and stored.number == 1
    assert f'id="document-number">FT {year()}/1<' in html
    assert stored.atcud in html and 'data-status="final"' in html
    assert 'id="lifecycle-notice"' in html and f"Finalized as FT {year()}/1." in html
    entry = last_audit("document.finalize")
    assert entry.outcome == AuditEntry.Outcome.OK
    assert (entry.target, entry.document_type, entry.document_id) == (
        f"FT {year()}/1",
        "Invoice",
        draft.id,
    )
    assert entry.username == "manager"


def test_finalizing_without_javascript_redirects_to_the_document_with_a_message(
    manager, live_company
):
    draft = create_draft(live_company)
    response = finalize(manager, draft)
    assert response.status_code == 302 and response["Location"] == doc_url(draft)
    page = manager.get(response["Location"]).content.decode()
    assert f"Finalized as FT {year()}/1." in page
    assert sandbox_doc(draft.id).status == "final"


def test_finalizing_forgets_the_cached_series_so_the_next_number_is_fresh(manager, live_company):
    first, second = create_draft(live_company), create_draft(live_company)
    manager.get(doc_url(first, "finalize"), headers=HTMX)  # caches the series
    finalize(manager, first, **HTMX)
    html = manager.get(doc_url(second, "finalize"), headers=HTMX).content.decode()
    assert f"FT {year()}/2" in html


# ---- delete ---------------------------------------------------------------------------------


def test_deleting_a_draft_asks_first_then_sends_htmx_to_the_list(manager, live_company):
    draft = create_draft(live_company)
    ask = manager.get(doc_url(draft, "delete"), headers=HTMX).content.decode()
    assert "Delete this draft?" in ask and "cannot be undone" in ask
    response = manager.post(doc_url(draft, "delete"), {"confirm": "1"}, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/c/acme/documents/"
    assert sandbox_doc(draft.id).status == "deleted"
    assert "The draft was deleted." in manager.get("/c/acme/documents/").content.decode()
    entry = last_audit("document.delete")
    assert entry.outcome == AuditEntry.Outcome.OK
    # A draft has no number: the log stores none (not the writer's word for "Draft").
    assert entry.target == "" and entry.document_id == draft.id
    log = manager.get("/c/acme/audit/", headers={"Accept-Language": "pt-pt"}).content.decode()
    assert "O rascunho foi eliminado." in log and "Draft" not in log


def test_deleting_without_javascript_redirects_to_the_list(manager, live_company):
    draft = create_draft(live_company)
    response = manager.post(doc_url(draft, "delete"), {"confirm": "1"})
    assert response.status_code == 302 and response["Location"] == "/c/acme/documents/"
    assert sandbox_doc(draft.id).status == "deleted"


def test_a_delete_without_the_confirmation_deletes_nothing(manager, live_company):
    draft = create_draft(live_company)
    response = manager.post(doc_url(draft, "delete"), {}, headers=HTMX)
    assert 'id="confirm-error"' in response.content.decode()
    assert sandbox_doc(draft.id).status == "draft"


# ---- cancel, settle, unsettle -------------------------------------------------------------------


@pytest.fixture
def final_invoice(live_company):
    draft = create_draft(live_company)
    return live_company.account.client().change_state("invoices", draft.id, "finalized")


def test_cancelling_needs_a_reason(manager, final_invoice):
    response = manager.post(
        doc_url(final_invoice, "cancel"), {"confirm": "1", "reason": "  "}, headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="document-header"')
    assert "Give a reason: a cancellation always needs one." in html
    assert sandbox_doc(final_invoice.id).status == "final"
    assert not AuditEntry.objects.filter(action="document.cancel").exists()


def test_cancelling_with_a_reason_cancels_and_records_it(manager, final_invoice):
    ask = manager.get(doc_url(final_invoice, "cancel"), headers=HTMX).content.decode()
    assert "Reason for the cancellation" in ask
    response = manager.post(
        doc_url(final_invoice, "cancel"),
        {"confirm": "1", "reason": "Cliente errado"},
        headers=HTMX,
    )
    html = response.content.decode()
    stored = sandbox_doc(final_invoice.id)
    assert (stored.status, stored.state_message) == ("canceled", "Cliente errado")
    assert 'data-status="canceled"' in html and "was canceled." in html
    entry = last_audit("document.cancel")
    assert entry.outcome == AuditEntry.Outcome.OK
    # Stored as codes with parameters, not as sentences in one language.
    assert entry.sentences == [
        {"msgid": "Reason given: “%(reason)s”.", "params": {"reason": "Cliente errado"}},
        {"msgid": "%(number)s was canceled.", "params": {"number": entry.target}},
    ]
    assert entry.text == f"Reason given: “Cliente errado”. {entry.target} was canceled."
    assert entry.detail == ""  # InvoiceXpress said nothing of its own
    assert offered_actions(html) == set()


def test_an_invalid_cancel_without_javascript_shows_the_form_again(manager, final_invoice):
    response = manager.post(doc_url(final_invoice, "cancel"), {"confirm": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert "Give a reason" in html


def test_settling_and_unsettling_an_invoice(manager, final_invoice):
    settled = manager.post(
        doc_url(final_invoice, "settle"), {"confirm": "1"}, headers=HTMX
    ).content.decode()
    assert sandbox_doc(final_invoice.id).status == "settled"
    assert 'data-status="settled"' in settled and 'id="action-unsettle"' in settled
    final = manager.post(
        doc_url(final_invoice, "unsettle"), {"confirm": "1"}, headers=HTMX
    ).content.decode()
    assert sandbox_doc(final_invoice.id).status == "final"
    assert 'data-status="final"' in final
    outcomes = AuditEntry.objects.filter(action__in=["document.settle", "document.unsettle"])
    assert sorted(outcomes.values_list("action", "outcome")) == [
        ("document.settle", "ok"),
        ("document.unsettle", "ok"),
    ]


def test_settling_asks_first_and_a_post_without_the_confirmation_changes_nothing(
    manager, final_invoice
):
    html = manager.get(doc_url(final_invoice, "settle"), headers=HTMX).content.decode()
    assert 'id="lifecycle-confirm"' in html and 'id="confirm-settle"' in html
    manager.post(doc_url(final_invoice, "settle"), headers=HTMX)
    assert sandbox_doc(final_invoice.id).status == "final"


# ---- the cancel rule: sent or older than today -> credit note --------------------------------


def test_an_invoice_dated_before_today_offers_a_credit_note_instead_of_cancel(
    manager, live_company
):
    old = make_document(live_company.sandbox, date=timezone.localdate() - dt.timedelta(days=1))
    url = doc_url(None, type_path="invoices", doc_id=old.pk)
    html = manager.get(url).content.decode()
    assert 'id="action-cancel"' not in html and 'id="cancel-closed"' in html
    assert f'href="/c/acme/documents/new/?type=credit_notes&amp;owner={old.pk}"' in html
    # The rule holds on the server too, not only by hiding the button.
    response = manager.post(url + "cancel/", {"confirm": "1", "reason": "x"}, headers=HTMX)
    assert "can no longer be canceled" in response.content.decode()
    assert sandbox_doc(old.pk).status == "final"


def test_a_sent_invoice_of_today_is_not_cancellable(manager, live_company):
    sent = make_document(live_company.sandbox, status="sent", date=timezone.localdate())
    html = manager.get(doc_url(None, type_path="invoices", doc_id=sent.pk)).content.decode()
    assert 'id="action-cancel"' not in html and 'id="action-settle"' in html
    assert 'id="action-credit-note"' in html


def test_a_stale_button_on_a_document_that_moved_on_shows_its_current_state(manager, final_invoice):
    response = finalize(manager, final_invoice, **HTMX)
    html = response.content.decode()
    assert "Not possible now" in html and 'data-status="final"' in html
    assert not AuditEntry.objects.exists()


# ---- refusals and failures, shown in the header ------------------------------------------------


def test_a_date_earlier_than_the_series_last_is_refused_locally_with_the_reason(
    manager, live_company
):
    today = timezone.localdate()
    newer = create_draft(live_company, date=today)
    older = create_draft(live_company, date=today - dt.timedelta(days=3))
    finalize(manager, newer, **HTMX)
    serie = sandbox_doc(newer.id).inverted_sequence_number.split("/")[0]
    # The confirm step already says so, and offers no button.
    panel = manager.get(doc_url(older, "finalize"), headers=HTMX).content.decode()
    reason = (
        f"Dated {older.date:%d/%m/%Y}, before {today:%d/%m/%Y}, the date of the last finalized "
        f"invoice on series {serie}"
    )
    assert "It cannot be finalized:" in panel and reason in panel
    assert re.search(r'<button type="submit" disabled[^>]*id="confirm-finalize"', panel)
    response = finalize(manager, older, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="document-header"')
    assert "Not finalized. " + reason in html and 'data-level="danger"' in html
    assert sandbox_doc(older.id).status == "draft"
    assert not AuditEntry.objects.filter(action="document.finalize", document_id=older.id).exists()


def test_a_draft_dated_after_today_is_refused_locally(manager, live_company):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    draft = create_draft(live_company, date=tomorrow)
    panel = manager.get(doc_url(draft, "finalize"), headers=HTMX).content.decode()
    assert f"Dated {tomorrow:%d/%m/%Y}, after today" in panel
    html = finalize(manager, draft, **HTMX).content.decode()
    assert "Not finalized. Dated" in html and "a document cannot be finalized with a future" in html
    assert sandbox_doc(draft.id).status == "draft"


def test_the_finalize_confirmation_states_the_date_rule(manager, live_company):
    draft = create_draft(live_company, date=timezone.localdate())
    panel = manager.get(doc_url(draft, "finalize"), headers=HTMX).content.decode()
    assert "cannot be finalized with a date before the last finalized document" in panel
    assert "or after today; this one can." in panel


@pytest.mark.parametrize("mode", ["422_a", "422_b", "422_c", "422_d", "422_xml"])
def test_every_422_body_is_shown_in_the_header(manager, live_company, mode):
    draft = create_draft(live_company)
    faults.inject("acme", mode, path_prefix=f"invoices/{draft.id}/change-state")
    html = finalize(manager, draft, **HTMX).content.decode()
    said = (
        "não está disponível"
        if mode == "422_d"
        else "Your current plan does not allow you to do this"
    )
    assert "InvoiceXpress refused the request" in html and said in html
    assert sandbox_doc(draft.id).status == "draft"


def test_a_422_with_an_html_page_is_a_refusal_with_its_status(manager, live_company):
    draft = create_draft(live_company)
    faults.inject("acme", "422_html", path_prefix=f"invoices/{draft.id}/change-state")
    html = finalize(manager, draft, **HTMX).content.decode()
    assert "InvoiceXpress refused the request (HTTP 422)" in html
    assert 'data-level="danger"' in html and 'id="check-again"' not in html
    assert last_audit("document.finalize").outcome == AuditEntry.Outcome.FAILED


def test_a_refusal_without_javascript_comes_back_as_a_message(manager, live_company):
    draft = create_draft(live_company)
    faults.inject("acme", "422_a", path_prefix=f"invoices/{draft.id}/change-state")
    response = finalize(manager, draft)
    assert response.status_code == 302
    assert "does not allow you to do this" in manager.get(response["Location"]).content.decode()


def test_a_wrong_api_key_is_explained_and_nothing_changes(manager, live_company):
    draft = create_draft(live_company)
    live_company.account.api_key = "wrong"
    live_company.account.save()
    response = finalize(manager, draft, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#lifecycle-panel"
    assert "refused this company&#x27;s API key (401)" in html and "Nothing was changed." in html
    assert sandbox_doc(draft.id).status == "draft"


def test_a_missing_document_goes_back_to_the_list(manager, live_company):
    response = manager.post(
        doc_url(None, "finalize", type_path="invoices", doc_id=999999),
        {"confirm": "1"},
        headers=HTMX,
    )
    assert response["HX-Redirect"] == "/c/acme/documents/"


def test_a_429_on_the_change_is_a_plain_failure(manager, live_company):
    draft = create_draft(live_company)
    faults.inject("acme", "429", count=3, path_prefix=f"invoices/{draft.id}/change-state")
    html = finalize(manager, draft, **HTMX).content.decode()
    assert "(429)" in html and 'id="check-again"' not in html
    assert last_audit("document.finalize").outcome == AuditEntry.Outcome.FAILED


@pytest.mark.parametrize(("mode", "words"), [("500", "HTTP 500"), ("html", "web page")])
def test_a_5xx_or_html_answer_leaves_the_outcome_unknown_with_check_again(
    manager, live_company, mode, words
):
    draft = create_draft(live_company)
    faults.inject("acme", mode, path_prefix=f"invoices/{draft.id}/change-state")
    html = finalize(manager, draft, **HTMX).content.decode()
    assert words in html and "check again" in html.lower() and 'id="check-again"' in html
    assert last_audit("document.finalize").outcome == AuditEntry.Outcome.UNKNOWN


def test_a_timeout_says_the_outcome_is_unknown_and_check_again_reads_the_document(
    manager, live_company, settings
):
    settings.IXPORTAL_READ_TIMEOUT = 0.5
    draft = create_draft(live_company)
    faults.inject(
        "acme", "timeout", path_prefix=f"invoices/{draft.id}/change-state", timeout_seconds=1.0
    )
    html = finalize(manager, draft, **HTMX).content.decode()
    assert "we do not know whether the document was finalized" in html
    assert "try again" not in html.lower().split('id="lifecycle-notice"')[1].split("</div>")[0]
    check = re.search(r'id="check-again" href="([^"]+)"', html)[1].replace("&amp;", "&")
    entry = last_audit("document.finalize")
    assert entry.outcome == AuditEntry.Outcome.UNKNOWN
    # The sandbox finishes the write after the client gave up, as the service may.
    assert wait_for(lambda: sandbox_doc(draft.id).status == "final")
    again = manager.get(check, headers=HTMX).content.decode()
    assert again.lstrip().startswith('<div id="document-header"')
    assert f"FT {year()}/1" in again and "Read again from InvoiceXpress" in again
    assert manager.get(check)["Location"] == doc_url(draft)  # without JS: the page itself


# ---- the breadcrumb and the browser's copies -------------------------------------------------


def test_finalizing_with_htmx_updates_the_breadcrumb_out_of_band(manager, live_company):
    draft = create_draft(live_company)
    page = manager.get(doc_url(draft)).content.decode()
    assert re.search(r'id="breadcrumb-current"[^>]*>Draft<', page)

    html = finalize(manager, draft, **HTMX).content.decode()

    oob = re.search(r'<li [^>]*id="breadcrumb-current"[^>]*>([^<]*)</li>', html)
    assert oob is not None and 'hx-swap-oob="true"' in oob.group(0)
    assert oob.group(1) == f"FT {year()}/1"
    # Outside the header: htmx swaps out-of-band elements found at the top level.
    assert html.index("breadcrumb-current") > html.rindex("</div>")


def test_a_page_shown_after_deleting_a_draft_is_never_a_stored_copy(manager, live_company):
    draft = create_draft(live_company)
    assert manager.get(doc_url(draft))["Cache-Control"] == "private, no-store"
    response = manager.get(doc_url(draft, "delete"), headers=HTMX)
    assert response["Cache-Control"] == "private, no-store"
