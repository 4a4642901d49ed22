from __future__ import annotations

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

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:  # never the key
        return f"<Account {self.slug}>"

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
