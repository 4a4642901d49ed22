"""The URLs of a process that serves only the sandbox (manage.py sandbox_serve, sandbox.wsgi).

The same /sandbox/ prefix as inside the dashboard, so a base URL only changes its port; the
admin stays, for the staff login of the control page.
"""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("sandbox/", include("sandbox.urls")),
    path("admin/", admin.site.urls),
]
