"""The statistics pages' tables as downloads (CSV and XLSX through the exports' writers): the
same figures, in the same order, as the tables on the page.

Rows that are derived from the others (the share of biodiversity preservation) stay on the page
only: a spreadsheet computes them, and a fraction in a column of counts would read as a count.
"""
from __future__ import annotations

from flask_babel import gettext as _

from awards_app.activities.statistics import PlainTable
from awards_app.core.i18n import country_name, localized

CYCLE_TABLES = ("region", "theme", "biodiversity", "country", "site")
OVERVIEW_TABLES = ("totals", "region", "theme", "country")


def _measures() -> list[str]:
    return [_("Nominations"), _("Participants"), _("Volunteer hours")]


def _cells(figures) -> list:
    return [figures.nominations, figures.participants, figures.hours]


def cycle_table(key: str, cycle, summary, sites, countries, *, theme_title, region_of) -> PlainTable:
    """One table of a cycle's statistics page (`key` in CYCLE_TABLES)."""
    fy = cycle.label
    if key == "region":
        rows = [[str(region.title), *_cells(figures)] for region, figures in summary.by_region.items()]
        return PlainTable("region", _("By region, %(fy)s", fy=fy), [_("Region"), *_measures()],
                          [*rows, [_("Total"), *_cells(summary.total)]])
    if key == "theme":
        rows = [[theme_title(theme), *_cells(figures)] for theme, figures in summary.by_theme.items()]
        return PlainTable("theme", _("By MDD theme, %(fy)s", fy=fy), [_("MDD theme"), *_measures()],
                          [*rows, [_("Total"), *_cells(summary.total)]])
    if key == "biodiversity":
        return PlainTable("biodiversity", _("Biodiversity preservation, %(fy)s", fy=fy), [_("Activities"), *_measures()],
                          [[_("Biodiversity preservation"), *_cells(summary.biodiversity)],
                           [_("Other activities"), *_cells(summary.other)]])
    if key == "country":
        return PlainTable("country", _("By country, %(fy)s", fy=fy), [_("Country"), _("Region"), *_measures()],
                          [[country_name(code), str(region_of(code).title), *_cells(summary.by_country[code])]
                           for code in countries])
    return PlainTable("site", _("By site, %(fy)s", fy=fy), [_("Site"), _("Country"), *_measures()],
                      [[localized(site, "name"), country_name(site.country), *_cells(site.figures)] for site in sites])


def overview_table(key: str, cycles, summaries, measure_title: str, breakdowns: dict, countries,
                   *, theme_title) -> PlainTable:
    """One table of the statistics across fiscal years (`key` in OVERVIEW_TABLES)."""
    labels = [cycle.label for cycle in cycles]
    if key == "totals":
        def row(title, value_of):
            return [title, *(value_of(summaries[cycle.id]) for cycle in cycles)]
        return PlainTable("totals", _("Totals per fiscal year"), [_("Figure"), *labels], [
            row(_("Submitted nominations"), lambda s: s.total.nominations),
            row(_("Participants"), lambda s: s.total.participants),
            row(_("Volunteer hours"), lambda s: s.total.hours),
            row(_("Participants in biodiversity preservation"), lambda s: s.biodiversity.participants),
            row(_("Not counted (drafts, withdrawn, ineligible)"), lambda s: s.not_counted_total),
        ])

    def values(per_cycle) -> list:
        return [per_cycle[cycle.id].get(breakdowns["measure"]) if cycle.id in per_cycle else 0 for cycle in cycles]

    if key == "region":
        rows = [[str(region.title), *values(per_cycle)] for region, per_cycle in breakdowns["region"].items()]
        title, first = _("%(measure)s by region and fiscal year", measure=measure_title), _("Region")
    elif key == "theme":
        rows = [[theme_title(theme), *values(per_cycle)] for theme, per_cycle in breakdowns["theme"].items()]
        title, first = _("%(measure)s by MDD theme and fiscal year", measure=measure_title), _("MDD theme")
    else:
        rows = [[country_name(code), *values(breakdowns["country"][code])] for code in countries]
        title, first = _("%(measure)s by country and fiscal year", measure=measure_title), _("Country")
    return PlainTable(key, title, [first, *labels], rows)
