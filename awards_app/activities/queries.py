"""Reading activities and the fiscal years' reporting settings."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from awards_app.activities.models import Activity, ReportingYear
from awards_app.activities.rules import default_reporting_deadline
from awards_app.extensions import db
from awards_app.sites.models import Site


def reporting_year(fiscal_year: int) -> ReportingYear:
    """The settings of `fiscal_year`: its row, or the defaults (a row not in the session)."""
    year = db.session.scalar(select(ReportingYear).where(ReportingYear.fiscal_year == fiscal_year))
    if year is None:
        year = ReportingYear(fiscal_year=fiscal_year, reporting_deadline=default_reporting_deadline(fiscal_year),
                             locked=False)
    return year


def reporting_years(fiscal_years) -> dict[int, ReportingYear]:
    """The settings of each of `fiscal_years`, in one query."""
    wanted = set(fiscal_years)
    rows = db.session.scalars(select(ReportingYear).where(ReportingYear.fiscal_year.in_(wanted))) if wanted else []
    found = {row.fiscal_year: row for row in rows}
    return {fy: found.get(fy) or ReportingYear(fiscal_year=fy, reporting_deadline=default_reporting_deadline(fy),
                                               locked=False) for fy in wanted}


def get_activity(activity_id: int) -> Activity | None:
    return db.session.scalar(select(Activity).options(joinedload(Activity.site)).where(Activity.id == activity_id))


def list_activities(site_id: int, fiscal_year: int) -> list[Activity]:
    """A site's activities of one fiscal year, by start date."""
    return list(db.session.scalars(
        select(Activity).options(joinedload(Activity.site))
        .where(Activity.site_id == site_id, Activity.fiscal_year == fiscal_year)
        .order_by(Activity.start_date, Activity.id)
    ))


def activity_totals(site_id: int, fiscal_year: int):
    """(count, participants, hours) of a site's fiscal year."""
    return db.session.execute(
        select(func.count(Activity.id), func.coalesce(func.sum(Activity.participants), 0),
               func.coalesce(func.sum(Activity.volunteer_hours), 0))
        .where(Activity.site_id == site_id, Activity.fiscal_year == fiscal_year)
    ).one()


def list_sites() -> list[Site]:
    return list(db.session.scalars(select(Site).order_by(Site.region, Site.code)))


def get_site(site_id: int) -> Site | None:
    return db.session.get(Site, site_id)


def sites_by_code() -> dict[str, Site]:
    return {site.code.upper(): site for site in db.session.scalars(select(Site))}


def existing_by_key(site_ids, fiscal_years) -> dict[tuple[int, int, str], Activity]:
    """The activities with a reference of `site_ids` in `fiscal_years`, by (site, FY, reference)."""
    if not site_ids or not fiscal_years:
        return {}
    rows = db.session.scalars(
        select(Activity).where(Activity.site_id.in_(set(site_ids)), Activity.fiscal_year.in_(set(fiscal_years)),
                               Activity.reference.is_not(None))
    )
    return {(a.site_id, a.fiscal_year, a.reference): a for a in rows}


def list_fiscal_years_with_activities() -> list[int]:
    return list(db.session.scalars(select(Activity.fiscal_year).distinct().order_by(Activity.fiscal_year.desc())))


def list_year_rows(fiscal_year: int):
    """Every activity of `fiscal_year` with its site's code, as plain rows (for exports)."""
    return db.session.execute(
        select(Site.code.label("site_code"), Activity.reference, Activity.title, Activity.title_other, Activity.theme,
               Activity.biodiversity, Activity.start_date, Activity.end_date, Activity.participants,
               Activity.volunteer_hours, Activity.partners, Activity.description)
        .join(Site, Site.id == Activity.site_id)
        .where(Activity.fiscal_year == fiscal_year)
        .order_by(Site.code, Activity.start_date, Activity.id)
    ).all()
