from django.urls import path

from invoices import urls_audit, urls_create, urls_documents, urls_lifecycle, urls_sequences, views

app_name = "invoices"
# Each feature keeps its routes in its own module, all under /c/<account_slug>/.
urlpatterns = [
    path("", views.home, name="home"),
    path("c/<slug:account_slug>/", views.company_home, name="company_home"),
    *urls_documents.urlpatterns,
    *urls_lifecycle.urlpatterns,
    *urls_create.urlpatterns,
    *urls_sequences.urlpatterns,
    *urls_audit.urlpatterns,
]
