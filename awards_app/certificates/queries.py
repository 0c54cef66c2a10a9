"""Reading certificates and the award decisions they are issued for."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, raiseload

from awards_app.awards.models import AwardDecision
from awards_app.certificates.models import Certificate
from awards_app.cycles.models import AwardCategory
from awards_app.extensions import db
from awards_app.nominations.models import Nomination

# secrets.token_urlsafe(12) gives 16 characters; the column holds 32. Anything longer is not a code.
CODE_MAX = 32


def get_certificate_by_code(code: str) -> Certificate | None:
    if not code or len(code) > CODE_MAX:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code).options(raiseload("*")))


def get_cycle_certificate(cycle_id: int, certificate_id: int) -> Certificate | None:
    """The certificate if it belongs to the cycle (else None, as if it did not exist)."""
    certificate = db.session.get(Certificate, certificate_id)
    return certificate if certificate is not None and certificate.cycle_id == cycle_id else None


def get_nomination_certificate(nomination_id: int, certificate_id: int) -> Certificate | None:
    """The certificate if it was issued for the nomination's award (else None, as if it did not exist)."""
    return db.session.scalar(
        select(Certificate)
        .join(AwardDecision, AwardDecision.id == Certificate.decision_id)
        .where(Certificate.id == certificate_id, AwardDecision.nomination_id == nomination_id)
    )


def list_nomination_certificates(nomination_id: int) -> list[Certificate]:
    """The certificates in force for the nomination's awards (neither revoked nor replaced), by serial."""
    query = (
        select(Certificate)
        .join(AwardDecision, AwardDecision.id == Certificate.decision_id)
        .where(AwardDecision.nomination_id == nomination_id, Certificate.revoked_at.is_(None),
               Certificate.replaced_by_id.is_(None))
        .order_by(Certificate.serial_number)
        .options(raiseload("*"))
    )
    return list(db.session.scalars(query))


def list_certificates(cycle_id: int) -> list[Certificate]:
    """Every certificate of the cycle, revoked and replaced ones included, by serial number.
    The list shows only what the certificates copied at issue, so nothing else is loaded."""
    query = (
        select(Certificate)
        .where(Certificate.cycle_id == cycle_id)
        .order_by(Certificate.serial_number)
        .options(raiseload("*"))
    )
    return list(db.session.scalars(query))


def list_current_certificates(cycle_id: int) -> list[Certificate]:
    """The certificates in force: neither revoked nor replaced."""
    query = (
        select(Certificate)
        .where(
            Certificate.cycle_id == cycle_id,
            Certificate.revoked_at.is_(None),
            Certificate.replaced_by_id.is_(None),
        )
        .order_by(Certificate.serial_number)
        .options(raiseload("*"))
    )
    return list(db.session.scalars(query))


def list_decisions(cycle_id: int) -> list[AwardDecision]:
    """The award decisions of the cycle in the categories' order, with what a certificate copies
    (category, nomination and its site) loaded."""
    query = (
        select(AwardDecision)
        .join(AwardDecision.category)
        .where(AwardDecision.cycle_id == cycle_id)
        .order_by(AwardCategory.position, AwardCategory.id)
        .options(
            joinedload(AwardDecision.category),
            joinedload(AwardDecision.nomination).joinedload(Nomination.site),
            raiseload("*"),
        )
    )
    return list(db.session.scalars(query))


def certified_decision_ids(cycle_id: int) -> set[int]:
    """Decisions that have had a certificate (whatever became of it)."""
    return set(db.session.scalars(select(Certificate.decision_id).where(Certificate.cycle_id == cycle_id)))


def next_serial_number(cycle_id: int) -> int:
    highest = db.session.scalar(select(func.max(Certificate.serial_number)).where(Certificate.cycle_id == cycle_id))
    return (highest or 0) + 1
