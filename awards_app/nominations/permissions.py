"""Who may see and change nominations, and why the cycle or the nomination no longer accepts a
change. Pure functions of plain arguments, never raising.

The rules (PRODUCT.md, "Who may do what"):

* a submitter sees and changes the nominations of their own sites, changes only while the
  cycle accepts nominations (phase "nominations open" and before the deadline);
* a judge sees only the nominations assigned to them (an active assignment; the caller looks
  it up and passes ``assigned``), and never changes them;
* a judge who reviews the nomination blind (a blind round: the caller asks judging and passes
  ``blind``) does not see which site nominated it (``can_see_site``);
* an admin sees everything. An admin may also correct the *content* of any nomination
  (fields and attachments) until the cycle's results are finalised, e.g. a typo found during
  judging. Status changes that decide who competes (create, submit, withdraw) follow the
  nomination window for everyone, admins included: the deadline is a fairness rule.

``closed_reason`` and ``correction_closed_reason`` say, state only, why a change is refused; the
``can_*`` functions add who may act. The services raise with the same messages, so the page that
explains a refusal and the refusal itself never disagree. The messages are lazy (formatted when
shown, in the reader's language), so these functions need no request. ``now=None`` means the
current time.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from awards_app.core.enums import NominationStatus, Phase
from awards_app.core.i18n import show_datetime
from awards_app.core.models import utcnow
from awards_app.core.permissions import is_admin, is_judge, submits_for
from awards_app.cycles.fiscal import lazy_fiscal_year_label
from awards_app.cycles.rules import accepts_nominations

# Statuses in which a nomination's content can still change.
OPEN_STATUSES = (NominationStatus.DRAFT, NominationStatus.SUBMITTED)


def _window_open(cycle, now: datetime | None) -> bool:
    return accepts_nominations(cycle.phase, cycle.nomination_deadline, now or utcnow())


def _status_reason(nomination):
    if nomination is not None and nomination.status not in OPEN_STATUSES:
        return _l("This nomination's status is “%(status)s”; it can no longer be changed.",
                  status=nomination.status.title)
    return None


def _finalised_reason(cycle):
    if cycle.phase == Phase.FINALISED:
        return _l("The results of %(fy)s have been finalised; nominations can no longer be changed.", fy=lazy_fiscal_year_label(cycle.fiscal_year))
    return None


def closed_reason(cycle, nomination=None, *, now: datetime | None = None):
    """Why `cycle` (or `nomination` in it) does not accept nominations, edits, submissions and
    withdrawals now, or None while it does: the nomination's status, then the phase, then the
    deadline."""
    reason = _status_reason(nomination) or _finalised_reason(cycle)
    if reason is not None:
        return reason
    if cycle.phase != Phase.NOMINATIONS_OPEN:
        return _l("%(fy)s is not accepting nominations now (phase: %(phase)s). Nothing has been lost: "
                  "what was saved is kept as it is.", fy=lazy_fiscal_year_label(cycle.fiscal_year), phase=cycle.phase.title)
    if not _window_open(cycle, now):
        return _l("The nomination deadline of %(fy)s passed on %(deadline)s. Changes are no longer accepted; "
                  "what was saved is kept as it is.", fy=lazy_fiscal_year_label(cycle.fiscal_year),
                  deadline=LazyString(show_datetime, cycle.nomination_deadline, "long"))
    return None


def correction_closed_reason(nomination):
    """Why an admin can no longer correct the content of `nomination`, or None while they can:
    its status, or the cycle's results are final (the nomination window does not matter)."""
    return _status_reason(nomination) or _finalised_reason(nomination.cycle)


def can_view(user, nomination, *, assigned: bool = False) -> bool:
    """See the nomination and its attachments. `assigned`: the user is a judge holding an
    active assignment on it."""
    if is_admin(user):
        return True
    if assigned and is_judge(user):
        return True
    return submits_for(user, nomination.site_id)


def can_nominate_for(user, site) -> bool:
    """Nominate for `site`, regardless of whether a cycle is open (that is checked separately)."""
    if not getattr(site, "active", False):
        return False
    return is_admin(user) or submits_for(user, site.id)


def can_create(user, site, cycle, *, now: datetime | None = None) -> bool:
    return can_nominate_for(user, site) and _window_open(cycle, now)


def can_edit(user, nomination, *, now: datetime | None = None) -> bool:
    """Change the fields and attachments of the nomination."""
    if is_admin(user):
        return correction_closed_reason(nomination) is None
    return submits_for(user, nomination.site_id) and closed_reason(nomination.cycle, nomination, now=now) is None


def can_submit(user, nomination, *, now: datetime | None = None) -> bool:
    """Submit a draft, or save changes to a submitted nomination as a submission."""
    if not (is_admin(user) or submits_for(user, nomination.site_id)):
        return False
    return closed_reason(nomination.cycle, nomination, now=now) is None


def can_withdraw(user, nomination, *, now: datetime | None = None) -> bool:
    return can_submit(user, nomination, now=now)


def can_manage_attachments(user, nomination, *, now: datetime | None = None) -> bool:
    return can_edit(user, nomination, now=now)


def can_see_site(user, site_id: int, *, blind: bool) -> bool:
    """See which site nominated a nomination of site `site_id` (its name, code, country, the people
    who entered it, its attachments' original names): everyone who may see the nomination, except a
    judge who reviews it blind (`blind`: judging says so). Admins and the site's own submitters see
    it even then."""
    return not blind or is_admin(user) or submits_for(user, site_id)
