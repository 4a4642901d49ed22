from django.db import models

from sandbox.models.accounts import SandboxAccount, SandboxTax


class SandboxClient(models.Model):
    """A client of the account. Documents point at it; it never changes once created."""

    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="clients")
    name = models.CharField(max_length=100)
    code = models.CharField(max_length=100, blank=True)
    email = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=30, blank=True)
    country = models.CharField(max_length=100, blank=True)
    fiscal_id = models.CharField(max_length=30, blank=True)
    website = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    fax = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=5, blank=True)
    observations = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["account", "code"], name="sandbox_client_code"),
            models.Index(fields=["account", "name"], name="sandbox_client_name"),
        ]

    def __str__(self) -> str:
        return self.name


class SandboxItem(models.Model):
    """A product or service of the account, matched by name when a document names it."""

    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    unit_price = models.DecimalField(max_digits=18, decimal_places=6)
    unit = models.CharField(max_length=20, blank=True)
    tax = models.ForeignKey(SandboxTax, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["account", "name"], name="sandbox_item_name_unique")
        ]

    def __str__(self) -> str:
        return self.name
