"""Reads for judging, each with its loading stated, in a number of queries that does not grow
with the data."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from flask_babel import gettext as _
from sqlalchemy import Select, case, func, literal, or_, select
from sqlalchemy.orm import aliased, joinedload, load_only, selectinload

from awards_app.accounts.models import User
from awards_app.audit.models import AuditEvent
from awards_app.core.enums import (
    AssignmentStatus,
    NominationStatus,
    Phase,
    RankingMethod,
    Region,
    SheetStatus,
    Theme,
)
from awards_app.cycles.models import Criterion, Cycle
from awards_app.extensions import db
from awards_app.judging.models import (
    Assignment,
    DeliberationOpening,
    DiscussionMessage,
    JudgingRound,
    PanelMember,
    Score,
    ScoreRevision,
    ScoreSheet,
    ShortlistEntry,
)
from awards_app.judging.model import DRAWS, Fit, Reading, fit_cached
from awards_app.judging.scoring import (
    TIE_DECIMALS,
    JudgeStats,
    Proposal,
    RankedNomination,
    SheetScores,
    assign_ranks,
    propose,
    rank_nominations,
    weighted_total,
    z_score,
)
from awards_app.nominations.models import Nomination, display_title
from awards_app.sites.models import Site


def list_judging_cycles():
    """Cycles a judge may have work in, newest first."""
    return db.session.scalars(
        select(Cycle).where(Cycle.phase.in_([Phase.JUDGING, Phase.FINALISED])).order_by(Cycle.fiscal_year.desc())
    ).all()


# --- rounds --------------------------------------------------------------------------------------


def list_rounds(cycle: Cycle) -> list[JudgingRound]:
    """The cycle's rounds in order (every cycle has at least its first)."""
    return list(db.session.scalars(
        select(JudgingRound).where(JudgingRound.cycle_id == cycle.id).order_by(JudgingRound.number)
    ))


def current_round(rounds: list[JudgingRound]) -> JudgingRound:
    """The round judging is at: the first one still open, or the last once every round is closed."""
    return next((r for r in rounds if not r.is_closed), rounds[-1])


def get_round(cycle: Cycle, round_id: int | None = None) -> JudgingRound | None:
    """The cycle's round `round_id` (None when it is not one of the cycle's), or without an id
    the current round."""
    rounds = list_rounds(cycle)
    if round_id is None:
        return current_round(rounds)
    return next((r for r in rounds if r.id == round_id), None)


def get_last_round(cycle: Cycle) -> JudgingRound:
    """The round the awards are decided from."""
    return db.session.scalars(
        select(JudgingRound).where(JudgingRound.cycle_id == cycle.id).order_by(JudgingRound.number.desc()).limit(1)
    ).one()


def previous_round(judging_round: JudgingRound) -> JudgingRound | None:
    return db.session.scalar(
        select(JudgingRound).where(JudgingRound.cycle_id == judging_round.cycle_id,
                                   JudgingRound.number == judging_round.number - 1)
    )


def select_round_nominations(judging_round: JudgingRound) -> Select:
    """The ids of the nominations a round judges: in round 1 every submitted nomination of the
    cycle, in a later round its shortlist (still submitted)."""
    query = select(Nomination.id).where(Nomination.cycle_id == judging_round.cycle_id, IN_JUDGING)
    if judging_round.number > 1:
        query = query.where(Nomination.id.in_(
            select(ShortlistEntry.nomination_id).where(ShortlistEntry.round_id == judging_round.id)))
    return query


def list_round_nominations(judging_round: JudgingRound) -> list[Nomination]:
    """The nominations `judging_round` judges, with their sites, in the order of their ids."""
    return list(db.session.scalars(
        select(Nomination).where(Nomination.id.in_(select_round_nominations(judging_round)))
        .options(joinedload(Nomination.site)).order_by(Nomination.id)
    ))


def list_users_by_id(ids) -> list[User]:
    return list(db.session.scalars(select(User).where(User.id.in_(list(ids))))) if ids else []


