from __future__ import annotations

from awards_app.audit.models import AuditEvent
from awards_app.extensions import db


def record_event(actor, action: str, obj=None, *, object_type: str | None = None, **details) -> AuditEvent:
    """Add an audit event for `action` done by `actor` (a User or None) to `obj`.

    `details` must be JSON-serialisable; the caller's transaction commits it with the change.
    """
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=object_type or (obj.__tablename__ if obj is not None else "system"),
        object_id=getattr(obj, "id", None),
        details=details,
    )
    db.session.add(event)
    return event
