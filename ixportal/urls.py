from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from ixportal.views import favicon
from saft import urls as saft_urls

admin.site.site_header = "ixportal administration"
admin.site.site_title = "ixportal"


urlpatterns = [
    path("favicon.ico", favicon),
    # signin first: its password_reset (which knows whether e-mail is configured) and the
    # office sign-in views; Django's auth views serve the rest of accounts/.
    path("accounts/", include("signin.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    # set_language: POST language + next; the choice lives in Django's language cookie.
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("c/<slug:account_slug>/saft/", include("saft.urls")),
    path("saft/", include(saft_urls.overview_patterns)),
    path("", include("invoices.urls")),
]

if settings.IXPORTAL_SANDBOX:
    urlpatterns.insert(0, path("sandbox/", include("sandbox.urls")))
