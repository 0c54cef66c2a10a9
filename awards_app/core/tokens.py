"""Tokens: random ones for cookies, and those of links that open something by themselves (an
invitation, a password reset). The database keeps only their hashes.

The token is derived from a random nonce and SECRET_KEY, so the link can be built again when the
mail is sent (by the job queue, after the commit) from the nonce alone: the outbox stores the nonce,
the feature stores a hash of the token, and neither is a usable link without the secret key.
Changing SECRET_KEY makes the links of unsent messages stop working (as it ends every session).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from flask import current_app


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def new_token() -> str:
    """A random token for a cookie (a session); the database keeps only hash_token() of it."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """What the database keeps of a token (sessions, invitations, password resets)."""
    return hashlib.sha256(token.encode()).hexdigest()


def link_token(purpose: str, nonce: str) -> str:
    """The token of a `purpose` ("invitation", "password-reset") link made from `nonce`."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"{purpose}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
