from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked username + address: the login page, saying why."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = AuthenticationForm(request)
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_out": True, "lockout_minutes": minutes},
        status=429,
    )


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Django's reset form when e-mail is configured; otherwise, who to ask instead."""
    if not settings.IXPORTAL_EMAIL_ENABLED:
        return render(request, "registration/password_reset_unavailable.html")
    return auth_views.PasswordResetView.as_view()(request)


class _OnlyWhenOfficeSignInIsOn:
    def dispatch(self, request, *args, **kwargs):
        if not settings.IXPORTAL_OIDC_ENABLED:
            raise Http404("Office sign-in is off.")
        return super().dispatch(request, *args, **kwargs)


class OfficeSignInView(_OnlyWhenOfficeSignInIsOn, OIDCAuthenticationRequestView):
    """Sends the browser to the provider with a fresh state, nonce and PKCE challenge."""


class OfficeCallbackView(_OnlyWhenOfficeSignInIsOn, OIDCAuthenticationCallbackView):
    """The provider's redirect back: a refused sign-in returns to the login page with why."""

    def login_failure(self):
        messages.error(
            self.request,
            _(
                "Sign-in with %(provider)s did not work. Your e-mail address there must "
                "match the one an administrator gave your ixportal user."
            )
            % {"provider": settings.IXPORTAL_OIDC_PROVIDER_NAME},
        )
        return redirect(settings.LOGIN_URL)
