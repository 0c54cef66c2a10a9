"""Judging operations: panels, assignments, conflicts, eligibility and score sheets.

They check the rules of the domain (phase, deadline, state, version), change state and write the
audit log; the caller commits. Views check *who* may act (permissions.py) before calling them.
"""
from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from awards_app.accounts.models import User
from awards_app.core import events
from awards_app.core.enums import (
    AssignmentStatus,
    NominationStatus,
    Phase,
    Deliberation,
    RankingMethod,
    Region,
    SheetStatus,
)
from awards_app.core.exceptions import DomainError
from awards_app.core.i18n import show_datetime
from awards_app.core.models import utcnow
from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from awards_app.judging.assignment import (
    AssignmentPlan,
    NominationSlot,
    PanelJudge,
    plan_assignments,
)
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
from awards_app.judging.queries import (
    get_last_round,
    get_ranking,
    get_round,
    is_deliberation_opened,
    previous_round,
    select_round_nominations,
)
from awards_app.judging.permissions import (
    close_round_closed_reason,
    closed_reason,
    edit_round_closed_reason,
    deliberation_closed_reason,
    open_deliberation_closed_reason,
    scoring_closed_reason,
)
from awards_app.nominations.models import Nomination
from awards_app.sites.models import Site

# Phases in which the admin may change panels and assignments.
ASSIGNING_PHASES = (Phase.NOMINATIONS_OPEN, Phase.JUDGING)
SHEET_CHANGED = _l("This sheet was changed elsewhere (another tab, or an administrator) after you opened it.")


class JudgingError(DomainError):
    """A rule refused the operation; the message is shown to the user, beside `field` if given
    (and beside each of `fields` when it concerns several)."""


class SheetConflict(JudgingError):
    """The sheet changed since the judge loaded it (another tab, or an admin reopened it)."""


class ScoringClosed(JudgingError):
    """The sheet cannot change now: submitted, outside judging, or past the judging deadline."""


class NeedsConfirmation(JudgingError):
    """The operation would discard scores; the caller must confirm it explicitly."""


def _ensure_assigning(cycle: Cycle, judging_round: JudgingRound | None = None) -> None:
    if cycle.phase not in ASSIGNING_PHASES:
        raise JudgingError(_l("Judges can be assigned only while nominations are open or during judging."))
    if judging_round is not None and judging_round.is_closed:
        raise JudgingError(_l("%(round)s is closed: its judges and assignments no longer change.",
                              round=judging_round.title))


def _round_detail(judging_round: JudgingRound) -> dict:
    """The round an event concerns, for the audit log: named from round 2 on (a cycle judged in
    one round logs what it always did)."""
    return {"round": judging_round.number} if judging_round.number > 1 else {}


def _round(cycle: Cycle, judging_round: JudgingRound | None) -> JudgingRound:
    """The round an operation acts on: the one given (it must be the cycle's), else the current."""
    if judging_round is None:
        return get_round(cycle)
    if judging_round.cycle_id != cycle.id:
        raise JudgingError(_l("This round belongs to another cycle."))
    return judging_round


def _lock_assignments(cycle: Cycle) -> None:
    """Let the cycle's assignments change one operation at a time.

    Two admins assigning at once (or an admin by hand while another runs the automatic
    assignment) would otherwise plan from the same state and collide on the one-assignment-per-
    judge-and-nomination constraint. This row lock on the cycle makes the second wait for the
    first to commit; its next reads then see what the first did. FOR NO KEY UPDATE on PostgreSQL,
    so that rows referring to the cycle can still be inserted meanwhile; SQLite, which has one
    writer at a time anyway, ignores it.
    """
    db.session.execute(select(Cycle.id).where(Cycle.id == cycle.id).with_for_update(key_share=True))


def _sheet_snapshot(sheet: ScoreSheet | None) -> dict | None:
    """What a sheet held, for the audit log, so that removing it loses nothing."""
    if sheet is None:
        return None
    return {
        "status": sheet.status.value,
        "abstained": sheet.abstained,
        "abstain_reason": sheet.abstain_reason,
        "overall_comment": sheet.overall_comment,
        "scores": {str(s.criterion_id): {"value": s.value, "comment": s.comment} for s in sheet.scores},
    }


def _has_scores(sheet: ScoreSheet | None) -> bool:
    return sheet is not None and (
        sheet.status == SheetStatus.SUBMITTED
        or sheet.abstained
        or bool(sheet.overall_comment)
        or any(s.value is not None or s.comment for s in sheet.scores)
    )


# --- panels ------------------------------------------------------------------------------------


def set_panel(actor: User, cycle: Cycle, region: Region, judge_ids: list[int],
              judging_round: JudgingRound | None = None) -> None:
    """Make the panel of `region` in `judging_round` (default: the current round) exactly
    `judge_ids` (users with the judge role)."""
    if cycle.phase == Phase.FINALISED:
        raise JudgingError(_l("The results of this cycle are final."))
    judging_round = _round(cycle, judging_round)
    judges = db.session.scalars(select(User).where(User.id.in_(judge_ids), User.is_judge.is_(True))).all()
    wanted = {judge.id for judge in judges}
    current = {
        member.judge_id: member
        for member in db.session.scalars(
            select(PanelMember).where(PanelMember.round_id == judging_round.id, PanelMember.region == region)
        )
    }
    for judge_id in wanted - current.keys():
        db.session.add(PanelMember(cycle_id=cycle.id, round_id=judging_round.id, region=region, judge_id=judge_id))
    for judge_id in current.keys() - wanted:
        db.session.delete(current[judge_id])
    if wanted != set(current):
        events.announce(events.panel_updated, actor, cycle, region=region.value,
                        **_round_detail(judging_round), added=sorted(wanted - current.keys()), removed=sorted(current.keys() - wanted))
    db.session.flush()


