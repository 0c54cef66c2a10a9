from types import SimpleNamespace

import pytest

from awards_app.core.enums import Phase
from awards_app.cycles import permissions, services

SETUP, OPEN, JUDGING, FINAL = Phase.SETUP, Phase.NOMINATIONS_OPEN, Phase.JUDGING, Phase.FINALISED
ACTIONS = ("add", "delete", "edit", "reorder", "rekey")


def cycle(phase):
    return SimpleNamespace(phase=phase)


def person(**roles):
    flags = {"is_admin": False, "is_judge": False, "is_submitter": False, **roles}
    return SimpleNamespace(is_authenticated=True, is_active=True, site_ids=set(), **flags)


ADMIN = person(is_admin=True)
CHECKS = [
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
]


@pytest.mark.parametrize(("check", "allowed_in"), CHECKS)
def test_phase_rules_for_an_admin(check, allowed_in):
    assert {phase for phase in Phase if check(ADMIN, cycle(phase))} == allowed_in


NOT_ADMINS = [
    None,
    SimpleNamespace(is_authenticated=False, is_active=False, is_admin=False),
    person(is_judge=True),
    person(is_submitter=True),
    SimpleNamespace(is_authenticated=True, is_active=False, is_admin=True),  # deactivated
]


@pytest.mark.parametrize("user", NOT_ADMINS)
@pytest.mark.parametrize(("check", "allowed_in"), CHECKS)
def test_only_active_admins_may_change_a_cycle(check, allowed_in, user):
    assert not any(check(user, cycle(phase)) for phase in Phase)
    assert not permissions.can_manage_cycles(user)


def test_active_admins_manage_cycles():
    assert permissions.can_manage_cycles(ADMIN)


@pytest.mark.parametrize("reason", [permissions.criteria_closed_reason, permissions.award_categories_closed_reason])
@pytest.mark.parametrize("action", ACTIONS)
def test_a_closed_reason_is_given_exactly_when_the_phase_refuses(reason, action):
    check = {
        (permissions.criteria_closed_reason, "add"): permissions.can_add_criteria,
        (permissions.criteria_closed_reason, "delete"): permissions.can_delete_criteria,
        (permissions.criteria_closed_reason, "edit"): permissions.can_edit_criteria,
        (permissions.criteria_closed_reason, "reorder"): permissions.can_reorder_criteria,
        (permissions.criteria_closed_reason, "rekey"): permissions.can_change_criterion_key,
        (permissions.award_categories_closed_reason, "add"): permissions.can_add_award_categories,
        (permissions.award_categories_closed_reason, "delete"): permissions.can_delete_award_categories,
        (permissions.award_categories_closed_reason, "edit"): permissions.can_edit_award_categories,
        (permissions.award_categories_closed_reason, "reorder"): permissions.can_reorder_award_categories,
        (permissions.award_categories_closed_reason, "rekey"): permissions.can_change_award_category_key,
    }[(reason, action)]
    for phase in Phase:
        closed = reason(cycle(phase), action)
        assert (closed is None) == check(ADMIN, cycle(phase))
        assert closed is None or str(closed)


@pytest.mark.parametrize(
    ("reason", "check"),
    [
        (permissions.settings_closed_reason, permissions.can_edit_settings),
        (permissions.scale_closed_reason, permissions.can_change_scale),
    ],
)
def test_settings_and_scale_are_closed_with_a_reason(reason, check):
    for phase in Phase:
        assert (reason(cycle(phase)) is None) == check(ADMIN, cycle(phase))


def test_the_messages_say_what_is_closed():
    assert permissions.criteria_closed_reason(cycle(OPEN), "add") == permissions.CRITERIA_ADD_LOCKED
    assert permissions.criteria_closed_reason(cycle(OPEN), "delete") == permissions.CRITERIA_DELETE_LOCKED
    assert permissions.criteria_closed_reason(cycle(JUDGING), "edit") == permissions.CRITERIA_EDIT_LOCKED
    assert permissions.criteria_closed_reason(cycle(JUDGING), "reorder") == permissions.CRITERIA_EDIT_LOCKED
    assert permissions.award_categories_closed_reason(cycle(OPEN), "add") == permissions.CATEGORIES_ADD_LOCKED
    assert permissions.award_categories_closed_reason(cycle(JUDGING), "edit") == permissions.CATEGORIES_EDIT_LOCKED
    assert permissions.criteria_closed_reason(cycle(OPEN), "rekey") == permissions.KEY_LOCKED
    assert permissions.settings_closed_reason(cycle(FINAL)) == permissions.SETTINGS_LOCKED
    assert permissions.scale_closed_reason(cycle(OPEN)) == permissions.SCALE_LOCKED


@pytest.mark.parametrize("phase", [OPEN, JUDGING, FINAL])
def test_the_service_refuses_with_the_reason_the_view_shows(make_cycle, admin, phase):
    """One rule, one message: what a service raises is what cycles.permissions answers."""
    locked = make_cycle(2030, phase=phase)
    criterion, category = locked.criteria[0], locked.award_categories[0]
    attempts = [
        (lambda: services.create_criterion(admin, locked, {}), permissions.criteria_closed_reason(locked, "add")),
        (lambda: services.delete_criterion(admin, criterion), permissions.criteria_closed_reason(locked, "delete")),
        (lambda: services.create_award_category(admin, locked, {}),
         permissions.award_categories_closed_reason(locked, "add")),
        (lambda: services.delete_award_category(admin, category),
         permissions.award_categories_closed_reason(locked, "delete")),
    ]
    if phase != OPEN:
        attempts += [
            (lambda: services.update_criterion(admin, criterion, {}), permissions.criteria_closed_reason(locked, "edit")),
            (lambda: services.move_criterion(admin, criterion, 1), permissions.criteria_closed_reason(locked, "reorder")),
            (lambda: services.update_award_category(admin, category, {}),
             permissions.award_categories_closed_reason(locked, "edit")),
        ]
    for attempt, reason in attempts:
        assert reason is not None
        with pytest.raises(services.CycleLocked) as refused:
            attempt()
        assert refused.value.message == reason
