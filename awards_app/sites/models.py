from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, Integer, String, Table, case, literal_column
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from awards_app.core.enums import Region
from awards_app.core.models import TimestampMixin
from awards_app.extensions import db

JAPAN_COUNTRY = "JP"

# Who belongs to which site. Here, with the sites, so that site pages can count their members
# without importing accounts (a layer above); the users table is named, never imported.
user_sites = Table(
    "user_sites",
    db.metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", Integer, ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True),
)


class Site(TimestampMixin, db.Model):
    """A group company or office that volunteers and nominates activities."""

    __tablename__ = "sites"
    __table_args__ = (CheckConstraint("length(country) = 2", name="country_is_iso2"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ja: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @hybrid_property
    def region(self) -> Region:
        return Region.JAPAN if self.country == JAPAN_COUNTRY else Region.OVERSEAS

    @region.inplace.expression
    @classmethod
    def _region_expression(cls):
        # Literals, not bound parameters: PostgreSQL must see the same expression in SELECT and
        # GROUP BY, and parameters make each occurrence a different expression.
        return case(
            (cls.country == literal_column(f"'{JAPAN_COUNTRY}'"), literal_column(f"'{Region.JAPAN.value}'")),
            else_=literal_column(f"'{Region.OVERSEAS.value}'"),
        )

    def __repr__(self) -> str:
        return f"<Site {self.code}>"
