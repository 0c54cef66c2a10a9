"""Reads for deciding the awards and for telling each site its outcome, in a number of queries
that does not grow with the data."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from awards_app.accounts.models import User
from awards_app.awards.models import AwardDecision
from awards_app.core.enums import Phase, Region
from awards_app.cycles.models import AwardCategory, Criterion, Cycle
from awards_app.extensions import db
from awards_app.judging.models import Assignment, Score, ScoreSheet
from awards_app.judging.queries import Ranking, get_ranking, select_counted_sheets
from awards_app.judging.scoring import Proposal, RankedNomination
from awards_app.judging.whatif import WhatIf, get_what_if
from awards_app.nominations.models import Nomination


@dataclass
class AwardBoard:
    """Everything the awards page shows for one category."""

    category: AwardCategory
    ranking: Ranking
    proposal: Proposal
    decision: AwardDecision | None
    # nomination id → the other category of this cycle it has already won
    won_elsewhere: dict[int, AwardCategory] = field(default_factory=dict)
    what_if: WhatIf | None = None

    @property
    def rows(self) -> list[RankedNomination]:
        return self.ranking.rows

    @property
    def nominations(self) -> dict[int, Nomination]:
        return self.ranking.nominations

    def nomination(self, nomination_id: int | None) -> Nomination | None:
        if nomination_id is None:
            return None
        if nomination_id in self.ranking.nominations:
            return self.ranking.nominations[nomination_id]
        if self.decision is not None and self.decision.nomination_id == nomination_id:
            return self.decision.nomination  # decided, then taken out of the competition
        return None

    def row(self, nomination_id: int | None) -> RankedNomination | None:
        return next((row for row in self.ranking.rows if row.nomination_id == nomination_id), None)


def get_cycle_query(cycle_id: int):
    """One cycle with its award categories and criteria (the ranking weighs by criteria)."""
    return (
        select(Cycle)
        .where(Cycle.id == cycle_id)
        .options(selectinload(Cycle.award_categories), selectinload(Cycle.criteria))
    )


def list_decisions(cycle: Cycle) -> dict[int, AwardDecision]:
    """category id → decision, with the winning nomination, its site and who decided."""
    decisions = db.session.scalars(
        select(AwardDecision)
        .where(AwardDecision.cycle_id == cycle.id)
        .options(
            joinedload(AwardDecision.nomination).joinedload(Nomination.site),
            joinedload(AwardDecision.decided_by),
        )
    ).all()
    return {decision.category_id: decision for decision in decisions}


def list_final_awards(nomination_ids) -> dict[int, AwardCategory]:
    """nomination id → the award it won, for finalised cycles only (sites see outcomes only then)."""
    if not nomination_ids:
        return {}
    rows = db.session.execute(
        select(AwardDecision.nomination_id, AwardCategory)
        .join(AwardCategory, AwardCategory.id == AwardDecision.category_id)
        .join(Cycle, Cycle.id == AwardDecision.cycle_id)
        .where(AwardDecision.nomination_id.in_(list(nomination_ids)), Cycle.phase == Phase.FINALISED)
    ).all()
    return dict(rows)


def get_award_boards(cycle: Cycle) -> list[AwardBoard]:
    """One board per award category, in the cycle's order, with the what-if of its region. The
    ranking and the what-if of a region are computed once however many categories share it."""
    decisions = list_decisions(cycle)
    categories = {category.id: category for category in cycle.award_categories}
    winners = {decision.nomination_id: categories.get(decision.category_id) for decision in decisions.values()}
    rankings: dict[Region, Ranking] = {}
    what_ifs: dict[Region, WhatIf] = {}
    boards = []
    for category in cycle.award_categories:
        if category.region not in rankings:
            rankings[category.region] = get_ranking(cycle, category.region)
            what_ifs[category.region] = get_what_if(cycle, rankings[category.region])
        ranking = rankings[category.region]
        boards.append(
            AwardBoard(
                category=category,
                ranking=ranking,
                proposal=ranking.proposal,
                decision=decisions.get(category.id),
                won_elsewhere={
                    nomination_id: other for nomination_id, other in winners.items()
                    if other is not None and other.id != category.id
                },
                what_if=what_ifs[category.region],
            )
        )
    return boards


def get_user(user_id: int | None) -> User | None:
    return db.session.get(User, user_id) if user_id is not None else None


# --- a site's outcome ----------------------------------------------------------------------------


@dataclass
class CriterionComments:
    criterion: Criterion
    comments: list[str]


@dataclass
class SiteOutcome:
    """What a site sees of its nomination once the results are final: the awards it won, and
    (when the cycle shares them) the judges' comments, never who wrote them or any score."""

    awards: list[AwardCategory]
    shares_comments: bool
    criterion_comments: list[CriterionComments] = field(default_factory=list)
    overall_comments: list[str] = field(default_factory=list)

    @property
    def has_comments(self) -> bool:
        return bool(self.overall_comments) or any(group.comments for group in self.criterion_comments)


def get_site_outcome(nomination: Nomination, *, with_comments: bool) -> SiteOutcome:
    """The nomination's outcome; its judges' comments only when `with_comments`.

    Comments are sorted by their text, so that their order says nothing about which judge wrote
    them and does not line up one judge's comments across criteria."""
    awards = list(
        db.session.scalars(
            select(AwardCategory)
            .join(AwardDecision, AwardDecision.category_id == AwardCategory.id)
            .where(AwardDecision.nomination_id == nomination.id)
            .order_by(AwardCategory.position)
        )
    )
    outcome = SiteOutcome(awards=awards, shares_comments=with_comments)
    if not with_comments:
        return outcome
    # The reviews that made its result; not an abstaining judge's sheet: that judge had a
    # conflict, and what they wrote is not passed on.
    sheets = select_counted_sheets(ScoreSheet.id, abstentions=False).where(Assignment.nomination_id == nomination.id)
    by_criterion: dict[int, list[str]] = {}
    for criterion_id, comment in db.session.execute(
        select(Score.criterion_id, Score.comment).where(Score.sheet_id.in_(sheets), Score.comment != "")
    ):
        if comment.strip():
            by_criterion.setdefault(criterion_id, []).append(comment.strip())
    outcome.criterion_comments = [
        CriterionComments(criterion, sorted(by_criterion.get(criterion.id, [])))
        for criterion in nomination.cycle.criteria
    ]
    outcome.overall_comments = sorted(
        comment.strip()
        for comment in db.session.scalars(
            select(ScoreSheet.overall_comment).where(ScoreSheet.id.in_(sheets), ScoreSheet.overall_comment != "")
        )
        if comment.strip()
    )
    return outcome
