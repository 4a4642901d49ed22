"""The e-mail's subject and body: the company's template in a language, filled in."""

from __future__ import annotations

import re

from django.utils import translation

from invoices.formatting import pt_date, pt_money
from invoices.invoicexpress.records import Document
from invoices.models import Account, EmailTemplate

PLACEHOLDER = re.compile(r"\{(document|client|company|total|due_date)\}")


def fill(text: str, doc: Document, account: Account) -> str:
    """Only the known {placeholders} are replaced: any other brace is left as typed."""
    values = {
        "document": f"{doc.type.label} {doc.display_number}",
        "client": doc.client.name,
        "company": account.name,
        "total": pt_money(doc.total_payable, doc.currency),
        "due_date": pt_date(doc.due_date) or "—",
    }
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


UI_LANGUAGES = {"pt": "pt-pt", "en": "en"}


def email_wording(account: Account, doc: Document, language: str) -> tuple[str, str]:
    """Filled in the e-mail's language ("Fatura FT A/1"), whatever the page's language is."""
    subject, body = EmailTemplate.wording(account, language)
    with translation.override(UI_LANGUAGES.get(language, "en")):
        return fill(subject, doc, account), fill(body, doc, account)
