"""Who may manage accounts. Pure functions, never raising."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from awards_app.core.permissions import is_active_user, is_admin

OWN_ACCOUNT_LOCKED = _l("You cannot deactivate your own account.")


def activation_closed_reason(actor, target):
    """Why `actor` may not deactivate (or reactivate) `target`, or None: an admin cannot lock
    themselves out."""
    return OWN_ACCOUNT_LOCKED if actor.id == target.id else None


def can_manage_users(user) -> bool:
    """List, invite and change users: admins only."""
    return is_admin(user)


def can_deactivate(user, target, *, now=None) -> bool:
    return can_manage_users(user) and activation_closed_reason(user, target) is None


def can_edit_own_account(user) -> bool:
    """One's own name, language, time zone and password: anyone logged in."""
    return is_active_user(user)
