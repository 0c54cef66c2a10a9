"""Who may manage accounts. Pure functions, never raising."""
from __future__ import annotations


def can_manage_users(user) -> bool:
    return bool(user and user.is_authenticated and user.is_admin and user.is_active)


def can_deactivate(actor, target) -> bool:
    # An admin cannot lock themselves out.
    return can_manage_users(actor) and actor.id != target.id
