"""Who may export a cycle's data. Pure functions, never raising."""
from __future__ import annotations

from awards_app.core.permissions import is_admin


def can_export(user) -> bool:
    """The exports hold every site's nominations and every judge's scores: admins only."""
    return is_admin(user)
