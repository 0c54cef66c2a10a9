"""Reading the winners: a cycle's award decisions with what the page shows, in a number of
queries that does not grow with the data."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload, raiseload

from awards_app.awards.models import AwardDecision
from awards_app.certificates.models import Certificate
from awards_app.core.enums import Phase
from awards_app.cycles.models import AwardCategory, Cycle
from awards_app.extensions import db
from awards_app.nominations.models import Attachment, Nomination


@dataclass(frozen=True)
class Winner:
    """One award of the page: the decision (category, nomination and site loaded), its
    certificate in force (None before issue or after revocation) and, for admins, the photos
    to choose from."""

    decision: AwardDecision
    certificate: Certificate | None
    photos: tuple[Attachment, ...] = ()

    @property
    def category(self) -> AwardCategory:
        return self.decision.category

    @property
    def nomination(self) -> Nomination:
        return self.decision.nomination


def get_cycle_by_fiscal_year(fiscal_year: int) -> Cycle | None:
    return db.session.scalar(select(Cycle).where(Cycle.fiscal_year == fiscal_year))


def list_final_cycles(*, public_only: bool) -> list[Cycle]:
    """Cycles whose results are final (only the public pages' with `public_only`), newest first."""
    query = select(Cycle).where(Cycle.phase == Phase.FINALISED, Cycle.finalised_at.is_not(None))
    if public_only:
        query = query.where(Cycle.winners_public.is_(True))
    return list(db.session.scalars(query.order_by(Cycle.fiscal_year.desc())))


def list_winners(cycle: Cycle, *, with_photos: bool = False) -> list[Winner]:
    """The cycle's awards in the categories' order. `with_photos`: each winning nomination's
    photos (the admin's choice), else none are loaded."""
    options = [
        joinedload(AwardDecision.category),
        joinedload(AwardDecision.nomination).joinedload(Nomination.site),
        joinedload(AwardDecision.photo),  # its size, so that the page does not jump when it loads
        raiseload("*"),
    ]
    if with_photos:
        options.insert(0, joinedload(AwardDecision.nomination).selectinload(Nomination.attachments))
    decisions = db.session.scalars(
        select(AwardDecision)
        .join(AwardDecision.category)
        .where(AwardDecision.cycle_id == cycle.id)
        .order_by(AwardCategory.position, AwardCategory.id)
        .options(*options)
    ).unique().all()
    certificates = {
        certificate.decision_id: certificate
        for certificate in db.session.scalars(
            select(Certificate)
            .where(Certificate.cycle_id == cycle.id, Certificate.revoked_at.is_(None),
                   Certificate.replaced_by_id.is_(None))
            .options(raiseload("*"))
        )
    }
    return [
        Winner(
            decision,
            certificates.get(decision.id),
            tuple(a for a in decision.nomination.attachments if a.is_image) if with_photos else (),
        )
        for decision in decisions
    ]


def get_cycle_decision(cycle: Cycle, decision_id: int) -> AwardDecision | None:
    """The decision if it belongs to the cycle (else None, as if it did not exist)."""
    return db.session.scalar(
        select(AwardDecision)
        .where(AwardDecision.id == decision_id, AwardDecision.cycle_id == cycle.id)
        .options(joinedload(AwardDecision.cycle), joinedload(AwardDecision.category))
        .execution_options(populate_existing=True)
    )


def get_winner_photo(cycle: Cycle, decision_id: int) -> Attachment | None:
    """The photo chosen for the decision of `cycle`, if it is still an image of the winning
    nomination; None otherwise. Nothing else of a nomination is ever served by this feature."""
    decision = db.session.scalar(
        select(AwardDecision)
        .where(AwardDecision.id == decision_id, AwardDecision.cycle_id == cycle.id)
        .options(joinedload(AwardDecision.photo), raiseload("*"))
    )
    if decision is None or decision.photo is None:
        return None
    photo = decision.photo
    return photo if photo.nomination_id == decision.nomination_id and photo.is_image else None


def get_attachment(attachment_id: int) -> Attachment | None:
    return db.session.get(Attachment, attachment_id)