def list_shortlist(judging_round: JudgingRound) -> list[ShortlistEntry]:
    return list(db.session.scalars(
        select(ShortlistEntry).where(ShortlistEntry.round_id == judging_round.id)
        .options(joinedload(ShortlistEntry.nomination).joinedload(Nomination.site))
        .order_by(ShortlistEntry.nomination_id)
    ))


@dataclass
class ShortlistHistory:
    """What the audit log knows of a round's shortlist: the top N each nomination was promoted
    with (nomination id → N), and the nominations taken off by hand (their audit events)."""
    promoted_with: dict[int, int] = field(default_factory=dict)
    removed: list = field(default_factory=list)  # AuditEvent, newest first, with its actor


def list_shortlist_history(rounds: list[JudgingRound]) -> dict[int, ShortlistHistory]:
    """round id → its ShortlistHistory, for every round given: two queries whatever the data (the
    events with their actors, and the nominations taken off, each on `event.nomination`)."""
    history = {r.id: ShortlistHistory() for r in rounds}
    if not history:
        return history
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == JudgingRound.__tablename__,
                                 AuditEvent.object_id.in_(list(history)),
                                 AuditEvent.action.in_(["round.shortlist_promoted", "round.shortlist_removed"]))
        .options(joinedload(AuditEvent.actor)).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    ).all()
    for event in rows:
        if event.action == "round.shortlist_promoted":
            for nomination_id in event.details.get("added", []):
                # Newest first: a nomination promoted twice keeps the N it was first promoted with.
                history[event.object_id].promoted_with[int(nomination_id)] = event.details.get("per_region")
        else:
            history[event.object_id].removed.append(event)
    removed = [event for item in history.values() for event in item.removed]
    nominations = get_nominations_with_sites([int(e.details["nomination_id"]) for e in removed]) if removed else {}
    for event in removed:
        event.nomination = nominations.get(int(event.details["nomination_id"]))
    return history


def list_published_shortlists(nomination_ids) -> dict[int, JudgingRound]:
    """nomination id → the latest round whose published shortlist holds it (one query)."""
    if not nomination_ids:
        return {}
    found: dict[int, JudgingRound] = {}
    for nomination_id, judging_round in db.session.execute(
        select(ShortlistEntry.nomination_id, JudgingRound)
        .join(JudgingRound, JudgingRound.id == ShortlistEntry.round_id)
        .where(ShortlistEntry.nomination_id.in_(list(nomination_ids)), JudgingRound.shortlist_published_at.is_not(None))
        .order_by(JudgingRound.number)
    ):
        found[nomination_id] = judging_round
    return found


# An assignment counts only while its nomination is submitted: a site may withdraw a nomination
# after judges were assigned (assignment is allowed while nominations are open), and a withdrawn
# nomination must leave every judge's queue and the judges' progress and statistics.
IN_JUDGING = Nomination.status == NominationStatus.SUBMITTED


def select_counted_sheets(*columns, abstentions: bool) -> Select:
    """`select(*columns)` over the score sheets that count for a result, joined to their
    assignment and nomination: submitted sheets of active assignments (not a declared conflict)
    on nominations still in judging (not withdrawn or ineligible). The ranking, the exports and
    a site's outcome all read their sheets through this one rule; callers add their own columns,
    joins (Score, Site, User) and scope (a cycle, a nomination).

    `abstentions`: whether abstaining sheets are included. The ranking counts them as reviews
    done (flagged, without scores) and the results export lists them; a site's outcome leaves
    them out, since an abstaining judge had a conflict and what they wrote is not passed on."""
    query = (
        select(*columns)
        .select_from(ScoreSheet)
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .join(Nomination, Nomination.id == Assignment.nomination_id)
        .where(Assignment.status == AssignmentStatus.ACTIVE, ScoreSheet.status == SheetStatus.SUBMITTED, IN_JUDGING)
    )
    return query if abstentions else query.where(ScoreSheet.abstained.is_(False))


