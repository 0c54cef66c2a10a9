"""Who may do what in judging. Pure functions, never raising.

PRODUCT.md: a judge sees and scores only their own active assignments, until they submit or
judging closes; never another judge's scores, nor the ranking. Admins manage panels and
assignments, reopen sheets and read the ranking. Submitters reach no judging page.
"""
from __future__ import annotations

from awards_app.core.enums import AssignmentStatus, NominationStatus


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_judge(user) -> bool:
    return _active(user) and bool(user.is_judge)


def can_open_assignment(user, assignment) -> bool:
    """See the scoring screen of this assignment: own, active, and the nomination still in judging
    (a nomination withdrawn after assignment leaves the judge's work)."""
    return (
        is_judge(user)
        and assignment.judge_id == user.id
        and assignment.status == AssignmentStatus.ACTIVE
        and assignment.nomination.status == NominationStatus.SUBMITTED
    )
