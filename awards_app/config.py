"""Settings read from the environment when the app is created, never at import time."""
from __future__ import annotations

import os
from pathlib import Path


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(instance_path: str) -> dict:
    """Build the configuration from environment variables, with safe embedded defaults."""
    env = os.environ
    instance = Path(instance_path)
    default_db = f"sqlite:///{instance / 'awards.sqlite3'}"
    return {
        "SECRET_KEY": env.get("SECRET_KEY", "dev-only-insecure-key"),
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL", default_db),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "UPLOAD_FOLDER": env.get("UPLOAD_FOLDER", str(instance / "uploads")),
        "MAX_UPLOAD_MB": int(env.get("MAX_UPLOAD_MB", "10")),
        "MAX_ATTACHMENTS": int(env.get("MAX_ATTACHMENTS", "10")),
        "INVITATION_DAYS": int(env.get("INVITATION_DAYS", "7")),
        # The public address of the site, for links that leave it (certificate QR codes, e-mails).
        "PUBLIC_BASE_URL": env.get("PUBLIC_BASE_URL", ""),
        "MAIL_SERVER": env.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(env.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS"), True),
        "MAIL_SENDER": env.get("MAIL_SENDER", "mdd-awards@localhost"),
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE"), False),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "LANGUAGES": ("ja", "en"),
        "WTF_CSRF_TIME_LIMIT": None,
    }