# --- assignments ---------------------------------------------------------------------------------


def _eligible_nominations(judging_round: JudgingRound,
                          nomination_ids: list[int] | None = None) -> list[tuple[Nomination, Region]]:
    query = (
        select(Nomination, Site.region)
        .join(Site, Site.id == Nomination.site_id)
        .where(Nomination.id.in_(select_round_nominations(judging_round)))
        .order_by(Nomination.id)
    )
    if nomination_ids is not None:
        query = query.where(Nomination.id.in_(nomination_ids))
    return [(nomination, Region(region)) for nomination, region in db.session.execute(query)]


def _panel_judges(judging_round: JudgingRound) -> list[PanelJudge]:
    members = db.session.scalars(
        select(PanelMember)
        .where(PanelMember.round_id == judging_round.id)
        .options(selectinload(PanelMember.judge).selectinload(User.sites))
    ).all()
    regions: dict[int, set[str]] = {}
    users: dict[int, User] = {}
    for member in members:
        if member.judge.active and member.judge.is_judge:
            regions.setdefault(member.judge_id, set()).add(member.region.value)
            users[member.judge_id] = member.judge
    return [
        PanelJudge(judge_id, frozenset(users[judge_id].site_ids), frozenset(regions[judge_id]))
        for judge_id in sorted(users)
    ]


def _plan(judging_round: JudgingRound, nomination_ids: list[int] | None = None, per_nomination: int | None = None,
          region: Region | None = None) -> AssignmentPlan:
    nominations = _eligible_nominations(judging_round, nomination_ids)
    if region is not None:
        nominations = [(nomination, where) for nomination, where in nominations if where == region]
    ids = [n.id for n, _ in nominations]
    existing: dict[int, set[int]] = {}
    excluded: dict[int, set[int]] = {}
    # Assignments on nominations no longer in judging (withdrawn) neither block nor load anyone.
    # Only this round's assignments are kept or load its judges; a conflict declared in any round
    # of the cycle keeps that judge off the nomination in every later round too.
    rows = db.session.execute(
        select(Assignment.nomination_id, Assignment.judge_id, Assignment.status, Assignment.round_id)
        .join(Nomination, Nomination.id == Assignment.nomination_id)
        .where(Assignment.cycle_id == judging_round.cycle_id, Nomination.status == NominationStatus.SUBMITTED,
               (Assignment.round_id == judging_round.id) | (Assignment.status == AssignmentStatus.CONFLICT))
    ).all()
    for nomination_id, judge_id, status, round_id in rows:
        if status == AssignmentStatus.ACTIVE:
            existing.setdefault(nomination_id, set()).add(judge_id)
        else:
            excluded.setdefault(nomination_id, set()).add(judge_id)
    # Load counts every active assignment of the cycle, not only those of the planned nominations.
    return plan_assignments(
        [NominationSlot(n.id, n.site_id, region.value) for n, region in nominations],
        _panel_judges(judging_round),
        existing,
        {k: v for k, v in excluded.items() if k in ids},
        judging_round.judges_needed if per_nomination is None else per_nomination,
    )


def _apply_plan(actor: User | None, judging_round: JudgingRound, plan: AssignmentPlan) -> list[Assignment]:
    created = [
        Assignment(cycle_id=judging_round.cycle_id, round_id=judging_round.id, nomination_id=nomination_id,
                   judge_id=judge_id,
                   created_by_id=getattr(actor, "id", None))
        for nomination_id, judge_id in plan.new
    ]
    db.session.add_all(created)
    db.session.flush()
    return created


def assign_automatically(actor: User, cycle: Cycle, region: Region | None = None,
                         judging_round: JudgingRound | None = None) -> AssignmentPlan:
    """Give every nomination of `judging_round` (default: the current round; of `region` only, if
    given) the round's number of judges from its region's panel in that round. Round 1 judges
    every submitted nomination, a later round its shortlist.

    Existing assignments are kept; only what is missing is filled. The plan returned lists the
    new pairs and the nominations that stay short, with the reason in numbers.
    """
    judging_round = _round(cycle, judging_round)
    _ensure_assigning(cycle, judging_round)
    # A second run at the same moment waits here, then finds only what the first left unfilled.
    _lock_assignments(cycle)
    plan = _plan(judging_round, region=region)
    _apply_plan(actor, judging_round, plan)
    events.announce(events.assignments_made, actor, cycle, created=len(plan.new),
                    short=[s.nomination_id for s in plan.shortages], region=region.value if region else None,
                    **_round_detail(judging_round))
    return plan


def add_assignment(actor: User, nomination: Nomination, judge: User,
                   judging_round: JudgingRound | None = None) -> Assignment:
    """Assign one judge by hand in `judging_round` (default: the current round); a judge from the
    nominating site, or one who declared a conflict on the nomination in any round, is refused."""
    judging_round = _round(nomination.cycle, judging_round)
    _ensure_assigning(nomination.cycle, judging_round)
    _lock_assignments(nomination.cycle)
    if nomination.status != NominationStatus.SUBMITTED:
        raise JudgingError(_l("Only submitted nominations can be judged."), "nomination_id")
    if not db.session.scalar(select(func.count()).select_from(
            select_round_nominations(judging_round).where(Nomination.id == nomination.id).subquery())):
        raise JudgingError(_l("This nomination is not on the shortlist of %(round)s.", round=judging_round.title),
                           "nomination_id")
    if not judge.is_judge or not judge.active:
        raise JudgingError(_l("This user is not an active judge."), "judge_id")
    if nomination.site_id in judge.site_ids:
        raise JudgingError(_l("This judge belongs to the nominating site (conflict of interest)."), "judge_id")
    existing = db.session.scalars(
        select(Assignment).where(Assignment.nomination_id == nomination.id, Assignment.judge_id == judge.id)
    ).all()
    if any(a.status == AssignmentStatus.CONFLICT for a in existing):
        raise JudgingError(_l("This judge declared a conflict on this nomination."), "judge_id")
    if any(a.round_id == judging_round.id for a in existing):
        raise JudgingError(_l("This judge is already assigned to this nomination."), "judge_id")
    assignment = Assignment(cycle_id=nomination.cycle_id, round_id=judging_round.id, nomination_id=nomination.id,
                            judge_id=judge.id, created_by_id=actor.id)
    db.session.add(assignment)
    db.session.flush()
    events.announce(events.assignment_created, actor, assignment, nomination_id=nomination.id, judge_id=judge.id)
    return assignment