@dataclass(frozen=True)
class QueueItem:
    """One line of a judge's queue: just what the list shows, read as plain columns."""

    id: int  # the assignment
    nomination_id: int
    title: str
    title_other: str
    theme: Theme | None
    site_name_en: str
    site_name_ja: str
    country: str
    state: str  # 'todo', 'in_progress' or 'submitted'
    not_completed: bool = False  # judging was closed before it was submitted
    abstained: bool = False  # the judge abstained (on a submitted sheet: the review is done)
    round_number: int = 1
    round_name: str = ""
    region: Region | None = None
    blind: bool = False  # the judge reviews this nomination blind (in this round or another): no site

    @property
    def display_title(self) -> str:
        return display_title(self.title, self.title_other)


def select_blind(judge_id, nomination_id) -> Select:
    """Whether judge `judge_id` holds an active assignment on nomination `nomination_id` in a
    blind round (columns or values; an EXISTS to use as a condition or a column). Blind wins: a
    judge who scores a nomination in a blind round sees it blind on every page, in every round."""
    blind_assignment = aliased(Assignment)
    return (
        select(blind_assignment.id)
        .join(JudgingRound, JudgingRound.id == blind_assignment.round_id)
        .where(blind_assignment.judge_id == judge_id, blind_assignment.nomination_id == nomination_id,
               blind_assignment.status == AssignmentStatus.ACTIVE, JudgingRound.blind.is_(True))
        .exists()
    )


def is_blind_for(judge: User, nomination_id: int) -> bool:
    """Whether `judge` reviews the nomination blind (select_blind): then none of their pages,
    files or messages may show the nominating site."""
    return bool(db.session.scalar(select(select_blind(judge.id, nomination_id))))


def list_queue(judge: User, cycle: Cycle) -> list[QueueItem]:
    """The judge's active assignments in the cycle (every round), in one query, each with its
    round and state: submitted, in progress (a draft with anything entered) or to do."""
    touched = (
        select(Score.id)
        .where(Score.sheet_id == ScoreSheet.id, or_(Score.value.is_not(None), Score.comment != ""))
        .exists()
    )
    state = case(
        (ScoreSheet.status == SheetStatus.SUBMITTED, literal("submitted")),
        (ScoreSheet.abstained.is_(True) | (ScoreSheet.overall_comment != "") | touched, literal("in_progress")),
        else_=literal("todo"),
    )
    rows = db.session.execute(
        select(
            Assignment.id, Assignment.nomination_id, Nomination.title, Nomination.title_other, Nomination.theme,
            Site.name_en, Site.name_ja, Site.country, state, Assignment.not_completed,
            func.coalesce(ScoreSheet.abstained, False), JudgingRound.number, JudgingRound.name, Site.region,
            select_blind(judge.id, Assignment.nomination_id),
        )
        .join(JudgingRound, JudgingRound.id == Assignment.round_id)
        .join(Nomination, Nomination.id == Assignment.nomination_id)
        .join(Site, Site.id == Nomination.site_id)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Assignment.judge_id == judge.id, Assignment.cycle_id == cycle.id,
               Assignment.status == AssignmentStatus.ACTIVE, IN_JUDGING)
        .order_by(JudgingRound.number.desc(), Assignment.nomination_id)
    ).all()
    return [QueueItem(*row[:-2], region=Region(row[-2]), blind=bool(row[-1])) for row in rows]


def next_unfinished(queue: list[QueueItem], after_id: int) -> QueueItem | None:
    """The next item after assignment `after_id` still to be done (not submitted, its round not
    closed before it was), wrapping around."""
    position = next((q.nomination_id for q in queue if q.id == after_id), 0)
    pending = [q for q in queue if q.state != "submitted" and not q.not_completed and q.id != after_id]
    later = [q for q in pending if q.nomination_id > position]
    return (later or pending or [None])[0]


