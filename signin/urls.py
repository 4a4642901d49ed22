from django.urls import path

from signin import views

# Unnamespaced: Django's auth views and mozilla-django-oidc look these names up as they are.
urlpatterns = [
    path("password_reset/", views.password_reset, name="password_reset"),
    # Routed always, answering 404 while office sign-in is off (OIDC_RP_CLIENT_ID unset).
    path("oidc/authenticate/", views.OfficeSignInView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", views.OfficeCallbackView.as_view(), name="oidc_authentication_callback"),
]
