"""Device cookies (OWASP's scheme against account lockout): a browser that has logged in to an
account before is recognised, and other clients' failures do not lock it out.

After a successful login the browser gets a signed, HttpOnly cookie naming the account (by a hash
of its e-mail address) and a random nonce. A login attempt for that account carrying a valid
cookie is limited per device (its nonce); an attempt without one is "untrusted", limited per
account and per client address. An attacker guessing passwords therefore exhausts the
untrusted limits only: the owner, on a browser they have used before, still logs in. The limits
are Flask-Limiter's, counted in RATELIMIT_STORAGE_URI (Redis in production: every worker and
machine shares them).
"""
from __future__ import annotations

import hashlib
from functools import lru_cache

from flask import current_app, g, request, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from ua_parser import parse

from awards_app.core import tokens

COOKIE = "mdd_device"
MAX_AGE_DAYS = 365


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="device-cookie")


def _account(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def trusted_device(email: str) -> str | None:
    """The nonce of this browser's device cookie when it is valid for the account typed, else None.
    Worked out once per request: each login limit asks."""
    cached = g.get("trusted_device")
    if cached is None or cached[0] != email:
        cached = g.trusted_device = (email, _verified_nonce(email))
    return cached[1]


def _verified_nonce(email: str) -> str | None:
    raw = request.cookies.get(COOKIE)
    if not raw or not email:
        return None
    try:
        data = _serializer().loads(raw, max_age=MAX_AGE_DAYS * 86400)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("account") != _account(email):
        return None
    nonce = data.get("nonce")
    return nonce if isinstance(nonce, str) else None


def remember_device(response, email: str) -> None:
    """Give the browser that just logged in to `email` its device cookie."""
    value = _serializer().dumps({"account": _account(email), "nonce": tokens.new_nonce()})
    response.set_cookie(
        COOKIE, value, max_age=MAX_AGE_DAYS * 86400, path=url_for("accounts.login"), httponly=True, samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"] or request.is_secure,
    )


def describe(user_agent: str) -> str:
    """"Firefox on Windows" for the account page's list of sessions (ua-parser reads the string)."""
    browser, system = _families(user_agent)
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    return browser or system or _("Unknown browser")


@lru_cache(maxsize=256)
def _families(user_agent: str) -> tuple[str, str]:
    result = parse(user_agent)
    browser = result.user_agent.family if result.user_agent and result.user_agent.family != "Other" else ""
    system = result.os.family if result.os and result.os.family != "Other" else ""
    return browser, system