def get_assignment_for_scoring(assignment_id: int, *, with_content: bool = True) -> Assignment | None:
    """The assignment with its nomination, cycle, criteria (and their rubric, joined: a handful of
    rows, one query fewer) and sheet. `with_content` adds what only the page shows: the site, the
    statements and the attachments; a save needs none of them. Asking again with it on an
    assignment already in the session loads just the parts still missing."""
    content = (
        (joinedload(Nomination.site), selectinload(Nomination.statements), selectinload(Nomination.attachments))
        if with_content else ()
    )
    return db.session.scalars(
        select(Assignment)
        .where(Assignment.id == assignment_id)
        .options(
            joinedload(Assignment.nomination).options(
                joinedload(Nomination.cycle).selectinload(Cycle.criteria).joinedload(Criterion.rubric_levels),
                *content,
            ),
            joinedload(Assignment.sheet).selectinload(ScoreSheet.scores),
            joinedload(Assignment.round),
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
    """Whether the judge holds an active assignment on the nomination (while it is in judging)."""
    return bool(
        db.session.scalar(
            select(func.count(Assignment.id))
            .join(Nomination, Nomination.id == Assignment.nomination_id)
            .where(
                Assignment.judge_id == judge.id, Assignment.nomination_id == nomination_id,
                Assignment.status == AssignmentStatus.ACTIVE, IN_JUDGING,
            )
        )
    )


def list_panel(cycle: Cycle, region: Region, judging_round: JudgingRound | None = None) -> list[int]:
    """The judges on the panel of `region` in `judging_round` (default: the cycle's current round)."""
    judging_round = judging_round or get_round(cycle)
    return list(db.session.scalars(
        select(PanelMember.judge_id).where(PanelMember.round_id == judging_round.id, PanelMember.region == region)
    ))


def list_other_rounds_panels(judging_round: JudgingRound) -> dict[int, list[int]]:
    """judge id → the numbers of the cycle's other rounds whose panels they sit on (either region)."""
    rows = db.session.execute(
        select(PanelMember.judge_id, JudgingRound.number).distinct()
        .join(JudgingRound, JudgingRound.id == PanelMember.round_id)
        .where(JudgingRound.cycle_id == judging_round.cycle_id, JudgingRound.id != judging_round.id)
        .order_by(JudgingRound.number)
    ).all()
    found: dict[int, list[int]] = {}
    for judge_id, number in rows:
        found.setdefault(judge_id, []).append(number)
    return found


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


def list_assignment_overview(cycle: Cycle, region: Region | None = None,
                             judging_round: JudgingRound | None = None) -> list[AssignmentOverviewRow]:
    """Submitted and ineligible nominations of the cycle with every assignment (judge, sheet); with
    `judging_round`, its assignments only, and after round 1 only its shortlist."""
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
    assignments_query = (
        select(Assignment).where(Assignment.cycle_id == cycle.id)
        .options(joinedload(Assignment.judge), joinedload(Assignment.sheet))
        .order_by(Assignment.id)
    )
    if judging_round is not None:
        assignments_query = assignments_query.where(Assignment.round_id == judging_round.id)
        if judging_round.number > 1:
            query = query.where(Nomination.id.in_(
                select(ShortlistEntry.nomination_id).where(ShortlistEntry.round_id == judging_round.id)))
    nominations = db.session.scalars(query).all()
    assignments = db.session.scalars(assignments_query).all()
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
    abstentions: int = 0  # of the submitted sheets


def list_judge_progress(cycle: Cycle, judging_round: JudgingRound | None = None) -> list[JudgeProgress]:
    """Each judge with assignments in the cycle (in `judging_round` only, if given): assigned,
    submitted (and of those, abstentions), conflicts (one query)."""
    active = (Assignment.status == AssignmentStatus.ACTIVE) & IN_JUDGING
    submitted = active & (ScoreSheet.status == SheetStatus.SUBMITTED)
    rows = db.session.execute(
        select(
            User,
            func.sum(case((active, 1), else_=0)),
            func.sum(case((submitted, 1), else_=0)),
            func.sum(case((Assignment.status == AssignmentStatus.CONFLICT, 1), else_=0)),
            func.sum(case((submitted & ScoreSheet.abstained.is_(True), 1), else_=0)),
        )
        .join(Assignment, Assignment.judge_id == User.id)
        .join(Nomination, Nomination.id == Assignment.nomination_id)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Assignment.cycle_id == cycle.id,
               *([Assignment.round_id == judging_round.id] if judging_round is not None else []))
        .group_by(User.id)
        .order_by(User.name)
    ).all()
    return [JudgeProgress(user, int(a or 0), int(s or 0), int(c or 0), int(b or 0)) for user, a, s, c, b in rows]


@dataclass
class Ranking:
    rows: list[RankedNomination]
    nominations: dict[int, Nomination]
    judge_stats: dict[int, JudgeStats]
    judges: dict[int, User]
    method: str = "weighted"  # what the proposal follows (the round's setting)
    proposal: Proposal = field(default_factory=lambda: Proposal(None))
    runner_up_id: int | None = None
    fit: Fit | None = None
    # groups of the region's nominations whose judges do not overlap: [(nomination ids, judge ids)]
    groups: list[tuple[list[int], list[int]]] = field(default_factory=list)
    # what it was computed from (the what-if recomputes from the same): read_counted_sheets
    sheets: dict[int, SheetScores] = field(default_factory=dict)
    regions: dict[int, str] = field(default_factory=dict)
    round: JudgingRound | None = None  # the round ranked
    minimum_reviews: int = 2  # the round's

    @property
    def disconnected(self) -> bool:
        return len(self.groups) > 1

    def row(self, nomination_id: int | None) -> RankedNomination | None:
        return next((row for row in self.rows if row.nomination_id == nomination_id), None)


def read_counted_sheets(cycle: Cycle, judging_round: JudgingRound | None = None,
                        ) -> tuple[dict[int, SheetScores], dict[int, str]]:
    """Every counted sheet of the round (default: the last), both regions (each judge is
    normalised over all of their own sheets of the round, and the model is fitted over the whole
    round), as plain rows: one per score, or one for a sheet without scores. Also each sheet's
    nomination's region."""
    judging_round = judging_round or get_last_round(cycle)
    rows = db.session.execute(
        select_counted_sheets(Assignment.judge_id, Assignment.nomination_id, ScoreSheet.id, ScoreSheet.abstained,
                              Score.criterion_id, Score.value, Site.region, abstentions=True)
        .join(Site, Site.id == Nomination.site_id)
        .outerjoin(Score, Score.sheet_id == ScoreSheet.id)
        .where(Assignment.cycle_id == cycle.id, Assignment.round_id == judging_round.id)
    ).all()
    sheets: dict[int, SheetScores] = {}
    regions: dict[int, str] = {}
    for judge_id, nomination_id, sheet_id, abstained, criterion_id, value, region in rows:
        sheet = sheets.get(sheet_id)
        if sheet is None:
            sheet = sheets[sheet_id] = SheetScores(judge_id, nomination_id, {}, abstained)
            regions[nomination_id] = region.value if isinstance(region, Region) else region
        if criterion_id is not None and value is not None:
            sheet.scores[criterion_id] = float(value)
    return sheets, regions


def fit_model(cycle: Cycle, sheets, regions: dict[int, str], weights: dict[int, float], draws: int = DRAWS) -> Fit:
    """The judge-severity model of the cycle (cached for the same sheets: judging/model.py). The
    sheets' weighted totals are computed as one matrix product (the same Σ wᵢ·sᵢ / Σ wᵢ)."""
    scored = [s for s in sheets if not s.abstained]
    criteria = list(weights)
    scores = np.array([[s.scores[c] for c in criteria] for s in scored], dtype=float).reshape(len(scored),
                                                                                              len(criteria))
    vector = np.array([weights[c] for c in criteria], dtype=float)
    totals = (scores @ vector / vector.sum()).tolist()
    readings = [Reading(s.judge_id, s.nomination_id, total) for s, total in zip(scored, totals, strict=True)]
    groups: dict[str, list[int]] = {}
    for nomination_id, region in regions.items():
        groups.setdefault(region, []).append(nomination_id)
    return fit_cached(readings, groups, (cycle.scale_min, cycle.scale_max), draws)


def apply_model(rows: list[RankedNomination], fit: Fit, disagreement_threshold: float) -> None:
    """The model's figures on each row; disagreement judged on what is left once each judge's
    severity is removed."""
    for row in rows:
        estimate = fit.nominations.get(row.nomination_id)
        if estimate is None:
            continue
        row.adjusted = round(estimate.adjusted, TIE_DECIMALS) + 0.0
        row.adjusted_low, row.adjusted_high = estimate.low, estimate.high
        row.p_top = estimate.p_top
        row.residual_spread = estimate.residual_spread
        row.disagreement = estimate.residual_spread >= disagreement_threshold - 10**-TIE_DECIMALS


@dataclass
class ComputedRanking:
    rows: list[RankedNomination]  # best first by `method`
    judge_stats: dict[int, JudgeStats]
    fit: Fit | None
    proposal: Proposal


def compute_ranking(cycle: Cycle, assigned: dict[int, int], sheets: dict[int, SheetScores],
                    regions: dict[int, str], weights: dict[int, float], method: str,
                    *, model: bool = True, minimum_reviews: int | None = None) -> ComputedRanking:
    """The ranking of the nominations in `assigned` (nomination id → judges assigned) from the
    cycle's counted sheets, under `weights` (criterion id → weight) and `method`: every figure,
    the model's included, and the proposal. No query: `get_ranking` and the what-if share it.
    Without `model` (a what-if needs only the proposal) the model is fitted only for the adjusted
    method, and without its draws (no P(top)). `minimum_reviews`: the round's (default the cycle's)."""
    threshold = float(cycle.disagreement_threshold)
    ranked, stats = rank_nominations(list(sheets.values()), assigned, weights, (cycle.scale_min, cycle.scale_max),
                                     threshold, method,
                                     cycle.minimum_reviews if minimum_reviews is None else minimum_reviews)
    fit = None
    if model or method == RankingMethod.ADJUSTED:
        fit = fit_model(cycle, sheets.values(), regions, weights, DRAWS if model else 0)
    if fit is not None:
        apply_model(ranked, fit, threshold)
    assign_ranks(ranked, method)
    return ComputedRanking(ranked, stats, fit, propose(ranked))


def get_ranking(cycle: Cycle, region: Region, sort_by: str | None = None,
                judging_round: JudgingRound | None = None) -> Ranking:
    """The region's ranking in `judging_round` (default: the last round, which the awards are
    decided from) in a fixed number of queries whatever the number of nominations and judges.
    Scores are read as plain rows (not ORM objects): thousands of sheets stay cheap. Sorted by
    `sort_by` (weighted, normalised, adjusted), by default the round's method; the proposal
    always follows the round's method, minimum of reviews and weights."""
    judging_round = judging_round or get_last_round(cycle)
    method = judging_round.method.value
    sort_by = sort_by or method
    nominations = {
        n.id: n
        for n in db.session.scalars(
            select(Nomination)
            .join(Site, Site.id == Nomination.site_id)
            .where(Nomination.id.in_(select_round_nominations(judging_round)), Site.region == region.value)
            .options(
                load_only(Nomination.id, Nomination.title, Nomination.title_other, Nomination.language,
                          Nomination.site_id, Nomination.status),
                # A few dozen sites for hundreds of rows: one more query beats joining each row.
                selectinload(Nomination.site),
            )
        )
    }
    assigned_counts = dict(
        db.session.execute(
            select(Assignment.nomination_id, func.count(Assignment.id))
            .join(Nomination, Nomination.id == Assignment.nomination_id)
            .join(Site, Site.id == Nomination.site_id)
            .where(Assignment.round_id == judging_round.id, Assignment.status == AssignmentStatus.ACTIVE,
                   Site.region == region.value)
            .group_by(Assignment.nomination_id)
        ).all()
    )
    sheets, regions = read_counted_sheets(cycle, judging_round)
    weights = judging_round.criterion_weights()
    computed = compute_ranking(cycle, {nid: assigned_counts.get(nid, 0) for nid in nominations}, sheets, regions,
                               weights, method, minimum_reviews=judging_round.reviews_needed)
    ranked, stats, fit, proposal = computed.rows, computed.judge_stats, computed.fit, computed.proposal
    eligible = [row for row in ranked if row.rank is not None and not row.insufficient_reviews
                and row.nomination_id not in proposal.tied_ids and row.nomination_id != proposal.nomination_id]
    runner_up = eligible[0].nomination_id if eligible and proposal.nomination_id is not None else None
    if sort_by != method:
        assign_ranks(ranked, sort_by)
    judges = (
        {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(list(stats))))} if stats else {}
    )
    groups = list(zip(fit.components.get(region.value, []), fit.component_judges.get(region.value, []), strict=True))
    return Ranking(ranked, nominations, stats, judges, method=method, proposal=proposal, runner_up_id=runner_up,
                   fit=fit, groups=groups, sheets=sheets, regions=regions, round=judging_round,
                   minimum_reviews=judging_round.reviews_needed)


