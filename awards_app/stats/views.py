"""Statistics for admins: one page per cycle and one across cycles, with charts drawn by the server.

Views: permission → load (few grouped queries) → turn figures into labelled charts → render.
"""
from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _

from awards_app.activities import statistics as programme
from awards_app.core.enums import Region, Theme
from awards_app.core.i18n import country_name, localized
from awards_app.core.permissions import allowed, require
from awards_app.cycles.fiscal import fiscal_year_label
from awards_app.cycles.models import Cycle
from awards_app.exports.services import build_plain_table_export
from awards_app.stats import charts, queries, tables
from awards_app.stats.figures import MEASURES, Figures, Summary, ranked, region_of
from awards_app.stats.permissions import can_view_stats

bp = Blueprint("stats", __name__, url_prefix="/admin/stats")

# The sites chart shows the largest few; the table under it lists every site.
TOP_SITES = 10


def _measure_arg() -> str:
    measure = request.args.get("measure", MEASURES[0])
    return measure if measure in MEASURES else MEASURES[0]


def measure_titles() -> dict[str, str]:
    return {"participants": _("Participants"), "hours": _("Volunteer hours"), "nominations": _("Nominations")}


def theme_title(theme: Theme | None) -> str:
    return str(theme.title) if theme is not None else _("No theme given")


def _number(value) -> str:
    return format_decimal(value)


def _percent(value: float | None) -> str:
    return "—" if value is None else format_percent(value, "#,##0.0%")


@bp.context_processor
def _helpers():
    return {
        "percent": _percent, "theme_title": theme_title, "measure_titles": measure_titles(), "region_of": region_of,
    }


def _chart(chart_id: str, title: str, items, fill=charts.BRAND) -> charts.BarChart:
    return charts.bar_chart(
        chart_id, title, _("Bar chart. The table below gives the same figures."), items, _number, fill
    )


def _region_fill(region: Region) -> str:
    """Regions in two colours where the label names the region too (colour is never the only cue)."""
    return charts.BRAND if region == Region.JAPAN else charts.GREEN


def cycle_charts(cycle: Cycle, summary: Summary, measure: str) -> dict[str, charts.BarChart]:
    name = measure_titles()[measure]
    fy = fiscal_year_label(cycle.fiscal_year)
    regions = list(summary.by_region)
    sites = ranked(summary.by_site, measure, lambda site_id: localized(summary.by_site[site_id], "name"))
    top = [summary.by_site[site_id] for site_id in sites[:TOP_SITES]]
    return {
        "region": _chart(
            "chart-region", _("%(measure)s by region in %(fy)s", measure=name, fy=fy),
            [(str(region.title), summary.by_region[region].get(measure)) for region in regions],
            [_region_fill(region) for region in regions],
        ),
        "theme": _chart(
            "chart-theme", _("%(measure)s by MDD theme in %(fy)s", measure=name, fy=fy),
            [(theme_title(theme), figures.get(measure)) for theme, figures in summary.by_theme.items()],
        ),
        "biodiversity": _chart(
            "chart-biodiversity",
            _("%(measure)s of biodiversity preservation and other activities in %(fy)s", measure=name, fy=fy),
            [(_("Biodiversity preservation"), summary.biodiversity.get(measure)),
             (_("Other activities"), summary.other.get(measure))],
            [charts.GREEN, charts.GREY],
        ),
        "country": _chart(
            "chart-country", _("%(measure)s by country in %(fy)s", measure=name, fy=fy),
            [(country_name(code), summary.by_country[code].get(measure))
             for code in ranked(summary.by_country, measure, country_name)],
        ),
        "site": _chart(
            "chart-site",
            _("%(measure)s: the top %(count)s sites in %(fy)s", measure=name, count=len(top), fy=fy),
            [(localized(site, "name"), site.figures.get(measure)) for site in top],
        ),
    }


def _overview(measure: str) -> dict:
    """What the page across fiscal years shows, for the page and for its downloads."""
    cycles = queries.list_cycles()
    summaries = queries.get_summaries_by_cycle(cycles)

    def across(key_of) -> dict:
        """{key: {cycle id: Figures}} for a breakdown (by region, theme or country)."""
        table: dict = {}
        for cycle in cycles:
            for key, figures in key_of(summaries[cycle.id]).items():
                table.setdefault(key, {})[cycle.id] = figures
        return table

    by_region = across(lambda s: s.by_region)
    by_theme = across(lambda s: s.by_theme)
    by_country = across(lambda s: s.by_country)
    country_totals = {
        code: sum((figures for figures in per_cycle.values()), Figures()) for code, per_cycle in by_country.items()
    }
    return {"cycles": cycles, "summaries": summaries, "by_region": by_region, "by_theme": by_theme,
            "by_country": by_country, "countries": ranked(country_totals, measure, country_name)}


