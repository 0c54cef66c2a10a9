"""Configuration checks for `flask check`: each takes the app and returns a CheckResult.

They only read (the upload check writes and removes one temporary file), so they are safe to run
on a live server before or after a deploy.
"""
from __future__ import annotations

import functools
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from limits.storage import storage_from_string
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from awards_app.config import DEV_SECRET_KEY

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "migrations"
FONT_PATH = Path(__file__).resolve().parent.parent / "certificates" / "assets" / "fonts" / "ipaexm.ttf"
MIN_SECRET_LENGTH = 16


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    message: str


def check_secret_key(app: Flask) -> CheckResult:
    """The key that signs sessions must be set and secret, except in debug or testing."""
    key = app.config.get("SECRET_KEY") or ""
    lenient = app.debug or app.testing
    if not key:
        return CheckResult("secret key", False, "SECRET_KEY is empty; set a long random value")
    if key == DEV_SECRET_KEY:
        if lenient:
            return CheckResult("secret key", True, "development key (accepted in debug/testing only)")
        return CheckResult("secret key", False, "SECRET_KEY is not set (the insecure development key is in use)")
    if len(key) < MIN_SECRET_LENGTH and not lenient:
        return CheckResult("secret key", False, f"SECRET_KEY is shorter than {MIN_SECRET_LENGTH} characters")
    return CheckResult("secret key", True, "set")


def check_upload_folder(app: Flask) -> CheckResult:
    folder = Path(app.config["UPLOAD_FOLDER"])
    if not folder.exists():
        return CheckResult("upload folder", False, f"{folder} does not exist")
    if not folder.is_dir():
        return CheckResult("upload folder", False, f"{folder} is not a directory")
    # Write for real: os.access() says yes to root and knows nothing of read-only mounts.
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".check-"):
            pass
    except OSError as error:
        return CheckResult("upload folder", False, f"{folder} is not writable ({error.strerror or error})")
    return CheckResult("upload folder", True, f"{folder} is writable")


def check_database(app: Flask) -> CheckResult:
    from awards_app.extensions import db

    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        return CheckResult("database", False, f"unreachable: {_first_line(error)}")
    return CheckResult("database", True, f"reachable ({db.engine.url.render_as_string(hide_password=True)})")


def check_migrations(app: Flask) -> CheckResult:
    """The database's Alembic revision must be the newest one in migrations/."""
    from awards_app.extensions import db

    heads = set(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())
    try:
        with db.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as error:
        return CheckResult("migrations", False, f"cannot read the revision: {_first_line(error)}")
    if current == heads:
        return CheckResult("migrations", True, f"at head ({', '.join(sorted(heads))})")
    shown = ", ".join(sorted(current)) or "none"
    return CheckResult(
        "migrations", False,
        f"database at {shown}, code at {', '.join(sorted(heads))}; run `flask --app awards_app db upgrade`",
    )


def check_font(app: Flask) -> CheckResult:
    if not FONT_PATH.is_file():
        return CheckResult("certificate font", False, f"{FONT_PATH} is missing; certificates cannot render Japanese")
    return CheckResult("certificate font", True, str(FONT_PATH))


# What a Debian server needs for WeasyPrint to make PDFs (.ci/apt-packages.txt lists them too).
PDF_LIBRARIES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"


@functools.cache
def pdf_renderer_problem() -> str | None:
    """Why this server cannot make PDFs — WeasyPrint failed to load Pango, HarfBuzz or GObject —
    or None when it can. Asked once per process: installing the libraries needs a restart."""
    try:
        import weasyprint  # noqa: F401 - loads its system libraries at import
    except OSError as error:
        return f"WeasyPrint cannot load its system libraries ({_first_line(error)}); install {PDF_LIBRARIES}"
    return None


def check_pdf_renderer(app: Flask) -> CheckResult:
    problem = pdf_renderer_problem()
    return CheckResult("certificate PDFs", problem is None, problem or "WeasyPrint and its libraries load")



