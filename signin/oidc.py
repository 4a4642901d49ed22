"""Office sign-in (OpenID Connect) on top of mozilla-django-oidc.

The library checks the ID token's signature and nonce but not its audience or issuer
(it decodes with verify_aud off), lets any error other than a bad signature escape as a
500, and by default creates a user for every stranger. This backend closes each of those:
the token must be for this client, from the configured issuer and unexpired; any refusal
is a failed sign-in; an e-mail address picks an existing user, case-insensitively; a new
user is created only when OIDC_CREATE_USER is on, and never gets a company (a superuser
grants memberships).
"""

import logging

import jwt
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

logger = logging.getLogger(__name__)


class OfficeOIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce; a password login (or a forged ?code= on
        # another URL) never reaches the token endpoint.
        if request is None or not kwargs.get("nonce"):
            return None
        try:
            return super().authenticate(request, **kwargs)
        except SuspiciousOperation as exc:
            logger.warning("Office sign-in refused: %s", exc)
        except OSError as exc:  # requests' errors: provider down, timeout, 4xx/5xx answer
            # Only the type: the library's texts carry the token endpoint's URL and body.
            logger.warning(
                "Office sign-in failed: the provider could not be reached (%s)", type(exc).__name__
            )
        return None

    def _verify_jws(self, payload, key):
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("The ID token is not signed with OIDC_RP_SIGN_ALGO.")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER,
                options={"require": ["exp", "iat", "aud", "iss"]},
                leeway=60,
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from None

    def get_userinfo(self, access_token, id_token, payload):
        # Without a userinfo endpoint the verified ID token's claims are the user's details.
        if not settings.OIDC_OP_USER_ENDPOINT:
            return payload
        return {**payload, **super().get_userinfo(access_token, id_token, payload)}

    def verify_claims(self, claims):
        # A provider that says the address is unverified must not pick a user by it.
        return bool(claims.get("email")) and claims.get("email_verified", True) is not False

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(email__iexact=claims["email"].strip(), is_active=True)

    def create_user(self, claims):
        email = claims["email"].strip().lower()
        if self.UserModel.objects.filter(username__iexact=email).exists():
            raise SuspiciousOperation("A user with that e-mail as username has another e-mail.")
        user = self.UserModel(username=email[:150], email=email)
        user.set_unusable_password()
        user.save()
        logger.info(
            "Office sign-in created user %s (no company until a superuser adds one)", user.pk
        )
        return user

    def update_user(self, user, claims):
        return user  # never grants or changes anything: roles are the superuser's to give
