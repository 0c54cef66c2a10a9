"""Who may manage the sites. Pure functions, never raising."""
from __future__ import annotations

from awards_app.core.permissions import is_admin


def can_manage_sites(user) -> bool:
    """List, add and change sites: admins only."""
    return is_admin(user)
