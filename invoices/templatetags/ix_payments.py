"""`{% payment_card doc account %}`: an invoice's Payments card on its page.

A tag, like `document_offer`, because the document page's view passes only `doc` and
`account`: what the card holds (paid, pending, receipts, the form) is computed in
`invoices.payments.panel`.
"""

from django import template

from invoices.invoicexpress.records import Document
from invoices.models import Account
from invoices.payments.panel import payment_panel

register = template.Library()


@register.inclusion_tag("invoices/payments/_payments.html", takes_context=True)
def payment_card(context: template.Context, doc: Document, account: Account) -> dict:
    panel = None
    if isinstance(doc, Document) and isinstance(account, Account):
        panel = payment_panel(account, doc)
    return {"panel": panel, "doc": doc, "account": account, "csrf_token": context.get("csrf_token")}
