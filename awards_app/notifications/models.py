"""The outbox: one row per message, written in the transaction of the change that caused it."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards_app.core.models import UTCDateTime, str_enum, utcnow
from awards_app.extensions import db


class NotificationState(str, enum.Enum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def title(self):
        return {
            NotificationState.QUEUED: _l("Queued"),
            NotificationState.SENT: _l("Sent"),
            NotificationState.FAILED: _l("Failed"),
            NotificationState.CANCELLED: _l("Cancelled"),
        }[self]


class Notification(db.Model):
    """A message to one person, rendered in their language and time zone when it was caused.

    `idempotency_key` names what the message is about (kind, recipient, object, and for a reminder
    its offset): a second row with the same key is never written, so a repeated event or periodic
    run sends nothing twice. A consumer claims the row (`claimed_until`) with a conditional update
    before it talks to the mail server, so two consumers never both send it.
    """

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_state_next_attempt_at", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id", ondelete="SET NULL"), index=True)
    # The address and language at the time of writing: the message is what was due then.
    email: Mapped[str] = mapped_column(String(254), default="")
    locale: Mapped[str] = mapped_column(String(8), default="en")
    subject: Mapped[str] = mapped_column(String(255))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # A link that opens something by itself (an invitation) is not stored: the row keeps a nonce
    # and the sender derives the link from it and SECRET_KEY (notifications.secrets).
    secret: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[NotificationState] = mapped_column(
        str_enum(NotificationState, "notification_state"), default=NotificationState.QUEUED
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Why it was not sent (outbox.REASON_*), and the mail server's last answer.
    reason: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    cycle = relationship("Cycle", lazy="raise_on_sql")

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} {self.state.value}>"
