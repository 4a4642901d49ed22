from django.urls import include, path

from invoices import views
from invoices.receivables import urls as receivables_urls
from invoices.sequences import views as sequence_views

app_name = "invoices"
COMPANY = "c/<slug:account_slug>/"
# A URL leads to its package in one hop: /c/<company>/<prefix>/... -> invoices/<feature>/urls.py.
urlpatterns = [
    # The cockpit is the home page: every company of the user at once.
    path("", include("invoices.cockpit.urls")),
    path("search/", include("invoices.search.urls")),
    path(COMPANY, views.company_home, name="company_home"),
    path(f"{COMPANY}documents/new/", include("invoices.create.urls")),
    # The list, the CSV and a document's page; a document's actions and PDF live in lifecycle.
    path(f"{COMPANY}documents/", include("invoices.documents.urls")),
    path(f"{COMPANY}documents/", include("invoices.lifecycle.urls")),
    path(f"{COMPANY}documents/", include("invoices.drafts.urls")),
    path(f"{COMPANY}documents/", include("invoices.payments.urls")),
    path(COMPANY, include("invoices.email.urls")),
    path(f"{COMPANY}documents/bulk/", include("invoices.bulk.urls")),
    path(f"{COMPANY}sequences/", include("invoices.sequences.urls")),
    # Estimates and guides: read-only lists (c/<company>/estimates/, c/<company>/guides/).
    path(COMPANY, include("invoices.families.urls")),
    path(f"{COMPANY}audit/", include("invoices.audit.urls")),
    path(f"{COMPANY}jobs/", include("invoices.jobs.urls")),
    path(f"{COMPANY}receivables/", include("invoices.receivables.urls")),
    # Across the user's companies (Account.objects.for_user).
    path("sequences/", sequence_views.sequence_overview, name="sequence_overview"),
    path("receivables/", include(receivables_urls.overview_patterns)),
]
