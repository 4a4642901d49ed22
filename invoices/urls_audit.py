from django.urls import path

from invoices import views_audit

urlpatterns = [
    path("c/<slug:account_slug>/audit/", views_audit.audit_list, name="audit_list"),
]
