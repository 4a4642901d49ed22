from django.urls import path

from saft import views

# Mounted at c/<slug:account_slug>/saft/ by ixportal/urls.py.
app_name = "saft"
urlpatterns = [
    path("", views.export_list, name="export_list"),
    path("request/", views.export_request, name="export_request"),
    path("<int:pk>/", views.export_status, name="export_status"),
    path("<int:pk>/download/", views.export_download, name="export_download"),
    path("<int:pk>/confirm-nif/", views.export_nif_confirm, name="export_nif_confirm"),
    path("pack/", views.pack_create, name="pack_create"),
    path("packs/<int:job_id>/download/", views.pack_download, name="pack_download"),
    path("submissions/", views.submission_create, name="submission_create"),
    path("submissions/<int:pk>/receipt/", views.submission_receipt, name="submission_receipt"),
]

# Across the user's companies, mounted at saft/ without a namespace (the names carry the prefix).
overview_patterns = [
    path("", views.saft_overview, name="saft_overview"),
    path("request/", views.saft_overview_request, name="saft_overview_request"),
    path("pack/", views.saft_overview_pack, name="saft_overview_pack"),
    path("exports/<int:pk>/", views.saft_overview_status, name="saft_overview_status"),
]
