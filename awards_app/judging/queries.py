"""Reads for judging, each with its loading stated, in a number of queries that does not grow
with the data."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, selectinload

from awards_app.accounts.models import User
from awards_app.core.enums import AssignmentStatus, NominationStatus, Phase, Region, SheetStatus
from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from awards_app.judging.models import Assignment, PanelMember, ScoreSheet
from awards_app.judging.scoring import RankedNomination, SheetScores, JudgeStats, rank_nominations
from awards_app.nominations.models import Nomination
from awards_app.sites.models import Site


def list_judging_cycles():
    """Cycles a judge may have work in, newest first."""
    return db.session.scalars(
        select(Cycle).where(Cycle.phase.in_([Phase.JUDGING, Phase.FINALISED])).order_by(Cycle.fiscal_year.desc())
    ).all()


def list_queue(judge: User, cycle: Cycle) -> list[Assignment]:
    """The judge's active assignments in the cycle, with nomination, site and sheet loaded."""
    return db.session.scalars(
        select(Assignment)
        .where(Assignment.judge_id == judge.id, Assignment.cycle_id == cycle.id,
               Assignment.status == AssignmentStatus.ACTIVE)
        .options(
            joinedload(Assignment.nomination).joinedload(Nomination.site),
            joinedload(Assignment.sheet).selectinload(ScoreSheet.scores),
        )
        .order_by(Assignment.nomination_id)
    ).unique().all()


def queue_state(assignment: Assignment) -> str:
    """'todo', 'in_progress' or 'submitted'."""
    sheet = assignment.sheet
    if sheet is None:
        return "todo"
    if sheet.status == SheetStatus.SUBMITTED:
        return "submitted"
    touched = sheet.abstained or sheet.overall_comment or any(s.value is not None or s.comment for s in sheet.scores)
    return "in_progress" if touched else "todo"


def next_unfinished(queue: list[Assignment], after_id: int) -> Assignment | None:
    """The next assignment after `after_id` that is not submitted, wrapping around."""
    pending = [a for a in queue if queue_state(a) != "submitted" and a.id != after_id]
    later = [a for a in pending if a.nomination_id > next((q.nomination_id for q in queue if q.id == after_id), 0)]
    return (later or pending or [None])[0]


def get_assignment_for_scoring(assignment_id: int) -> Assignment | None:
    return db.session.scalars(
        select(Assignment)
        .where(Assignment.id == assignment_id)
        .options(
            joinedload(Assignment.nomination).options(
                joinedload(Nomination.site),
                joinedload(Nomination.cycle),
                selectinload(Nomination.statements),
                selectinload(Nomination.attachments),
            ),
            joinedload(Assignment.sheet).selectinload(ScoreSheet.scores),
        )
    ).unique().one_or_none()


def get_nominations_with_sites(ids: list[int]) -> dict[int, Nomination]:
    return {
        n.id: n
        for n in db.session.scalars(
            select(Nomination).where(Nomination.id.in_(ids)).options(joinedload(Nomination.site))
        )
    }


def is_assigned(judge: User, nomination_id: int) -> bool:
    """Whether the judge holds an active assignment on the nomination."""
    return bool(
        db.session.scalar(
            select(func.count(Assignment.id)).where(
                Assignment.judge_id == judge.id, Assignment.nomination_id == nomination_id,
                Assignment.status == AssignmentStatus.ACTIVE,
            )
        )
    )


def list_panel(cycle: Cycle, region: Region) -> list[int]:
    return list(db.session.scalars(
        select(PanelMember.judge_id).where(PanelMember.cycle_id == cycle.id, PanelMember.region == region)
    ))


def list_judges() -> list[User]:
    return db.session.scalars(
        select(User).where(User.is_judge.is_(True), User.active.is_(True))
        .options(selectinload(User.sites)).order_by(User.name)
    ).all()


@dataclass
class AssignmentOverviewRow:
    nomination: Nomination
    assignments: list[Assignment]

    @property
    def active(self) -> list[Assignment]:
        return [a for a in self.assignments if a.status == AssignmentStatus.ACTIVE]

    @property
    def conflicts(self) -> list[Assignment]:
        return [a for a in self.assignments if a.status == AssignmentStatus.CONFLICT]


