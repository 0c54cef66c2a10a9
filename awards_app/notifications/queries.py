"""Reading the outbox."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from awards_app.notifications.models import Notification, NotificationState


def list_notifications_query(*, state: NotificationState | None, kind: str, recipient: str, cycle_id: int | None):
    """The outbox, newest first, filtered by state, kind, recipient (part of the address) and cycle."""
    query = select(Notification).options(joinedload(Notification.cycle)).order_by(Notification.id.desc())
    if state is not None:
        query = query.where(Notification.state == state)
    if kind:
        query = query.where(Notification.kind == kind)
    if recipient:
        query = query.where(func.lower(Notification.email).contains(recipient.lower(), autoescape=True))
    if cycle_id is not None:
        query = query.where(Notification.cycle_id == cycle_id)
    return query


def list_cycles() -> list[Cycle]:
    return list(db.session.scalars(select(Cycle).order_by(Cycle.fiscal_year.desc())))
