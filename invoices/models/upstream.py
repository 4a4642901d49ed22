from django.db import models


class UpstreamBudgetState(models.Model):
    """One InvoiceXpress account's shared request budget (see invoices.upstream_budget).

    `tat` is GCRA's theoretical arrival time, in Unix seconds: the budget is spent up to
    then. Keyed by a hash of the account's base URL, never by anything secret.
    """

    key = models.CharField(max_length=40, primary_key=True)
    tat = models.FloatField(default=0.0)

    def __str__(self) -> str:
        return self.key
