from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards_app.core.enums import Theme
from awards_app.core.models import TimestampMixin, UTCDateTime, str_enum, utcnow
from awards_app.cycles.fiscal import cycle_label
from awards_app.extensions import db
from awards_app.sites.models import Site

# Field lengths, shared by the model, the form and the import so that they never disagree.
REFERENCE_MAX = 64
TITLE_MAX = 200
PARTNERS_MAX = 2000
DESCRIPTION_MAX = 2000
# Generous upper bounds: a whole year of the programme is about 127,000 participations.
PARTICIPANTS_MAX = 1_000_000
HOURS_MAX = Decimal("10000000")


class ActivitySource(str, enum.Enum):
    FORM = "form"
    IMPORT = "import"

    @property
    def title(self):
        return {ActivitySource.FORM: _l("Form"), ActivitySource.IMPORT: _l("Import")}[self]


class ReportingYear(db.Model):
    """An admin's settings for reporting one fiscal year's activities: the deadline for sites, and
    the lock after which nobody changes them. A fiscal year without a row has the default deadline
    (rules.default_reporting_deadline) and is not locked."""

    __tablename__ = "reporting_years"
    __table_args__ = (CheckConstraint("fiscal_year BETWEEN 1990 AND 2200", name="fiscal_year_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, unique=True)
    reporting_deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def label(self) -> str:
        return cycle_label(self.fiscal_year)


class ActivityImport(db.Model):
    """One confirmed import of a spreadsheet: who, when, which file, what it changed."""

    __tablename__ = "activity_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The site of a site's own upload; None for an admin's import of several sites.
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255), default="")
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0)


class Activity(TimestampMixin, db.Model):
    """One MDD activity of a site in a fiscal year."""

    __tablename__ = "activities"
    __table_args__ = (
        UniqueConstraint("site_id", "fiscal_year", "reference"),
        CheckConstraint("fiscal_year BETWEEN 1990 AND 2200", name="fiscal_year_range"),
        CheckConstraint("participants >= 0", name="participants_non_negative"),
        CheckConstraint("volunteer_hours >= 0", name="hours_non_negative"),
        CheckConstraint("start_date <= end_date", name="dates_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="RESTRICT"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    # The site's own reference (unique per site and fiscal year); an import matches rows by it.
    # Optional for an activity typed in (NULLs never collide).
    reference: Mapped[str | None] = mapped_column(String(REFERENCE_MAX))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    title_other: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    theme: Mapped[Theme] = mapped_column(str_enum(Theme, "theme"))
    biodiversity: Mapped[bool] = mapped_column(Boolean, default=False)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    participants: Mapped[int] = mapped_column(Integer)
    volunteer_hours: Mapped[Decimal] = mapped_column(Numeric(10, 1))
    partners: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[ActivitySource] = mapped_column(str_enum(ActivitySource, "activity_source"),
                                                   default=ActivitySource.FORM)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("activity_imports.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    site: Mapped[Site] = relationship(lazy="raise_on_sql")

    @property
    def display_title(self) -> str:
        return self.title or self.title_other

    @property
    def label(self) -> str:
        return cycle_label(self.fiscal_year)

    def __repr__(self) -> str:
        return f"<Activity {self.id} {self.fiscal_year} {self.reference}>"
