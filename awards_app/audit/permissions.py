"""Who may read the audit log. Pure functions, never raising."""
from __future__ import annotations

from awards_app.core.permissions import is_admin


def can_read_audit_log(user) -> bool:
    """Every change by everyone, with e-mail addresses and IP addresses: admins only."""
    return is_admin(user)
