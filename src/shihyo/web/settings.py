"""Django settings for shihyo.

Storage is an embedded SQLite file (WAL) by default, under SHIHYO_HOME (default ./var);
set SHIHYO_DATABASE_URL (postgresql://…) to use PostgreSQL.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

HOME = Path(os.environ.get("SHIHYO_HOME", "var")).resolve()

SECRET_KEY = os.environ.get("SHIHYO_SECRET_KEY", "shihyo-development-only-not-secret")
DEBUG = os.environ.get("SHIHYO_DEBUG", "") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("SHIHYO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "shihyo.web.catalogue",
]

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "shihyo.web.urls"
USE_TZ = True
TIME_ZONE = "Asia/Tokyo"
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
USE_I18N = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def database_settings() -> dict[str, Any]:
    url = os.environ.get("SHIHYO_DATABASE_URL", "")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60))
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
    }


DATABASES = {"default": database_settings()}
