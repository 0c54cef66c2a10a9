"""The programme's figures, from every activity: per fiscal year, and broken down by region,
country, MDD theme, biodiversity preservation and site, with the change from the year before.

One grouped query (fiscal year × site × theme × biodiversity: its rows grow with sites and years,
never with activities) and one for the sites; the adding-up is plain arithmetic on those rows
(``summarise``), unit-tested by hand. Used by the statistics pages and by the exports' downloads.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from awards_app.activities.models import Activity
from awards_app.core.enums import Region, Theme
from awards_app.core.i18n import country_name, localized
from awards_app.cycles.fiscal import fiscal_year_label
from awards_app.extensions import db
from awards_app.sites.models import JAPAN_COUNTRY, Site

HOURS_QUANTUM = Decimal("0.1")


@dataclass(frozen=True)
class Totals:
    activities: int = 0
    participants: int = 0
    hours: Decimal = Decimal("0.0")

    def __add__(self, other: Totals) -> Totals:
        return Totals(self.activities + other.activities, self.participants + other.participants,
                      self.hours + other.hours)


@dataclass
class YearFigures:
    """Everything the programme's tables show about one fiscal year."""

    fiscal_year: int
    total: Totals = field(default_factory=Totals)
    biodiversity: Totals = field(default_factory=Totals)
    by_region: dict[Region, Totals] = field(default_factory=dict)
    by_theme: dict[Theme, Totals] = field(default_factory=dict)
    by_country: dict[str, Totals] = field(default_factory=dict)
    by_site: dict[int, Totals] = field(default_factory=dict)

    @property
    def countries(self) -> int:
        """Participating countries: those with at least one activity."""
        return sum(1 for totals in self.by_country.values() if totals.activities)


@dataclass(frozen=True)
class Row:
    """One grouped row: a fiscal year × site × theme × biodiversity, with its sums."""

    fiscal_year: int
    site_id: int
    country: str
    theme: Theme
    biodiversity: bool
    totals: Totals


def change(current, previous) -> float | None:
    """Year-on-year change as a fraction (0.1 for +10 %), or None without a previous figure."""
    return (float(current) - float(previous)) / float(previous) if previous else None


def summarise(rows: list[Row], fiscal_years: list[int]) -> dict[int, YearFigures]:
    """Add up the grouped rows per fiscal year. Both regions and the three themes are always
    present (with zeros), so a table reads the same every year."""
    years = {fy: YearFigures(fy, by_region={r: Totals() for r in Region}, by_theme={t: Totals() for t in Theme})
             for fy in fiscal_years}
    for row in rows:
        year = years.get(row.fiscal_year)
        if year is None:
            continue
        year.total += row.totals
        if row.biodiversity:
            year.biodiversity += row.totals
        region = Region.JAPAN if row.country == JAPAN_COUNTRY else Region.OVERSEAS
        year.by_region[region] += row.totals
        year.by_theme[row.theme] = year.by_theme.get(row.theme, Totals()) + row.totals
        year.by_country[row.country] = year.by_country.get(row.country, Totals()) + row.totals
        year.by_site[row.site_id] = year.by_site.get(row.site_id, Totals()) + row.totals
    return years


def list_fiscal_years() -> list[int]:
    """The fiscal years with activities, oldest first."""
    return list(db.session.scalars(select(Activity.fiscal_year).distinct().order_by(Activity.fiscal_year)))


def get_programme(fiscal_years: list[int] | None = None) -> tuple[dict[int, YearFigures], dict[int, Site]]:
    """The figures of `fiscal_years` (default: every year with activities) and the sites they name,
    in three queries whatever the number of activities."""
    fiscal_years = list_fiscal_years() if fiscal_years is None else fiscal_years
    if not fiscal_years:
        return {}, {}
    result = db.session.execute(
        select(Activity.fiscal_year, Activity.site_id, Site.country, Activity.theme, Activity.biodiversity,
               func.count(Activity.id), func.coalesce(func.sum(Activity.participants), 0),
               func.coalesce(func.sum(Activity.volunteer_hours), 0))
        .join(Site, Site.id == Activity.site_id)
        .where(Activity.fiscal_year.in_(fiscal_years))
        .group_by(Activity.fiscal_year, Activity.site_id, Site.country, Activity.theme, Activity.biodiversity)
    ).all()
    rows = [Row(fy, site_id, country, theme, bool(bio),
                Totals(int(count), int(participants), Decimal(str(hours)).quantize(HOURS_QUANTUM)))
            for fy, site_id, country, theme, bio, count, participants, hours in result]
    site_ids = {row.site_id for row in rows}
    sites = {site.id: site for site in db.session.scalars(select(Site).where(Site.id.in_(site_ids)))} if site_ids else {}
    return summarise(rows, sorted(fiscal_years)), sites


