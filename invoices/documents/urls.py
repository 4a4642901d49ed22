from django.urls import path

from invoices.documents import views

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("totals/", views.document_totals, name="document_totals"),
    path("export.csv", views.document_export, name="document_export"),
    path(
        "<slug:type_path>/<upstream_id:document_id>/",
        views.document_detail,
        name="document_detail",
    ),
]
