"""Scrub secrets out of text before it is logged or shown.

The InvoiceXpress API key travels in the query string, so any URL is a secret. Requests and
urllib3 put full URLs in exception texts, `Response.url` and debug logs; everything that
might carry one goes through `redact()` first.
"""

import logging
import re

_API_KEY_IN_QUERY = re.compile(r"(api_key=)[^&\s'\"#]*", re.IGNORECASE)


def redact(text: str) -> str:
    """Replace every `api_key=...` value in `text` with `api_key=[REDACTED]`."""
    return _API_KEY_IN_QUERY.sub(r"\1[REDACTED]", text)


class RedactSecretsFilter(logging.Filter):
    """Logging filter: renders the record once, redacted, so no handler sees the key."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is not ours to fix here
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[1] is not None:
            # Render the traceback now and redact it; the formatter then reuses exc_text.
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True
