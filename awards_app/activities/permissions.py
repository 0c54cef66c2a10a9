"""Who may see and change activities. Pure functions, never raising.

* A submitter sees the activities of their own sites, and adds, changes and deletes them until the
  fiscal year's reporting deadline (and never once the year is locked).
* An admin sees every site's activities and changes them, for any site, until the year is locked.
* Judges and anyone else: nothing here.

``closed_reason`` says, state only, why a fiscal year no longer accepts a change by this user; the
services raise with the same message. `year` is the fiscal year's settings (queries.reporting_year:
a ReportingYear, or the defaults), never None.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from awards_app.activities.rules import reporting_open_for_sites
from awards_app.core.i18n import show_datetime
from awards_app.core.models import utcnow
from awards_app.cycles.fiscal import lazy_fiscal_year_label
from awards_app.core.permissions import is_active_user, is_admin, submits_for


def closed_reason(user, year, *, now: datetime | None = None):
    """Why `user` can no longer change the activities of `year`, or None while they can."""
    if year.locked:
        return _l("The activities of %(fy)s are locked; they can no longer be changed.", fy=lazy_fiscal_year_label(year.fiscal_year))
    if is_admin(user):
        return None
    if not reporting_open_for_sites(year.reporting_deadline, year.locked, now or utcnow()):
        return _l("The reporting deadline of %(fy)s passed on %(deadline)s; ask an administrator for a correction.",
                  fy=lazy_fiscal_year_label(year.fiscal_year), deadline=LazyString(show_datetime, year.reporting_deadline, "long"))
    return None


def can_use_activities(user) -> bool:
    """Open the activity pages at all: admins, and submitters (for their own sites)."""
    return is_admin(user) or (is_active_user(user) and bool(getattr(user, "is_submitter", False)))


def can_view_site(user, site_id: int) -> bool:
    """See the activities of a site."""
    return is_admin(user) or submits_for(user, site_id)


def can_view(user, activity) -> bool:
    return can_view_site(user, activity.site_id)


def can_change_site(user, site_id: int, year, *, now: datetime | None = None) -> bool:
    """Add, change or delete activities of a site in a fiscal year (also by import)."""
    return can_view_site(user, site_id) and closed_reason(user, year, now=now) is None


def can_edit(user, activity, year, *, now: datetime | None = None) -> bool:
    return can_change_site(user, activity.site_id, year, now=now)


def can_import_any_site(user) -> bool:
    """Import rows of several sites, named by their code: admins."""
    return is_admin(user)


def can_manage_reporting(user) -> bool:
    """Set a fiscal year's reporting deadline and lock it: admins."""
    return is_admin(user)
