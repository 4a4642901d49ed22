from django.conf import settings


def sign_in_options(request):
    """What the login and password pages offer: office sign-in, e-mailed password reset."""
    return {
        "oidc_enabled": settings.IXPORTAL_OIDC_ENABLED,
        "oidc_provider_name": settings.IXPORTAL_OIDC_PROVIDER_NAME,
        "email_enabled": settings.IXPORTAL_EMAIL_ENABLED,
    }
