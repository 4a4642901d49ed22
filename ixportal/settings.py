"""ixportal settings, read from the environment through django-environ.

Every value has a default that lets `make demo` run from a clean clone; production sets
DEBUG off, which makes SECRET_KEY and IXPORTAL_ENCRYPTION_KEYS mandatory.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
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
# A write (POST/PUT) makes one attempt bounded by this many seconds in all; past it the
# outcome is unknown and the page offers to check, then retry safely (never a resend).
IXPORTAL_WRITE_DEADLINE = env.float("IXPORTAL_WRITE_DEADLINE", default=10.0)
# GET retries on 429 / 5xx / network errors: attempts after the first, and the first delay.
IXPORTAL_GET_RETRIES = env.int("IXPORTAL_GET_RETRIES", default=2)
IXPORTAL_RETRY_BACKOFF = env.float("IXPORTAL_RETRY_BACKOFF", default=0.5)

# The built-in InvoiceXpress stand-in, served under /sandbox/<account_name>/.
IXPORTAL_SANDBOX = env.bool("IXPORTAL_SANDBOX", default=False)
# Where the demo accounts point: this server's own sandbox.
IXPORTAL_SANDBOX_URL = env.str("IXPORTAL_SANDBOX_URL", default="http://127.0.0.1:8000/sandbox/")

# SAF-T exports: how often a pending export is checked, and when to give up.
IXPORTAL_SAFT_POLL_SECONDS = env.int("IXPORTAL_SAFT_POLL_SECONDS", default=5)
IXPORTAL_SAFT_MAX_WAIT_SECONDS = env.int("IXPORTAL_SAFT_MAX_WAIT_SECONDS", default=15 * 60)
# SAF-T files up to both limits are validated (and reconciled, 100 documents per upstream
# list call) right after archiving, inside the request; larger ones by `manage.py
# saft_validate` (a background job once jobs land).
IXPORTAL_SAFT_VALIDATE_INLINE_BYTES = env.int(
    "IXPORTAL_SAFT_VALIDATE_INLINE_BYTES", default=1024 * 1024
)
IXPORTAL_SAFT_VALIDATE_INLINE_DOCUMENTS = env.int(
    "IXPORTAL_SAFT_VALIDATE_INLINE_DOCUMENTS", default=300
)

# Office sign-in (OpenID Connect): on when OIDC_RP_CLIENT_ID is set. Endpoints come from the
# provider's discovery document (https://ISSUER/.well-known/openid-configuration).
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
IXPORTAL_OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
IXPORTAL_OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="your office account")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_ISSUER = env.str("OIDC_OP_ISSUER", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
# Optional: without it the ID token's claims (email) are used and no userinfo call is made.
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
# A sign-in that matches no user is refused unless this is on; a created user has no company.
OIDC_CREATE_USER = env.bool("OIDC_CREATE_USER", default=False)
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=10.0)
OIDC_USE_PKCE = True
OIDC_EXEMPT_URLS: list[str] = []
if IXPORTAL_OIDC_ENABLED:
    _missing = [
        name
        for name in (
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_ISSUER",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
        )
        if not globals()[name]
    ]
    if _missing:
        raise ImproperlyConfigured(
            f"OIDC_RP_CLIENT_ID is set, so office sign-in is on: also set {', '.join(_missing)}."
        )
# One upstream budget per InvoiceXpress account, shared by every process and host (Redis
# when CACHE_URL points at it, the database otherwise). InvoiceXpress allows 780 requests a
# minute per account and answers 429 above it: stay below with headroom. No 60-second
# span ever sees more than the budget; up to IXPORTAL_UPSTREAM_BURST of it may go at once.
IXPORTAL_UPSTREAM_BUDGET_PER_MINUTE = env.int("IXPORTAL_UPSTREAM_BUDGET_PER_MINUTE", default=600)
IXPORTAL_UPSTREAM_BURST = env.int("IXPORTAL_UPSTREAM_BURST", default=30)
# Pages wait this long for budget, then say "InvoiceXpress is busy for this company";
# background jobs wait up to the second value.
IXPORTAL_UPSTREAM_PAGE_WAIT_SECONDS = env.float("IXPORTAL_UPSTREAM_PAGE_WAIT_SECONDS", default=2.0)
IXPORTAL_UPSTREAM_JOB_WAIT_SECONDS = env.float("IXPORTAL_UPSTREAM_JOB_WAIT_SECONDS", default=300.0)
# The span the budget counts over. Keep 60 (the service's minute); tests shorten it.
IXPORTAL_UPSTREAM_BUDGET_WINDOW_SECONDS = env.float(
    "IXPORTAL_UPSTREAM_BUDGET_WINDOW_SECONDS", default=60.0
)
# 0 turns the budget off (the test suite does, except the budget's own tests).
if IXPORTAL_UPSTREAM_BUDGET_PER_MINUTE != 0 and (
    IXPORTAL_UPSTREAM_BUDGET_PER_MINUTE <= IXPORTAL_UPSTREAM_BURST + 1
    or IXPORTAL_UPSTREAM_BURST < 1
):
    raise ImproperlyConfigured(
        "IXPORTAL_UPSTREAM_BUDGET_PER_MINUTE must exceed IXPORTAL_UPSTREAM_BURST (>= 1) by 2 or more."
    )

# Background jobs (django-tasks with the database backend: `manage.py db_worker`).
# A running job holds a lease that its worker renews; a job whose worker died (SIGKILL, a
# lost host) is taken over by another worker once the lease has run out.
IXPORTAL_JOB_LEASE_SECONDS = env.float("IXPORTAL_JOB_LEASE_SECONDS", default=60.0)
# How often the workers' scheduler starts the periodic job (SAF-T exports, stale jobs).
IXPORTAL_PERIODIC_SECONDS = env.float("IXPORTAL_PERIODIC_SECONDS", default=5.0)
TASKS = {
    "default": {
        "BACKEND": env.str("IXPORTAL_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Document list totals walk the filtered set 100 documents a page, at most this many pages.
IXPORTAL_TOTALS_MAX_PAGES = env.int("IXPORTAL_TOTALS_MAX_PAGES", default=20)
# Cockpit and search across companies: a fan-out of upstream calls in a bounded thread pool;
# a company that has not answered in IXPORTAL_FANOUT_TIMEOUT seconds shows its own error.
IXPORTAL_FANOUT_WORKERS = env.int("IXPORTAL_FANOUT_WORKERS", default=16)
IXPORTAL_FANOUT_TIMEOUT = env.float("IXPORTAL_FANOUT_TIMEOUT", default=8.0)
# How long cockpit figures are kept in the shared cache (a failure: a minute).
IXPORTAL_COCKPIT_TTL = env.int("IXPORTAL_COCKPIT_TTL", default=10 * 60)
# How often the workers' periodic job reads every active company's cockpit figures again
# (once across all workers): keep it under IXPORTAL_COCKPIT_TTL so the cockpit stays warm.
IXPORTAL_COCKPIT_REFRESH_SECONDS = env.int("IXPORTAL_COCKPIT_REFRESH_SECONDS", default=300)

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
    "csp",
    "axes",
    "mozilla_django_oidc",
    "signin",
    # Before django_tasks_db: invoices' db_worker (the same worker plus the periodic
    # scheduler) overrides the package's command of the same name.
    "invoices",
    "saft",
    "sandbox",
    "django_tasks",
    "django_tasks_db",
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
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Axes first: it refuses a locked username + address before any backend checks a password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
if IXPORTAL_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("signin.oidc.OfficeOIDCBackend")

# Login throttling (django-axes), kept in the database so every host sees the same lock.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no start-up banner on every manage.py run; lockouts are still logged
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_CALLABLE = "signin.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "signin.addresses.client_ip"
# How many reverse proxies in front of gunicorn append to X-Forwarded-For (0: none, use
# the socket address). With nginx in front: 1.
IXPORTAL_TRUSTED_PROXIES = env.int("IXPORTAL_TRUSTED_PROXIES", default=0)

# Content-Security-Policy (django-csp): nothing inline, nothing from elsewhere. img-src
# allows data: for Bootstrap's own SVG icons (select arrows, close buttons) in its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        # Office sign-in leaves by a link (a navigation), never a form: 'self' is enough.
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

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
                "signin.context_processors.sign_in_options",
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
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
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

# HTTPS behind a reverse proxy. The proxy terminates TLS and says so in a header, e.g.
# SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https (the proxy must overwrite it).
_proxy_ssl_header = env.list("SECURE_PROXY_SSL_HEADER", default=[])
if _proxy_ssl_header and len(_proxy_ssl_header) != 2:
    raise ImproperlyConfigured(
        "SECURE_PROXY_SSL_HEADER takes HEADER,VALUE, e.g. HTTP_X_FORWARDED_PROTO,https."
    )
SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header) or None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)

# A working day; signing in again the next morning is the office's norm.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # the language a person picked outlives the browser session
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Every cookie says SameSite (the messages cookie follows the session's). Lax, not Strict:
# the office sign-in comes back from the provider as a top-level GET that needs the session.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# E-mail (password reset) from EMAIL_URL, e.g. smtp+tls://user:password@mail.example.pt:587.
# Without it no mail is sent: the "forgot password" link is hidden and the reset page
# says to ask an administrator.
IXPORTAL_EMAIL_ENABLED = bool(env.str("EMAIL_URL", default=""))
if IXPORTAL_EMAIL_ENABLED:
    globals().update(env.email_url("EMAIL_URL"))
    EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ixportal <ixportal@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

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
