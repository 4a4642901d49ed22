"""The template side of `invoices.formatting` and `invoices.sentences`: each filter calls
them, nothing more."""

from django import template

from invoices import formatting, sentences

register = template.Library()

register.filter("pt_number", formatting.pt_number)
register.filter("pt_money", formatting.pt_money)
register.filter("pt_quantity", formatting.pt_quantity)
register.filter("pt_percent", formatting.pt_percent)
register.filter("pt_date", formatting.pt_date, expects_localtime=True)
register.filter("code_status", formatting.code_status)
register.filter("atcud_meaning", formatting.atcud_meaning)
register.filter("status_colour", formatting.status_colour)
register.filter("status_label", formatting.status_label)
register.filter("unit_label", formatting.unit_label)
# A stored list of our sentences (invoices/sentences.py) in the reader's language.
register.filter("sentences", sentences.render_sentences)
register.filter("shown", sentences.render_value)


@register.inclusion_tag("invoices/_status_badge.html")
def status_badge(status: str) -> dict[str, object]:
    colour, label = formatting.status_badge(status)
    return {"colour": colour, "label": label, "status": status}