# --- the tables: one definition for the pages and the downloads --------------------------------


@dataclass
class PlainTable:
    key: str  # an ASCII slug, part of a download's file name
    title: str
    headers: list[str]
    rows: list[list]  # numbers stay numbers; a change is a fraction (or None); text is text
    percent_columns: tuple[int, ...] = ()


def programme_table(years: dict[int, YearFigures]) -> PlainTable:
    """Participants and volunteer hours per fiscal year, as the programme's reports give them."""
    rows, previous = [], None
    for fy in sorted(years):
        year = years[fy]
        rows.append([fiscal_year_label(fy), year.total.activities, year.total.participants, year.total.hours, year.countries,
                     year.biodiversity.participants,
                     change(year.total.participants, previous.total.participants) if previous else None,
                     change(year.total.hours, previous.total.hours) if previous else None])
        previous = year
    return PlainTable("programme", _("Participants and volunteer hours per fiscal year"),
                      [_("Fiscal year"), _("Activities"), _("Participants"), _("Volunteer hours"),
                       _("Participating countries"), _("Participants in biodiversity preservation"),
                       _("Participants: change from the year before"), _("Hours: change from the year before")],
                      rows, percent_columns=(6, 7))


def year_tables(years: dict[int, YearFigures], fiscal_year: int, sites: dict[int, Site]) -> list[PlainTable]:
    """The breakdowns of one fiscal year, each with the change in participants from the year before."""
    year = years[fiscal_year]
    before = years.get(fiscal_year - 1)

    def table(key, title, first_headers, items, previous_of):
        rows = []
        for labels, totals in items:
            old = previous_of(labels)
            rows.append([*labels, totals.activities, totals.participants, totals.hours,
                         change(totals.participants, old.participants) if old else None])
        return PlainTable(key, title, [*first_headers, _("Activities"), _("Participants"), _("Volunteer hours"),
                                       _("Participants: change from the year before")],
                          rows, percent_columns=(len(first_headers) + 3,))

    fy = fiscal_year_label(fiscal_year)
    countries = sorted(year.by_country, key=lambda code: (-year.by_country[code].participants, country_name(code)))
    site_ids = sorted(year.by_site, key=lambda i: (-year.by_site[i].participants, sites[i].code))
    return [
        table("region", _("By region, %(fy)s", fy=fy), [_("Region")],
              [((str(region.title),), totals) for region, totals in year.by_region.items()],
              lambda labels: before and next((t for r, t in before.by_region.items() if str(r.title) == labels[0]),
                                             None)),
        table("country", _("By country, %(fy)s: %(count)s participating countries", fy=fy, count=year.countries),
              [_("Country")], [((country_name(code),), year.by_country[code]) for code in countries],
              lambda labels: before and next((t for c, t in before.by_country.items() if country_name(c) == labels[0]),
                                             None)),
        table("theme", _("By MDD theme, %(fy)s", fy=fy), [_("MDD theme")],
              [((str(theme.title),), totals) for theme, totals in year.by_theme.items()],
              lambda labels: before and next((t for th, t in before.by_theme.items() if str(th.title) == labels[0]),
                                             None)),
        table("biodiversity", _("Biodiversity preservation, %(fy)s", fy=fy), [_("Biodiversity preservation")],
              [((_("Yes"),), year.biodiversity),
               ((_("No"),), Totals(year.total.activities - year.biodiversity.activities,
                                   year.total.participants - year.biodiversity.participants,
                                   year.total.hours - year.biodiversity.hours))],
              lambda labels: None if before is None else (
                  before.biodiversity if labels[0] == _("Yes") else Totals(
                      before.total.activities - before.biodiversity.activities,
                      before.total.participants - before.biodiversity.participants,
                      before.total.hours - before.biodiversity.hours))),
        table("site", _("By site, %(fy)s", fy=fy), [_("Site code"), _("Site"), _("Country")],
              [((sites[i].code, localized(sites[i], "name"), country_name(sites[i].country)), year.by_site[i])
               for i in site_ids],
              lambda labels: before and next((t for i, t in before.by_site.items() if sites.get(i) is not None
                                              and sites[i].code == labels[0]), None)),
    ]
