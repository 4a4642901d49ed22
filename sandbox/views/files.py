"""PDF and SAF-T: the 202-until-ready polling endpoints and the files they link to.

The links work without api_key, like the signed URLs the service hands out; the token in the
path is the secret. Files are rendered from the current data when downloaded, never stored.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from sandbox import faults
from sandbox.auth import sandbox_api
from sandbox.locking import serialized
from sandbox.models import (
    FaultMode,
    SandboxAccount,
    SandboxDocument,
    SandboxPdf,
    SandboxSaftExport,
    Status,
)
from sandbox.pdf import document_pdf
from sandbox.responses import empty_response, json_response
from sandbox.saft_defects import damaged_saft_zip
from sandbox.saft_xml import saft_filename, saft_zip

SAFT_STARTED = (
    "The SAF-T file generation was started. Please keep requesting until you get back the url."
)
SAFT_FAILED = "Error generating SAF-T. Please try again."
SAFT_FAULT = frozenset({FaultMode.SAFT_500})


@sandbox_api("GET")
def pdf_request(request: HttpRequest, account: SandboxAccount, document_id: int) -> HttpResponse:
    document = SandboxDocument.objects.visible().filter(account=account, pk=document_id).first()
    if document is None:
        return empty_response(404)
    if document.status == Status.DRAFT:
        return empty_response(406)
    second_copy = request.GET.get("second_copy", "").lower() == "true"
    pdf, _ = SandboxPdf.objects.get_or_create(document=document, second_copy=second_copy)
    if pdf.count_call() <= account.pdf_pending_calls:
        return empty_response(202)
    path = reverse("sandbox:pdf_file", args=[account.account_name, pdf.token])
    return json_response({"output": {"pdfUrl": request.build_absolute_uri(path)}})


@require_GET
@serialized
def pdf_file(request: HttpRequest, account_name: str, token: str) -> HttpResponse:
    pdf = get_object_or_404(
        SandboxPdf.objects.select_related("document__account", "document__client"),
        token=token,
        document__account__account_name=account_name,
    )
    document = pdf.document
    response = HttpResponse(
        document_pdf(document, second_copy=pdf.second_copy), content_type="application/pdf"
    )
    name = document.display_number.replace(" ", "_").replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def _period(request: HttpRequest) -> tuple[int, int] | None:
    """(year, month) from month= and year= (or the docs' years=); None when invalid or future."""
    try:
        month = int(request.GET.get("month", ""))
        year = int(request.GET.get("year") or request.GET.get("years") or "")
    except ValueError:
        return None
    today = timezone.localdate()
    if not 1 <= month <= 12 or year < 2000 or (year, month) > (today.year, today.month):
        return None
    return year, month


@sandbox_api("GET")
def saft_request(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    period = _period(request)
    if period is None:
        return empty_response(422)
    if faults.take(account, request, SAFT_FAULT):
        return json_response({"message": SAFT_FAILED}, status=500)
    year, month = period
    export, _ = SandboxSaftExport.objects.get_or_create(account=account, year=year, month=month)
    if export.count_call() <= account.saft_pending_calls:
        return json_response({"message": SAFT_STARTED}, status=202)
    path = reverse("sandbox:saft_file", args=[account.account_name, export.token])
    return json_response({"url": request.build_absolute_uri(path)})


@require_GET
@serialized
def saft_file(request: HttpRequest, account_name: str, token: str) -> HttpResponse:
    export = get_object_or_404(
        SandboxSaftExport.objects.select_related("account"),
        token=token,
        account__account_name=account_name,
    )
    account = export.account
    # A defect set on the control page: the demo's way to show every validation verdict.
    build = damaged_saft_zip if account.saft_defect else saft_zip
    response = HttpResponse(
        build(account, export.year, export.month), content_type="application/zip"
    )
    name = saft_filename(account, export.year, export.month).replace(".xml", ".zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
