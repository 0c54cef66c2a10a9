"""What may be done to a cycle, by phase. Pure functions, never raising.

Only admins reach these pages (core.permissions.admin_required); what remains to decide is what
the cycle's phase still allows. Once judging has started the ground rules stay fixed: judges
score against the criteria, weights and rubric they were given.
"""
from __future__ import annotations

from awards_app.core.enums import Phase

_EDITABLE = (Phase.SETUP, Phase.NOMINATIONS_OPEN)


def can_edit_settings(cycle) -> bool:
    """Deadlines can move (e.g. extend judging) until the results are final."""
    return cycle.phase != Phase.FINALISED


def can_change_scale(cycle) -> bool:
    return cycle.phase == Phase.SETUP


# --- criteria ----------------------------------------------------------------------------------


def can_add_criteria(cycle) -> bool:
    return cycle.phase == Phase.SETUP


def can_delete_criteria(cycle) -> bool:
    return cycle.phase == Phase.SETUP


def can_edit_criteria(cycle) -> bool:
    """Names, guidance, rubric text, weight and order; the key only in setup."""
    return cycle.phase in _EDITABLE


def can_reorder_criteria(cycle) -> bool:
    return can_edit_criteria(cycle)


def can_change_criterion_key(cycle) -> bool:
    return cycle.phase == Phase.SETUP


# --- award categories --------------------------------------------------------------------------


def can_add_award_categories(cycle) -> bool:
    return cycle.phase == Phase.SETUP


def can_delete_award_categories(cycle) -> bool:
    return cycle.phase == Phase.SETUP


def can_edit_award_categories(cycle) -> bool:
    return cycle.phase in _EDITABLE


def can_reorder_award_categories(cycle) -> bool:
    return can_edit_award_categories(cycle)


def can_change_award_category_key(cycle) -> bool:
    return cycle.phase == Phase.SETUP
