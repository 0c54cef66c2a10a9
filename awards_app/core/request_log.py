"""One log line per request, for operators: method, path, status, duration, user, address.

Turned on by the LOG_REQUESTS setting; written at INFO on the "awards_app.request" logger as
`key=value` pairs, or as one JSON object per line when LOG_FORMAT is "json". The query string,
cookies, headers and form data are never logged: they can carry invitation tokens, passwords and
session ids; a path segment matched by `<secret:…>` (an invitation token) is written [redacted]. The user is the one the request itself loaded: a route that never looks at the user
(/healthz, static files) is logged with user=- rather than paying a query for the log line.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time

from flask import current_app, g, request
from sqlalchemy import inspect

from awards_app.core.logs import get_logger
from awards_app.core.urls import loggable_path

logger = get_logger("awards_app.request")

# Values made only of these characters are written bare; anything else is JSON-quoted, so a path
# with spaces, quotes or an encoded newline cannot forge a second log line or a fake key.
_BARE = re.compile(r"^[A-Za-z0-9._:/@%+\[\]\-]+$")


def _user_id() -> str:
    # Read the user Flask-Login already loaded for this request (if any) without loading one, and
    # take its id from the identity map: after a commit the object is expired and `user.id` would
    # cost a query on every logged request.
    user = g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return "-"
    try:
        identity = inspect(user).identity
    except Exception:  # not a mapped object
        return "-"
    return str(identity[0]) if identity else "-"


def format_line(fields: dict, fmt: str = "kv") -> str:
    """The log line for `fields`: JSON when `fmt` is "json", otherwise `key=value` pairs."""
    if fmt == "json":
        return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    parts = []
    for key, value in fields.items():
        text = str(value)
        parts.append(f"{key}={text if _BARE.match(text) else json.dumps(text, ensure_ascii=False)}")
    return " ".join(parts)


def _start_timer():
    if current_app.config.get("LOG_REQUESTS"):
        g._request_log_start = time.perf_counter()


def _log_request(response):
    start = g.pop("_request_log_start", None)
    if start is None:
        return response
    fields = {
        "method": request.method,
        # Never request.full_path (the query string can hold tokens), and <secret:…> parts redacted.
        "path": loggable_path(),
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - start) * 1000, 1),
        "user": _user_id(),
        "remote_addr": request.remote_addr or "-",
    }
    logger.info(format_line(fields, current_app.config.get("LOG_FORMAT", "kv")))
    return response


def init_app(app) -> None:
    # First in the before_request chain: a hook that answers early (a redirect, a 403) stops the
    # chain, and the request would then be logged without a start time.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_timer)
    # after_request runs for error responses as well (Flask's handle_exception finalises them).
    app.after_request(_log_request)
    if app.config.get("LOG_REQUESTS"):
        _ensure_output()


def _ensure_output() -> None:
    """Make INFO lines visible when nothing else configured logging (as under gunicorn, which sets
    up only its own loggers). When the root logger has handlers, leave the setup to them."""
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    if not logger.handlers and not logging.root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        logger.addHandler(handler)
