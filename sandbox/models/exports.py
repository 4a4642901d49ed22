from __future__ import annotations

import secrets

from django.db import models
from django.db.models import F

from sandbox.models.accounts import SandboxAccount
from sandbox.models.documents import SandboxDocument


def new_file_token() -> str:
    return secrets.token_urlsafe(24)


class PollCounterMixin(models.Model):
    """A file the service "generates": answered 202 for the first N requests, then ready."""

    calls = models.PositiveIntegerField(default=0)
    token = models.CharField(max_length=64, unique=True, default=new_file_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def count_call(self) -> int:
        """Count one more request (atomic in the database) and return the new total."""
        type(self).objects.filter(pk=self.pk).update(calls=F("calls") + 1)
        self.refresh_from_db(fields=["calls"])
        return self.calls


class SandboxPdf(PollCounterMixin):
    """A PDF of one document (original or second copy). Rendered on download, never stored."""

    document = models.ForeignKey(SandboxDocument, on_delete=models.CASCADE, related_name="pdfs")
    second_copy = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "second_copy"], name="sandbox_pdf_unique")
        ]

    def __str__(self) -> str:
        return f"PDF of {self.document_id}{' (2nd copy)' if self.second_copy else ''}"


class SandboxSaftExport(PollCounterMixin):
    """A monthly SAF-T (PT) export. Built on download from the documents of that month."""

    account = models.ForeignKey(
        SandboxAccount, on_delete=models.CASCADE, related_name="saft_exports"
    )
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "year", "month"], name="sandbox_saft_export_unique"
            )
        ]

    def __str__(self) -> str:
        return f"SAF-T {self.account} {self.year}-{self.month:02d}"
