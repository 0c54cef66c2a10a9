"""Reads for the statistics pages: grouped queries whose number never depends on the data.

A cycle's page costs two queries (figures grouped by site × theme × biodiversity, and
nominations per status); the page across cycles costs three (the cycles, figures grouped by
cycle × country × theme × biodiversity, nominations per cycle and status). The adding-up is done
in `figures.summarise` on those few rows.
"""
from __future__ import annotations

from sqlalchemy import func, select

from awards_app.core.enums import NominationStatus, Region
from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from awards_app.nominations.models import Nomination
from awards_app.sites.models import Site
from awards_app.stats.figures import (
    COUNTED,
    Figures,
    Group,
    Summary,
    as_hours,
    summarise,
)

_COUNT = func.count(Nomination.id)
_PARTICIPANTS = func.coalesce(func.sum(Nomination.participants), 0)
_HOURS = func.coalesce(func.sum(Nomination.volunteer_hours), 0)


def list_cycles() -> list[Cycle]:
    """Every cycle, oldest fiscal year first (the order of the columns across cycles)."""
    return db.session.scalars(select(Cycle).order_by(Cycle.fiscal_year)).all()


def _status_counts(cycle_ids: list[int] | None) -> dict[int, dict[NominationStatus, int]]:
    query = select(Nomination.cycle_id, Nomination.status, _COUNT).group_by(Nomination.cycle_id, Nomination.status)
    if cycle_ids is not None:
        query = query.where(Nomination.cycle_id.in_(cycle_ids))
    counts: dict[int, dict[NominationStatus, int]] = {}
    for cycle_id, status, number in db.session.execute(query):
        counts.setdefault(cycle_id, {})[status] = int(number)
    return counts


def get_cycle_summary(cycle: Cycle) -> Summary:
    """The cycle's submitted nominations added up by region, country, theme, biodiversity and site."""
    rows = db.session.execute(
        select(
            Site.id, Site.name_en, Site.name_ja, Site.country, Nomination.theme, Nomination.biodiversity,
            _COUNT, _PARTICIPANTS, _HOURS,
        )
        .join(Site, Site.id == Nomination.site_id)
        .where(Nomination.cycle_id == cycle.id, Nomination.status == COUNTED)
        .group_by(Site.id, Site.name_en, Site.name_ja, Site.country, Nomination.theme, Nomination.biodiversity)
    ).all()
    groups = [
        Group(
            country=country, theme=theme, biodiversity=bool(biodiversity),
            figures=Figures(int(count), int(participants), as_hours(hours)),
            site_id=site_id, site_name_en=name_en, site_name_ja=name_ja,
        )
        for site_id, name_en, name_ja, country, theme, biodiversity, count, participants, hours in rows
    ]
    return summarise(groups, _status_counts([cycle.id]).get(cycle.id, {}))


def get_summaries_by_cycle(cycles: list[Cycle]) -> dict[int, Summary]:
    """A summary per cycle (without the breakdown by site), from one grouped query."""
    ids = [cycle.id for cycle in cycles]
    if not ids:
        return {}
    rows = db.session.execute(
        select(
            Nomination.cycle_id, Site.country, Nomination.theme, Nomination.biodiversity,
            _COUNT, _PARTICIPANTS, _HOURS,
        )
        .join(Site, Site.id == Nomination.site_id)
        .where(Nomination.cycle_id.in_(ids), Nomination.status == COUNTED)
        .group_by(Nomination.cycle_id, Site.country, Nomination.theme, Nomination.biodiversity)
    ).all()
    groups: dict[int, list[Group]] = {cycle_id: [] for cycle_id in ids}
    for cycle_id, country, theme, biodiversity, count, participants, hours in rows:
        groups[cycle_id].append(
            Group(country, theme, bool(biodiversity), Figures(int(count), int(participants), as_hours(hours)))
        )
    counts = _status_counts(ids)
    return {cycle_id: summarise(groups[cycle_id], counts.get(cycle_id, {})) for cycle_id in ids}


def count_nominated_activities() -> dict[int, dict]:
    """{fiscal year: {Region: count}} of the submitted nominations made from an activity, in one
    query: how many of the year's activities were put forward for the awards."""
    region = Site.region
    rows = db.session.execute(
        select(Cycle.fiscal_year, region, _COUNT)
        .join(Cycle, Cycle.id == Nomination.cycle_id)
        .join(Site, Site.id == Nomination.site_id)
        .where(Nomination.activity_id.is_not(None), Nomination.status == COUNTED)
        .group_by(Cycle.fiscal_year, region)
    ).all()
    counts: dict[int, dict] = {}
    for fiscal_year, region_value, number in rows:
        counts.setdefault(fiscal_year, {})[Region(region_value)] = int(number)
    return counts
