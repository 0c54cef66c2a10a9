from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards_app.accounts.models import User
from awards_app.core.models import UTCDateTime, utcnow
from awards_app.cycles.models import AwardCategory, Cycle
from awards_app.extensions import db
from awards_app.nominations.models import Attachment, Nomination


class AwardDecision(db.Model):
    """The admin's decision of one award category: one winner per category, and a nomination
    wins at most one category (both held by the database). Choosing anything but the top of
    the ranking, or breaking a tie at the top, needs a written reason."""

    __tablename__ = "award_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("award_categories.id", ondelete="CASCADE"), unique=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id", ondelete="RESTRICT"), unique=True)
    # What the ranking proposed when the decision was made (None when nothing was ranked).
    proposed_nomination_id: Mapped[int | None] = mapped_column(ForeignKey("nominations.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The one photo of the winning nomination that the winners' page shows (chosen by an admin;
    # None: no photo). Only this file of the nomination is ever served on that page.
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id", ondelete="SET NULL"))

    cycle: Mapped[Cycle] = relationship()
    category: Mapped[AwardCategory] = relationship()
    nomination: Mapped[Nomination] = relationship(foreign_keys=[nomination_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    photo: Mapped[Attachment | None] = relationship(foreign_keys=[photo_id])

    @property
    def overrides_ranking(self) -> bool:
        return self.proposed_nomination_id != self.nomination_id
