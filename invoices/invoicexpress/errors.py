"""The typed errors the InvoiceXpress client raises.

Every error's `.message` is written by us, fit to show on a page, and never holds a URL
(the API key travels in the query string). `str(error)` is the same message.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from django.utils.translation import gettext as _


class InvoiceXpressError(Exception):
    status: int | None = None

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class Unauthorized(InvoiceXpressError):
    """401: the account's API key (or account name) is wrong."""

    status = 401


class NotFound(InvoiceXpressError):
    status = 404


class NotAcceptable(InvoiceXpressError):
    """406: e.g. a PDF asked for a draft."""

    status = 406


class _WithMessages(InvoiceXpressError):
    """An answer whose body carries the service's own messages (and maybe a code)."""

    def __init__(
        self,
        message: str,
        *,
        errors: list[str] | None = None,
        code: str = "",
        raw: str = "",
        status: int | None = None,
    ) -> None:
        super().__init__(message, status=status)
        self.errors = errors or []
        self.code = code
        self.raw = raw


class Conflict(_WithMessages):
    """409: a reused proprietary_uid, a sequence already being registered (code 006)."""

    status = 409


class Rejected(_WithMessages):
    """422 (or another 4xx): the service refused the input, so nothing was done.

    `.errors` lists each of its messages (none when the body was unreadable); `.status` is
    the answer's own status.
    """

    status = 422


class RateLimited(InvoiceXpressError):
    status = 429


class Busy(RateLimited):
    """Nothing was sent: this company's shared upstream budget is spent for the moment.

    Raised by the budget the client is given (see `client.set_budget`), before a request
    leaves, when a page would otherwise wait longer than it may. A kind of RateLimited, so
    every place that handles a 429 (stop a batch, keep an export pending) handles it too.
    """

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message or _("InvoiceXpress is busy for this company, try again in a few seconds.")
        )


class ServerError(_WithMessages):
    """5xx: the service failed (for SAF-T, 500 means the generation failed)."""

    status = 500


class Unreachable(InvoiceXpressError):
    """No answer: timeout, connection refused, DNS failure, TLS failure."""

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


class BadResponse(InvoiceXpressError):
    """An answer that is not what the API sends: HTML, broken JSON, wrong shape."""


MAX_XML_ERROR_BODY = 64 * 1024  # an error document is a few lines; anything bigger is a page


def parse_xml_error_messages(body: str) -> list[str]:
    """The messages of the API's XML error shape, or [] for any other markup.

    <errors><error>Due date must be later than date</error>...</errors> (the XML API answers
    422 this way, and so does the JSON API behind some front ends). A DOCTYPE or entity
    declaration is never parsed: an error body has no use for one.
    """
    text = body.strip()
    if not text.startswith("<") or len(text) > MAX_XML_ERROR_BODY or "<!" in text:
        return []
    try:
        root = ET.fromstring(text)
    except (ET.ParseError, ValueError):
        return []
    if root.tag not in ("errors", "error"):
        return []
    found = [root] if root.tag == "error" else list(root.iter("error"))
    return [" ".join(e.itertext()).strip() for e in found if "".join(e.itertext()).strip()]


def parse_error_messages(body: str) -> tuple[list[str], str]:
    """Every message in an error body, whatever shape the service used, and its code.

    Known shapes: {"errors":[{"error":".."}]}, {"errors":{"error":".."}}, {"errors":[".."]},
    [["name","não está disponível."]], {"code":"001","message":".."}, {"message":".."},
    Rails-style {"errors":{"field":["msg", ..]}}, and XML <errors><error>..</error></errors>.
    """
    if body.lstrip().startswith("<"):
        return parse_xml_error_messages(body), ""
    try:
        data: Any = json.loads(body)
    except (ValueError, TypeError):
        return [], ""
    messages: list[str] = []
    code = ""

    def collect(value: Any, prefix: str = "") -> None:
        if value is None or value == "":
            return
        if isinstance(value, str):
            messages.append(f"{prefix} {value}".strip() if prefix else value)
        elif isinstance(value, dict):
            for key, inner in value.items():
                # {"error": ".."} and {"message": ".."} carry the text itself;
                # any other key names the field the message is about.
                collect(inner, "" if key in ("error", "message", "errors") else key)
        elif isinstance(value, list):
            if len(value) == 2 and all(isinstance(v, str) for v in value) and prefix == "":
                # [["name", "não está disponível."]]: a field and its message
                messages.append(f"{value[0]} {value[1]}")
            else:
                for inner in value:
                    collect(inner, prefix)
        else:
            messages.append(str(value))

    if isinstance(data, dict):
        code = str(data.get("code") or "")
        if "errors" in data:
            collect(data["errors"])
        elif "message" in data:
            collect(data["message"])
        elif "error" in data:
            collect(data["error"])
    elif isinstance(data, list):
        for entry in data:
            collect(entry)
    return messages, code


def message_for_status(status: int, messages: list[str]) -> str:
    """A sentence for the page, with the service's own words when it gave any."""
    said = " ".join(m.rstrip(".") + "." for m in messages)
    if status == 409:
        return (
            _("InvoiceXpress reports a conflict: %(said)s") % {"said": said}
            if said
            else _("InvoiceXpress reports a conflict with an earlier request.")
        )
    if status == 422 and said:
        return _("InvoiceXpress refused the request: %(said)s") % {"said": said}
    if status >= 500:
        return (
            _("InvoiceXpress failed (HTTP %(status)s): %(said)s")
            % {
                "status": status,
                "said": said,
            }
            if said
            else _("InvoiceXpress is having problems (HTTP %(status)s). Try again in a moment.")
            % {"status": status}
        )
    if 400 <= status < 500:
        return (
            _("InvoiceXpress refused the request (HTTP %(status)s): %(said)s")
            % {"status": status, "said": said}
            if said
            else _(
                "InvoiceXpress refused the request (HTTP %(status)s) without saying why in a "
                "form we can read. Nothing was done."
            )
            % {"status": status}
        )
    return _("InvoiceXpress answered HTTP %(status)s.") % {"status": status}


def error_for(status: int, body: str) -> InvoiceXpressError:
    """The typed error for a non-success answer: status plus body, never the URL."""
    messages, code = parse_error_messages(body)
    if status == 401:
        return Unauthorized(
            _(
                "InvoiceXpress refused this company's API key (401). The key or the account name is wrong."
            )
        )
    if status == 404:
        return NotFound(_("InvoiceXpress has no such record (404)."))
    if status == 406:
        return NotAcceptable(
            " ".join(messages)
            or _("InvoiceXpress cannot do this for the document in its current state (406).")
        )
    if status == 429:
        return RateLimited(
            _(
                "InvoiceXpress is limiting requests for this company (429). Wait a minute and try again."
            )
        )
    # The status decides what is known; the body only adds the service's words. A 4xx
    # says nothing was done, whatever page came with it (an HTML error page from a proxy,
    # the XML error shape): a refusal, never "we do not know whether it was created".
    if status == 409:
        return Conflict(
            message_for_status(status, messages),
            errors=messages,
            code=code,
            raw=body,
            status=status,
        )
    if 400 <= status < 500:
        return Rejected(
            message_for_status(status, messages),
            errors=messages,
            code=code,
            raw=body,
            status=status,
        )
    if status >= 500:
        return ServerError(
            message_for_status(status, messages),
            errors=messages,
            code=code,
            raw=body,
            status=status,
        )
    return BadResponse(message_for_status(status, messages), status=status)
