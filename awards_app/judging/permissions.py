"""Who may do what in judging, and why a score sheet no longer accepts changes. Pure functions,
never raising.

PRODUCT.md: a judge sees and scores only their own active assignments, until they submit or
judging closes; never another judge's scores, nor the ranking. Admins manage panels and
assignments, reopen sheets and read the ranking. Submitters reach no judging page.

``closed_reason`` is the state-only rule (sheet submitted, scoring closed) that the scoring page
shows and the service refuses with; ``scoring_closed_reason`` is its part about the cycle, which
the judge's queue shows. ``now=None`` means the current time.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from awards_app.core.enums import AssignmentStatus, Deliberation, NominationStatus, Phase, SheetStatus
from awards_app.core.models import utcnow
from awards_app.core.permissions import is_active_user, is_admin, is_judge, submits_for
from awards_app.cycles.fiscal import lazy_fiscal_year_label
from awards_app.cycles.rules import accepts_scores


def can_judge(user) -> bool:
    """The judge's queue: a judge sees their own assignments there."""
    return is_judge(user)


def can_read_method(user) -> bool:
    """How results are computed: no data on it, so every active user may read it."""
    return is_active_user(user)


def can_manage_judging(user) -> bool:
    """Panels, assignments, eligibility, sheets, the ranking and the progress of judging."""
    return is_admin(user)


def can_open_assignment(user, assignment) -> bool:
    """See the scoring screen of this assignment: own, active, and the nomination still in judging
    (a nomination withdrawn after assignment leaves the judge's work)."""
    return (
        is_judge(user)
        and assignment.judge_id == user.id
        and assignment.status == AssignmentStatus.ACTIVE
        and assignment.nomination.status == NominationStatus.SUBMITTED
    )


def scoring_closed_reason(cycle, judging_round=None, *, now: datetime | None = None):
    """Why no sheet of `cycle` (of `judging_round`, if given) can change now, or None while they
    can: the results are final, an administrator closed judging or the round (their reason is
    shown), or the cycle is not in judging or past the round's judging deadline."""
    if cycle.phase == Phase.FINALISED:
        return _l("The results of %(fy)s are final: scores can no longer change.", fy=lazy_fiscal_year_label(cycle.fiscal_year))
    if cycle.judging_closed_at is not None:
        return _l("An administrator closed judging of %(fy)s: %(reason)s", fy=lazy_fiscal_year_label(cycle.fiscal_year),
                  reason=cycle.judging_closed_reason)
    if judging_round is not None and judging_round.is_closed:
        return _l("An administrator closed %(round)s of %(fy)s: %(reason)s", round=judging_round.title,
                  fy=lazy_fiscal_year_label(cycle.fiscal_year), reason=judging_round.closed_reason)
    deadline = judging_round.deadline if judging_round is not None else cycle.judging_deadline
    if not accepts_scores(cycle.phase, deadline, now or utcnow()):
        return _l("Scoring is closed for %(fy)s.", fy=lazy_fiscal_year_label(cycle.fiscal_year))
    return None


def closed_reason(assignment, cycle, *, now: datetime | None = None):
    """Why the sheet of `assignment` in `cycle` cannot change now, or None while it can: it has
    been submitted, or scoring is closed for its round or the whole cycle (scoring_closed_reason)."""
    sheet = assignment.sheet
    if sheet is not None and sheet.status == SheetStatus.SUBMITTED:
        return _l("This sheet has been submitted and can no longer be changed.")
    return scoring_closed_reason(cycle, assignment.round, now=now)


def can_score(user, assignment, cycle, *, now: datetime | None = None) -> bool:
    """Change (save or submit) the sheet of this assignment now."""
    return can_open_assignment(user, assignment) and closed_reason(assignment, cycle, now=now) is None


def close_round_closed_reason(cycle, judging_round):
    """Why `judging_round` cannot be closed now, or None: only while the cycle is in judging, once."""
    if cycle.phase != Phase.JUDGING:
        return _l("Judging can be closed only while the cycle is in judging.")
    if cycle.judging_closed_at is not None:
        return _l("Judging of this cycle is already closed.")
    if judging_round.is_closed:
        return _l("%(round)s is already closed.", round=judging_round.title)
    return None