def remove_assignment(actor: User, assignment: Assignment, *, confirmed: bool = False) -> None:
    """Remove an assignment. If the judge has scored, `confirmed` is needed; the scores are kept
    in the audit log."""
    cycle = db.session.get(Cycle, assignment.cycle_id)
    _ensure_assigning(cycle, assignment.round)
    if _has_scores(assignment.sheet) and not confirmed:
        raise NeedsConfirmation(_l("This judge has already scored this nomination. Confirm to remove the assignment."))
    events.announce(events.assignment_removed, actor, assignment, nomination_id=assignment.nomination_id,
                    judge_id=assignment.judge_id, sheet=_sheet_snapshot(assignment.sheet))
    db.session.delete(assignment)
    db.session.flush()


def declare_conflict(judge: User, assignment: Assignment, reason: str) -> Assignment | None:
    """The judge declares a conflict of interest: the assignment leaves judging (the judge is never
    assigned this nomination again) and another panel judge replaces them when one is free.
    Returns the replacement assignment, or None when no judge could be found."""
    reason = (reason or "").strip()
    if not reason:
        raise JudgingError(_l("Please say why you have a conflict of interest."), "reason")
    if assignment.status != AssignmentStatus.ACTIVE:
        raise JudgingError(_l("A conflict has already been declared on this assignment."))
    cycle = db.session.get(Cycle, assignment.cycle_id)
    if cycle.phase == Phase.FINALISED or cycle.judging_closed_at is not None or assignment.round.is_closed:
        raise JudgingError(scoring_closed_reason(cycle, assignment.round))
    if assignment.sheet is not None and assignment.sheet.status == SheetStatus.SUBMITTED:
        raise JudgingError(_l("You have already submitted this sheet; ask an administrator to reopen it first."))
    _lock_assignments(cycle)  # the replacement must not collide with an admin assigning meanwhile
    snapshot = _sheet_snapshot(assignment.sheet)
    assignment.status = AssignmentStatus.CONFLICT
    assignment.conflict_reason = reason
    if assignment.sheet is not None:
        db.session.delete(assignment.sheet)
    db.session.flush()
    events.announce(events.conflict_declared, judge, assignment, nomination_id=assignment.nomination_id,
                    reason=reason, sheet=snapshot)
    # One for one: the least loaded free panel judge takes the place, and only if the nomination
    # is now below the cycle's number (a refill up to N would override an admin who deliberately
    # assigned fewer judges by hand).
    judging_round = assignment.round
    remaining = db.session.scalar(
        select(func.count(Assignment.id)).where(Assignment.nomination_id == assignment.nomination_id,
                                                Assignment.round_id == judging_round.id,
                                                Assignment.status == AssignmentStatus.ACTIVE))
    if remaining >= judging_round.judges_needed:
        return None
    replacement = _apply_plan(None, judging_round, _plan(judging_round, [assignment.nomination_id],
                                                         per_nomination=remaining + 1))
    if replacement:
        events.announce(events.assignment_replaced, None, replacement[0], nomination_id=assignment.nomination_id,
                        judge_id=replacement[0].judge_id, replaces=assignment.id)
        return replacement[0]
    return None


def mark_ineligible(actor: User, nomination: Nomination, reason: str) -> None:
    """Take a submitted nomination out of judging with a reason the site will see."""
    reason = (reason or "").strip()
    if not reason:
        raise JudgingError(_l("Please give the reason the site will see."), "reason")
    if nomination.status != NominationStatus.SUBMITTED:
        raise JudgingError(_l("Only a submitted nomination can be marked ineligible."))
    if nomination.cycle.phase == Phase.FINALISED:
        raise JudgingError(_l("The results of this cycle are final."))
    assignments = db.session.scalars(
        select(Assignment).where(Assignment.nomination_id == nomination.id).options(
            selectinload(Assignment.sheet).selectinload(ScoreSheet.scores))
    ).all()
    nomination.status = NominationStatus.INELIGIBLE
    nomination.status_reason = reason
    events.announce(events.nomination_marked_ineligible, actor, nomination, reason=reason,
                    removed_assignments=[{"judge_id": a.judge_id, "sheet": _sheet_snapshot(a.sheet)} for a in assignments])
    db.session.execute(delete(Assignment).where(Assignment.nomination_id == nomination.id))
    db.session.flush()


def restore_eligibility(actor: User, nomination: Nomination) -> None:
    """Undo an ineligibility decision: the nomination is submitted again (and can be assigned)."""
    if nomination.status != NominationStatus.INELIGIBLE:
        raise JudgingError(_l("This nomination is not marked ineligible."))
    if nomination.cycle.phase == Phase.FINALISED:
        raise JudgingError(_l("The results of this cycle are final."))
    nomination.status = NominationStatus.SUBMITTED
    nomination.status_reason = ""
    events.announce(events.nomination_restored, actor, nomination)


# --- score sheets --------------------------------------------------------------------------------


def sheet_version(assignment: Assignment) -> int:
    """The version a form starts from: 0 before the sheet exists."""
    return assignment.sheet.version if assignment.sheet is not None else 0


