"""Bulk on the list: the PDFs of selected documents as one zip, and e-mailing each to its
client: the plain functions (progress reported) and the small-selection views."""

from __future__ import annotations

import io
import re
import zipfile

from invoices.bulk.emails import email_documents
from invoices.bulk.pdfs import build_pdf_zip
from invoices.bulk.selection import Selection, parse_selections
from invoices.lifecycle.pdf import pdf_filename
from invoices.models import AuditEntry, SentEmail
from sandbox.models import SandboxEmail
from tests.lifecycle.helpers import create_draft
from tests.payments.helpers import final_invoice


def test_selections_are_parsed_strictly():
    picked = parse_selections(
        ["invoices:3", "invoices:3", "quotes:4", "nope:1", "invoices:x", "invoices:0"]
    )
    assert picked == [Selection("invoices", 3), Selection("quotes", 4)]


def test_build_pdf_zip_zips_each_pdf_and_names_what_failed(live_company, settings):
    settings.IXPORTAL_BULK_PDF_WAITS = (0.01, 0.01)
    live_company.sandbox.pdf_pending_calls = 1  # the service answers 202 once per PDF
    live_company.sandbox.save(update_fields=["pdf_pending_calls"])
    one, two = final_invoice(live_company), final_invoice(live_company)
    draft = create_draft(live_company)
    seen = []
    result = build_pdf_zip(
        live_company.account,
        [
            Selection("invoices", one.id),
            Selection("invoices", draft.id),
            Selection("invoices", two.id),
        ],
        lambda done, total: seen.append((done, total)),
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]
    archive = zipfile.ZipFile(io.BytesIO(result.content))
    names = sorted(archive.namelist())
    assert names == sorted([pdf_filename(one, False), pdf_filename(two, False), "LEIA-ME.txt"])
    pdfs = [n for n in names if n.endswith(".pdf")]
    assert len(pdfs) == 2 and all(archive.read(n).startswith(b"%PDF") for n in pdfs)
    assert [o.selection.document_id for o in result.failed] == [draft.id]
    assert "draft" in archive.read("LEIA-ME.txt").decode().lower()


def test_email_documents_sends_each_to_its_client_and_skips_the_rest(live_company):
    with_email = final_invoice(live_company, client={"name": "Com E-mail", "email": "a@cliente.pt"})
    without = final_invoice(live_company, client={"name": "Sem E-mail"})
    draft = create_draft(live_company, client={"name": "Rascunho", "email": "r@cliente.pt"})
    seen = []
    result = email_documents(
        live_company.account,
        [Selection("invoices", d.id) for d in (with_email, without, draft)],
        live_company.clerk,
        lambda done, total: seen.append(done),
    )
    assert seen == [1, 2, 3]
    assert [o.selection.document_id for o in result.done] == [with_email.id]
    assert [SandboxEmail.objects.get().to] == ["a@cliente.pt"]
    assert "no e-mail" in result.failed[0].message and "finalized" in result.failed[1].message
    assert SentEmail.objects.get().subject.startswith("Fatura ")
    assert AuditEntry.objects.filter(action="document.email", outcome="ok").count() == 1


def test_the_list_offers_the_bulk_actions_and_runs_them(client, live_company):
    invoice = final_invoice(live_company, client={"name": "X", "email": "x@cliente.pt"})
    client.force_login(live_company.clerk)
    html = client.get("/c/acme/documents/").content.decode()
    assert f'value="invoices:{invoice.id}"' in html and 'id="bulk-email"' in html
    response = client.post("/c/acme/documents/bulk/pdf/", {"doc": [f"invoices:{invoice.id}"]})
    assert response["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(response.content)).namelist()[0].endswith(".pdf")
    token = re.search(r'name="token" value="(\w+)"', html)[1]
    form = {"doc": [f"invoices:{invoice.id}"], "token": token}
    response = client.post("/c/acme/documents/bulk/email/", form, follow=True)
    assert "1 document e-mailed to its client." in response.content.decode()
    again = client.post("/c/acme/documents/bulk/email/", form, follow=True)
    assert "already sent from this form" in again.content.decode()
    assert SandboxEmail.objects.count() == 1


def test_viewers_may_not_bulk_email_and_outsiders_see_nothing(client, live_company):
    invoice = final_invoice(live_company)
    client.force_login(live_company.viewer)
    assert 'id="bulk-email"' not in client.get("/c/acme/documents/").content.decode()
    assert (
        client.post(
            "/c/acme/documents/bulk/email/", {"doc": [f"invoices:{invoice.id}"]}
        ).status_code
        == 403
    )
    client.force_login(live_company.outsider)
    assert (
        client.post("/c/acme/documents/bulk/pdf/", {"doc": [f"invoices:{invoice.id}"]}).status_code
        == 404
    )
    assert not SandboxEmail.objects.exists()
