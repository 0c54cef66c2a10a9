"""Reading nominations. Every query states what it loads, so that pages make a fixed number of
SQL statements whatever the amount of data."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from awards_app.activities.models import Activity
from awards_app.core.enums import NominationStatus, Phase, Region
from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from awards_app.nominations.models import Attachment, Nomination
from awards_app.sites.models import Site

ADMIN_PAGE_SIZE = 50


def get_nomination(nomination_id: int) -> Nomination | None:
    """One nomination with everything its page shows: site, cycle and criteria, statements,
    attachments and creator."""
    return db.session.scalar(
        select(Nomination)
        .where(Nomination.id == nomination_id)
        .options(
            joinedload(Nomination.site),
            joinedload(Nomination.cycle).selectinload(Cycle.criteria),
            joinedload(Nomination.created_by),
            selectinload(Nomination.statements),
            selectinload(Nomination.attachments),
        )
    )


def get_attachment(attachment_id: int) -> Attachment | None:
    """An attachment with its nomination and the nomination's cycle (needed for permissions)."""
    return db.session.scalar(
        select(Attachment)
        .where(Attachment.id == attachment_id)
        .options(joinedload(Attachment.nomination).joinedload(Nomination.cycle))
    )


def get_cycle(cycle_id: int) -> Cycle | None:
    return db.session.scalar(select(Cycle).where(Cycle.id == cycle_id).options(selectinload(Cycle.criteria)))


def list_cycles() -> list[Cycle]:
    """All cycles, newest fiscal year first."""
    return list(db.session.scalars(select(Cycle).order_by(Cycle.fiscal_year.desc())))


def list_open_cycles(now: datetime) -> list[Cycle]:
    """Cycles accepting nominations at `now`, newest first."""
    return list(
        db.session.scalars(
            select(Cycle)
            .where(Cycle.phase == Phase.NOMINATIONS_OPEN, Cycle.nomination_deadline > now)
            .order_by(Cycle.fiscal_year.desc())
        )
    )


def list_site_nominations(site_ids) -> list[Nomination]:
    """Every nomination of these sites, with cycle and site, newest cycle first."""
    if not site_ids:
        return []
    return list(
        db.session.scalars(
            select(Nomination)
            .join(Nomination.cycle)
            .join(Nomination.site)
            .where(Nomination.site_id.in_(sorted(site_ids)))
            .options(contains_eager(Nomination.cycle), contains_eager(Nomination.site))
            .order_by(Cycle.fiscal_year.desc(), Site.code, Nomination.updated_at.desc(), Nomination.id.desc())
        )
    )


def list_sites() -> list[Site]:
    """All sites, Japan first, by code."""
    return list(db.session.scalars(select(Site).order_by(Site.country != "JP", Site.code)))


def admin_nominations_query(
    cycle_id: int,
    *,
    site_id: int | None = None,
    region: Region | None = None,
    status: NominationStatus | None = None,
    search: str = "",
):
    """The nominations of a cycle for the admin list, filtered, with their site in the same query."""
    query = (
        select(Nomination)
        .join(Nomination.site)
        .where(Nomination.cycle_id == cycle_id)
        .options(contains_eager(Nomination.site))
        .order_by(Site.code, Nomination.id)
    )
    if site_id is not None:
        query = query.where(Nomination.site_id == site_id)
    if region is not None:
        query = query.where(Site.region == region.value)
    if status is not None:
        query = query.where(Nomination.status == status)
    search = search.strip()
    if search:
        query = query.where(
            or_(
                *(
                    column.icontains(search, autoescape=True)
                    for column in (
                        Nomination.title, Nomination.title_other, Nomination.summary,
                        Site.code, Site.name_en, Site.name_ja,
                    )
                )
            )
        )
    return query


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


def get_activity_nomination_id(activity_id: int) -> int | None:
    """The nomination made from the activity, if any."""
    return db.session.scalar(select(Nomination.id).where(Nomination.activity_id == activity_id))


def get_activity(activity_id: int):
    return db.session.get(Activity, activity_id)
