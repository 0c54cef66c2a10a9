from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards_app.accounts.models import User
from awards_app.core.enums import AssignmentStatus, Region, SheetStatus
from awards_app.core.models import TimestampMixin, UTCDateTime, str_enum, utcnow
from awards_app.cycles.models import Criterion, Cycle
from awards_app.extensions import db
from awards_app.nominations.models import Nomination


class PanelMember(db.Model):
    """A judge sitting on a cycle's panel for one region (a judge may sit on both)."""

    __tablename__ = "panel_members"
    __table_args__ = (UniqueConstraint("cycle_id", "region", "judge_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    region: Mapped[Region] = mapped_column(str_enum(Region, "region"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    cycle: Mapped[Cycle] = relationship()
    judge: Mapped[User] = relationship()


class Assignment(db.Model):
    """One judge asked to score one nomination. A declared conflict keeps the row (so the judge is
    never assigned that nomination again) but takes it out of judging."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("nomination_id", "judge_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[AssignmentStatus] = mapped_column(
        str_enum(AssignmentStatus, "assignment_status"), default=AssignmentStatus.ACTIVE
    )
    conflict_reason: Mapped[str] = mapped_column(Text, default="")
    # Judging was closed before this judge submitted: the assignment stays (visible, audited) but
    # its sheet, if any, no longer changes.
    not_completed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    nomination: Mapped[Nomination] = relationship()
    judge: Mapped[User] = relationship(foreign_keys=[judge_id])
    sheet: Mapped[ScoreSheet | None] = relationship(
        back_populates="assignment", cascade="all, delete-orphan", uselist=False
    )


class ScoreSheet(TimestampMixin, db.Model):
    """A judge's scores for one assignment: a draft until submitted, then read-only."""

    __tablename__ = "score_sheets"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), unique=True)
    status: Mapped[SheetStatus] = mapped_column(str_enum(SheetStatus, "sheet_status"), default=SheetStatus.DRAFT)
    abstained: Mapped[bool] = mapped_column(Boolean, default=False)
    abstain_reason: Mapped[str] = mapped_column(Text, default="")
    overall_comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Optimistic locking: two tabs, or a judge and a reopening admin, never overwrite each other.
    version: Mapped[int] = mapped_column(Integer, default=1)

    assignment: Mapped[Assignment] = relationship(back_populates="sheet")
    scores: Mapped[list[Score]] = relationship(back_populates="sheet", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class Score(db.Model):
    """One criterion's score (and optional comment) on a sheet."""

    __tablename__ = "scores"
    __table_args__ = (
        UniqueConstraint("sheet_id", "criterion_id"),
        CheckConstraint("value IS NULL OR (value >= 0 AND value <= 100)", name="value_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("score_sheets.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"), index=True)
    value: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")

    sheet: Mapped[ScoreSheet] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()
