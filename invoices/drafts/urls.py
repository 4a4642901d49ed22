from django.urls import path

from invoices.drafts import views

urlpatterns = [
    path("<slug:type_path>/<upstream_id:document_id>/edit/", views.draft_edit, name="draft_edit"),
    path(
        "<slug:type_path>/<upstream_id:document_id>/duplicate/",
        views.document_duplicate,
        name="document_duplicate",
    ),
]
