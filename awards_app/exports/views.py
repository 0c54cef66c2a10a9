"""Routes of the exports feature: a page per cycle listing its exports, and the downloads.

Downloads are GETs: they change nothing, and a plain link is what an admin bookmarks.
"""
from __future__ import annotations

from flask import Blueprint, Response, render_template

from awards_app.activities import statistics as programme
from awards_app.core.permissions import allowed, require
from awards_app.cycles.models import Cycle
from awards_app.exports import services
from awards_app.exports.permissions import can_export
from awards_app.extensions import db

bp = Blueprint("exports", __name__)


@bp.get("/admin/cycles/<int:cycle_id>/exports")
@allowed(can_export)
def list_exports(cycle_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    files = {
        (kind, fmt): services.export_filename(cycle, kind, fmt) for kind in services.KINDS for fmt in services.FORMATS
    }
    return render_template("exports/list.html", cycle=cycle, files=files)


@bp.get("/admin/cycles/<int:cycle_id>/exports/<any(nominations, scores, results):kind>.<any(csv, xlsx):fmt>")
@allowed(can_export)
def download_export(cycle_id: int, kind: str, fmt: str):
    cycle = db.get_or_404(Cycle, cycle_id)
    export = services.build_export(cycle, kind, fmt)
    # The file name is ASCII by construction (mdd-awards-FY2013-results.xlsx), so no RFC 5987 form.
    return Response(
        export.chunks,
        content_type=export.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )


def _table_file(table: programme.PlainTable, fmt: str, name: str) -> Response:
    export = services.build_plain_table_export(table, fmt, name)
    return Response(export.chunks, content_type=export.mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{export.filename}"'})


@bp.get("/admin/exports/programme.<any(csv, xlsx):fmt>")
@allowed(can_export)
def download_programme(fmt: str):
    """The programme's table (participants and hours per fiscal year, from every activity)."""
    years, _sites = programme.get_programme()
    return _table_file(programme.programme_table(years), fmt, "mdd-programme")


@bp.get("/admin/exports/programme/<int:fiscal_year>/"
        "<any(region, country, theme, biodiversity, site):key>.<any(csv, xlsx):fmt>")
@allowed(can_export)
def download_programme_table(fiscal_year: int, key: str, fmt: str):
    """One breakdown of a fiscal year's activities, as on the statistics page."""
    known = programme.list_fiscal_years()
    require(fiscal_year in known, 404)
    years, sites = programme.get_programme([fy for fy in known if fy in (fiscal_year - 1, fiscal_year)])
    table = next(t for t in programme.year_tables(years, fiscal_year, sites) if t.key == key)
    return _table_file(table, fmt, f"mdd-programme-FY{fiscal_year}-{key}")