def save_sheet(
    judge: User,
    assignment: Assignment,
    *,
    expected_version: int,
    scores: dict[int, tuple[int | None, str]],
    overall_comment: str,
    abstain: bool,
    abstain_reason: str,
    submit: bool,
    now: datetime | None = None,
) -> ScoreSheet:
    """Save the judge's sheet as a draft (partial is fine) or submit it (every criterion scored,
    or an abstention with a reason). Refused after submission, outside judging, after the judging
    deadline, and when the sheet changed since `expected_version` (the caller keeps the input)."""
    now = now or utcnow()
    cycle = db.session.get(Cycle, assignment.cycle_id)
    if assignment.status != AssignmentStatus.ACTIVE:
        raise ScoringClosed(_l("You declared a conflict on this nomination."))
    if assignment.nomination.status != NominationStatus.SUBMITTED:
        raise ScoringClosed(_l("Only submitted nominations can be judged."))
    closed = closed_reason(assignment, cycle, now=now)
    if closed is not None:
        raise ScoringClosed(closed)
    sheet = assignment.sheet
    if expected_version != sheet_version(assignment):
        raise SheetConflict(SHEET_CHANGED)
    criteria = cycle.criteria
    for criterion in criteria:
        value = scores.get(criterion.id, (None, ""))[0]
        if value is not None and not (cycle.scale_min <= value <= cycle.scale_max):
            raise JudgingError(_l("Choose a score from %(low)d to %(high)d.", low=cycle.scale_min, high=cycle.scale_max),
                               f"score_{criterion.id}")
    if abstain and not abstain_reason.strip():
        raise JudgingError(_l("Please give a reason for abstaining."), "abstain_reason")
    if submit and not abstain:
        missing = [c for c in criteria if scores.get(c.id, (None, ""))[0] is None]
        if missing:
            raise JudgingError(_l("Score every criterion before submitting."),
                               fields=tuple(f"score_{c.id}" for c in missing))
    if sheet is None:
        sheet = ScoreSheet(status=SheetStatus.DRAFT, scores=[])
        assignment.sheet = sheet
    by_criterion = {score.criterion_id: score for score in sheet.scores}
    for criterion in criteria:
        value, comment = scores.get(criterion.id, (None, ""))
        score = by_criterion.get(criterion.id)
        if score is None:
            sheet.scores.append(Score(criterion_id=criterion.id, value=value, comment=comment or ""))
        else:
            score.value, score.comment = value, comment or ""
    sheet.overall_comment = overall_comment or ""
    sheet.abstained = abstain
    sheet.abstain_reason = abstain_reason.strip() if abstain else ""
    sheet.updated_at = now  # moves the version on even when only child rows changed
    if submit:
        sheet.status = SheetStatus.SUBMITTED
        sheet.submitted_at = now
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError) as error:
        # Another tab saved at the same moment: the version check (an existing sheet) or the one-
        # sheet-per-assignment constraint (a first save) caught it. The caller rolls back.
        raise SheetConflict(SHEET_CHANGED) from error
    events.announce(events.sheet_submitted if submit else events.sheet_saved, judge, sheet,
                    nomination_id=assignment.nomination_id, abstained=abstain)
    return sheet


def reopen_sheet(actor: User, sheet: ScoreSheet, reason: str) -> None:
    """Let the judge change a submitted sheet again (admin, with a reason, audited)."""
    reason = (reason or "").strip()
    if not reason:
        raise JudgingError(_l("Please give a reason for reopening."), "reason")
    if sheet.status != SheetStatus.SUBMITTED:
        raise JudgingError(_l("Only a submitted sheet can be reopened."))
    cycle = db.session.get(Cycle, sheet.assignment.cycle_id)
    if cycle.phase == Phase.FINALISED:
        raise JudgingError(_l("The results of this cycle are final."))
    if cycle.judging_closed_at is not None:
        raise JudgingError(_l("Judging of this cycle is closed: a reopened sheet could not be changed."))
    if sheet.assignment.round.is_closed:
        raise JudgingError(_l("%(round)s is closed: a reopened sheet could not be changed.",
                              round=sheet.assignment.round.title))
    sheet.status = SheetStatus.DRAFT
    sheet.submitted_at = None
    db.session.flush()
    events.announce(events.sheet_reopened, actor, sheet, nomination_id=sheet.assignment.nomination_id,
                    judge_id=sheet.assignment.judge_id, reason=reason)


# --- closing judging -----------------------------------------------------------------------------


def select_unfinished_assignments(cycle: Cycle, judging_round: JudgingRound | None = None):
    """Active assignments of nominations in judging (of `judging_round` only, if given) whose sheet
    is not submitted (none, or a draft)."""
    submitted = select(ScoreSheet.id).where(ScoreSheet.assignment_id == Assignment.id,
                                            ScoreSheet.status == SheetStatus.SUBMITTED).exists()
    query = (
        select(Assignment)
        .join(Nomination, Nomination.id == Assignment.nomination_id)
        .where(Assignment.cycle_id == cycle.id, Assignment.status == AssignmentStatus.ACTIVE,
               Nomination.status == NominationStatus.SUBMITTED, ~submitted)
        .order_by(Assignment.id)
    )
    return query if judging_round is None else query.where(Assignment.round_id == judging_round.id)


