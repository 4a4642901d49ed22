"""The stand-in InvoiceXpress API v2, one account per /sandbox/<account_name>/ prefix.

Mounted at /sandbox/ by ixportal/urls.py (when IXPORTAL_SANDBOX is on) and by
sandbox/standalone_urls.py (manage.py sandbox_serve).
"""

from django.urls import path, re_path

from sandbox.doctypes import TYPE_PATHS
from sandbox.responses import not_found_page
from sandbox.views import clients as views_clients
from sandbox.views import control as views_control
from sandbox.views import documents as views_documents
from sandbox.views import email as views_email
from sandbox.views import files as views_files
from sandbox.views import payments as views_payments
from sandbox.views import sequences as views_sequences

app_name = "sandbox"

A = "<slug:account_name>/"

urlpatterns = [
    path("", views_control.control_panel, name="control_panel"),
    path(f"{A}taxes.json", views_clients.tax_list, name="tax_list"),
    path(f"{A}taxes/<int:tax_id>.json", views_clients.tax_detail, name="tax_detail"),
    path(f"{A}clients.json", views_clients.client_list, name="client_list"),
    path(
        f"{A}clients/find-by-code.json",
        views_clients.client_find_by_code,
        name="client_find_by_code",
    ),
    path(
        f"{A}clients/find-by-name.json",
        views_clients.client_find_by_name,
        name="client_find_by_name",
    ),
    path(f"{A}clients/<int:client_id>.json", views_clients.client_detail, name="client_detail"),
    path(f"{A}sequences.json", views_sequences.sequence_collection, name="sequence_collection"),
    path(
        f"{A}sequences/<int:sequence_id>.json",
        views_sequences.sequence_detail,
        name="sequence_detail",
    ),
    path(
        f"{A}sequences/<int:sequence_id>/register.json",
        views_sequences.sequence_register,
        name="sequence_register",
    ),
    path(
        f"{A}sequences/<int:sequence_id>/set_current.json",
        views_sequences.sequence_set_current,
        name="sequence_set_current",
    ),
    path(f"{A}estimates.json", views_documents.family_list, {"family": "estimates"}),
    path(f"{A}guides.json", views_documents.family_list, {"family": "guides"}),
    path(
        f"{A}documents/<int:document_id>/partial_payments.json",
        views_payments.partial_payment_create,
        name="partial_payment_create",
    ),
    path(
        f"{A}document/<int:document_id>/related_documents.json",
        views_documents.related_documents,
        name="related_documents",
    ),
    path(f"{A}api/pdf/<int:document_id>.json", views_files.pdf_request, name="pdf_request"),
    path(f"{A}api/export_saft.json", views_files.saft_request, name="saft_request"),
    path(f"{A}files/pdf/<str:token>.pdf", views_files.pdf_file, name="pdf_file"),
    path(f"{A}files/saft/<str:token>.zip", views_files.saft_file, name="saft_file"),
]

for type_path in TYPE_PATHS:
    urlpatterns += [
        path(
            f"{A}{type_path}.json",
            views_documents.document_collection,
            {"type_path": type_path},
            name=f"{type_path}_collection",
        ),
        path(
            f"{A}{type_path}/<int:document_id>.json",
            views_documents.document_detail,
            {"type_path": type_path},
            name=f"{type_path}_detail",
        ),
        path(
            f"{A}{type_path}/<int:document_id>/change-state.json",
            views_documents.document_change_state_view,
            {"type_path": type_path},
            name=f"{type_path}_change_state",
        ),
        path(
            f"{A}{type_path}/<int:document_id>/email-document.json",
            views_email.document_email,
            {"type_path": type_path},
            name=f"{type_path}_email",
        ),
    ]

# Anything else under an account: the service's HTML 404 page.
urlpatterns.append(re_path(r"^[-\w]+/.*$", not_found_page, name="not_found"))
