"""Who may see and change nominations. Pure functions of plain arguments, never raising.

The rules (PRODUCT.md, "Who may do what"):

* a submitter sees and changes the nominations of their own sites, changes only while the
  cycle accepts nominations (phase "nominations open" and before the deadline);
* a judge sees only the nominations assigned to them (an active assignment; the caller looks
  it up and passes ``assigned``), and never changes them;
* an admin sees everything. An admin may also correct the *content* of any nomination
  (fields and attachments) until the cycle's results are finalised, e.g. a typo found during
  judging. Status changes that decide who competes (create, submit, withdraw) follow the
  nomination window for everyone, admins included: the deadline is a fairness rule.

``now`` is always passed in, so that the answer does not depend on the clock.
"""
from __future__ import annotations

from datetime import datetime

from awards_app.core.enums import NominationStatus, Phase
from awards_app.cycles.rules import accepts_nominations

# Statuses in which a nomination's content can still change.
OPEN_STATUSES = (NominationStatus.DRAFT, NominationStatus.SUBMITTED)


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _is_admin(user) -> bool:
    return _active(user) and bool(getattr(user, "is_admin", False))


def _submits_for(user, site_id: int | None) -> bool:
    return _active(user) and bool(getattr(user, "is_submitter", False)) and site_id in user.site_ids


def window_open(cycle, now: datetime) -> bool:
    """The cycle accepts new nominations, edits, submissions and withdrawals."""
    return accepts_nominations(cycle.phase, cycle.nomination_deadline, now)


def can_view(user, nomination, assigned: bool = False) -> bool:
    """See the nomination and its attachments. `assigned`: the user is a judge holding an
    active assignment on it."""
    if _is_admin(user):
        return True
    if assigned and _active(user) and bool(getattr(user, "is_judge", False)):
        return True
    return _submits_for(user, nomination.site_id)


def can_nominate_for(user, site) -> bool:
    """Nominate for `site`, regardless of whether a cycle is open (that is checked separately)."""
    if not getattr(site, "active", False):
        return False
    return _is_admin(user) or _submits_for(user, site.id)


def can_create(user, site, cycle, now: datetime) -> bool:
    return can_nominate_for(user, site) and window_open(cycle, now)


def can_edit(user, nomination, now: datetime) -> bool:
    """Change the fields and attachments of the nomination."""
    if not can_view(user, nomination) or nomination.status not in OPEN_STATUSES:
        return False
    if _is_admin(user):
        return nomination.cycle.phase != Phase.FINALISED
    return _submits_for(user, nomination.site_id) and window_open(nomination.cycle, now)


def can_submit(user, nomination, now: datetime) -> bool:
    """Submit a draft, or save changes to a submitted nomination as a submission."""
    if not can_view(user, nomination) or nomination.status not in OPEN_STATUSES:
        return False
    if not (_is_admin(user) or _submits_for(user, nomination.site_id)):
        return False
    return window_open(nomination.cycle, now)


def can_withdraw(user, nomination, now: datetime) -> bool:
    return can_submit(user, nomination, now)


def can_manage_attachments(user, nomination, now: datetime) -> bool:
    return can_edit(user, nomination, now)
