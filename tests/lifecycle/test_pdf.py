"""The PDF button: 202 while InvoiceXpress renders (the widget polls), then a download through
our own access-checked view; 406 for a draft; a second copy; failures on the page."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from invoices.models import AuditEntry
from sandbox import faults
from sandbox.models import SandboxAccount, SandboxPdf
from tests.lifecycle.helpers import HTMX, create_draft, doc_url

TRIGGER = 'hx-trigger="every 2s" data-poll-when-visible'


@pytest.fixture
def viewer(client, live_company):
    client.force_login(live_company.viewer)
    return client


@pytest.fixture
def invoice(live_company):
    draft = create_draft(live_company)
    return live_company.account.client().change_state("invoices", draft.id, "finalized")


def pending_calls(company, number: int) -> None:
    SandboxAccount.objects.filter(pk=company.sandbox.pk).update(pdf_pending_calls=number)


def number() -> str:
    return f"FT {timezone.localdate().year}/1"


def test_the_widget_polls_while_rendering_then_offers_the_download(viewer, live_company, invoice):
    pending_calls(live_company, 2)
    url = doc_url(invoice, "pdf") + "?copy=0"
    first = viewer.get(url, headers=HTMX).content.decode()
    assert first.lstrip().startswith('<span id="pdf-original"')
    assert 'data-pdf-state="pending"' in first and TRIGGER in first
    poll = re.search(r'hx-get="([^"]+)"', first)[1].replace("&amp;", "&")
    assert poll.endswith("?copy=0&attempt=1")
    second = viewer.get(poll, headers=HTMX).content.decode()
    assert TRIGGER in second and "attempt=2" in second
    ready = viewer.get(
        re.search(r'hx-get="([^"]+)"', second)[1].replace("&amp;", "&"), headers=HTMX
    ).content.decode()
    assert 'data-pdf-state="ready"' in ready and "hx-trigger" not in ready
    download = re.search(r'-download" href="([^"]+)">', ready)[1].replace("&amp;", "&")
    assert download == doc_url(invoice, "pdf/download") + "?copy=0"
    assert "/sandbox/" not in ready and "files/pdf" not in ready  # the signed link stays here

    response = viewer.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    filename = number().replace(" ", "_").replace("/", "-") + ".pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    entry = AuditEntry.objects.get(action="document.pdf")
    assert (entry.outcome, entry.target, entry.document_id) == ("ok", number(), invoice.id)
    assert entry.username == "viewer"


def test_polling_gives_up_after_about_thirty_tries_and_stops(viewer, live_company, invoice):
    pending_calls(live_company, 100)
    html = viewer.get(doc_url(invoice, "pdf") + "?copy=0&attempt=29", headers=HTMX).content.decode()
    assert 'data-pdf-state="gave_up"' in html and "hx-trigger" not in html
    assert "still rendering the PDF. Try again" in html


def test_a_draft_has_no_pdf_and_says_so(viewer, live_company):
    draft = create_draft(live_company)
    html = viewer.get(doc_url(draft, "pdf") + "?copy=0", headers=HTMX).content.decode()
    assert "A draft has no PDF yet: finalize it first." in html and "hx-trigger" not in html
    assert AuditEntry.objects.get(action="document.pdf").outcome == "failed"
    response = viewer.get(doc_url(draft, "pdf/download") + "?copy=0")
    assert response.status_code == 302 and response["Location"] == doc_url(draft)
    assert "finalize it first" in viewer.get(response["Location"]).content.decode()


def test_a_second_copy_is_its_own_pdf(viewer, live_company, invoice):
    pending_calls(live_company, 0)
    html = viewer.get(doc_url(invoice, "pdf") + "?copy=1", headers=HTMX).content.decode()
    assert (
        html.lstrip().startswith('<span id="pdf-second-copy"')
        and "Download the second copy" in html
    )
    response = viewer.get(doc_url(invoice, "pdf/download") + "?copy=1")
    assert response["Content-Disposition"].endswith('_2via.pdf"')
    assert SandboxPdf.objects.filter(document_id=invoice.id, second_copy=True).exists()


def test_without_javascript_the_link_downloads_once_ready(viewer, live_company, invoice):
    pending_calls(live_company, 1)
    url = doc_url(invoice, "pdf") + "?copy=0"
    pending = viewer.get(url)
    assert pending.status_code == 302 and pending["Location"] == doc_url(invoice)
    assert "rendering the PDF" in viewer.get(pending["Location"]).content.decode()
    ready = viewer.get(url)
    assert ready["Location"] == doc_url(invoice, "pdf/download") + "?copy=0"


def test_a_failing_service_is_shown_with_try_again_and_no_polling(viewer, live_company, invoice):
    faults.inject("acme", "503", count=3, path_prefix="api/pdf/")
    html = viewer.get(doc_url(invoice, "pdf") + "?copy=0", headers=HTMX).content.decode()
    assert 'data-pdf-state="failed"' in html and "HTTP 503" in html
    assert "hx-trigger" not in html and "Try again" in html


def test_a_document_id_under_another_type_is_not_downloaded(viewer, invoice):
    response = viewer.get(f"/c/acme/documents/credit_notes/{invoice.id}/pdf/download/")
    assert response.status_code == 302 and response["Location"] == "/c/acme/documents/"


def test_nonsense_query_values_fall_back_to_the_defaults(viewer, live_company, invoice):
    pending_calls(live_company, 0)
    html = viewer.get(
        doc_url(invoice, "pdf") + "?copy=yes&attempt=-4", headers=HTMX
    ).content.decode()
    assert 'id="pdf-original"' in html and 'data-pdf-state="ready"' in html


def test_an_outsider_gets_404(client, cast):
    client.force_login(cast.outsider)
    assert client.get("/c/acme/documents/invoices/1/pdf/").status_code == 404
    assert client.get("/c/acme/documents/invoices/1/pdf/download/").status_code == 404
