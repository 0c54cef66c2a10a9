"""Each export runs the same number of SQL queries whatever the size of the cycle."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from awards_app.cycles.models import Cycle
from awards_app.exports.services import build_export
from awards_app.extensions import db
from awards_app.judging.models import ScoreSheet
from awards_app.nominations.models import Nomination


def queries_for(count_queries, cycle, kind, fmt) -> int:
    db.session.expire_all()  # nothing already loaded: every read is counted
    cycle = db.session.get(Cycle, cycle.id)
    assert cycle.label == "FY2013"  # the cycle itself is loaded by the caller (the view's get_or_404)
    with count_queries() as statements:
        export = build_export(cycle, kind, fmt)
        data = b"".join(export.chunks)  # a streamed CSV must not query while it is sent
    assert data
    return len(statements)


@pytest.mark.parametrize("kind, limit", [("nominations", 3), ("scores", 4), ("results", 16)])  # results: the last round, both regions' rankings, the award categories (what-if), the revisions
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_query_count_does_not_grow_with_the_data(world, grow, count_queries, kind, fmt, limit):
    small = queries_for(count_queries, world.cycle, kind, fmt)
    grow(12)
    assert db.session.scalar(select(func.count(Nomination.id))) == 8 + 24
    assert db.session.scalar(select(func.count(ScoreSheet.id))) == 13 + 72
    large = queries_for(count_queries, world.cycle, kind, fmt)
    assert small == large == limit


def test_the_large_export_really_has_more_rows(world, grow):
    before = build_export(world.cycle, "scores", "csv").rows
    grow(12)
    assert build_export(world.cycle, "scores", "csv").rows == before + 24 * 3 * 3
