from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from invoices.fields import EncryptedTextField, HttpsURLField


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

    def client(self):
        """The InvoiceXpress client for this account."""
        from invoices.invoicexpress import InvoiceXpressClient

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


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("The audit log is append-only.")

    def delete(self):
        raise ValidationError("The audit log is append-only.")


class AuditEntry(models.Model):
    """One write the dashboard made (or tried) upstream. Append-only; never holds the key."""

    class Outcome(models.TextChoices):
        OK = "ok", _("OK")
        FAILED = "failed", _("Failed")
        UNKNOWN = "unknown", _("Unknown (no answer)")

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="audit_entries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    username = models.CharField(max_length=150)
    action = models.CharField(
        max_length=40
    )  # e.g. document.create, sequence.register, saft.request
    document_type = models.CharField(max_length=40, blank=True)
    document_id = models.BigIntegerField(null=True, blank=True)
    target = models.CharField(max_length=200, blank=True)  # what was acted on, in words
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.outcome}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("The audit log is append-only.")

    @classmethod
    def record(
        cls,
        *,
        account: Account,
        user,
        action: str,
        outcome: str,
        document_type: str = "",
        document_id: int | None = None,
        target: str = "",
        detail: str = "",
    ) -> AuditEntry:
        from invoices.redaction import redact

        return cls.objects.create(
            account=account,
            user=user if getattr(user, "pk", None) else None,
            username=getattr(user, "username", "") or "system",
            action=action,
            outcome=outcome,
            document_type=document_type,
            document_id=document_id,
            target=target[:200],
            detail=redact(detail),
        )


from invoices.submissions import Submission  # noqa: E402,F401
