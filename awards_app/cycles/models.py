from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards_app.core.enums import Phase, RankingMethod, Region
from awards_app.core.models import TimestampMixin, UTCDateTime, str_enum
from awards_app.cycles.fiscal import cycle_label, fiscal_year_bounds
from awards_app.extensions import db


class Cycle(TimestampMixin, db.Model):
    """One fiscal year's awards: deadlines, scale, criteria, award categories and phase."""

    __tablename__ = "cycles"
    __table_args__ = (
        CheckConstraint("fiscal_year BETWEEN 1990 AND 2200", name="fiscal_year_range"),
        CheckConstraint("scale_min >= 0 AND scale_min < scale_max AND scale_max <= 100", name="scale_valid"),
        CheckConstraint("judging_deadline >= nomination_deadline", name="deadlines_ordered"),
        CheckConstraint("judges_per_nomination BETWEEN 1 AND 20", name="judges_per_nomination_range"),
        CheckConstraint("disagreement_threshold > 0", name="disagreement_threshold_positive"),
        CheckConstraint("minimum_reviews >= 1 AND minimum_reviews <= judges_per_nomination",
                        name="minimum_reviews_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, unique=True)
    phase: Mapped[Phase] = mapped_column(str_enum(Phase, "phase"), default=Phase.SETUP)
    nomination_deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    judging_deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    scale_min: Mapped[int] = mapped_column(Integer, default=1)
    scale_max: Mapped[int] = mapped_column(Integer, default=5)
    judges_per_nomination: Mapped[int] = mapped_column(Integer, default=3)
    # Judges "disagree" on a nomination when their weighted totals are this far apart (scale points).
    disagreement_threshold: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("2"))
    # A nomination with fewer scored sheets is flagged "insufficient reviews" and never proposed.
    minimum_reviews: Mapped[int] = mapped_column(Integer, default=2)
    # What the proposal follows. New cycles: the severity-adjusted score; cycles decided before it
    # existed keep the weighted mean they were decided with (the migration sets it).
    ranking_method: Mapped[RankingMethod] = mapped_column(
        str_enum(RankingMethod, "ranking_method"), default=RankingMethod.ADJUSTED
    )
    # Judging closed early by an admin (so that the cycle can be finalised before every sheet is in).
    judging_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    judging_closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    judging_closed_reason: Mapped[str] = mapped_column(Text, default="")
    # After finalisation each site sees its outcome and the judges' comments (never their names),
    # unless the admin switches the comments off.
    share_comments_with_sites: Mapped[bool] = mapped_column(Boolean, default=True)
    # The winners' page of a finalised cycle is for logged-in users; an admin may open it to
    # anyone (no login), and then the certificates' verification page links to it.
    winners_public: Mapped[bool] = mapped_column(Boolean, default=False)
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Who signs the certificates of this cycle.
    signatory_name_en: Mapped[str] = mapped_column(String(120), default="")
    signatory_name_ja: Mapped[str] = mapped_column(String(120), default="")
    signatory_title_en: Mapped[str] = mapped_column(String(200), default="")
    signatory_title_ja: Mapped[str] = mapped_column(String(200), default="")
    # When reminders go out: days before each deadline, e.g. "7,1" (cycles.rules.parse_reminder_days).
    nomination_reminder_days: Mapped[str] = mapped_column(String(40), default="7,1")
    judging_reminder_days: Mapped[str] = mapped_column(String(40), default="7,2,1")

    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="cycle", order_by="Criterion.position", cascade="all, delete-orphan"
    )
    award_categories: Mapped[list[AwardCategory]] = relationship(
        back_populates="cycle", order_by="AwardCategory.position", cascade="all, delete-orphan"
    )

    @property
    def label(self) -> str:
        return cycle_label(self.fiscal_year)

    @property
    def start_date(self) -> date:
        return fiscal_year_bounds(self.fiscal_year)[0]

    @property
    def end_date(self) -> date:
        return fiscal_year_bounds(self.fiscal_year)[1]

    @property
    def scale(self) -> range:
        return range(self.scale_min, self.scale_max + 1)

    def __repr__(self) -> str:
        return f"<Cycle {self.label} {self.phase.value}>"


class Criterion(db.Model):
    """A scored dimension of a cycle, with a weight and a rubric per level."""

    __tablename__ = "criteria"
    __table_args__ = (
        UniqueConstraint("cycle_id", "key"),
        CheckConstraint("weight > 0", name="weight_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(120))
    name_ja: Mapped[str] = mapped_column(String(120))
    guidance_en: Mapped[str] = mapped_column(Text, default="")
    guidance_ja: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal("1"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    cycle: Mapped[Cycle] = relationship(back_populates="criteria")
    rubric_levels: Mapped[list[RubricLevel]] = relationship(
        back_populates="criterion", order_by="RubricLevel.level", cascade="all, delete-orphan"
    )


class RubricLevel(db.Model):
    """What a given score on a criterion means, in both languages."""

    __tablename__ = "rubric_levels"
    __table_args__ = (UniqueConstraint("criterion_id", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    text_en: Mapped[str] = mapped_column(Text, default="")
    text_ja: Mapped[str] = mapped_column(Text, default="")

    criterion: Mapped[Criterion] = relationship(back_populates="rubric_levels")


class AwardCategory(db.Model):
    """An award decided in a cycle, open to nominations of one region."""

    __tablename__ = "award_categories"
    __table_args__ = (UniqueConstraint("cycle_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(120))
    name_ja: Mapped[str] = mapped_column(String(120))
    region: Mapped[Region] = mapped_column(str_enum(Region, "region"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    cycle: Mapped[Cycle] = relationship(back_populates="award_categories")
