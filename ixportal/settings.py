"""ixportal settings, read from the environment through django-environ.

Every value has a default that lets `make demo` run from a clean clone; production sets
DEBUG off, which makes SECRET_KEY and IXPORTAL_ENCRYPTION_KEYS mandatory.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; a missing file is fine

DEBUG = env.bool("DEBUG", default=False)

# Development-only values: refused when DEBUG is off.
_DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me"
# 32 zero-ish bytes, base64: good for demo data only.
_DEV_ENCRYPTION_KEY = "ZGV2LW9ubHktaXhwb3J0YWwtZW5jcnlwdGlvbi1rZXk="

SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# A list: the first key encrypts, every key decrypts, so keys can rotate
# (add the new key first, run `manage.py rotate_api_keys`, then drop the old one).
IXPORTAL_ENCRYPTION_KEYS = env.list(
    "IXPORTAL_ENCRYPTION_KEYS", default=[_DEV_ENCRYPTION_KEY] if DEBUG else []
)
if not IXPORTAL_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("IXPORTAL_ENCRYPTION_KEYS must be set when DEBUG is off.")

# Upstream (InvoiceXpress) HTTP timeouts, seconds.
IXPORTAL_CONNECT_TIMEOUT = env.float("IXPORTAL_CONNECT_TIMEOUT", default=3.05)
IXPORTAL_READ_TIMEOUT = env.float("IXPORTAL_READ_TIMEOUT", default=20.0)
# GET retries on 429 / 5xx / network errors: attempts after the first, and the first delay.
IXPORTAL_GET_RETRIES = env.int("IXPORTAL_GET_RETRIES", default=2)
IXPORTAL_RETRY_BACKOFF = env.float("IXPORTAL_RETRY_BACKOFF", default=0.5)

# The built-in InvoiceXpress stand-in, served under /sandbox/<account_name>/.
IXPORTAL_SANDBOX = env.bool("IXPORTAL_SANDBOX", default=False)
# Where the demo accounts point: this server's own sandbox.
IXPORTAL_SANDBOX_URL = env.str("IXPORTAL_SANDBOX_URL", default="http://127.0.0.1:8000/sandbox/")

# Bulk finalize: the longest one request spends starting finalizations (then "run again").
IXPORTAL_BULK_FINALIZE_SECONDS = env.int("IXPORTAL_BULK_FINALIZE_SECONDS", default=20)

# SAF-T exports: how often a pending export is checked, and when to give up.
IXPORTAL_SAFT_POLL_SECONDS = env.int("IXPORTAL_SAFT_POLL_SECONDS", default=5)
IXPORTAL_SAFT_MAX_WAIT_SECONDS = env.int("IXPORTAL_SAFT_MAX_WAIT_SECONDS", default=15 * 60)

# Document list totals walk the filtered set 100 documents a page, at most this many pages.
IXPORTAL_TOTALS_MAX_PAGES = env.int("IXPORTAL_TOTALS_MAX_PAGES", default=20)
# Cockpit and search across companies: a fan-out of upstream calls in a bounded thread pool;
# a company that has not answered in IXPORTAL_FANOUT_TIMEOUT seconds shows its own error.
IXPORTAL_FANOUT_WORKERS = env.int("IXPORTAL_FANOUT_WORKERS", default=16)
IXPORTAL_FANOUT_TIMEOUT = env.float("IXPORTAL_FANOUT_TIMEOUT", default=8.0)
# How long cockpit figures are kept in the shared cache (a failure: a minute).
IXPORTAL_COCKPIT_TTL = env.int("IXPORTAL_COCKPIT_TTL", default=10 * 60)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "invoices",
    "saft",
    "sandbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "ixportal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "invoices.context_processors.companies",
            ],
        },
    },
]

WSGI_APPLICATION = "ixportal.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite under the threaded dev server: wait for the write lock instead of failing.
    # IMMEDIATE takes the write lock when a transaction starts, so two writers wait for
    # each other instead of one failing with "database is locked" half-way through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://ixportal")}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "invoices:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("pt-pt", "Português")]
TIME_ZONE = "Europe/Lisbon"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "media/"  # never served publicly: files go out through access-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # the language a person picked outlives the browser session
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "invoices.invoicexpress.redaction.RedactSecretsFilter"}},
    "formatters": {
        "server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_secrets"],
        },
        # runserver's request lines: the sandbox's URLs carry api_key in the query string.
        "server": {
            "class": "logging.StreamHandler",
            "filters": ["redact_secrets"],
            "formatter": "server",
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # urllib3 logs every URL it opens at DEBUG, api_key included: keep it quiet, and
        # the redacting filter scrubs anything that still gets through.
        "urllib3": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
}
