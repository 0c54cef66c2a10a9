"""Who may change a cycle, and what its phase still allows. Pure functions, never raising.

Only admins manage cycles. What remains to decide is what the cycle's phase still allows: once
judging has started the ground rules stay fixed — judges score against the criteria, weights and
rubric they were given.

The ``*_closed_reason`` functions say why the phase refuses a change (a lazily translated
message), or None while it is open: the services raise with that message and the views show it,
so that both answer with one rule and one message. The ``can_*`` functions add the admin check,
for the views and the overview page. A cycle's rules depend on its phase alone; ``now`` is taken
like everywhere else and not needed here.
"""
from __future__ import annotations

from typing import Literal

from flask_babel import lazy_gettext as _l

from awards_app.core.enums import Phase
from awards_app.core.permissions import is_admin

SETTINGS_LOCKED = _l("The results of this cycle are final; its settings can no longer change.")
SCALE_LOCKED = _l("The scale can only be changed while the cycle is in setup.")
KEY_LOCKED = _l("The key can only be changed while the cycle is in setup.")
CRITERIA_ADD_LOCKED = _l("Criteria can only be added while the cycle is in setup.")
CRITERIA_DELETE_LOCKED = _l("Criteria can only be removed while the cycle is in setup.")
CRITERIA_EDIT_LOCKED = _l("Judging has started: the criteria of this cycle can no longer change.")
CATEGORIES_ADD_LOCKED = _l("Award categories can only be added while the cycle is in setup.")
CATEGORIES_DELETE_LOCKED = _l("Award categories can only be removed while the cycle is in setup.")
CATEGORIES_EDIT_LOCKED = _l("Judging has started: the award categories of this cycle can no longer change.")

# What can be done to a cycle's criteria and award categories. "edit" covers names, guidance,
# rubric text and weight; "rekey" is changing an item's key.
Action = Literal["add", "delete", "edit", "reorder", "rekey"]

_EDITABLE = (Phase.SETUP, Phase.NOMINATIONS_OPEN)
_OPEN_IN: dict[str, tuple[Phase, ...]] = {
    "add": (Phase.SETUP,),
    "delete": (Phase.SETUP,),
    "edit": _EDITABLE,
    "reorder": _EDITABLE,
    "rekey": (Phase.SETUP,),
}
_CRITERIA_LOCKED = {
    "add": CRITERIA_ADD_LOCKED,
    "delete": CRITERIA_DELETE_LOCKED,
    "edit": CRITERIA_EDIT_LOCKED,
    "reorder": CRITERIA_EDIT_LOCKED,
    "rekey": KEY_LOCKED,
}
_CATEGORIES_LOCKED = {
    "add": CATEGORIES_ADD_LOCKED,
    "delete": CATEGORIES_DELETE_LOCKED,
    "edit": CATEGORIES_EDIT_LOCKED,
    "reorder": CATEGORIES_EDIT_LOCKED,
    "rekey": KEY_LOCKED,
}


# --- why the phase refuses a change ------------------------------------------------------------


def settings_closed_reason(cycle):
    """Deadlines can move (e.g. extend judging) until the results are final."""
    return SETTINGS_LOCKED if cycle.phase == Phase.FINALISED else None


def scale_closed_reason(cycle):
    return None if cycle.phase == Phase.SETUP else SCALE_LOCKED


def criteria_closed_reason(cycle, action: Action):
    """Why `action` on the criteria of `cycle` is refused now, or None while it is allowed."""
    return None if cycle.phase in _OPEN_IN[action] else _CRITERIA_LOCKED[action]


def award_categories_closed_reason(cycle, action: Action):
    """Why `action` on the award categories of `cycle` is refused now, or None while it is allowed."""
    return None if cycle.phase in _OPEN_IN[action] else _CATEGORIES_LOCKED[action]


# --- who may do it now -------------------------------------------------------------------------


def can_manage_cycles(user) -> bool:
    """See the cycles and their pages; what each change needs besides is below."""
    return is_admin(user)


def can_edit_settings(user, cycle, *, now=None) -> bool:
    return is_admin(user) and settings_closed_reason(cycle) is None


def can_change_scale(user, cycle, *, now=None) -> bool:
    return is_admin(user) and scale_closed_reason(cycle) is None


def can_add_criteria(user, cycle, *, now=None) -> bool:
    return is_admin(user) and criteria_closed_reason(cycle, "add") is None


def can_delete_criteria(user, cycle, *, now=None) -> bool:
    return is_admin(user) and criteria_closed_reason(cycle, "delete") is None


def can_edit_criteria(user, cycle, *, now=None) -> bool:
    """Names, guidance, rubric text and weight; the key only in setup (can_change_criterion_key)."""
    return is_admin(user) and criteria_closed_reason(cycle, "edit") is None


def can_reorder_criteria(user, cycle, *, now=None) -> bool:
    return is_admin(user) and criteria_closed_reason(cycle, "reorder") is None


def can_change_criterion_key(user, cycle, *, now=None) -> bool:
    return is_admin(user) and criteria_closed_reason(cycle, "rekey") is None


def can_add_award_categories(user, cycle, *, now=None) -> bool:
    return is_admin(user) and award_categories_closed_reason(cycle, "add") is None


def can_delete_award_categories(user, cycle, *, now=None) -> bool:
    return is_admin(user) and award_categories_closed_reason(cycle, "delete") is None


def can_edit_award_categories(user, cycle, *, now=None) -> bool:
    return is_admin(user) and award_categories_closed_reason(cycle, "edit") is None


def can_reorder_award_categories(user, cycle, *, now=None) -> bool:
    return is_admin(user) and award_categories_closed_reason(cycle, "reorder") is None


def can_change_award_category_key(user, cycle, *, now=None) -> bool:
    return is_admin(user) and award_categories_closed_reason(cycle, "rekey") is None