@dataclass
class SheetView:
    """One assignment of a nomination, as the admin results view shows it."""

    assignment: Assignment
    total: float | None  # weighted total of a scored, counted sheet
    z: float | None
    severity: float | None


@dataclass
class NominationResults:
    nomination: Nomination
    sheets: list[SheetView]
    row: RankedNomination | None
    judge_stats: dict[int, JudgeStats]
    round: JudgingRound | None = None


def get_nomination_results(nomination: Nomination, judging_round: JudgingRound | None = None) -> NominationResults:
    """Every assignment of the nomination in `judging_round` (default: the latest round it was
    assigned in, else the current round) — judge, sheet with scores, conflict — with the weighted
    total, the judge's z-score and severity, and the nomination's figures in the round's ranking;
    in a fixed number of queries whatever the size of the cycle."""
    cycle = nomination.cycle
    all_assignments = db.session.scalars(
        select(Assignment).where(Assignment.nomination_id == nomination.id)
        .options(joinedload(Assignment.judge), joinedload(Assignment.sheet).selectinload(ScoreSheet.scores),
                 joinedload(Assignment.round))
        .order_by(Assignment.id)
    ).unique().all()
    if judging_round is None:
        judging_round = max((a.round for a in all_assignments), key=lambda r: r.number, default=None) \
            or get_round(cycle)
    assignments = [a for a in all_assignments if a.round_id == judging_round.id]
    sheets, regions = read_counted_sheets(cycle, judging_round)
    weights = judging_round.criterion_weights()
    rows, stats = rank_nominations(list(sheets.values()), {nomination.id: sum(
        1 for a in assignments if a.status == AssignmentStatus.ACTIVE)}, weights,
        (cycle.scale_min, cycle.scale_max), float(cycle.disagreement_threshold), "weighted",
        judging_round.reviews_needed)
    fit = fit_model(cycle, sheets.values(), regions, weights)
    apply_model(rows, fit, float(cycle.disagreement_threshold))
    counted = {sheet_id: sheet for sheet_id, sheet in sheets.items() if sheet.nomination_id == nomination.id}
    views = []
    for assignment in assignments:
        sheet = assignment.sheet
        total = z = None
        if sheet is not None and sheet.id in counted and not sheet.abstained:
            total = weighted_total(counted[sheet.id].scores, weights)
            z = z_score(total, stats[assignment.judge_id])
        views.append(SheetView(assignment, total, z, fit.severity.get(assignment.judge_id)))
    return NominationResults(nomination, views, rows[0] if rows else None, stats, judging_round)


