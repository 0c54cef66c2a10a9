"""Who may see and act on the outbox. Pure functions, never raising."""
from __future__ import annotations

from awards_app.core.permissions import is_admin
from awards_app.notifications.models import NotificationState


def can_manage_outbox(user) -> bool:
    """Every message to everyone, with their addresses: admins only."""
    return is_admin(user)


def can_retry(user, notification) -> bool:
    return is_admin(user) and notification.state == NotificationState.FAILED


def can_cancel(user, notification) -> bool:
    return is_admin(user) and notification.state == NotificationState.QUEUED
