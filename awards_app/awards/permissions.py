"""Who may decide the awards, and who sees a nomination's outcome. Pure functions, never raising.

PRODUCT.md: only admins decide the awards and finalise. Once the results are final, each site
sees the outcome of its own nominations and, unless the admin switched it off for the cycle,
the judges' comments without their names or scores. Judges and other sites see none of it.

``locked_message`` is the state-only rule (decisions need judging and lock with the results)
that the awards page shows and the services refuse with. ``now=None`` means the current time.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from awards_app.core.enums import NominationStatus, Phase
from awards_app.core.permissions import is_admin, submits_for

DECISIONS_FINAL = _l("The results of this cycle are final; the awards can no longer change.")
DECISIONS_NEED_JUDGING = _l("Awards can be decided only during judging, when there are scores to decide on.")


def locked_message(cycle):
    """Why decisions cannot change in `cycle` now, or None while they can."""
    if cycle.phase == Phase.JUDGING:
        return None
    return DECISIONS_FINAL if cycle.phase == Phase.FINALISED else DECISIONS_NEED_JUDGING


def can_decide_awards(user) -> bool:
    """See the awards page, decide, change and clear decisions, finalise."""
    return is_admin(user)


def can_change_decisions(user, cycle, *, now: datetime | None = None) -> bool:
    """Decide, change or clear a winner: decisions need scores (judging) and lock with the
    results (finalised)."""
    return can_decide_awards(user) and locked_message(cycle) is None


def can_finalise(user, cycle, *, now: datetime | None = None) -> bool:
    """Finalise the results (what is still missing is services.finalise_problems)."""
    return can_decide_awards(user) and cycle.phase == Phase.JUDGING


def can_see_outcome(user, nomination) -> bool:
    """The outcome of a nomination that competed, once the results are final: its own site's
    submitters and admins. Nothing before finalisation."""
    if nomination.cycle.phase != Phase.FINALISED or nomination.status != NominationStatus.SUBMITTED:
        return False
    return is_admin(user) or submits_for(user, nomination.site_id)


def can_see_judges_comments(user, nomination) -> bool:
    """The judges' comments (anonymous) with the outcome, when the cycle shares them."""
    return can_see_outcome(user, nomination) and bool(nomination.cycle.share_comments_with_sites)
