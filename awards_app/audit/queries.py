from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from awards_app.audit.models import AuditEvent


def list_events_query(action_prefix: str = "", object_type: str = "", object_id: int | None = None):
    """Newest first, with the actor loaded in the same query."""
    query = select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    if action_prefix:
        query = query.where(AuditEvent.action.startswith(action_prefix, autoescape=True))
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEvent.object_id == object_id)
    return query
