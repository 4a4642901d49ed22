"""Every page a person can open, for the accessibility scan (test_accessibility.py), and the
routes that are not pages (test_accessibility_coverage.py keeps the two lists complete).

`pages(ids, role)` lists the paths the scan opens; the coverage test resolves those same
paths, so a route counts as scanned only when a scanned path really reaches it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

COMPANY = "/c/acme"


@dataclass(frozen=True)
class Ids:
    """The records the pages show (InvoiceXpress ids for documents, our pks for the rest)."""

    draft: int = 1
    final: int = 2  # partly paid through the dashboard: a receipt with its cancel form
    settled: int = 3
    canceled: int = 4
    credit_note: int = 5
    debit_note: int = 6
    invoice_receipt: int = 7
    simplified: int = 8
    receipt: int = 9
    vat_moss: int = 10
    quote: int = 11
    proforma: int = 12
    fees_note: int = 13
    shipping: int = 14
    transport: int = 15
    devolution: int = 16
    client: int = 1
    job: int = 1
    running_job: int = 2
    export: int = 1
    submission: uuid.UUID = uuid.UUID(int=1)
    pending_submission: uuid.UUID = uuid.UUID(int=2)


# Routes that are not a page of their own, each with why. Anything else named in the URL
# configuration must be reached by a path of pages() (test_accessibility_coverage.py).
POST_ONLY = {
    # Actions: their forms are on scanned pages; a GET answers 405 (checked by the coverage
    # test), and their answers are a redirect or a fragment of a scanned page.
    "invoices:cockpit_refresh",
    "invoices:document_create_preview",  # the totals preview inside the create form
    "invoices:submission_retry",
    "invoices:receipt_cancel",  # its form is on the paid invoice's page (ids.final)
    "invoices:document_bulk_pdf",  # the bulk bar of the list; the job page shows the answer
    "invoices:document_bulk_email",
    "invoices:sequence_register",
    "invoices:sequence_set_default",
    "saft:export_request",
    "saft:export_nif_confirm",
    "saft:pack_create",
    "saft:submission_create",
    "saft_overview_request",
    "saft_overview_pack",
    "logout",  # its answer is the login page (LOGOUT_REDIRECT_URL)
}
NOT_PAGES = {
    # Files: PDF, zip, CSV, XML; no HTML.
    "invoices:document_export": "CSV download",
    "invoices:document_pdf_download": "PDF download",
    "invoices:job_result": "the job's zip download",
    "invoices:receivables_statement_csv": "CSV download",
    "saft:export_download": "SAF-T zip download",
    "saft:pack_download": "the accountant's pack, a zip download",
    "saft:submission_receipt": "the Tax Authority's receipt, a file download",
    # htmx fragments; without htmx they redirect to the page they belong to (scanned).
    "invoices:document_header": "the document page's header, re-read (redirects without htmx)",
    "invoices:document_pdf": "the PDF button's polling (redirects without htmx)",
    "invoices:job_progress": "the job page's progress bar (redirects without htmx)",
    "saft_overview_status": "a row of /saft/ (redirects to saft:export_status without htmx)",
    "invoices:client_search": "suggestions under the create form's client field",
    "invoices:owner_search": "suggestions under the create form's corrected-document field",
    # Redirects.
    "invoices:company_home": "redirects to the company's document list",
    "set_language": "the language switch's POST target; redirects back",
    # Office sign-in (OIDC): off in the tests (404), and the provider's pages when on.
    "oidc_authentication_init": "redirects to the identity provider",
    "oidc_authentication_callback": "the identity provider's redirect back",
}
# Whole namespaces that are not the dashboard.
OTHER_APPS = {
    "admin": "Django's admin, for superusers only",
    "sandbox": "the InvoiceXpress stand-in (JSON API and its staff control page), tests and demo only",
}


def pages(ids: Ids, role: str) -> list[tuple[str, int]]:
    """(path, expected status) for a signed-in `role` ("clerk" or "manager") of acme."""
    c = COMPANY
    doc = f"{c}/documents"
    found: list[tuple[str, int]] = [
        # Across companies.
        ("/", 200),  # the cockpit
        ("/search/?q=Cliente", 200),  # with results
        ("/search/?q=FT%202025%2F7", 200),  # a number: the document found
        ("/receivables/", 200),
        ("/sequences/", 200),
        ("/saft/", 200),
        # The document lists: every family, filters open, a search, the totals page.
        (f"{doc}/", 200),
        (f"{doc}/?status=draft&page=1", 200),  # "More filters" open
        (f"{doc}/?text=FT", 200),
        (f"{doc}/?type=CreditNote", 200),
        (f"{doc}/?type=Receipt", 200),
        (f"{doc}/?date_from=99%2F99%2F2025", 200),  # a filter error
        (f"{doc}/totals/", 200),
        (f"{c}/estimates/", 200),
        (f"{c}/guides/", 200),
        # A document of every type, and an invoice in every status.
        (f"{doc}/invoices/{ids.draft}/", 200),
        (f"{doc}/invoices/{ids.final}/", 200),
        (f"{doc}/invoices/{ids.settled}/", 200),
        (f"{doc}/invoices/{ids.canceled}/", 200),
        (f"{doc}/credit_notes/{ids.credit_note}/", 200),
        (f"{doc}/debit_notes/{ids.debit_note}/", 200),
        (f"{doc}/invoice_receipts/{ids.invoice_receipt}/", 200),
        (f"{doc}/simplified_invoices/{ids.simplified}/", 200),
        (f"{doc}/receipts/{ids.receipt}/", 200),
        (f"{doc}/vat_moss_invoices/{ids.vat_moss}/", 200),
        (f"{doc}/quotes/{ids.quote}/", 200),
        (f"{doc}/proformas/{ids.proforma}/", 200),
        (f"{doc}/fees_notes/{ids.fees_note}/", 200),
        (f"{doc}/shippings/{ids.shipping}/", 200),
        (f"{doc}/transports/{ids.transport}/", 200),
        (f"{doc}/devolutions/{ids.devolution}/", 200),
        (f"{doc}/invoices/999999/", 404),  # a document InvoiceXpress does not have
        # Create (each type), edit a draft, duplicate, a creation's outcome.
        (f"{doc}/new/", 200),
        (f"{doc}/new/?type=invoice_receipts", 200),
        (f"{doc}/new/?type=simplified_invoices", 200),
        (f"{doc}/new/?type=credit_notes&owner={ids.final}", 200),
        (f"{doc}/new/?type=debit_notes", 200),
        (f"{doc}/invoices/{ids.draft}/edit/", 200),
        (f"{doc}/invoices/{ids.final}/duplicate/", 200),
        (f"{doc}/new/{ids.submission}/", 200),  # no answer from InvoiceXpress: retry safely
        (f"{doc}/new/{ids.pending_submission}/", 200),  # still being sent
        # Payments and e-mail.
        (f"{doc}/invoices/{ids.final}/payments/", 200),
        (f"{doc}/invoices/{ids.final}/email/", 200),
        # Jobs (a bulk finalize that is done, a bulk e-mail still running).
        (f"{c}/jobs/{ids.job}/", 200),
        (f"{c}/jobs/{ids.running_job}/", 200),
        # Receivables and a client's statement.
        (f"{c}/receivables/", 200),
        (f"{c}/receivables/statement/?client={ids.client}", 200),
        # Series, SAF-T (an export's validation report and reconciliation).
        (f"{c}/sequences/", 200),
        (f"{c}/saft/", 200),
        (f"{c}/saft/{ids.export}/", 200),
        # Errors.
        ("/c/acme/no-such-page/", 404),
        ("/c/globex/documents/", 404),  # a company of someone else
        # The signed-in user's own password.
        ("/accounts/password_change/", 200),
        ("/accounts/password_change/done/", 200),
    ]
    manager_only = [
        (f"{doc}/finalize/", 200),  # finalize drafts in bulk
        (f"{doc}/invoices/{ids.draft}/finalize/", 200),
        (f"{doc}/invoices/{ids.draft}/delete/", 200),
        (f"{doc}/invoices/{ids.final}/cancel/", 200),
        (f"{doc}/invoices/{ids.final}/settle/", 200),
        (f"{doc}/invoices/{ids.settled}/unsettle/", 200),
        (f"{c}/sequences/new/", 200),
        (f"{c}/email/templates/", 200),
        (f"{c}/audit/", 200),
        (f"{c}/jobs/", 200),
    ]
    if role == "manager":
        found += manager_only
    else:
        # A clerk opening a manager's page: the 403 page (one is enough).
        found.append((f"{doc}/invoices/{ids.final}/cancel/", 403))
    return found


# Signed out: the sign-in pages.
ANONYMOUS = [
    ("/accounts/login/", 200),
    ("/accounts/password_reset/", 200),  # e-mail off: who to ask instead
    ("/accounts/password_reset/done/", 200),
    ("/accounts/reset/MQ/set-password/", 200),  # an invalid link
    ("/accounts/reset/done/", 200),
]
# With e-mail configured (settings.IXPORTAL_EMAIL_ENABLED): the reset form itself.
ANONYMOUS_WITH_EMAIL = [("/accounts/password_reset/", 200)]


def build_world(live_company) -> Ids:
    """The records behind every page of pages(), in the sandbox and in our database."""
    from invoices.jobs.models import Job, JobItem
    from invoices.models import AuditEntry, Payment, Submission
    from invoices.sentences import sentence
    from saft.services import export_validate
    from tests.documents.helpers import make_document
    from tests.saft.helpers import ready_export

    sandbox = live_company.sandbox
    account = live_company.account
    overdue = dt.date.today() - dt.timedelta(days=90)

    def document(**kwargs):
        return make_document(sandbox, **kwargs).pk

    draft = document(status="draft", number=None)
    final = document(status="final", number=7, date=overdue, before_taxes="200.00")
    settled = document(status="settled", number=8)
    canceled = document(status="canceled", number=9)
    credit_note = document(doc_type="CreditNote", number=1)
    debit_note = document(doc_type="DebitNote", number=1)
    invoice_receipt = document(doc_type="InvoiceReceipt", status="settled", number=1)
    simplified = document(doc_type="SimplifiedInvoice", status="settled", number=1)
    receipt = document(doc_type="Receipt", number=1)
    vat_moss = document(doc_type="VatMossInvoice", number=11, tax_exemption="M99")
    quote = document(doc_type="Quote", number=1)
    proforma = document(doc_type="Proforma", number=1)
    fees_note = document(doc_type="FeesNote", number=1)
    shipping = document(doc_type="Shipping", number=1)
    transport = document(doc_type="Transport", number=1)
    devolution = document(doc_type="Devolution", number=1)
    from sandbox.models import SandboxDocument

    client = SandboxDocument.objects.get(pk=final).client_id

    Payment.objects.create(
        account=account,
        token=uuid.uuid4(),
        user=live_company.manager,
        document_type="invoices",
        document_id=final,
        amount=Decimal("50.00"),
        payment_date=dt.date.today(),
        mechanism="TB",
        status=Payment.Status.REGISTERED,
        receipt_id=receipt,
        receipt_number="RG 2025/1",
    )
    submission = Submission.objects.create(
        account=account,
        token=uuid.uuid4(),
        user=live_company.clerk,
        document_type="invoices",
        status=Submission.Status.UNKNOWN,
    )
    pending = Submission.objects.create(
        account=account,
        token=uuid.uuid4(),
        user=live_company.clerk,
        document_type="invoices",
        status=Submission.Status.PENDING,
    )
    job = Job.objects.create(
        account=account,
        started_by=live_company.manager,
        kind=Job.Kind.BULK_FINALIZE,
        status=Job.Status.DONE,
        total=2,
        done=2,
        summary={"finalized": 1, "refused": 1},
    )
    JobItem.objects.create(
        job=job, position=0, key="11", data={"label": "Invoice 11"}, outcome="finalized"
    )
    JobItem.objects.create(
        job=job,
        position=1,
        key="12",
        data={"label": "Invoice 12"},
        outcome="refused",
        message="Document date is before the last one.",
    )
    running = Job.objects.create(
        account=account,
        started_by=live_company.clerk,
        kind=Job.Kind.BULK_EMAIL,
        status=Job.Status.RUNNING,
        total=3,
        done=1,
    )
    export = ready_export(account, user=live_company.manager)
    export_validate(export=export)  # against the stand-in: findings and a reconciliation
    # The audit log with a translated sentence and a quote of InvoiceXpress's own words.
    AuditEntry.record(
        account=account,
        user=live_company.manager,
        action="document.cancel",
        outcome="failed",
        target="FT 2025/7",
        sentences=[sentence("%(number)s was canceled.", number="FT 2025/7")],
        said="Document can't be canceled.",
    )
    return Ids(
        draft=draft,
        final=final,
        settled=settled,
        canceled=canceled,
        credit_note=credit_note,
        debit_note=debit_note,
        invoice_receipt=invoice_receipt,
        simplified=simplified,
        receipt=receipt,
        vat_moss=vat_moss,
        quote=quote,
        proforma=proforma,
        fees_note=fees_note,
        shipping=shipping,
        transport=transport,
        devolution=devolution,
        client=client,
        job=job.pk,
        running_job=running.pk,
        export=export.pk,
        submission=submission.token,
        pending_submission=pending.token,
    )
