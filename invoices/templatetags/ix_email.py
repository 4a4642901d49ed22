"""`{% sent_emails doc account %}`: when and to whom a document was e-mailed (its page)."""

from django import template

from invoices.invoicexpress.records import Document
from invoices.models import Account, SentEmail

register = template.Library()


@register.inclusion_tag("invoices/email/_sent_emails.html")
def sent_emails(doc: Document, account: Account) -> dict:
    rows = []
    if isinstance(doc, Document) and isinstance(account, Account):
        rows = list(
            SentEmail.objects.filter(
                account=account, document_id=doc.id, document_type=doc.type.path
            ).select_related("user")[:20]
        )
    return {"sent_emails": rows}
