"""Test overrides on top of the real settings (DATABASE_URL still chooses the database)."""

# ruff: noqa: F403, F405  (the star import is the point of a settings overlay)

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-secret-key")
os.environ.setdefault(
    "IXPORTAL_ENCRYPTION_KEYS",
    # two keys, so every test run exercises decrypting with a non-first key path too
    "dGVzdC1rZXktb25lLWZvci1peHBvcnRhbC10ZXN0cyE=,dGVzdC1rZXktdHdvLWZvci1peHBvcnRhbC10ZXN0cyE=",
)
os.environ.setdefault("IXPORTAL_SANDBOX", "true")
os.environ.setdefault(
    "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
)

from ixportal.settings import *  # noqa: E402

ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
IXPORTAL_GET_RETRIES = 2
IXPORTAL_RETRY_BACKOFF = 0.01  # keep retry tests fast
IXPORTAL_CONNECT_TIMEOUT = 2.0
IXPORTAL_READ_TIMEOUT = 5.0
IXPORTAL_SAFT_POLL_SECONDS = 3
# Jobs run inline in tests unless a test (or a worker subprocess) asks for the database.
os.environ.setdefault("IXPORTAL_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
TASKS["default"]["BACKEND"] = os.environ["IXPORTAL_TASKS_BACKEND"]
# The budget is off (0): its own tests (tests/budget) turn it on. On it writes a row per
# upstream call, and pages that fan out over threads would then fight the test's
# transaction for SQLite's one write lock.
IXPORTAL_UPSTREAM_BUDGET_PER_MINUTE = env.int("IXPORTAL_UPSTREAM_BUDGET_PER_MINUTE", default=0)
IXPORTAL_UPSTREAM_BURST = env.int("IXPORTAL_UPSTREAM_BURST", default=1000)
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
SESSION_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# No collectstatic before tests: serve static files straight from the finders.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# A file-backed SQLite test database: live_server threads then get their own connections,
# as they do on PostgreSQL (an in-memory database is one connection shared by all threads,
# which hides races the concurrency tests exist to catch). xdist adds a per-worker suffix.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    # Per process, so parallel runs on one machine never share a file; destroyed at the end.
    DATABASES["default"]["TEST"] = {
        "NAME": str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3")
    }
