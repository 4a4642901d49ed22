from django.urls import path

from invoices import views_create

urlpatterns = [
    path(
        "c/<slug:account_slug>/documents/new/",
        views_create.document_create,
        name="document_create",
    ),
    path(
        "c/<slug:account_slug>/documents/new/preview/",
        views_create.document_create_preview,
        name="document_create_preview",
    ),
    path(
        "c/<slug:account_slug>/documents/new/clients/",
        views_create.client_search,
        name="client_search",
    ),
    path(
        "c/<slug:account_slug>/documents/new/<uuid:token>/",
        views_create.submission_detail,
        name="submission_detail",
    ),
    path(
        "c/<slug:account_slug>/documents/new/<uuid:token>/retry/",
        views_create.submission_retry,
        name="submission_retry",
    ),
]
