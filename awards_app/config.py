"""Settings read from the environment when the app is created, never at import time."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

# The checkout (or installed tree): templates/, static/ and migrations/ sit beside the package.
PROJECT_ROOT = Path(__file__).resolve().parent.parent

def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def web_workers() -> int:
    """The number of gunicorn workers (gunicorn.conf.py): WEB_CONCURRENCY, else 2 × cores + 1,
    capped at 12 (past that, workers mostly add database connections and memory)."""
    if os.environ.get("WEB_CONCURRENCY"):
        return max(1, int(os.environ["WEB_CONCURRENCY"]))
    try:
        cores = len(os.sched_getaffinity(0))  # the cores this process may use (containers, taskset)
    except AttributeError:
        cores = os.cpu_count() or 1
    return min(2 * cores + 1, 12)


def _naming(env, name: str, default: str) -> str:
    """A fiscal-year naming convention, refused at start-up rather than on the first page."""
    value = (env.get(name) or default).strip().lower()
    if value not in ("start", "end"):
        raise ValueError(f"{name} must be 'start' or 'end', not {value!r}")
    return value


def _redis_or_memory(queue_url: str) -> str:
    return queue_url if queue_url.startswith(("redis://", "rediss://")) else "memory://"


# The key used when SECRET_KEY is not set; `flask check` refuses it outside debug and testing.
DEV_SECRET_KEY = "dev-only-insecure-key"


def load_config(instance_path: str) -> dict:
    """Build the configuration from environment variables, with safe embedded defaults."""
    env = os.environ
    instance = Path(instance_path)
    default_db = f"sqlite:///{instance / 'awards.sqlite3'}"
    remember_days = int(env.get("REMEMBER_DAYS", "30"))
    return {
        "SECRET_KEY": env.get("SECRET_KEY", DEV_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL", default_db),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "UPLOAD_FOLDER": env.get("UPLOAD_FOLDER", str(instance / "uploads")),
        "MAX_UPLOAD_MB": int(env.get("MAX_UPLOAD_MB", "10")),
        "MAX_ATTACHMENTS": int(env.get("MAX_ATTACHMENTS", "10")),
        # Spreadsheet imports of activities: largest file, most rows, and where an uploaded file
        # waits between its preview and the user's confirmation.
        "ACTIVITY_IMPORT_MAX_MB": int(env.get("ACTIVITY_IMPORT_MAX_MB", "10")),
        "ACTIVITY_IMPORT_MAX_ROWS": int(env.get("ACTIVITY_IMPORT_MAX_ROWS", "50000")),
        "ACTIVITY_IMPORT_FOLDER": env.get("ACTIVITY_IMPORT_FOLDER", str(instance / "activity-imports")),
        "INVITATION_DAYS": int(env.get("INVITATION_DAYS", "7")),
        # The public address of the site: every absolute link is built on it (core.urls.external_url),
        # never on the Host header; `flask check` requires it outside debug and testing.
        "PUBLIC_BASE_URL": env.get("PUBLIC_BASE_URL", ""),
        "MAIL_SERVER": env.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(env.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS"), True),
        "MAIL_SENDER": env.get("MAIL_SENDER", "mdd-awards@localhost"),
        # The job queue (awards_app.core.queue): unset → a SQLite file in the instance folder;
        # redis://… or postgresql://… in production. HUEY_WORKERS: threads per `flask worker`.
        "HUEY_URL": env.get("HUEY_URL", ""),
        "HUEY_IMMEDIATE": _bool(env.get("HUEY_IMMEDIATE"), False),
        "HUEY_WORKERS": int(env.get("HUEY_WORKERS", "2")),
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE"), False),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # A session ends after this long unused; "keep me logged in" makes it days instead of hours.
        "SESSION_IDLE_HOURS": int(env.get("SESSION_IDLE_HOURS", "12")),
        "REMEMBER_DAYS": remember_days,
        "REMEMBER_COOKIE_DURATION": timedelta(days=remember_days),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "LANGUAGES": ("ja", "en"),
        # How each language names a fiscal year to its readers (awards_app/cycles/fiscal.py): by the
        # calendar year it "start"s in (Japanese 年度: FY2013 is 2012年度) or "end"s in (FY2013).
        "FISCAL_YEAR_NAMING": {
            "ja": _naming(env, "FISCAL_YEAR_NAMING_JA", "start"),
            "en": _naming(env, "FISCAL_YEAR_NAMING_EN", "end"),
        },
        "WTF_CSRF_TIME_LIMIT": None,
        # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
        "PROXY_FIX": int(env.get("PROXY_FIX", "0")),
        # One log line per request (awards_app.core.request_log), as key=value or "json".
        "LOG_REQUESTS": _bool(env.get("LOG_REQUESTS"), False),
        "LOG_FORMAT": env.get("LOG_FORMAT", "kv").strip().lower(),
        # Failed logins allowed per client address and per account (the e-mail typed), from browsers
        # without a device cookie for the account.
        "LOGIN_RATE_LIMIT_ADDRESS": env.get("LOGIN_RATE_LIMIT_ADDRESS", "10 per minute"),
        "LOGIN_RATE_LIMIT_ACCOUNT": env.get("LOGIN_RATE_LIMIT_ACCOUNT", "5 per 15 minutes"),
        # Failed logins allowed from a browser that logged in to the account before (its device
        # cookie): other clients' failures never lock it out (accounts/devices.py).
        "LOGIN_RATE_LIMIT_DEVICE": env.get("LOGIN_RATE_LIMIT_DEVICE", "10 per 15 minutes"),
        # Password-reset requests allowed per client address and per address typed (every request counts).
        "PASSWORD_RESET_RATE_LIMIT_ADDRESS": env.get("PASSWORD_RESET_RATE_LIMIT_ADDRESS", "10 per hour"),
        "PASSWORD_RESET_RATE_LIMIT_ACCOUNT": env.get("PASSWORD_RESET_RATE_LIMIT_ACCOUNT", "3 per hour"),
        # memory:// counts per process; use redis://… in production so that workers share counts.
        # Unset, it follows a Redis job queue (HUEY_URL=redis://…): one Redis serves both.
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI") or _redis_or_memory(env.get("HUEY_URL", "")),
        # What `flask check` assumes gunicorn runs (gunicorn.conf.py reads the same function).
        "WEB_WORKERS": web_workers(),
    }
