"""E-mail a final document to its client (`PUT /{type}/{id}/email-document.json`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from invoices.access import get_account_for_user
from invoices.documents.fetch import document_or_redirect
from invoices.email.forms import DocumentEmailForm, EmailTemplateForm, LanguageForm
from invoices.email.services import SENDABLE_STATUSES, document_email
from invoices.email.wording import email_wording
from invoices.htmx import private_response
from invoices.invoicexpress.document_types import GETTABLE_TYPE_PATHS, document_type
from invoices.models import EmailTemplate, Role, SentEmail
from invoices.models.email import Language


@require_http_methods(["GET", "POST"])
@login_required
def document_email_send(
    request: HttpRequest, account_slug: str, type_path: str, document_id: int
) -> HttpResponse:
    account = get_account_for_user(request, account_slug, role=Role.CLERK)
    if type_path not in GETTABLE_TYPE_PATHS:
        raise Http404("No such document type.")
    detail_url = reverse("invoices:document_detail", args=[account.slug, type_path, document_id])
    doc = document_or_redirect(
        request,
        account,
        document_type(type_path).path,
        document_id,
        detail_url=detail_url,
        unreadable=_("The document could not be read. %(error)s"),
    )
    if isinstance(doc, HttpResponse):
        return doc
    if doc.status not in SENDABLE_STATUSES:
        messages.error(
            request, _("Only a finalized document can be e-mailed (a draft has no number yet).")
        )
        return redirect(detail_url)
    if request.method == "POST":
        form = DocumentEmailForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            sent = document_email(
                account=account,
                user=request.user,
                doc=doc,
                to=data["to"],
                cc=data["cc"],
                bcc=data["bcc"],
                subject=data["subject"],
                body=data["body"],
                save_address=data["save_address"],
            )
            if sent.status == SentEmail.Status.SENT:
                messages.success(request, _("Sent to %(to)s.") % {"to": sent.to})
                return redirect(detail_url)
            if sent.status == SentEmail.Status.UNKNOWN:
                messages.warning(request, sent.message_text)
                return redirect(detail_url)
            form.add_error(None, sent.message_text)
    else:
        chosen = LanguageForm(request.GET)
        language = (chosen.cleaned_data.get("language") if chosen.is_valid() else "") or "pt"
        subject, body = email_wording(account, doc, language)
        form = DocumentEmailForm(
            initial={"to": doc.client.email, "language": language, "subject": subject, "body": body}
        )
    context = {
        "account": account,
        "nav": "documents",
        "doc": doc,
        "form": form,
        "detail_url": detail_url,
        "list_url": reverse("invoices:document_list", args=[account.slug]),
    }
    response = render(request, "invoices/email/document_email.html", context)
    private_response(response)
    return response


@require_http_methods(["GET", "POST"])
@login_required
def email_template_edit(request: HttpRequest, account_slug: str) -> HttpResponse:
    """The company's e-mail wording in Portuguese and English (managers)."""
    account = get_account_for_user(request, account_slug, role=Role.MANAGER)
    forms = {}
    for language in Language:
        subject, body = EmailTemplate.wording(account, language)
        initial = {"subject": subject, "body": body}
        data = request.POST if request.method == "POST" else None
        forms[language] = EmailTemplateForm(data, initial=initial, prefix=language.value)
    if request.method == "POST" and all(f.is_valid() for f in forms.values()):
        for language, form in forms.items():
            EmailTemplate.objects.update_or_create(
                account=account, language=language, defaults=form.cleaned_data
            )
        messages.success(request, _("The e-mail wording was saved."))
        return redirect(request.path)
    context = {
        "account": account,
        "nav": "documents",
        "template_forms": [(language.label, form) for language, form in forms.items()],
    }
    return render(request, "invoices/email/email_template_edit.html", context)