# --- deliberation --------------------------------------------------------------------------------


def is_deliberation_opened(judging_round: JudgingRound, nomination_id: int) -> bool:
    """Whether an admin opened deliberation on the nomination in the round (FLAGGED rounds)."""
    return db.session.scalar(select(DeliberationOpening.id).where(
        DeliberationOpening.round_id == judging_round.id, DeliberationOpening.nomination_id == nomination_id)) is not None


def list_deliberation_openings(judging_round: JudgingRound) -> set[int]:
    """The ids of the nominations an admin opened for deliberation in the round."""
    return set(db.session.scalars(select(DeliberationOpening.nomination_id)
                                  .where(DeliberationOpening.round_id == judging_round.id)))


def list_revised_nominations(judging_round: JudgingRound) -> set[int]:
    """The ids of the nominations whose submitted scores a judge revised in deliberation in the round."""
    return set(db.session.scalars(
        select(Assignment.nomination_id).distinct()
        .join(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .join(ScoreRevision, ScoreRevision.sheet_id == ScoreSheet.id)
        .where(Assignment.round_id == judging_round.id)))


def list_sheet_revisions(sheet: ScoreSheet) -> list[ScoreRevision]:
    """The revisions of one sheet in deliberation, oldest first."""
    return list(db.session.scalars(select(ScoreRevision).where(ScoreRevision.sheet_id == sheet.id)
                                   .order_by(ScoreRevision.id)))


def judge_letter(index: int) -> str:
    """A, B, … Z, then 27, 28, … (a panel rarely has more than a handful of judges)."""
    return chr(ord("A") + index) if index < 26 else str(index + 1)


@dataclass
class PanelSheet:
    """Another judge's submitted sheet as the deliberating panel sees it."""

    assignment: Assignment
    label: str  # the judge's name, or "Judge B" in a round that hides names
    revisions: list[ScoreRevision]

    @property
    def sheet(self) -> ScoreSheet:
        return self.assignment.sheet

    def score(self, criterion_id: int) -> Score | None:
        return next((s for s in self.sheet.scores if s.criterion_id == criterion_id), None)


@dataclass
class DeliberationView:
    """What the panel of a nomination in a round shares in deliberation: the submitted sheets,
    the discussion and the revisions, with each judge's label (name or letter)."""

    sheets: list[PanelSheet]
    messages: list[DiscussionMessage]
    labels: dict[int, str]  # judge id → label
    revisions: list[ScoreRevision]  # every revision of the nomination in the round, oldest first

    def label(self, user_id: int | None) -> str:
        return self.labels.get(user_id, _("A former panel judge"))


def get_deliberation(judging_round: JudgingRound, nomination_id: int, *, names: bool | None = None,
                     exclude_judge_id: int | None = None) -> DeliberationView:
    """The submitted sheets (of active assignments; drafts never), the discussion and the
    revisions of a nomination in a round, in a fixed number of queries. Judges are labelled by
    name, or — when `names` is false (default: the round's setting) — "Judge A", "Judge B"… in the
    order they were assigned, so that a label stays the same for the whole deliberation.
    `exclude_judge_id`: leave that judge's own sheet out of `sheets` (the scoring page shows it)."""
    names = (not judging_round.hide_judge_names) if names is None else names
    assignments = db.session.scalars(
        select(Assignment).where(Assignment.round_id == judging_round.id, Assignment.nomination_id == nomination_id)
        .options(joinedload(Assignment.judge), joinedload(Assignment.sheet).selectinload(ScoreSheet.scores))
        .order_by(Assignment.id)
    ).unique().all()
    labels = {a.judge_id: a.judge.name if names else _("Judge %(letter)s", letter=judge_letter(i))
              for i, a in enumerate(assignments)}
    sheet_ids = [a.sheet.id for a in assignments if a.sheet is not None]
    revisions = list(db.session.scalars(
        select(ScoreRevision).where(ScoreRevision.sheet_id.in_(sheet_ids)).order_by(ScoreRevision.id)
    )) if sheet_ids else []
    by_sheet: dict[int, list[ScoreRevision]] = {}
    for revision in revisions:
        by_sheet.setdefault(revision.sheet_id, []).append(revision)
    shown = [
        PanelSheet(a, labels[a.judge_id], by_sheet.get(a.sheet.id, []))
        for a in assignments
        if a.status == AssignmentStatus.ACTIVE and a.sheet is not None and a.sheet.status == SheetStatus.SUBMITTED
        and not a.sheet.abstained and a.judge_id != exclude_judge_id
    ]
    messages = list(db.session.scalars(
        select(DiscussionMessage).where(DiscussionMessage.round_id == judging_round.id,
                                        DiscussionMessage.nomination_id == nomination_id)
        .order_by(DiscussionMessage.id)))
    return DeliberationView(shown, messages, labels, revisions)
