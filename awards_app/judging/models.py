from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from awards_app.accounts.models import User
from awards_app.core.enums import AssignmentStatus, Deliberation, RankingMethod, Region, SheetStatus
from awards_app.core.models import TimestampMixin, UTCDateTime, str_enum, utcnow
from awards_app.cycles.models import Criterion, Cycle
from awards_app.extensions import db
from awards_app.nominations.models import Nomination


class JudgingRound(db.Model):
    """One stage of a cycle's judging, in order: round 1 takes every eligible submitted nomination,
    a later round the shortlist promoted from the previous round's ranking. Panels, assignments
    (with their sheets and declared conflicts) and the ranking belong to a round; the awards are
    decided from the last round's ranking.

    Its settings left empty (None, or no weights) are the cycle's: a cycle created before rounds,
    or one judged in a single round, keeps working from the cycle's settings exactly as before.
    The criteria themselves are always the cycle's; a round may only weight them differently."""

    __tablename__ = "judging_rounds"
    __table_args__ = (
        UniqueConstraint("cycle_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("judges_per_nomination IS NULL OR judges_per_nomination BETWEEN 1 AND 20",
                        name="judges_per_nomination_range"),
        CheckConstraint("minimum_reviews IS NULL OR minimum_reviews >= 1", name="minimum_reviews_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # its place in the order: 1, 2, …
    name: Mapped[str] = mapped_column(String(120), default="")  # empty: "Round <number>"
    judging_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    judges_per_nomination: Mapped[int | None] = mapped_column(Integer)
    minimum_reviews: Mapped[int | None] = mapped_column(Integer)
    ranking_method: Mapped[RankingMethod | None] = mapped_column(str_enum(RankingMethod, "ranking_method"))
    # criterion id (as text) → weight; a criterion missing here weighs what the cycle says.
    weights: Mapped[dict] = mapped_column(JSON, default=dict)
    # Blind review: judges of this round's assignments never see which site nominated (name,
    # country, people's names, attachments' original file names); admins still see everything.
    blind: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A later round's shortlist published to the sites as an outcome ("Shortlisted"): when, by whom.
    shortlist_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shortlist_published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Panel discussion once a judge has submitted (judging/deliberation rules in permissions.py).
    deliberation: Mapped[Deliberation] = mapped_column(str_enum(Deliberation, "deliberation"),
                                                       default=Deliberation.OFF)
    # Judges see each other as "Judge A", "Judge B"… (per nomination) in deliberation.
    hide_judge_names: Mapped[bool] = mapped_column(Boolean, default=False)

    cycle: Mapped[Cycle] = relationship()

    @property
    def title(self):
        """Its name, or "Round 2" (lazily translated)."""
        return self.name or _l("Round %(number)d", number=self.number)

    @property
    def deadline(self) -> datetime:
        return self.judging_deadline or self.cycle.judging_deadline

    @property
    def judges_needed(self) -> int:
        return self.judges_per_nomination or self.cycle.judges_per_nomination

    @property
    def reviews_needed(self) -> int:
        return self.minimum_reviews or self.cycle.minimum_reviews

    @property
    def method(self) -> RankingMethod:
        return self.ranking_method or self.cycle.ranking_method

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def shortlist_published(self) -> bool:
        return self.shortlist_published_at is not None

    def weight_of(self, criterion: Criterion) -> float:
        return float((self.weights or {}).get(str(criterion.id), criterion.weight))

    def criterion_weights(self) -> dict[int, float]:
        """criterion id → weight under this round, in the cycle's order."""
        return {criterion.id: self.weight_of(criterion) for criterion in self.cycle.criteria}


@event.listens_for(Session, "before_flush")
def _first_round(session, flush_context, instances) -> None:
    """Every cycle has its first round from the start (whichever way the cycle was created)."""
    for obj in list(session.new):
        if isinstance(obj, Cycle) and obj.id is None:
            session.add(JudgingRound(cycle=obj, number=1))


class ShortlistEntry(db.Model):
    """A nomination taken into a later round: promoted with the top N of its region from the
    previous round's ranking, or added by hand with a written reason (`by_hand`). Removing one by
    hand deletes the row; the reason stays in the audit log."""

    __tablename__ = "shortlist_entries"
    __table_args__ = (UniqueConstraint("round_id", "nomination_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("judging_rounds.id", ondelete="CASCADE"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id", ondelete="CASCADE"), index=True)
    by_hand: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(Text, default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    round: Mapped[JudgingRound] = relationship()
    nomination: Mapped[Nomination] = relationship()


class PanelMember(db.Model):
    """A judge sitting on a round's panel for one region (a judge may sit on both, and on the
    panels of several rounds)."""

    __tablename__ = "panel_members"
    __table_args__ = (UniqueConstraint("round_id", "region", "judge_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("judging_rounds.id", ondelete="CASCADE"), index=True)
    region: Mapped[Region] = mapped_column(str_enum(Region, "region"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    cycle: Mapped[Cycle] = relationship()
    judge: Mapped[User] = relationship()


class Assignment(db.Model):
    """One judge asked to score one nomination in one round. A declared conflict keeps the row (so
    the judge is never assigned that nomination again, in any round) but takes it out of judging."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("round_id", "nomination_id", "judge_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("judging_rounds.id", ondelete="CASCADE"), index=True)
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

    round: Mapped[JudgingRound] = relationship()
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


class DeliberationOpening(db.Model):
    """An admin opened deliberation on one nomination of a round whose deliberation is FLAGGED
    (only a nomination flagged for disagreement in that round's ranking can be opened)."""

    __tablename__ = "deliberation_openings"
    __table_args__ = (UniqueConstraint("round_id", "nomination_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("judging_rounds.id", ondelete="CASCADE"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id", ondelete="CASCADE"), index=True)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DiscussionMessage(db.Model):
    """One message of the panel's discussion of a nomination in a round (plain text)."""

    __tablename__ = "discussion_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("judging_rounds.id", ondelete="CASCADE"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class ScoreRevision(db.Model):
    """A submitted score changed during deliberation, with the judge's reason: the score row holds
    the new value, this row the old one (one row per criterion changed)."""

    __tablename__ = "score_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("score_sheets.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"))
    old_value: Mapped[int | None] = mapped_column(Integer)
    new_value: Mapped[int | None] = mapped_column(Integer)
    old_comment: Mapped[str] = mapped_column(Text, default="")
    new_comment: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text)
    judge_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sheet: Mapped[ScoreSheet] = relationship()
    criterion: Mapped[Criterion] = relationship()
