from datetime import datetime, timedelta, timezone

import pytest

from awards_app.core.enums import Phase
from awards_app.cycles import rules
from awards_app.cycles.rules import PhaseProblem

NOW = datetime(2013, 1, 10, 9, 0, tzinfo=timezone.utc)
LATER = NOW + timedelta(days=7)
EARLIER = NOW - timedelta(days=7)


def problems(current, target, *, criteria=3, categories=2, nominations=0, deadline=LATER):
    return rules.phase_change_problems(
        current, target, criteria_count=criteria, award_category_count=categories,
        nomination_count=nominations, nomination_deadline=deadline, now=NOW,
    )


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (Phase.SETUP, (Phase.NOMINATIONS_OPEN,)),
        (Phase.NOMINATIONS_OPEN, (Phase.JUDGING, Phase.SETUP)),
        (Phase.JUDGING, (Phase.FINALISED, Phase.NOMINATIONS_OPEN)),
        (Phase.FINALISED, ()),
    ],
)
def test_allowed_transitions(current, expected):
    assert rules.allowed_transitions(current) == expected


def test_every_phase_has_a_transition_entry_and_a_step():
    assert set(rules.TRANSITIONS) == set(Phase)
    assert [rules.phase_step(phase) for phase in rules.PHASE_ORDER] == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (Phase.SETUP, Phase.JUDGING),
        (Phase.SETUP, Phase.FINALISED),
        (Phase.SETUP, Phase.SETUP),
        (Phase.NOMINATIONS_OPEN, Phase.FINALISED),
        (Phase.JUDGING, Phase.SETUP),
        (Phase.FINALISED, Phase.JUDGING),
        (Phase.FINALISED, Phase.SETUP),
    ],
)
def test_moves_outside_the_map_are_refused(current, target):
    assert problems(current, target) == [PhaseProblem.NOT_ALLOWED]


def test_opening_nominations_with_everything_in_place_is_fine():
    assert problems(Phase.SETUP, Phase.NOMINATIONS_OPEN) == []


def test_opening_nominations_needs_criteria_categories_and_a_future_deadline():
    assert problems(Phase.SETUP, Phase.NOMINATIONS_OPEN, criteria=0, categories=0, deadline=EARLIER) == [
        PhaseProblem.NO_CRITERIA,
        PhaseProblem.NO_AWARD_CATEGORIES,
        PhaseProblem.DEADLINE_PASSED,
    ]


def test_a_deadline_exactly_now_counts_as_passed():
    assert problems(Phase.SETUP, Phase.NOMINATIONS_OPEN, deadline=NOW) == [PhaseProblem.DEADLINE_PASSED]


def test_reopening_nominations_after_the_deadline_is_refused():
    assert problems(Phase.JUDGING, Phase.NOMINATIONS_OPEN, deadline=EARLIER) == [PhaseProblem.DEADLINE_PASSED]
    assert problems(Phase.JUDGING, Phase.NOMINATIONS_OPEN, deadline=LATER) == []


def test_back_to_setup_only_without_nominations():
    assert problems(Phase.NOMINATIONS_OPEN, Phase.SETUP, nominations=0) == []
    assert problems(Phase.NOMINATIONS_OPEN, Phase.SETUP, nominations=1) == [PhaseProblem.HAS_NOMINATIONS]


def test_judging_and_finalising_have_no_extra_conditions():
    assert problems(Phase.NOMINATIONS_OPEN, Phase.JUDGING, deadline=LATER) == []
    assert problems(Phase.NOMINATIONS_OPEN, Phase.JUDGING, deadline=EARLIER) == []
    assert problems(Phase.JUDGING, Phase.FINALISED) == []


def test_closes_nominations_early():
    assert rules.closes_nominations_early(Phase.NOMINATIONS_OPEN, Phase.JUDGING, LATER, NOW)
    assert not rules.closes_nominations_early(Phase.NOMINATIONS_OPEN, Phase.JUDGING, EARLIER, NOW)
    assert not rules.closes_nominations_early(Phase.NOMINATIONS_OPEN, Phase.SETUP, LATER, NOW)


SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(
    "phase, now, accepted",
    [
        (Phase.NOMINATIONS_OPEN, LATER - timedelta(days=30), True),
        (Phase.NOMINATIONS_OPEN, LATER - SECOND, True),
        (Phase.NOMINATIONS_OPEN, LATER, False),  # the deadline itself is too late
        (Phase.NOMINATIONS_OPEN, LATER + SECOND, False),
        (Phase.SETUP, NOW, False),
        (Phase.JUDGING, NOW, False),
        (Phase.FINALISED, NOW, False),
    ],
)
def test_accepts_nominations_only_while_open_and_before_the_deadline(phase, now, accepted):
    assert rules.accepts_nominations(phase, LATER, now) is accepted


def test_the_deadline_compares_instants_not_wall_clock():
    deadline = datetime(2013, 1, 31, 8, 0, tzinfo=timezone.utc)  # 17:00 in Tokyo
    tokyo = timezone(timedelta(hours=9))
    assert rules.accepts_nominations(Phase.NOMINATIONS_OPEN, deadline, datetime(2013, 1, 31, 16, 59, tzinfo=tokyo))
    assert not rules.accepts_nominations(Phase.NOMINATIONS_OPEN, deadline, datetime(2013, 1, 31, 17, 0, tzinfo=tokyo))


def test_accepts_scores_only_while_judging_and_before_the_deadline():
    assert rules.accepts_scores(Phase.JUDGING, LATER, NOW)
    assert not rules.accepts_scores(Phase.JUDGING, EARLIER, NOW)
    assert not rules.accepts_scores(Phase.FINALISED, LATER, NOW)


def test_swap_positions():
    assert rules.swap_positions([7, 8, 9], 8, -1) == [8, 7, 9]
    assert rules.swap_positions([7, 8, 9], 8, 1) == [7, 9, 8]
    assert rules.swap_positions([7, 8, 9], 7, -1) is None
    assert rules.swap_positions([7, 8, 9], 9, 1) is None
    assert rules.swap_positions([7, 8, 9], 4, 1) is None
    assert rules.swap_positions([7, 8, 9], 8, 0) is None


def test_levels_outside():
    assert rules.levels_outside([1, 3, 5, 5], 1, 5) == []
    assert rules.levels_outside([1, 3, 5, 5], 1, 4) == [5]
    assert rules.levels_outside([0, 1, 3, 5], 1, 3) == [0, 5]
