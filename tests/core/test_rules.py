"""accepts_nominations(): only while nominations are open and before the deadline."""
from datetime import datetime, timedelta, timezone

import pytest

from awards_app.core.enums import Phase
from awards_app.cycles.rules import accepts_nominations

DEADLINE = datetime(2013, 1, 31, 8, 0, tzinfo=timezone.utc)  # 17:00 in Tokyo
SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(
    "phase, now, accepted",
    [
        (Phase.NOMINATIONS_OPEN, DEADLINE - timedelta(days=30), True),
        (Phase.NOMINATIONS_OPEN, DEADLINE - SECOND, True),
        (Phase.NOMINATIONS_OPEN, DEADLINE, False),  # the deadline itself is too late
        (Phase.NOMINATIONS_OPEN, DEADLINE + SECOND, False),
        (Phase.SETUP, DEADLINE - timedelta(days=30), False),
        (Phase.JUDGING, DEADLINE - timedelta(days=30), False),
        (Phase.FINALISED, DEADLINE - timedelta(days=30), False),
    ],
)
def test_accepts_nominations(phase, now, accepted):
    assert accepts_nominations(phase, DEADLINE, now) is accepted


def test_deadline_compares_instants_not_wall_clock():
    tokyo = timezone(timedelta(hours=9))
    assert accepts_nominations(Phase.NOMINATIONS_OPEN, DEADLINE, datetime(2013, 1, 31, 16, 59, tzinfo=tokyo))
    assert not accepts_nominations(Phase.NOMINATIONS_OPEN, DEADLINE, datetime(2013, 1, 31, 17, 0, tzinfo=tokyo))
