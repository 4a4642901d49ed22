from django.urls import path

from invoices import views_documents

urlpatterns = [
    path(
        "c/<slug:account_slug>/documents/",
        views_documents.document_list,
        name="document_list",
    ),
    path(
        "c/<slug:account_slug>/documents/export.csv",
        views_documents.document_export,
        name="document_export",
    ),
    path(
        "c/<slug:account_slug>/documents/<slug:type_path>/<upstream_id:document_id>/",
        views_documents.document_detail,
        name="document_detail",
    ),
]
