from django.db import models

from sandbox.models.accounts import SandboxAccount


class SandboxRequest(models.Model):
    """Every authenticated API request the stand-in received: the service's own count.

    Tests read it to prove what reached "InvoiceXpress" (a write exactly once, never more
    requests a minute than the budget), whatever the dashboard believes it sent.
    """

    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="requests")
    at = models.DateTimeField(db_index=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)  # relative to the account, no query string

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.method} {self.path}"