def check_public_base_url(app: Flask) -> CheckResult:
    """Absolute links (invitation links, certificate QR codes) are built on PUBLIC_BASE_URL; without
    it they follow the Host header of the request that makes them, which the client chooses.
    Accepted in debug or testing only, like the development secret key (`make run`, the demo)."""
    address = app.config.get("PUBLIC_BASE_URL") or ""
    if not address:
        if app.debug or app.testing:
            return CheckResult("public address", True,
                               "not set: links follow the request's address (accepted in debug/testing only)")
        return CheckResult(
            "public address", False,
            "PUBLIC_BASE_URL is not set; set the address people type, e.g. https://awards.example.com "
            "(without it, invitation links and certificate QR codes follow the Host header of each request)",
        )
    try:
        parts = urlsplit(address)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:
        valid = False
    else:
        # Links are the address followed by a path: no user, query or fragment, nothing blank.
        valid = (parts.scheme in ("http", "https") and bool(parts.hostname) and "@" not in parts.netloc
                 and "?" not in address and "#" not in address and not any(c.isspace() for c in address))
    if not valid:
        return CheckResult("public address", False,
                           f"PUBLIC_BASE_URL {address!r} is not an absolute http(s) address, e.g. https://awards.example.com")
    return CheckResult("public address", True, address)


def check_rate_limits(app: Flask) -> CheckResult:
    """Login limits count in RATELIMIT_STORAGE_URI. In memory, each process counts on its own: with
    several gunicorn workers (WEB_WORKERS, from WEB_CONCURRENCY or the cores) an attacker gets
    the limit once per worker, so that fails outside debug and testing. Redis is tried for real."""
    uri = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    workers = app.config.get("WEB_WORKERS", 1)
    if uri.startswith("memory://"):
        if app.debug or app.testing:
            return CheckResult("login limits", True, "counted in memory, per process (accepted in debug/testing only)")
        if workers > 1:
            return CheckResult(
                "login limits", False,
                f"counted in memory by each of the {workers} workers on its own; set RATELIMIT_STORAGE_URI="
                "redis://… so that every worker and machine shares the counts (or WEB_CONCURRENCY=1)",
            )
        return CheckResult("login limits", True, "counted in memory by the only worker (set RATELIMIT_STORAGE_URI=redis://… before adding workers)")
    shown = _without_password(uri)
    try:
        reachable = storage_from_string(uri).check()
    except Exception as error:  # noqa: BLE001 - a bad URI or a missing driver: say which
        return CheckResult("login limits", False, f"{shown}: {_first_line(error)}")
    if not reachable:
        return CheckResult("login limits", False, f"{shown} does not answer")
    return CheckResult("login limits", True, f"shared by every worker in {shown}")


def check_job_queue(app: Flask) -> CheckResult:
    """The job queue (mail, reminders) opens its storage (HUEY_URL, or SQLite under instance/) and
    says how many tasks wait. The consumers (`flask worker`) must run for them to be done."""
    from awards_app.core.queue import describe_storage, huey

    with app.app_context():
        try:
            waiting = huey.pending_count()
        except Exception as error:  # noqa: BLE001 - unreachable or misconfigured: say which
            return CheckResult("job queue", False, f"{describe_storage()}: {_first_line(error)}")
        return CheckResult("job queue", True, f"{describe_storage()}, {waiting} task(s) waiting")


def _without_password(uri: str) -> str:
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)).geturl()


CHECKS = (check_secret_key, check_upload_folder, check_database, check_migrations, check_font, check_pdf_renderer,
          check_public_base_url, check_rate_limits, check_job_queue)


def run_checks(app: Flask) -> list[CheckResult]:
    return [check(app) for check in CHECKS]


def _first_line(error: Exception) -> str:
    inner = getattr(error, "orig", None) or error
    return (str(inner).strip().splitlines() or [type(inner).__name__])[0]
