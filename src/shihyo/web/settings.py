"""Django settings for shihyo, all from SHIHYO_* environment variables (the README's operations section
lists every one; tests/test_operations.py checks the list against this module).

Storage is an embedded SQLite file (WAL) by default, under the data directory SHIHYO_HOME;
set SHIHYO_DATABASE_URL (postgresql://…) to use PostgreSQL.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Any

import dj_database_url

from shihyo.web.logging import logging_config


def default_home() -> Path:
    """Where the data lives when SHIHYO_HOME is not set: the platform's folder for a user's application data."""
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "shihyo"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "shihyo"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "shihyo"


HOME = Path(os.environ.get("SHIHYO_HOME") or default_home()).resolve()
DEVELOPMENT_SECRET_KEY = "shihyo-development-only-not-secret"

SECRET_KEY = os.environ.get("SHIHYO_SECRET_KEY") or DEVELOPMENT_SECRET_KEY
DEBUG = os.environ.get("SHIHYO_DEBUG", "") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("SHIHYO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
# the programme the dashboard shows when the address names none (unset: the programme loaded first)
SHIHYO_DEFAULT_PROGRAMME = os.environ.get("SHIHYO_DEFAULT_PROGRAMME", "")

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "shihyo.web.catalogue",
    "shihyo.web.collection",
    "shihyo.web.dashboard",
    "shihyo.web.api",
    "shihyo.web.opendata",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "shihyo.web.logging.RequestIdMiddleware",
    "shihyo.web.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shihyo.web.dashboard.middleware.LanguageMiddleware",
    "shihyo.web.errors.ErrorMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "shihyo.web.urls"
WSGI_APPLICATION = "shihyo.web.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csrf",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shihyo.web.dashboard.context.office",
                "shihyo.web.context.version",
            ],
        },
    }
]
STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
with contextlib.suppress(OSError):  # a data directory that cannot be written: `shihyo check` says so
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True  # serve app static files without a collectstatic step
WHITENOISE_AUTOREFRESH = DEBUG
LOCALE_PATHS = [Path(__file__).resolve().parent.parent / "locale"]
# sign-in: argon2 password hashes, sessions that end after two idle hours or when the browser closes
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "collection:login"
LOGIN_REDIRECT_URL = "collection:rounds"
SESSION_COOKIE_AGE = int(os.environ.get("SHIHYO_SESSION_SECONDS", str(2 * 60 * 60)))
SESSION_SAVE_EVERY_REQUEST = True  # the two hours count from the last request
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# sign-in throttling (shihyo.web.collection.throttle): tries per (user name, address) within the window,
# then a looser per-address count beyond which one try per interval is let through
LOGIN_FAILURES_ALLOWED = 5
LOGIN_FAILURE_WINDOW = 15 * 60
# the JSON API: requests per caller (a token, or an address without one) in each fixed window of seconds
API_RATE_LIMIT = int(os.environ.get("SHIHYO_API_RATE_LIMIT", "600"))
API_RATE_WINDOW = 60
LOGIN_ADDRESS_FAILURES = 100
LOGIN_ADDRESS_INTERVAL = 2
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024

# behind HTTPS (SHIHYO_HTTPS=1): secure cookies, HSTS, redirect to https; `manage.py check --deploy` passes
HTTPS = os.environ.get("SHIHYO_HTTPS", "") == "1"
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers ask over plain HTTP inside the network
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
# behind a reverse proxy: the proxies whose X-Forwarded-* headers `shihyo serve` believes (see shihyo.serving)
TRUSTED_PROXIES = os.environ.get("SHIHYO_TRUSTED_PROXIES", "")
PROXY_HEADERS = os.environ.get("SHIHYO_PROXY_HEADERS", "")
PROXY_COUNT = os.environ.get("SHIHYO_PROXY_COUNT", "1")
# report downloads: files kept per data version under the data directory, a few written at a time
# (shihyo.web.dashboard.report_files)
REPORT_CACHE_DIR = HOME / "cache" / "reports"
_renderings = os.environ.get("SHIHYO_REPORT_RENDERINGS", "2").strip()
if not _renderings.isdigit() or not 1 <= int(_renderings) <= 64:
    raise ValueError(f"SHIHYO_REPORT_RENDERINGS must be a whole number from 1 to 64, not {_renderings[:20]!r}")
REPORT_RENDERINGS = int(_renderings)
# Reports of programmes with at least this many indicators are written by a background job (`shihyo worker`
# runs them; the page shows the progress): 0 = every report, a large number = none. The job queue is a
# table of the same database, so no other service is needed.
_background = os.environ.get("SHIHYO_REPORT_BACKGROUND_FROM", "150").strip()
if not _background.isdigit() or int(_background) > 1_000_000:
    raise ValueError(f"SHIHYO_REPORT_BACKGROUND_FROM must be a whole number of indicators, not {_background[:20]!r}")
REPORT_BACKGROUND_FROM = int(_background)
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
CSRF_FAILURE_VIEW = "shihyo.web.errors.csrf_failure"  # a 403 in the site's layout, saying what to do
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("SHIHYO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False
LANGUAGE_COOKIE_NAME = "shihyo_language"
# rendered pages and page fragments, keyed by the data version: a new revision makes new keys. Per process
# (locmem) by default; SHIHYO_CACHE_URL=redis://host:6379/0 shares one cache between several app processes
CACHE_URL = os.environ.get("SHIHYO_CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "shihyo",
            "TIMEOUT": 24 * 60 * 60,
        }
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}
    }
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_TZ = True
TIME_ZONE = "Asia/Tokyo"
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
# one line per request and command to stderr, text or JSON (SHIHYO_LOG_FORMAT=json); see shihyo.web.logging
LOGGING = logging_config(os.environ.get("SHIHYO_LOG_LEVEL", "INFO"), os.environ.get("SHIHYO_LOG_FORMAT", "text"))
USE_I18N = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def database_settings() -> dict[str, Any]:
    url = os.environ.get("SHIHYO_DATABASE_URL", "")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60))
    with contextlib.suppress(OSError):  # reported by `shihyo check`; SQLite then says it cannot open the file
        HOME.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(HOME / "shihyo.sqlite3"),
        "OPTIONS": {
            # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock up front
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        # tests use a file too, so that they see WAL and locking as the embedded server does
        "TEST": {"NAME": str(HOME / f"test-shihyo-{os.getpid()}.sqlite3")},
    }


DATABASES = {"default": database_settings()}

# Mail (notices and reminders of collection rounds): SMTP when SHIHYO_SMTP_HOST is set, otherwise the
# console, so that in the demo a person reads the mails in the terminal. SHIHYO_SITE_URL is the address
# the mails link to.
if os.environ.get("SHIHYO_SMTP_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["SHIHYO_SMTP_HOST"]
    EMAIL_PORT = int(os.environ.get("SHIHYO_SMTP_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("SHIHYO_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("SHIHYO_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("SHIHYO_SMTP_STARTTLS", "") == "1"
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("SHIHYO_MAIL_FROM", "shihyo@localhost")
SITE_URL = os.environ.get("SHIHYO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
