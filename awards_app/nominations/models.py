from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

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
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards_app.accounts.models import User
from awards_app.activities.models import Activity
from awards_app.core.enums import Language, NominationStatus, Theme
from awards_app.core.models import TimestampMixin, UTCDateTime, str_enum, utcnow
from awards_app.cycles.models import Criterion, Cycle
from awards_app.extensions import db
from awards_app.sites.models import Site

def display_title(title: str | None, title_other: str | None) -> str | None:
    """A nomination's title as shown: its own, else the one in the other language. Also for
    nominations read as plain columns (the judge's queue, the exports)."""
    return title or title_other


# The extension of a neutral attachment name, from what the file is (its content was checked).
NEUTRAL_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}

# Field lengths, shared by the model and the forms so the two never disagree.
TITLE_MAX = 200
SUMMARY_MAX = 1000
DESCRIPTION_MAX = 10000
PARTNERS_MAX = 2000
OUTCOMES_MAX = 5000
STATEMENT_MAX = 3000


class Nomination(TimestampMixin, db.Model):
    """One activity put forward by one site in one cycle."""

    __tablename__ = "nominations"
    __table_args__ = (
        CheckConstraint("participants >= 0", name="participants_non_negative"),
        CheckConstraint("volunteer_hours >= 0", name="hours_non_negative"),
        CheckConstraint("start_date <= end_date", name="dates_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="RESTRICT"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="RESTRICT"), index=True)
    # The activity put forward. Its dates, participants and hours are the nomination's: the columns
    # below hold a copy that only the services write, from the activity (services.ACTIVITY_FIELDS),
    # so that judging, exports and statistics keep reading one table. None for a nomination
    # written before activities existed without the data to make one.
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id", ondelete="RESTRICT"), unique=True)
    status: Mapped[NominationStatus] = mapped_column(
        str_enum(NominationStatus, "nomination_status"), default=NominationStatus.DRAFT, index=True
    )
    language: Mapped[Language] = mapped_column(str_enum(Language, "language"), default=Language.JA)
    title: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    title_other: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    theme: Mapped[Theme | None] = mapped_column(str_enum(Theme, "theme"))
    biodiversity: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    participants: Mapped[int | None] = mapped_column(Integer)
    volunteer_hours: Mapped[Decimal | None] = mapped_column(Numeric(10, 1))
    partners: Mapped[str] = mapped_column(Text, default="")
    outcomes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    # Optimistic locking: a save based on a stale version is refused, never silently merged.
    version: Mapped[int] = mapped_column(Integer, default=1)

    cycle: Mapped[Cycle] = relationship()
    site: Mapped[Site] = relationship()
    activity: Mapped[Activity | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    statements: Mapped[list[NominationStatement]] = relationship(
        back_populates="nomination", cascade="all, delete-orphan"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="nomination", order_by="Attachment.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def display_title(self) -> str:
        return display_title(self.title, self.title_other)

    def statement_for(self, criterion_id: int) -> str:
        for statement in self.statements:
            if statement.criterion_id == criterion_id:
                return statement.text
        return ""

    def __repr__(self) -> str:
        return f"<Nomination {self.id} {self.status.value}>"


class NominationStatement(db.Model):
    """The nominating site's statement for one criterion (how it relates to business, …)."""

    __tablename__ = "nomination_statements"
    __table_args__ = (UniqueConstraint("nomination_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")

    nomination: Mapped[Nomination] = relationship(back_populates="statements")
    criterion: Mapped[Criterion] = relationship()


class Attachment(db.Model):
    """A photo or PDF of a nomination. The file lives in the upload folder under a random name."""

    __tablename__ = "attachments"
    __table_args__ = (CheckConstraint("size_bytes >= 0", name="size_non_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    nomination: Mapped[Nomination] = relationship(back_populates="attachments")

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def number(self) -> int:
        """Its place among its nomination's attachments (1, 2, …), in the order they are listed."""
        return [attachment.id for attachment in self.nomination.attachments].index(self.id) + 1

    def neutral_name(self, number: int | None = None) -> str:
        """The name shown and offered on download instead of the original in a blind review
        ("Photo 2.jpg", "Attachment 1.pdf", in the reader's language): an original file name often
        names the site or people. `number`: its place in the list, when the caller knows it."""
        number = self.number if number is None else number
        extension = NEUTRAL_EXTENSIONS.get(self.content_type, "")
        if self.is_image:
            return _("Photo %(num)d", num=number) + extension
        return _("Attachment %(num)d", num=number) + extension
