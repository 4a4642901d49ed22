"""Our sentence for each kind of upstream failure, and the service's words kept apart."""

from __future__ import annotations

import pytest
from django.utils import translation

from invoices.invoicexpress import errors
from invoices.sentences import failure_sentences, render_sentences


@pytest.mark.parametrize(
    ("exc", "english", "portuguese"),
    [
        (
            errors.Rejected("x", errors=["Date is invalid"], status=422),
            "InvoiceXpress refused it (422).",
            "O InvoiceXpress recusou-o (422).",
        ),
        (
            errors.Rejected("x", errors=["Bad request"], status=400),
            "InvoiceXpress refused it (400).",
            "O InvoiceXpress recusou-o (400).",
        ),
        (
            errors.Unreachable("x", timed_out=True),
            "InvoiceXpress did not answer in time.",
            None,
        ),
        (errors.ServerError("x", status=503), "InvoiceXpress failed (error 503).", None),
    ],
)
def test_each_failure_has_our_sentence_in_the_readers_language(exc, english, portuguese):
    items, said = failure_sentences(exc)
    assert all("msgid" in item for item in items)  # codes, not text
    with translation.override("en"):
        assert render_sentences(items) == english
    with translation.override("pt-pt"):
        shown = render_sentences(items)
        assert shown != english
        if portuguese:
            assert shown == portuguese
    assert said == " ".join(getattr(exc, "errors", []))
