"""Permissions: the shared predicates, and the one way views enforce them.

Each feature's ``permissions.py`` answers ``can_<verb>(user, obj, *, now=None) -> bool``: pure,
never raising, with the state checks (phase, deadline, status) folded in, built from the
predicates below. Views enforce in one of two ways, both from here:

* ``@allowed(can_x)`` on the view, for what depends on the user alone (``can_x(current_user)``);
* ``require(can_y(current_user, obj), 404)`` once the object is loaded — 403, or 404 where even
  the object's existence is private.
"""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def is_active_user(user) -> bool:
    """Logged in with an account that is not deactivated."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_admin(user) -> bool:
    return is_active_user(user) and bool(getattr(user, "is_admin", False))


def is_judge(user) -> bool:
    return is_active_user(user) and bool(getattr(user, "is_judge", False))


def submits_for(user, site_id: int | None) -> bool:
    """A submitter who is a member of the site `site_id`."""
    return is_active_user(user) and bool(getattr(user, "is_submitter", False)) and site_id in user.site_ids


def require(allowed: bool, status: int = 403) -> None:
    """Abort with `status` (403, or 404 where even existence is private) unless `allowed`."""
    if not allowed:
        abort(status)


def allowed(check):
    """A view decorator: logged in (else the login page), and ``check(current_user)`` (else 403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            require(check(current_user))
            return view(*args, **kwargs)

        return wrapper

    return decorator

