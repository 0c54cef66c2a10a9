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
