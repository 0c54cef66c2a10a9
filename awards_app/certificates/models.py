from __future__ import annotations

import enum
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards_app.accounts.models import User
from awards_app.awards.models import AwardDecision
from awards_app.core.models import UTCDateTime, utcnow
from awards_app.extensions import db

# The programme is run from Japan: a certificate's dates (printed on it and shown when it is
# verified) are dates in Japan, wherever the admin who issued or revoked it was.
CERTIFICATE_TIMEZONE = ZoneInfo("Asia/Tokyo")


class CertificateStatus(str, enum.Enum):
    """What the public verification page says of a certificate."""

    VALID = "valid"
    REVOKED = "revoked"
    REPLACED = "replaced"


class Certificate(db.Model):
    """An issued award certificate. What it says is copied at issue time, so that the PDF and the
    public verification page stay exactly as issued whatever changes later. A revoked or
    replaced certificate is kept; the verification page says so."""

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("cycle_id", "serial_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("award_decisions.id", ondelete="RESTRICT"), index=True)
    serial_number: Mapped[int] = mapped_column(Integer)  # per cycle: FY2013-0001, …
    # Unguessable: at least 60 bits of randomness (secrets.token_urlsafe).
    code: Mapped[str] = mapped_column(String(32), unique=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    # The fiscal year as the certificate names it in each language, by the organisation's
    # convention when it was issued (2012年度 / FY2013); certificates issued before the convention
    # existed keep what they said (2013年度).
    fiscal_year_label_ja: Mapped[str] = mapped_column(String(40))
    fiscal_year_label_en: Mapped[str] = mapped_column(String(40))
    award_name_en: Mapped[str] = mapped_column(String(120))
    award_name_ja: Mapped[str] = mapped_column(String(120))
    site_name_en: Mapped[str] = mapped_column(String(200))
    site_name_ja: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    title_other: Mapped[str] = mapped_column(String(200), default="")
    signatory_name_en: Mapped[str] = mapped_column(String(120), default="")
    signatory_name_ja: Mapped[str] = mapped_column(String(120), default="")
    signatory_title_en: Mapped[str] = mapped_column(String(200), default="")
    signatory_title_ja: Mapped[str] = mapped_column(String(200), default="")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str] = mapped_column(Text, default="")
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id", ondelete="SET NULL"))

    decision: Mapped[AwardDecision] = relationship()
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
    replaced_by: Mapped[Certificate | None] = relationship(remote_side=[id], foreign_keys=[replaced_by_id])

    @property
    def serial(self) -> str:
        return f"FY{self.fiscal_year}-{self.serial_number:04d}"

    @property
    def filename(self) -> str:
        return f"certificate-{self.serial}.pdf"

    @property
    def issued_on(self) -> date:
        return self.issued_at.astimezone(CERTIFICATE_TIMEZONE).date()

    @property
    def revoked_on(self) -> date | None:
        return self.revoked_at.astimezone(CERTIFICATE_TIMEZONE).date() if self.revoked_at else None

    @property
    def is_current(self) -> bool:
        return self.revoked_at is None and self.replaced_by_id is None

    @property
    def status(self) -> CertificateStatus:
        """Revoked wins over replaced: a revoked certificate that was re-issued afterwards was
        still revoked, and says so."""
        if self.revoked_at is not None:
            return CertificateStatus.REVOKED
        if self.replaced_by_id is not None:
            return CertificateStatus.REPLACED
        return CertificateStatus.VALID
