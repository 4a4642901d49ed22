"""Our own words, stored as codes and translated when shown.

Anything the dashboard stores to show later (the audit log, a submission's, payment's,
e-mail's, job item's or SAF-T export's message) holds a list of items:

- `sentence(gettext_noop("... %(param)s ..."), param=...)`: one of our sentences, its msgid
  in the catalogue, translated in the reader's language when shown; a param may itself be
  `word(gettext_noop("..."))`, translated too;
- `{"text": "..."}`: a text written before sentences were stored as codes, shown as it was;
- a param `document_ref(kind, number)`: a document's type (named in the reader's language)
  and number.

InvoiceXpress's own words are never items: they are stored apart and shown quoted
("InvoiceXpress said: ..."), never translated.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop

from invoices.invoicexpress import errors
from invoices.invoicexpress.document_types import DocumentType, document_type


def sentence(msgid: str, **params: Any) -> dict[str, Any]:
    """One of our sentences for the log, stored untranslated: `msgid` comes from
    gettext_noop(...), so it is in the catalogue, and is translated when shown. A param may
    itself be `word(gettext_noop("..."))`, translated too."""
    return {"msgid": str(msgid), "params": params}


def word(msgid: str) -> dict[str, str]:
    return {"msgid": str(msgid)}


def document_ref(kind: DocumentType, number: Any) -> dict[str, str]:
    """A document named by its type and number, the type read in the reader's language when
    shown ("Invoice 123" / "Fatura 123"): for a sentence's param or a job item's label."""
    return {"doc_type": kind.name, "number": str(number)}


def _shown(value: Any) -> Any:
    if isinstance(value, dict) and "msgid" in value:
        return gettext(value["msgid"])
    if isinstance(value, dict) and "doc_type" in value:
        return f"{document_type(value['doc_type']).label} {value.get('number', '')}".strip()
    return value


def render_value(value: Any) -> Any:
    """A stored word, document reference or plain value, as the reader reads it."""
    return _shown(value)


def render_sentence(item: dict[str, Any]) -> str:
    """One stored item in the reader's language."""
    if "text" in item:  # written before sentences were stored as codes: shown as it was
        return str(item["text"])
    text = gettext(item["msgid"])
    params = item.get("params") or {}
    if params:
        try:
            text = text % {key: _shown(value) for key, value in params.items()}
        except (KeyError, ValueError, TypeError):
            text = gettext(item["msgid"])
    return text


def render_sentences(items: Any) -> str:
    """A stored list of items (or, from before sentences were stored, a plain text) in the
    reader's language, one sentence after the other."""
    if not items:
        return ""
    if isinstance(items, str):
        return items
    return " ".join(render_sentence(item) for item in items)


def failure_sentences(exc: errors.InvoiceXpressError) -> tuple[list[dict[str, Any]], str]:
    """What the log says about an upstream failure: our sentence for its kind, and the
    service's own words (to quote, never to translate) when its answer carried some."""
    said = " ".join(getattr(exc, "errors", None) or ())
    if isinstance(exc, errors.Unreachable):
        msgid = (
            gettext_noop("InvoiceXpress did not answer in time.")
            if exc.timed_out
            else gettext_noop("InvoiceXpress could not be reached.")
        )
        return [sentence(msgid)], said
    if isinstance(exc, errors.Rejected) and exc.status not in (None, 422):
        # Another refusal than a 422 (400, 406, ...): its own status, not a wrong "(422)".
        return [
            sentence(gettext_noop("InvoiceXpress refused it (%(status)s)."), status=exc.status)
        ], said
    kinds = (
        (errors.Unauthorized, gettext_noop("InvoiceXpress refused the company's API key (401).")),
        (errors.NotFound, gettext_noop("InvoiceXpress does not have it (404).")),
        (errors.Conflict, gettext_noop("InvoiceXpress refused it as a conflict (409).")),
        (errors.Rejected, gettext_noop("InvoiceXpress refused it (422).")),
        (
            errors.RateLimited,
            gettext_noop("InvoiceXpress was busy: nothing was sent or changed (429)."),
        ),
        (errors.ServerError, gettext_noop("InvoiceXpress failed (error %(status)s).")),
        (
            errors.BadResponse,
            gettext_noop("InvoiceXpress answered with something that is not its API's answer."),
        ),
    )
    for kind, msgid in kinds:
        if isinstance(exc, kind):
            return [sentence(msgid, status=exc.status or "5xx")], said
    return [
        sentence(
            gettext_noop("InvoiceXpress did not confirm it (%(status)s)."), status=exc.status or "?"
        )
    ], said


def message_text(items: Any, said: str = "") -> str:
    """A stored message as one plain text in the reader's language (a form error, a flash
    message, a job item): our sentences, then the service's own words quoted as it sent
    them, in the words the pages use around them."""
    text = render_sentences(items)
    if said:
        quoted = gettext("InvoiceXpress said: “%(said)s”") % {"said": said}
        text = f"{text} {quoted}" if text else quoted
    return text
