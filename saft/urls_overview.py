from django.urls import path

from saft import views

# Mounted at saft/ by ixportal/urls.py without a namespace, so the names carry the prefix.
urlpatterns = [
    path("", views.saft_overview, name="saft_overview"),
    path("request/", views.saft_overview_request, name="saft_overview_request"),
    path("exports/<int:pk>/", views.saft_overview_status, name="saft_overview_status"),
]
