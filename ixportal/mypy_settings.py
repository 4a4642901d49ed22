"""Settings for mypy's Django plugin: the real settings with the development secrets."""

# ruff: noqa: F403  (the star import is the point of a settings overlay)

import os

os.environ.setdefault("DEBUG", "true")

from ixportal.settings import *  # noqa: E402
