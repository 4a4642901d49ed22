from django.urls import path

from invoices.email import views

# Included at c/<company>/: a document's e-mail page, and the company's e-mail wording.
urlpatterns = [
    path(
        "documents/<slug:type_path>/<upstream_id:document_id>/email/",
        views.document_email_send,
        name="document_email",
    ),
    path("email/templates/", views.email_template_edit, name="email_template_edit"),
]
