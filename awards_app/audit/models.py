from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards_app.core.models import UTCDateTime, utcnow
from awards_app.extensions import db


class AuditEvent(db.Model):
    """Who did what to which object, and when. Written by services, read by admins."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int | None]
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    # By name: the audit log sits below accounts in the layers and never imports them.
    actor: Mapped["User | None"] = relationship("User")  # noqa: F821 (a name SQLAlchemy resolves)
