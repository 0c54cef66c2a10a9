"""Enforcing permissions in views. The answers live in each feature's permissions.py."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def require(allowed: bool, status: int = 403) -> None:
    """Abort with `status` (403, or 404 where even existence is private) unless `allowed`."""
    if not allowed:
        abort(status)


def role_required(*roles: str):
    """A view decorator: logged in, and holding at least one of `roles`."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            require(any(getattr(current_user, f"is_{role}", False) for role in roles))
            return view(*args, **kwargs)

        return wrapper

    return decorator


admin_required = role_required("admin")