def list_assignment_overview(cycle: Cycle, region: Region | None = None) -> list[AssignmentOverviewRow]:
    """Submitted and ineligible nominations of the cycle with every assignment (judge, sheet)."""
    query = (
        select(Nomination)
        .join(Site, Site.id == Nomination.site_id)
        .where(Nomination.cycle_id == cycle.id,
               Nomination.status.in_([NominationStatus.SUBMITTED, NominationStatus.INELIGIBLE]))
        .options(joinedload(Nomination.site))
        .order_by(Site.region, Nomination.id)
    )
    if region is not None:
        query = query.where(Site.region == region.value)
    nominations = db.session.scalars(query).all()
    assignments = db.session.scalars(
        select(Assignment).where(Assignment.cycle_id == cycle.id)
        .options(joinedload(Assignment.judge), joinedload(Assignment.sheet))
        .order_by(Assignment.id)
    ).all()
    by_nomination: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        by_nomination.setdefault(assignment.nomination_id, []).append(assignment)
    return [AssignmentOverviewRow(n, by_nomination.get(n.id, [])) for n in nominations]


@dataclass
class JudgeProgress:
    judge: User
    assigned: int
    submitted: int
    conflicts: int


def list_judge_progress(cycle: Cycle) -> list[JudgeProgress]:
    """Each judge with assignments in the cycle: assigned, submitted, conflicts (one query)."""
    active = Assignment.status == AssignmentStatus.ACTIVE
    rows = db.session.execute(
        select(
            User,
            func.sum(case((active, 1), else_=0)),
            func.sum(case((active & (ScoreSheet.status == SheetStatus.SUBMITTED), 1), else_=0)),
            func.sum(case((Assignment.status == AssignmentStatus.CONFLICT, 1), else_=0)),
        )
        .join(Assignment, Assignment.judge_id == User.id)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Assignment.cycle_id == cycle.id)
        .group_by(User.id)
        .order_by(User.name)
    ).all()
    return [JudgeProgress(user, int(a or 0), int(s or 0), int(c or 0)) for user, a, s, c in rows]


@dataclass
class Ranking:
    rows: list[RankedNomination]
    nominations: dict[int, Nomination]
    judge_stats: dict[int, JudgeStats]
    judges: dict[int, User]


def get_ranking(cycle: Cycle, region: Region, sort_by: str = "weighted") -> Ranking:
    """The region's ranking: four queries whatever the number of nominations and judges."""
    nominations = {
        n.id: n
        for n in db.session.scalars(
            select(Nomination)
            .join(Site, Site.id == Nomination.site_id)
            .where(Nomination.cycle_id == cycle.id, Nomination.status == NominationStatus.SUBMITTED,
                   Site.region == region.value)
            .options(joinedload(Nomination.site))
        )
    }
    assigned_counts = dict(
        db.session.execute(
            select(Assignment.nomination_id, func.count(Assignment.id))
            .join(Nomination, Nomination.id == Assignment.nomination_id)
            .join(Site, Site.id == Nomination.site_id)
            .where(Assignment.cycle_id == cycle.id, Assignment.status == AssignmentStatus.ACTIVE,
                   Site.region == region.value)
            .group_by(Assignment.nomination_id)
        ).all()
    )
    # Normalisation is over each judge's own sheets in the whole cycle (both regions).
    sheets = db.session.scalars(
        select(ScoreSheet)
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .where(Assignment.cycle_id == cycle.id, Assignment.status == AssignmentStatus.ACTIVE,
               ScoreSheet.status == SheetStatus.SUBMITTED)
        .options(joinedload(ScoreSheet.assignment), selectinload(ScoreSheet.scores))
    ).unique().all()
    weights = {c.id: float(c.weight) for c in cycle.criteria}
    plain = [
        SheetScores(
            judge_id=s.assignment.judge_id,
            nomination_id=s.assignment.nomination_id,
            scores={score.criterion_id: float(score.value) for score in s.scores if score.value is not None},
            abstained=s.abstained,
        )
        for s in sheets
    ]
    # Totals of the other region's sheets still inform each judge's mean and SD.
    rows, stats = rank_nominations(
        plain,
        {nid: assigned_counts.get(nid, 0) for nid in nominations},
        weights,
        (cycle.scale_min, cycle.scale_max),
        float(cycle.disagreement_threshold),
        sort_by,
    )
    judges = {
        u.id: u for u in db.session.scalars(select(User).where(User.id.in_(list(stats)))).all()
    } if stats else {}
    return Ranking(rows, nominations, stats, judges)
