from django.urls import path

from invoices.email import views

urlpatterns = [
    path(
        "<slug:type_path>/<upstream_id:document_id>/email/",
        views.document_email_send,
        name="document_email",
    ),
]
