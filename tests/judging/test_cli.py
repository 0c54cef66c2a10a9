"""`flask ranking`: the region's ranking as the page computes it, as a table or JSON."""
from __future__ import annotations

import json

from awards_app.core.enums import NominationStatus

KEYS = ["rank", "nomination_id", "title", "site_code", "reviews", "assigned", "weighted_mean", "normalised",
        "adjusted", "adjusted_low", "adjusted_high", "p_top", "flags", "proposed"]


def _entries(world, make_nomination, make_user, make_assignment, make_sheet):
    one, two = make_user("judge", name="Judge One"), make_user("judge", name="Judge Two")
    river = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED, title="River")
    forest = make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED, title="Forest")
    lone = make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED, title="Lone")
    make_sheet(make_assignment(river, one), [5, 5, 4])
    make_sheet(make_assignment(river, two), [4, 4, 4])
    make_sheet(make_assignment(forest, one), [3, 3, 3])
    make_sheet(make_assignment(forest, two), [3, 2, 3])
    make_sheet(make_assignment(lone, one), [5, 5, 5])
    make_assignment(lone, two)
    return river, forest, lone


def test_json_has_exactly_the_keys_and_marks_the_proposal(runner, world, make_nomination, make_user,
                                                         make_assignment, make_sheet):
    river, forest, lone = _entries(world, make_nomination, make_user, make_assignment, make_sheet)
    result = runner.invoke(args=["ranking", "--cycle", world.cycle.label, "--region", "japan",
                                 "--method", "weighted", "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert all(list(record) == KEYS for record in records)
    assert [r["nomination_id"] for r in records] == [lone.id, river.id, forest.id]  # by weighted mean
    by_id = {r["nomination_id"]: r for r in records}
    assert by_id[lone.id]["flags"] == ["insufficient_reviews", "incomplete"] and not by_id[lone.id]["proposed"]
    assert by_id[river.id]["proposed"] and by_id[river.id]["site_code"] == "SITE-A"
    assert by_id[river.id]["reviews"] == 2 and by_id[lone.id]["assigned"] == 2
    assert abs(by_id[river.id]["weighted_mean"] - 13 / 3) < 1e-9 and by_id[forest.id]["normalised"] < 0
    assert abs(sum(r["p_top"] for r in records) - 1) < 1e-9
    assert all(r["adjusted_low"] < r["adjusted"] < r["adjusted_high"] for r in records)


def test_table_is_the_default(runner, world, make_nomination, make_user, make_assignment, make_sheet):
    _entries(world, make_nomination, make_user, make_assignment, make_sheet)
    result = runner.invoke(args=["ranking", "--cycle", world.cycle.label, "--region", "japan"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["rank", "id", "site"]
    assert any("River" in line and "proposed" in line for line in lines)


def test_unknown_cycle_and_region_are_refused(runner, world):
    result = runner.invoke(args=["ranking", "--cycle", "FY1999", "--region", "japan"])
    assert result.exit_code != 0 and "unknown cycle: FY1999" in result.output
    result = runner.invoke(args=["ranking", "--cycle", world.cycle.label, "--region", "mars"])
    assert result.exit_code != 0 and "mars" in result.output
