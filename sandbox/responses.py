"""HTTP answers shaped like the service's (compact JSON, non-ASCII escaped, empty 404s)."""

import json

from django.http import HttpResponse
from django.template.loader import render_to_string

JSON_TYPE = "application/json; charset=utf-8"


def json_response(data, status: int = 200) -> HttpResponse:
    # Like the recordings: no spaces, non-ASCII as \u escapes.
    return HttpResponse(
        json.dumps(data, separators=(",", ":")), status=status, content_type=JSON_TYPE
    )


def empty_response(status: int) -> HttpResponse:
    """404, 202, 406 and the SAF-T 422 come back with an empty body."""
    return HttpResponse(b"", status=status, content_type=JSON_TYPE)


def errors_response(messages: list[str], status: int = 422) -> HttpResponse:
    return json_response({"errors": [{"error": message} for message in messages]}, status=status)


def not_found_page(request=None) -> HttpResponse:
    """An unknown route: an HTML page, like the service's own 404."""
    return HttpResponse(
        render_to_string("sandbox/not_found.html"),
        status=404,
        content_type="text/html; charset=utf-8",
    )
