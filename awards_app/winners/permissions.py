"""Who sees a cycle's winners' page, and who manages it. Pure functions, never raising.

The page says who won, so it exists once the results are final: for every logged-in user, and
for anyone (no login) once an admin has made it public. Only admins choose the photos and make
the page public. ``closed_reason`` is the state-only rule the services refuse with.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from awards_app.core.enums import Phase
from awards_app.core.permissions import is_active_user, is_admin


def results_final(cycle) -> bool:
    return cycle.phase == Phase.FINALISED and cycle.finalised_at is not None


def closed_reason(cycle):
    """None once the results are final, else why the winners' page cannot be changed yet."""
    if results_final(cycle):
        return None
    return _l("The winners' page exists once the results are final.")


def can_see_winners(user, cycle, *, now: datetime | None = None) -> bool:
    """The winners' page of `cycle` (and the photos it shows)."""
    if not results_final(cycle):
        return False
    return bool(cycle.winners_public) or is_active_user(user)


def can_manage_winners(user) -> bool:
    """Choose the photos and make the page public or not."""
    return is_admin(user)


def can_change_winners(user, cycle, *, now: datetime | None = None) -> bool:
    return can_manage_winners(user) and closed_reason(cycle) is None
