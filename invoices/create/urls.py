from django.urls import path

from invoices.create import views

urlpatterns = [
    path("", views.document_create, name="document_create"),
    path("preview/", views.document_create_preview, name="document_create_preview"),
    path("clients/", views.client_search, name="client_search"),
    path("owners/", views.owner_search, name="owner_search"),
    path("<uuid:token>/", views.submission_detail, name="submission_detail"),
    path("<uuid:token>/retry/", views.submission_retry, name="submission_retry"),
]
