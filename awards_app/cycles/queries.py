from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from awards_app.core.enums import NominationStatus
from awards_app.cycles.fiscal import fiscal_year_of
from awards_app.cycles.models import Criterion, Cycle
from awards_app.extensions import db
from awards_app.nominations.models import Nomination


def list_cycles_query():
    """Newest fiscal year first. The list shows no collections, so nothing else is loaded."""
    return select(Cycle).order_by(Cycle.fiscal_year.desc())


def get_cycle_overview_query(cycle_id: int):
    """One cycle with its criteria (and their rubric) and award categories."""
    return (
        select(Cycle)
        .where(Cycle.id == cycle_id)
        .options(
            selectinload(Cycle.criteria).selectinload(Criterion.rubric_levels),
            selectinload(Cycle.award_categories),
        )
    )


def count_nominations_by_status(cycle_ids: list[int] | None = None) -> dict[int, dict[NominationStatus, int]]:
    """{cycle id: {status: count}} for every status (zeros included), in one grouped query."""
    query = select(Nomination.cycle_id, Nomination.status, func.count()).group_by(
        Nomination.cycle_id, Nomination.status
    )
    if cycle_ids is not None:
        if not cycle_ids:
            return {}
        query = query.where(Nomination.cycle_id.in_(cycle_ids))
    counts: dict[int, dict[NominationStatus, int]] = defaultdict(
        lambda: {status: 0 for status in NominationStatus}
    )
    for cycle_id in cycle_ids or ():
        counts[cycle_id]  # every asked-for cycle gets a row of zeros
    for cycle_id, status, number in db.session.execute(query):
        counts[cycle_id][NominationStatus(status)] = number
    return dict(counts)


def count_nominations(cycle_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Nomination).where(Nomination.cycle_id == cycle_id))


def get_cycle_by_fiscal_year(fiscal_year: int) -> Cycle | None:
    return db.session.scalar(select(Cycle).where(Cycle.fiscal_year == fiscal_year))


def suggest_fiscal_year(today: date) -> int:
    """The fiscal year a new cycle most likely is: today's, or the one after the latest cycle."""
    current = fiscal_year_of(today)
    taken = set(db.session.scalars(select(Cycle.fiscal_year).where(Cycle.fiscal_year >= current)))
    year = current
    while year in taken:
        year += 1
    return year