def close_judging(actor: User, cycle: Cycle, reason: str, *, judging_round: JudgingRound | None = None,
                  now: datetime | None = None) -> list[int]:
    """Close `judging_round` (default: the current round) before its deadline or before every
    sheet is in, with a reason (audited): its sheets are frozen, and then the next round's
    shortlist can be promoted from its ranking. Closing the last round closes judging of the
    cycle, so that it can be finalised. Unfinished assignments are marked "not completed": kept
    and shown, never deleted; their drafts stay as they are. Returns the ids of the assignments
    marked."""
    reason = (reason or "").strip()
    if not reason:
        raise JudgingError(_l("Please give a reason for closing judging."), "reason")
    judging_round = _round(cycle, judging_round)
    refused = close_round_closed_reason(cycle, judging_round)
    if refused is not None:
        raise JudgingError(refused)
    _lock_assignments(cycle)
    unfinished = db.session.scalars(select_unfinished_assignments(cycle, judging_round)).all()
    for assignment in unfinished:
        assignment.not_completed = True
    judging_round.closed_at = now or utcnow()
    judging_round.closed_by_id = actor.id
    judging_round.closed_reason = reason
    marked = [assignment.id for assignment in unfinished]
    last = db.session.scalar(select(func.max(JudgingRound.number)).where(JudgingRound.cycle_id == cycle.id))
    if judging_round.number == last:
        cycle.judging_closed_at = judging_round.closed_at
        cycle.judging_closed_by_id = actor.id
        cycle.judging_closed_reason = reason
        db.session.flush()
        events.announce(events.judging_closed, actor, cycle, reason=reason, not_completed=marked,
                        **_round_detail(judging_round))
    else:
        db.session.flush()
        events.announce(events.round_closed, actor, judging_round, reason=reason, not_completed=marked,
                        number=judging_round.number)
    return marked


# --- rounds and shortlists -----------------------------------------------------------------------


def add_round(actor: User, cycle: Cycle, **settings) -> JudgingRound:
    """Add a round after the cycle's last one, with any of ROUND_SETTINGS (name, judging_deadline,
    judges_per_nomination, minimum_reviews, ranking_method, weights; blind: its judges never see
    the nominating site; deliberation and hide_judge_names: whether its panels discuss a
    nomination once each judge has submitted, and whether they see each other's names then).
    Settings left empty are the cycle's; its deadline must come after the previous round's. It
    judges the shortlist promoted into it."""
    if cycle.phase == Phase.FINALISED:
        raise JudgingError(_l("The results of this cycle are final."))
    previous = get_last_round(cycle)
    if cycle.judging_closed_at is not None:
        raise JudgingError(_l("Judging of this cycle is closed: a round cannot be added any more."))
    values = _round_values(cycle, settings)
    deadline = values.get("judging_deadline")
    if deadline is not None and deadline <= previous.deadline:
        raise JudgingError(_l("Choose a deadline after the previous round's (%(deadline)s).",
                              deadline=show_datetime(previous.deadline)), "judging_deadline")
    _check_reviews(cycle, values.get("judges_per_nomination"), values.get("minimum_reviews"))
    judging_round = JudgingRound(cycle_id=cycle.id, number=previous.number + 1, **values)
    db.session.add(judging_round)
    try:
        db.session.flush()
    except IntegrityError as error:  # another admin added the same number meanwhile
        raise JudgingError(_l("Another round was added meanwhile. Reload the page and try again.")) from error
    events.announce(events.round_added, actor, judging_round, cycle_id=cycle.id, number=judging_round.number,
                    settings={name: _plain(getattr(judging_round, name)) for name in ROUND_SETTINGS})
    return judging_round


# The settings of a round, as `add_round` and `update_round` take them (keyword = column). A new
# setting is listed here once; `_ROUND_NORMALISE` says how a value is cleaned, when it needs it.
ROUND_SETTINGS = ("name", "judging_deadline", "judges_per_nomination", "minimum_reviews", "ranking_method", "weights",
                  "blind", "deliberation", "hide_judge_names")


def _chosen_weights(cycle: Cycle, weights: dict | None) -> dict[str, float]:
    """criterion id (as text) → weight, for the weights that differ from the cycle's."""
    known = {criterion.id: criterion for criterion in cycle.criteria}
    return {str(cid): float(w) for cid, w in (weights or {}).items()
            if int(cid) in known and float(w) != float(known[int(cid)].weight)}


_ROUND_NORMALISE = {
    "name": lambda cycle, value: (value or "").strip(),
    "ranking_method": lambda cycle, value: RankingMethod(value) if value else None,
    "weights": _chosen_weights,
    "blind": lambda cycle, value: bool(value),
    "deliberation": lambda cycle, value: Deliberation(value or Deliberation.OFF),
    "hide_judge_names": lambda cycle, value: bool(value),
}


def _round_values(cycle: Cycle, settings: dict) -> dict:
    """The round settings given, cleaned (an unknown name is a programming error)."""
    unknown = set(settings) - set(ROUND_SETTINGS)
    if unknown:
        raise TypeError(f"unknown round settings: {sorted(unknown)}")
    return {name: _ROUND_NORMALISE.get(name, lambda _cycle, value: value)(cycle, value)
            for name, value in settings.items()}


def _check_reviews(cycle: Cycle, judges_per_nomination: int | None, minimum_reviews: int | None) -> None:
    judges = judges_per_nomination or cycle.judges_per_nomination
    if minimum_reviews is not None and minimum_reviews > judges:
        raise JudgingError(_l("At most the number of judges per nomination (%(num)d).", num=judges), "minimum_reviews")


