from django.urls import path

from invoices.bulk import views

urlpatterns = [
    path("pdf/", views.document_bulk_pdf, name="document_bulk_pdf"),
    path("email/", views.document_bulk_email, name="document_bulk_email"),
]
