from types import SimpleNamespace

import pytest

from awards_app.core.enums import Phase
from awards_app.cycles import permissions

SETUP, OPEN, JUDGING, FINAL = Phase.SETUP, Phase.NOMINATIONS_OPEN, Phase.JUDGING, Phase.FINALISED


def cycle(phase):
    return SimpleNamespace(phase=phase)


@pytest.mark.parametrize(
    ("check", "allowed_in"),
    [
        (permissions.can_edit_settings, {SETUP, OPEN, JUDGING}),
        (permissions.can_change_scale, {SETUP}),
        (permissions.can_add_criteria, {SETUP}),
        (permissions.can_delete_criteria, {SETUP}),
        (permissions.can_edit_criteria, {SETUP, OPEN}),
        (permissions.can_reorder_criteria, {SETUP, OPEN}),
        (permissions.can_change_criterion_key, {SETUP}),
        (permissions.can_add_award_categories, {SETUP}),
        (permissions.can_delete_award_categories, {SETUP}),
        (permissions.can_edit_award_categories, {SETUP, OPEN}),
        (permissions.can_reorder_award_categories, {SETUP, OPEN}),
        (permissions.can_change_award_category_key, {SETUP}),
    ],
)
def test_phase_rules(check, allowed_in):
    assert {phase for phase in Phase if check(cycle(phase))} == allowed_in


def test_can_change_phase_follows_the_transition_map():
    assert permissions.can_change_phase(cycle(SETUP), OPEN)
    assert not permissions.can_change_phase(cycle(SETUP), JUDGING)
    assert not any(permissions.can_change_phase(cycle(FINAL), target) for target in Phase)


def user(**flags):
    values = {"is_authenticated": True, "is_admin": False, "is_active": True}
    values.update(flags)
    return SimpleNamespace(**values)


def test_can_manage_cycles_is_for_active_admins_only():
    assert permissions.can_manage_cycles(user(is_admin=True))
    assert not permissions.can_manage_cycles(user(is_admin=True, is_active=False))
    assert not permissions.can_manage_cycles(user())
    assert not permissions.can_manage_cycles(user(is_admin=True, is_authenticated=False))
    assert not permissions.can_manage_cycles(None)
