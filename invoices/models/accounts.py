from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from invoices.models.fields import EncryptedTextField, HttpsURLField


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    CLERK = "clerk", _("Clerk")
    MANAGER = "manager", _("Manager")

    @property
    def rank(self) -> int:
        return [Role.VIEWER, Role.CLERK, Role.MANAGER].index(self)

    def allows(self, needed: Role) -> bool:
        """True when this role is `needed` or above it (manager > clerk > viewer)."""
        return self.rank >= Role(needed).rank


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def plain_http_refusal(base_url: str) -> str:
    """Why `base_url` may not be used, or "" when it may.

    The API key travels in the query string, so plain http would send it in cleartext.
    http is allowed only where nothing leaves the machine or it is the stand-in: a loopback
    host while DEBUG is on, or the configured sandbox URL.
    """
    if not base_url:
        return ""
    parts = urlsplit(base_url)
    if parts.scheme == "https":
        return ""
    if parts.scheme == "http":
        if base_url.startswith(settings.IXPORTAL_SANDBOX_URL.rstrip("/")):
            return ""
        if settings.DEBUG and _is_loopback(parts.hostname or ""):
            return ""
    return str(
        _(
            "The base URL must start with https://: the API key travels in it and plain "
            "http would send it in cleartext (http is only accepted for the sandbox, or "
            "for this machine while DEBUG is on)."
        )
    )


def validate_nif(value: str) -> None:
    """A Portuguese NIF: nine digits with a valid check digit (python-stdnum)."""
    from stdnum.pt import nif as pt_nif

    if not pt_nif.is_valid(value):
        raise ValidationError(
            _("%(value)s is not a valid Portuguese NIF."),
            code="invalid_nif",
            params={"value": value},
        )


def compact_nif(value: str) -> str:
    """ "PT 508 025 338" -> "508025338" (what SAF-T headers carry)."""
    from stdnum.pt import nif as pt_nif

    return pt_nif.compact(value or "")


class AccountQuerySet(models.QuerySet):
    def for_user(self, user) -> AccountQuerySet:
        """Active accounts `user` is a member of (superusers too: membership is explicit)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(is_active=True, memberships__user=user)


class Account(models.Model):
    """One InvoiceXpress account (a company) the dashboard works on."""

    name = models.CharField(_("display name"), max_length=120)
    slug = models.SlugField(_("URL slug"), unique=True, max_length=60)
    account_name = models.CharField(
        _("InvoiceXpress account name"),
        max_length=100,
        help_text=_("The sub-domain in https://ACCOUNT.app.invoicexpress.com."),
    )
    api_key = EncryptedTextField(_("API key"), help_text=_("Stored encrypted; never shown."))
    base_url = HttpsURLField(
        _("base URL override"),
        blank=True,
        help_text=_("Leave empty for https://ACCOUNT.app.invoicexpress.com."),
    )
    # The company's own NIF: a SAF-T whose header names another is someone else's file.
    nif = models.CharField(
        _("company NIF"),
        max_length=9,
        blank=True,
        validators=[validate_nif],
        help_text=_("The company's Portuguese tax number (NIF), nine digits."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AccountQuerySet.as_manager()

    # Not a column: the signed-in user's role in this company, set on the instance by
    # `invoices.access.get_account_for_user` (and the pages that list the user's companies).
    role: Role

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:  # never the key
        return f"<Account {self.slug}>"

    def clean(self) -> None:
        super().clean()
        refusal = plain_http_refusal(self.base_url)
        if refusal:
            raise ValidationError({"base_url": refusal})

    @property
    def api_base_url(self) -> str:
        if self.base_url:
            return self.base_url.rstrip("/")
        return f"https://{self.account_name}.app.invoicexpress.com"

    def set_nif_if_empty(self, nif: str) -> bool:
        """Record `nif` unless a NIF is already recorded (two confirmations cannot race)."""
        nif = compact_nif(nif)
        validate_nif(nif)
        updated = Account.objects.filter(pk=self.pk, nif="").update(nif=nif)
        if updated:
            self.nif = nif
        return bool(updated)

    def client(self):
        """The InvoiceXpress client for this account."""
        from invoices.invoicexpress.client import InvoiceXpressClient

        return InvoiceXpressClient.for_account(self)


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "account"], name="one_membership_per_account")
        ]
        ordering = ["account__name"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.account} ({self.role})"
