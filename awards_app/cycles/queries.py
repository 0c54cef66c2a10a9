from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from awards_app.cycles.fiscal import cycle_label, fiscal_year_of, parse_cycle_label
from awards_app.cycles.models import Criterion, Cycle
from awards_app.extensions import db


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


def get_cycle_by_fiscal_year(fiscal_year: int) -> Cycle | None:
    return db.session.scalar(select(Cycle).where(Cycle.fiscal_year == fiscal_year))


def get_cycle_by_label(label: str) -> Cycle | None:
    """The cycle a label names (`FY2013`, `fy2013`, `2013`), or None, as the commands take it."""
    fiscal_year = parse_cycle_label(label)
    return get_cycle_by_fiscal_year(fiscal_year) if fiscal_year is not None else None


def list_cycle_labels() -> list[str]:
    """Every cycle's label, oldest first (to tell the commands' users what exists)."""
    return [cycle_label(year) for year in db.session.scalars(select(Cycle.fiscal_year).order_by(Cycle.fiscal_year))]


def suggest_fiscal_year(today: date) -> int:
    """The fiscal year a new cycle most likely is: today's, or the one after the latest cycle."""
    current = fiscal_year_of(today)
    taken = set(db.session.scalars(select(Cycle.fiscal_year).where(Cycle.fiscal_year >= current)))
    year = current
    while year in taken:
        year += 1
    return year
