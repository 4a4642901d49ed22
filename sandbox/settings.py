"""Settings for serving the sandbox alone: the project's settings with a sandbox-only urlconf.

DJANGO_SETTINGS_MODULE=sandbox.settings gunicorn sandbox.wsgi -b 127.0.0.1:8100 -w 4
"""

from ixportal.settings import *  # noqa: F403

ROOT_URLCONF = "sandbox.standalone_urls"
IXPORTAL_SANDBOX = True
