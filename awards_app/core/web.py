"""Template helpers and response headers shared by every page."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import flask
from flask import has_request_context, request
from flask_babel import format_decimal

from awards_app.core.i18n import show_date, show_datetime


def round_half_up(value: float, digits: int) -> Decimal:
    """`value` rounded as people and spreadsheets do: halves away from zero (56.25 → 56.3), on the
    shortest decimal that reads back as the float (so 2.675 is 2.68, not binary 2.67499…)."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def fixed(value: float | None, digits: int = 2) -> str:
    """A figure with a fixed number of decimals (rounded half up), or a dash when there is none
    (tables of scores)."""
    if value is None:
        return "—"
    text = f"{round_half_up(value, digits):.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text  # never "-0.00"


def percent(value: float | None) -> str:
    """A probability as a whole percentage, "<1 %" for a small non-zero one, a dash for none."""
    if value is None:
        return "—"
    if 0 < value < 0.005:
        return "<1 %"
    return f"{round_half_up(value * 100, 0):.0f} %"


class Response(flask.Response):
    """Every cookie is marked Secure when the request came over HTTPS.

    SESSION_COOKIE_SECURE=true forces the flag on the session cookie whatever the request; this
    covers every cookie (session, remember-me) also when it is not set, so a site served over HTTPS
    never sends a cookie in clear text, while `make run` on plain HTTP still works. Behind a reverse
    proxy, PROXY_FIX makes request.is_secure follow the proxy's X-Forwarded-Proto.
    """

    def set_cookie(self, key, *args, secure: bool = False, **kwargs) -> None:
        secure = secure or (has_request_context() and request.is_secure)
        super().set_cookie(key, *args, secure=secure, **kwargs)


def init_app(app) -> None:
    app.response_class = Response
    app.jinja_env.filters.update(
        datetime=show_datetime,
        date=show_date,
        number=lambda value: format_decimal(value) if value is not None else "",
        fixed=fixed,
        percent=percent,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        )
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        if request.endpoint and not request.endpoint.endswith("static"):
            headers.setdefault("Cache-Control", "no-store")
        return response
