"""What the sandbox accepts as a sequence (series) name, and the service's sequence error codes.

Pure Python with no Django models, so the dashboard can import the same rule to validate a
name before it asks:

    from sandbox.sequence_rules import SEQUENCE_NAME_PATTERN, is_allowed_sequence_name

The real service does not publish its rule. The sandbox refuses (code 001) any name that is
not 1 to 10 capital ASCII letters or digits: no small letters, no spaces, no "/" (it
separates series and number in "A/28"), no accents, no punctuation; and never cuts one. Names are compared case-insensitively for "already
exists" (002).
"""

import re

SEQUENCE_NAME_PATTERN = r"^[A-Z0-9]{1,10}$"
SEQUENCE_NAME_RE = re.compile(SEQUENCE_NAME_PATTERN)
SEQUENCE_NAME_HELP = "1 to 10 capital letters (A-Z) or digits, without spaces or symbols."

# code -> (HTTP status, message), exactly as the API docs list them.
SEQUENCE_ERRORS = {
    "000": (422, "Unknown error."),
    "001": (422, "Sequence name not allowed."),
    "002": (422, "Sequence already exists."),
    "003": (422, "Invalid sequence."),
    "004": (422, "Invalid Tax Authority credentials."),
    "005": (422, "Account fiscal ID doesn’t have open activity in Tax Authority."),
    "006": (409, "The sequence is already being registered."),
}


def is_allowed_sequence_name(name: str) -> bool:
    return bool(SEQUENCE_NAME_RE.fullmatch(name))