def _download(table, name: str, fmt: str) -> Response:
    export = build_plain_table_export(table, fmt, name)
    # The file name is ASCII by construction (mdd-statistics-FY2013-region.csv).
    return Response(export.chunks, content_type=export.mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{export.filename}"'})


@bp.get("/")
@allowed(can_view_stats)
def show_overview():
    measure = _measure_arg()
    data = _overview(measure)
    cycles, summaries = data["cycles"], data["summaries"]
    name = measure_titles()[measure]
    year_chart = _chart(
        "chart-years", _("%(measure)s by fiscal year", measure=name),
        [(fiscal_year_label(cycle.fiscal_year), summaries[cycle.id].total.get(measure)) for cycle in cycles],
    )
    region_items, region_fills = [], []
    for cycle in cycles:
        for region in Region:
            region_items.append((f"{fiscal_year_label(cycle.fiscal_year)} · {region.title}", summaries[cycle.id].by_region[region].get(measure)))
            region_fills.append(_region_fill(region))
    region_chart = _chart(
        "chart-years-region", _("%(measure)s by fiscal year and region", measure=name), region_items, region_fills
    )
    return render_template(
        "stats/overview.html", measure=measure, charts={"years": year_chart, "regions": region_chart}, **data,
    )


@bp.get("/<any(totals, region, theme, country):key>.<any(csv, xlsx):fmt>")
@allowed(can_view_stats)
def download_overview_table(key: str, fmt: str):
    """A table of the page across fiscal years, with the measure it shows."""
    measure = _measure_arg()
    data = _overview(measure)
    table = tables.overview_table(
        key, data["cycles"], data["summaries"], measure_titles()[measure],
        {"measure": measure, "region": data["by_region"], "theme": data["by_theme"], "country": data["by_country"]},
        data["countries"], theme_title=theme_title,
    )
    return _download(table, f"mdd-statistics-{key}" + ("" if key == "totals" else f"-{measure}"), fmt)


def _cycle_data(cycle_id: int, measure: str) -> dict:
    """What a cycle's page shows, for the page and for its downloads (404 for an unknown cycle)."""
    cycles = queries.list_cycles()
    cycle = next((c for c in cycles if c.id == cycle_id), None)
    require(cycle is not None, 404)
    summary = queries.get_cycle_summary(cycle)
    sites = [
        summary.by_site[site_id]
        for site_id in ranked(summary.by_site, measure, lambda site_id: localized(summary.by_site[site_id], "name"))
    ]
    countries = ranked(summary.by_country, measure, country_name)
    return {"cycle": cycle, "cycles": cycles, "summary": summary, "sites": sites, "countries": countries}


@bp.get("/<int:cycle_id>")
@allowed(can_view_stats)
def show_cycle_stats(cycle_id: int):
    measure = _measure_arg()
    data = _cycle_data(cycle_id, measure)
    return render_template(
        "stats/cycle.html", measure=measure, charts=cycle_charts(data["cycle"], data["summary"], measure),
        top_sites=TOP_SITES, **data,
    )


@bp.get("/<int:cycle_id>/<any(region, theme, biodiversity, country, site):key>.<any(csv, xlsx):fmt>")
@allowed(can_view_stats)
def download_cycle_table(cycle_id: int, key: str, fmt: str):
    """A table of a cycle's page, in the order the page shows it (the measure it is sorted by)."""
    data = _cycle_data(cycle_id, _measure_arg())
    table = tables.cycle_table(key, data["cycle"], data["summary"], data["sites"], data["countries"],
                               theme_title=theme_title, region_of=region_of)
    return _download(table, f"mdd-statistics-FY{data['cycle'].fiscal_year}-{key}", fmt)


@bp.get("/programme")
@allowed(can_view_stats)
def show_programme():
    """The programme's own table, from every activity: participants and hours per fiscal year."""
    years, _sites = programme.get_programme()
    chart = _chart("chart-programme", _("Participants by fiscal year (all activities)"),
                   [(fiscal_year_label(fy), years[fy].total.participants) for fy in sorted(years)])
    return render_template("stats/programme.html", table=programme.programme_table(years), years=sorted(years),
                           chart=chart, nominated=queries.count_nominated_activities(), regions=list(Region))


@bp.get("/programme/<int:fiscal_year>")
@allowed(can_view_stats)
def show_programme_year(fiscal_year: int):
    """One fiscal year's activities by region, country, theme, biodiversity and site."""
    known = programme.list_fiscal_years()
    require(fiscal_year in known, 404)
    years, sites = programme.get_programme([fy for fy in known if fy in (fiscal_year - 1, fiscal_year)])
    return render_template("stats/programme_year.html", fiscal_year=fiscal_year, years=known,
                           tables=programme.year_tables(years, fiscal_year, sites), year=years[fiscal_year])
