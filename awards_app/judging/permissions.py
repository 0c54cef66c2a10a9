"""Who may do what in judging, and why a score sheet no longer accepts changes. Pure functions,
never raising.

PRODUCT.md: a judge sees and scores only their own active assignments, until they submit or
judging closes; never another judge's scores, nor the ranking. Admins manage panels and
assignments, reopen sheets and read the ranking. Submitters reach no judging page.

``closed_reason`` is the state-only rule (sheet submitted, scoring closed) that the scoring page
shows and the service refuses with. ``now=None`` means the current time.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from awards_app.core.enums import AssignmentStatus, NominationStatus, SheetStatus
from awards_app.core.models import utcnow
from awards_app.core.permissions import is_admin, is_judge
from awards_app.cycles.rules import accepts_scores


def can_judge(user) -> bool:
    """The judge's queue: a judge sees their own assignments there."""
    return is_judge(user)


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


def closed_reason(assignment, cycle, *, now: datetime | None = None):
    """Why the sheet of `assignment` in `cycle` cannot change now, or None while it can: it has
    been submitted, or the cycle is not in judging or past its judging deadline."""
    sheet = assignment.sheet
    if sheet is not None and sheet.status == SheetStatus.SUBMITTED:
        return _l("This sheet has been submitted and can no longer be changed.")
    if not accepts_scores(cycle.phase, cycle.judging_deadline, now or utcnow()):
        return _l("Scoring is closed for %(fy)s.", fy=cycle.label)
    return None


def can_score(user, assignment, cycle, *, now: datetime | None = None) -> bool:
    """Change (save or submit) the sheet of this assignment now."""
    return can_open_assignment(user, assignment) and closed_reason(assignment, cycle, now=now) is None
