"""Documents e-mailed from the dashboard, and each company's wording for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from invoices.sentences import message_text


class Language(models.TextChoices):
    PT = "pt", _("Portuguese")
    EN = "en", _("English")


# The wording a company starts with; {placeholders} are filled from the document.
DEFAULT_EMAIL_TEMPLATES = {
    Language.PT: (
        "{document} de {company}",
        "Caro(a) {client},\n\nSegue em anexo o documento {document}, no valor de {total}, "
        "com vencimento em {due_date}.\n\nCom os melhores cumprimentos,\n{company}",
    ),
    Language.EN: (
        "{document} from {company}",
        "Dear {client},\n\nPlease find attached document {document}, for {total}, "
        "due on {due_date}.\n\nKind regards,\n{company}",
    ),
}


class EmailTemplate(models.Model):
    """A company's subject and body for documents it e-mails, one per language."""

    account = models.ForeignKey(
        "invoices.Account", on_delete=models.CASCADE, related_name="email_templates"
    )
    language = models.CharField(max_length=2, choices=Language.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "language"], name="one_template_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} ({self.language})"

    @classmethod
    def wording(cls, account, language: str) -> tuple[str, str]:
        """(subject, body) for the company in `language`, the defaults when it has none."""
        row = cls.objects.filter(account=account, language=language).first()
        if row is not None:
            return row.subject, row.body
        return DEFAULT_EMAIL_TEMPLATES[Language(language)]


class SentEmail(models.Model):
    """A document e-mailed from the dashboard: when, to whom, by whom, and how it went."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Refused")
        UNKNOWN = "unknown", _("Unknown (no answer)")

    account = models.ForeignKey("invoices.Account", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    document_type = models.CharField(max_length=40)
    document_id = models.BigIntegerField()
    to = models.CharField(max_length=254)
    cc = models.CharField(max_length=500, blank=True)
    bcc = models.CharField(max_length=500, blank=True)
    subject = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices)
    # Our words about the outcome: sentence(...) items (invoices/sentences.py), translated
    # when shown; InvoiceXpress's own words apart, shown quoted and never translated.
    sentences = models.JSONField(default=list, blank=True)
    said = models.TextField(blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["account", "document_id"], name="sent_email_document")]
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.document_type} {self.document_id} to {self.to}"

    @property
    def message_text(self) -> str:
        """The outcome's words as one plain text in the reader's language (a flash message)."""
        return message_text(self.sentences, self.said)
