"""`{% document_offer doc account as offer %}`: the lifecycle actions a document page shows.

A tag because `lifecycle/_actions.html` is included by the Documents pages, whose views
pass only `doc` and `account`: the table, the cancel rule and the roles stay in
`invoices.lifecycle.actions` (turned into buttons by `invoices.lifecycle.pages`), not in template
if-chains.
"""

from django import template
from django.utils import timezone

from invoices.invoicexpress.records import Document
from invoices.lifecycle.pages import Offer, offer_for
from invoices.models import Account

register = template.Library()


@register.simple_tag(takes_context=True)
def document_offer(context: template.Context, doc: Document, account: Account) -> Offer:
    if not isinstance(doc, Document) or not isinstance(account, Account):
        return Offer()
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return offer_for(account, user, doc, timezone.localdate())
