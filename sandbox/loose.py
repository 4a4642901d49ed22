"""The real service's loose number types, on demand (the API documentation, "Transport").

The recordings show numbers, but the service is known to also send pagination fields as
strings and a tax's `value` as a string, "" or null. An account with `loose_types` on
answers that way, so the dashboard's tolerant parsing is exercised over real HTTP.
"""

import json
from decimal import Decimal

from django.http import HttpResponse


def _loose_tax_value(value):
    if value in (None, ""):
        return value
    number = Decimal(str(value))
    # Zero comes as "" (an exempt tax), anything else as text with one decimal at least.
    return "" if number == 0 else f"{number:.1f}" if number == number.to_integral() else str(number)


def loosen(data):
    """A copy of `data` with pagination as strings and tax values as strings or ""."""
    if isinstance(data, list):
        return [loosen(entry) for entry in data]
    if not isinstance(data, dict):
        return data
    loose = {}
    for key, value in data.items():
        if key == "pagination" and isinstance(value, dict):
            loose[key] = {k: str(v) for k, v in value.items()}
        elif key == "tax" and isinstance(value, dict) and "value" in value:
            loose[key] = {**value, "value": _loose_tax_value(value["value"])}
        elif key == "taxes" and isinstance(value, list):
            loose[key] = [{**t, "value": _loose_tax_value(t.get("value"))} for t in value]
        else:
            loose[key] = loosen(value)
    return loose


def loosen_response(response: HttpResponse) -> HttpResponse:
    if response.status_code not in (200, 201) or not response.content:
        return response
    response.content = json.dumps(loosen(json.loads(response.content)), separators=(",", ":"))
    return response