def _plain(value):
    """A setting as the audit log writes it."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def update_round(actor: User, judging_round: JudgingRound, **settings) -> dict[str, list]:
    """Change the settings of `judging_round` (any of ROUND_SETTINGS, as `add_round` takes them;
    a setting not given stays as it is, an empty one is the cycle's). Refused once the round is
    closed or the results final. Its deadline must stay after the previous round's and before the
    next round's; the minimum of reviews at most the judges per nomination. Audited with each
    changed setting, old → new. Returns those changes ({} when nothing changed)."""
    refused = edit_round_closed_reason(judging_round)
    if refused is not None:
        raise JudgingError(refused)
    cycle = judging_round.cycle
    values = _round_values(cycle, settings)
    if "judging_deadline" in values:
        deadline = values["judging_deadline"]
        # A deadline equal to the cycle's, on a round that takes the cycle's, stays the cycle's.
        if judging_round.judging_deadline is None and deadline == cycle.judging_deadline:
            values["judging_deadline"] = deadline = None
        effective = deadline or cycle.judging_deadline
        rounds = db.session.scalars(select(JudgingRound).where(JudgingRound.cycle_id == cycle.id)).all()
        before = next((r for r in rounds if r.number == judging_round.number - 1), None)
        after = next((r for r in rounds if r.number == judging_round.number + 1), None)
        if before is not None and effective <= before.deadline:
            raise JudgingError(_l("Choose a deadline after the previous round's (%(deadline)s).",
                                  deadline=show_datetime(before.deadline)), "judging_deadline")
        if after is not None and effective >= after.deadline:
            raise JudgingError(_l("Choose a deadline before the next round's (%(deadline)s).",
                                  deadline=show_datetime(after.deadline)), "judging_deadline")
    _check_reviews(cycle, values.get("judges_per_nomination", judging_round.judges_per_nomination),
                   values.get("minimum_reviews", judging_round.minimum_reviews))
    changes = {}
    for name, value in values.items():
        old = getattr(judging_round, name)
        if (old or None) != (value or None):
            changes[name] = [_plain(old), _plain(value)]
            setattr(judging_round, name, value)
    db.session.flush()
    if changes:
        events.announce(events.round_updated, actor, judging_round, cycle_id=cycle.id, number=judging_round.number,
                        changes=changes)
    return changes


def promotion_closed_reason(judging_round: JudgingRound):
    """Why nominations cannot be promoted into `judging_round` now, or None: round 1 takes every
    nomination; the previous round must be closed (what is unfinished is said); the round itself
    must not have closed, nor the cycle be final."""
    cycle = judging_round.cycle
    if judging_round.number == 1:
        return _l("The first round judges every submitted nomination: it has no shortlist.")
    if cycle.phase == Phase.FINALISED:
        return _l("The results of this cycle are final.")
    if judging_round.is_closed:
        return _l("%(round)s is closed: its shortlist no longer changes.", round=judging_round.title)
    previous = previous_round(judging_round)
    if not previous.is_closed:
        unfinished = db.session.scalar(
            select(func.count()).select_from(select_unfinished_assignments(cycle, previous).subquery()))
        if not unfinished:
            return _l("%(round)s is still open. Close it on the judge progress page first.", round=previous.title)
        return ngettext("%(round)s is still open: %(num)d of its active assignments is not submitted yet. Close it "
                        "on the judge progress page first.",
                        "%(round)s is still open: %(num)d of its active assignments are not submitted yet. Close it "
                        "on the judge progress page first.", unfinished, round=previous.title)
    return None


def _shortlist_counts(judging_round: JudgingRound) -> dict[Region, int]:
    rows = db.session.execute(
        select(Site.region, func.count(ShortlistEntry.id))
        .join(Nomination, Nomination.id == ShortlistEntry.nomination_id)
        .join(Site, Site.id == Nomination.site_id)
        .where(ShortlistEntry.round_id == judging_round.id, Nomination.status == NominationStatus.SUBMITTED)
        .group_by(Site.region)
    ).all()
    return {Region(region): count for region, count in rows}


def _check_enough(judging_round: JudgingRound, counts: dict[Region, int]) -> None:
    """A shortlist needs at least as many nominations in each region as that region has awards."""
    awards: dict[Region, int] = {}
    for category in judging_round.cycle.award_categories:
        awards[category.region] = awards.get(category.region, 0) + 1
    for region, needed in awards.items():
        if counts.get(region, 0) < needed:
            raise JudgingError(_l("The %(region)s shortlist would have %(have)d nominations for %(awards)d awards.",
                                  region=region.title, have=counts.get(region, 0), awards=needed))


def promote_shortlist(actor: User, judging_round: JudgingRound, per_region: int) -> list[int]:
    """Take the top `per_region` nominations of each region of the previous round's ranking into
    `judging_round` (with any tied with the last of them: a tie is not broken by the order of the
    rows). Nominations already on the shortlist stay; nominations the previous round did not rank
    (no scored review) are never promoted. Refused while the previous round is open, and when a
    region would have fewer nominations than awards. Returns the ids added."""
    refused = promotion_closed_reason(judging_round)
    if refused is not None:
        raise JudgingError(refused)
    if per_region < 1:
        raise JudgingError(_l("Promote at least one nomination per region."), "per_region")
    cycle = judging_round.cycle
    _lock_assignments(cycle)
    previous = previous_round(judging_round)
    present = set(db.session.scalars(select(ShortlistEntry.nomination_id)
                                     .where(ShortlistEntry.round_id == judging_round.id)))
    chosen: list[int] = []
    for region in Region:
        ranked = [row for row in get_ranking(cycle, region, judging_round=previous).rows if row.rank is not None]
        if len(ranked) > per_region:
            boundary = ranked[per_region - 1].rank
            ranked = [row for row in ranked if row.rank <= boundary]
        chosen += [row.nomination_id for row in ranked]
    added = [nid for nid in chosen if nid not in present]
    counts = _shortlist_counts(judging_round)
    regions = dict(db.session.execute(
        select(Nomination.id, Site.region).join(Site, Site.id == Nomination.site_id)
        .where(Nomination.id.in_(added))).all()) if added else {}
    for nid in added:
        region = Region(regions[nid])
        counts[region] = counts.get(region, 0) + 1
    _check_enough(judging_round, counts)
    db.session.add_all([ShortlistEntry(round_id=judging_round.id, nomination_id=nid, added_by_id=actor.id)
                        for nid in added])
    db.session.flush()
    events.announce(events.shortlist_promoted, actor, judging_round, per_region=per_region, added=added,
                    number=judging_round.number)
    return added


def add_to_shortlist(actor: User, judging_round: JudgingRound, nomination: Nomination, reason: str) -> ShortlistEntry:
    """Add one nomination the previous round judged to the shortlist by hand, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise JudgingError(_l("Please say why you add this nomination by hand."), "reason")
    refused = promotion_closed_reason(judging_round)
    if refused is not None:
        raise JudgingError(refused)
    if nomination.cycle_id != judging_round.cycle_id or nomination.status != NominationStatus.SUBMITTED:
        raise JudgingError(_l("Only submitted nominations of this cycle can be shortlisted."), "nomination_id")
    previous = previous_round(judging_round)
    judged = db.session.scalar(select(func.count()).select_from(
        select_round_nominations(previous).where(Nomination.id == nomination.id).subquery()))
    if not judged:
        raise JudgingError(_l("This nomination was not in %(round)s.", round=previous.title), "nomination_id")
    if db.session.scalar(select(ShortlistEntry.id).where(ShortlistEntry.round_id == judging_round.id,
                                                        ShortlistEntry.nomination_id == nomination.id)):
        raise JudgingError(_l("This nomination is already on the shortlist."), "nomination_id")
    entry = ShortlistEntry(round_id=judging_round.id, nomination_id=nomination.id, by_hand=True, reason=reason,
                           added_by_id=actor.id)
    db.session.add(entry)
    db.session.flush()
    events.announce(events.shortlist_entry_added, actor, judging_round, nomination_id=nomination.id, reason=reason,
                    number=judging_round.number)
    return entry


def remove_from_shortlist(actor: User, judging_round: JudgingRound, nomination: Nomination, reason: str) -> None:
    """Take a nomination off the shortlist by hand, with a reason; refused once judges are
    assigned to it in this round (remove those assignments first) and when its region would
    have fewer nominations than awards."""
    reason = (reason or "").strip()
    if not reason:
        raise JudgingError(_l("Please say why you take this nomination off the shortlist."), "reason")
    refused = promotion_closed_reason(judging_round)
    if refused is not None:
        raise JudgingError(refused)
    entry = db.session.scalar(select(ShortlistEntry).where(ShortlistEntry.round_id == judging_round.id,
                                                          ShortlistEntry.nomination_id == nomination.id))
    if entry is None:
        raise JudgingError(_l("This nomination is not on the shortlist."))
    if db.session.scalar(select(func.count(Assignment.id)).where(Assignment.round_id == judging_round.id,
                                                                 Assignment.nomination_id == nomination.id)):
        raise JudgingError(_l("Judges are assigned to this nomination in %(round)s: remove their assignments first.",
                              round=judging_round.title))
    counts = _shortlist_counts(judging_round)
    if nomination.status == NominationStatus.SUBMITTED:
        counts[nomination.site.region] = counts.get(nomination.site.region, 0) - 1
    _check_enough(judging_round, counts)
    db.session.delete(entry)
    db.session.flush()
    events.announce(events.shortlist_entry_removed, actor, judging_round, nomination_id=nomination.id,
                    reason=reason, was_by_hand=entry.by_hand, number=judging_round.number)


# --- the shortlist as an outcome for the sites ---------------------------------------------------


def publish_closed_reason(judging_round: JudgingRound):
    """Why the shortlist of `judging_round` cannot be published now, or None: a later round's,
    not empty, before the results are final, once."""
    if judging_round.number == 1:
        return _l("The first round judges every submitted nomination: it has no shortlist.")
    if judging_round.cycle.phase == Phase.FINALISED:
        return _l("The results of this cycle are final.")
    if judging_round.shortlist_published:
        return _l("The shortlist of %(round)s is already published to the sites.", round=judging_round.title)
    if not sum(_shortlist_counts(judging_round).values()):
        return _l("The shortlist of %(round)s is empty: there is nothing to publish.", round=judging_round.title)
    return None


def publish_shortlist(actor: User, judging_round: JudgingRound, *, now: datetime | None = None) -> list[int]:
    """Publish the shortlist of `judging_round` to the sites as an outcome: each site then sees
    "Shortlisted" on its nominations in it (nothing else of the round: no score, no rank) and is
    told by e-mail. A nomination added later is shown (and told) too; one taken off is no longer
    shown. Returns the ids of the nominations published."""
    refused = publish_closed_reason(judging_round)
    if refused is not None:
        raise JudgingError(refused)
    judging_round.shortlist_published_at = now or utcnow()
    judging_round.shortlist_published_by_id = actor.id
    db.session.flush()
    published = list(db.session.scalars(
        select(ShortlistEntry.nomination_id).join(Nomination, Nomination.id == ShortlistEntry.nomination_id)
        .where(ShortlistEntry.round_id == judging_round.id, Nomination.status == NominationStatus.SUBMITTED)
        .order_by(ShortlistEntry.nomination_id)))
    events.announce(events.shortlist_published, actor, judging_round, number=judging_round.number,
                    nominations=published)
    return published


def withdraw_shortlist(actor: User, judging_round: JudgingRound) -> None:
    """Withdraw a published shortlist: the sites no longer see "Shortlisted" (no e-mail)."""
    if not judging_round.shortlist_published:
        raise JudgingError(_l("The shortlist of %(round)s is not published.", round=judging_round.title))
    if judging_round.cycle.phase == Phase.FINALISED:
        raise JudgingError(_l("The results of this cycle are final."))
    judging_round.shortlist_published_at = None
    judging_round.shortlist_published_by_id = None
    db.session.flush()
    events.announce(events.shortlist_withdrawn, actor, judging_round, number=judging_round.number)

# --- deliberation --------------------------------------------------------------------------------

MESSAGE_MAX = 4000
REVISION_REASON_MAX = 2000


def open_deliberation(actor: User, judging_round: JudgingRound, nomination: Nomination) -> DeliberationOpening:
    """Open deliberation on one nomination of a FLAGGED round: only one flagged for disagreement
    in the round's ranking (computed as the ranking page shows it), while the round is open."""
    if nomination.cycle_id != judging_round.cycle_id:
        raise JudgingError(_l("This round belongs to another cycle."))
    opened = is_deliberation_opened(judging_round, nomination.id)
    flagged = False
    if judging_round.deliberation == Deliberation.FLAGGED and not opened:
        row = get_ranking(judging_round.cycle, nomination.site.region, judging_round=judging_round).row(nomination.id)
        flagged = row is not None and bool(row.disagreement)
    refused = open_deliberation_closed_reason(judging_round, flagged, opened)
    if refused is not None:
        raise JudgingError(refused)
    opening = DeliberationOpening(round_id=judging_round.id, nomination_id=nomination.id, opened_by_id=actor.id)
    db.session.add(opening)
    try:
        db.session.flush()
    except IntegrityError as error:  # another admin opened it meanwhile
        raise JudgingError(_l("Deliberation is already open for this nomination.")) from error
    events.announce(events.deliberation_opened, actor, judging_round, nomination_id=nomination.id,
                    number=judging_round.number)
    return opening


def _ensure_deliberating(judge: User, assignment: Assignment, now: datetime | None = None) -> Cycle:
    cycle = db.session.get(Cycle, assignment.cycle_id)
    if assignment.judge_id != judge.id or assignment.status != AssignmentStatus.ACTIVE \
            or assignment.nomination.status != NominationStatus.SUBMITTED:
        raise ScoringClosed(_l("You are not on this nomination's panel."))
    opened = is_deliberation_opened(assignment.round, assignment.nomination_id)
    refused = deliberation_closed_reason(assignment, cycle, opened, now=now)
    if refused is not None:
        raise ScoringClosed(refused)
    return cycle


def post_message(judge: User, assignment: Assignment, body: str, *, now: datetime | None = None) -> DiscussionMessage:
    """Post to the discussion of the assignment's nomination in its round: a judge of its panel
    who has submitted their sheet, while deliberation is open and the round still accepts scores."""
    body = (body or "").strip()
    if not body:
        raise JudgingError(_l("Write a message first."), "body")
    if len(body) > MESSAGE_MAX:
        raise JudgingError(_l("At most %(num)d characters.", num=MESSAGE_MAX), "body")
    _ensure_deliberating(judge, assignment, now)
    message = DiscussionMessage(round_id=assignment.round_id, nomination_id=assignment.nomination_id,
                                author_id=judge.id, body=body, created_at=now or utcnow())
    db.session.add(message)
    db.session.flush()
    events.announce(events.discussion_posted, judge, message, nomination_id=assignment.nomination_id,
                    number=assignment.round.number)
    return message


def revise_scores(judge: User, assignment: Assignment, *, expected_version: int,
                  scores: dict[int, tuple[int | None, str]], reason: str,
                  now: datetime | None = None) -> list[ScoreRevision]:
    """Change one's submitted scores (value and comment per criterion) during deliberation, with a
    written reason. Each criterion changed is kept as a revision (old and new value and comment,
    reason, judge, time); the score row holds the new value. Refused without a reason, without a
    change, when deliberation is not open or the round no longer accepts scores, and when the
    sheet changed since `expected_version` (the caller keeps the input). The sheet stays submitted."""
    now = now or utcnow()
    reason = (reason or "").strip()
    cycle = _ensure_deliberating(judge, assignment, now)
    if not reason:
        raise JudgingError(_l("Please say why you revise your scores."), "reason")
    if len(reason) > REVISION_REASON_MAX:
        raise JudgingError(_l("At most %(num)d characters.", num=REVISION_REASON_MAX), "reason")
    sheet = assignment.sheet
    if expected_version != sheet.version:
        raise SheetConflict(SHEET_CHANGED)
    by_criterion = {score.criterion_id: score for score in sheet.scores}
    revisions = []
    for criterion in cycle.criteria:
        if criterion.id not in scores:
            continue
        value, comment = scores[criterion.id]
        comment = (comment or "").strip()
        if value is None:
            raise JudgingError(_l("A submitted sheet keeps a score for every criterion."), f"score_{criterion.id}")
        if not (cycle.scale_min <= value <= cycle.scale_max):
            raise JudgingError(_l("Choose a score from %(low)d to %(high)d.", low=cycle.scale_min, high=cycle.scale_max),
                               f"score_{criterion.id}")
        score = by_criterion.get(criterion.id)
        if score is None:
            score = Score(criterion_id=criterion.id, value=None, comment="")
            sheet.scores.append(score)
        if score.value == value and score.comment == comment:
            continue
        revisions.append(ScoreRevision(sheet=sheet, criterion_id=criterion.id, old_value=score.value, new_value=value,
                                       old_comment=score.comment, new_comment=comment, reason=reason,
                                       judge_id=judge.id, revised_at=now))
        score.value, score.comment = value, comment
    if not revisions:
        raise JudgingError(_l("Nothing has changed: change a score or a comment to revise them."))
    db.session.add_all(revisions)
    sheet.updated_at = now  # moves the version on: another tab's revision is refused
    try:
        db.session.flush()
    except StaleDataError as error:
        raise SheetConflict(SHEET_CHANGED) from error
    events.announce(events.scores_revised, judge, sheet, nomination_id=assignment.nomination_id, reason=reason,
                    changes={str(r.criterion_id): [r.old_value, r.new_value] for r in revisions},
                    **_round_detail(assignment.round))
    return revisions