def can_close_judging(user, cycle, judging_round=None, *, now: datetime | None = None) -> bool:
    """Close judging (of `judging_round`; without one, the whole cycle's) early with a reason, so
    that the next round can be promoted or the cycle finalised with sheets missing: admins, while
    the cycle is in judging and the round is not closed yet."""
    if judging_round is None:
        return is_admin(user) and cycle.phase == Phase.JUDGING and cycle.judging_closed_at is None
    return is_admin(user) and close_round_closed_reason(cycle, judging_round) is None


def can_manage_rounds(user, cycle) -> bool:
    """Add rounds and promote shortlists: admins, until the results are final."""
    return is_admin(user) and cycle.phase != Phase.FINALISED


def edit_round_closed_reason(judging_round):
    """Why the settings of `judging_round` cannot change now, or None: not once the results are
    final, nor once the round is closed (its sheets are frozen and ranked under those settings)."""
    if judging_round.cycle.phase == Phase.FINALISED:
        return _l("The results of this cycle are final.")
    if judging_round.is_closed:
        return _l("%(round)s is closed: its settings no longer change.", round=judging_round.title)
    return None


def can_edit_round(user, judging_round) -> bool:
    """Change a round's settings (deadline, judges, method, weights …): admins, while it is open."""
    return is_admin(user) and edit_round_closed_reason(judging_round) is None


def can_see_shortlisted(user, nomination) -> bool:
    """Whether a nomination is on a shortlist the admin published to the sites: its own site's
    submitters and admins (judges never; nobody sees anything else of the rounds)."""
    return is_admin(user) or submits_for(user, nomination.site_id)
# --- deliberation --------------------------------------------------------------------------------


def deliberation_open(judging_round, opened: bool) -> bool:
    """Whether the panel of a nomination in `judging_round` deliberates: every nomination when the
    round says ALL, those an admin opened (`opened`) when it says FLAGGED, none when OFF."""
    if judging_round.deliberation == Deliberation.ALL:
        return True
    return judging_round.deliberation == Deliberation.FLAGGED and opened


def has_submitted_own(assignment) -> bool:
    """The judge's own sheet is submitted with scores (an abstaining judge stays out of the
    panel's deliberation: they chose not to judge this nomination)."""
    sheet = assignment.sheet
    return sheet is not None and sheet.status == SheetStatus.SUBMITTED and not sheet.abstained


def can_see_deliberation(user, assignment, opened: bool) -> bool:
    """See the other submitted sheets of the nomination and the panel's discussion on the scoring
    page: the judge of this (own, active) assignment, once their own sheet is submitted, while
    deliberation is open for its round and nomination. Before that, nothing of the others."""
    return (
        can_open_assignment(user, assignment)
        and has_submitted_own(assignment)
        and deliberation_open(assignment.round, opened)
    )


def deliberation_closed_reason(assignment, cycle, opened: bool, *, now: datetime | None = None):
    """Why the judge of `assignment` cannot post to the discussion or revise their scores now, or
    None while they can: deliberation not open for the nomination, own sheet not submitted (or an
    abstention), or scoring closed for the round or the cycle (scoring_closed_reason)."""
    if not deliberation_open(assignment.round, opened):
        return _l("Deliberation is not open for this nomination.")
    if not has_submitted_own(assignment):
        return _l("Submit your own scores first: then you see the panel's sheets and can discuss them.")
    return scoring_closed_reason(cycle, assignment.round, now=now)


def can_deliberate(user, assignment, cycle, opened: bool, *, now: datetime | None = None) -> bool:
    """Post to the discussion and revise one's submitted scores (with a reason) now."""
    return can_open_assignment(user, assignment) and deliberation_closed_reason(assignment, cycle, opened,
                                                                                now=now) is None


def open_deliberation_closed_reason(judging_round, flagged: bool, opened: bool):
    """Why an admin cannot open deliberation on a nomination of `judging_round` now, or None: only
    in a round whose deliberation is FLAGGED, while it and the cycle's judging are open, for a
    nomination flagged for disagreement in the round's ranking and not opened yet."""
    cycle = judging_round.cycle
    if judging_round.deliberation != Deliberation.FLAGGED:
        return _l("%(round)s does not let an administrator open deliberation on a nomination.",
                  round=judging_round.title)
    if cycle.phase == Phase.FINALISED:
        return _l("The results of this cycle are final.")
    if judging_round.is_closed or cycle.judging_closed_at is not None:
        return _l("%(round)s is closed: deliberation can no longer be opened.", round=judging_round.title)
    if opened:
        return _l("Deliberation is already open for this nomination.")
    if not flagged:
        return _l("Only a nomination flagged for disagreement in the ranking can be opened for deliberation.")
    return None
