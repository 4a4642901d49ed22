from django.urls import path

from invoices.receivables import views

# Mounted at c/<slug:account_slug>/receivables/ by invoices/urls.py.
urlpatterns = [
    path("", views.receivables_company, name="receivables_company"),
    path("statement/", views.receivables_statement, name="receivables_statement"),
    path("statement.csv", views.receivables_statement_csv, name="receivables_statement_csv"),
]

# Across the user's companies, mounted at receivables/.
overview_patterns = [
    path("", views.receivables_overview, name="receivables_overview"),
]
