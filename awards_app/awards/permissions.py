"""Who may decide the awards, and who sees a nomination's outcome. Pure functions, never raising.

PRODUCT.md: only admins decide the awards and finalise. Once the results are final, each site
sees the outcome of its own nominations and, unless the admin switched it off for the cycle,
the judges' comments without their names or scores. Judges and other sites see none of it.
"""
from __future__ import annotations

from awards_app.core.enums import NominationStatus, Phase


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_admin(user) -> bool:
    return _active(user) and bool(getattr(user, "is_admin", False))


def _submits_for(user, site_id: int | None) -> bool:
    return _active(user) and bool(getattr(user, "is_submitter", False)) and site_id in user.site_ids


def can_decide_awards(user) -> bool:
    """See the awards page, decide, change and clear decisions, finalise."""
    return is_admin(user)


def can_change_decisions(cycle) -> bool:
    """Decisions need scores (judging) and lock with the results (finalised)."""
    return cycle.phase == Phase.JUDGING


def can_finalise(cycle) -> bool:
    return cycle.phase == Phase.JUDGING


def can_see_outcome(user, nomination) -> bool:
    """The outcome of a nomination that competed, once the results are final: its own site's
    submitters and admins. Nothing before finalisation."""
    if nomination.cycle.phase != Phase.FINALISED or nomination.status != NominationStatus.SUBMITTED:
        return False
    return is_admin(user) or _submits_for(user, nomination.site_id)


def can_see_judges_comments(user, nomination) -> bool:
    """The judges' comments (anonymous) with the outcome, when the cycle shares them."""
    return can_see_outcome(user, nomination) and bool(nomination.cycle.share_comments_with_sites)
