"""Routes of the exports feature: a page per cycle listing its exports, and the downloads.

Downloads are GETs: they change nothing, and a plain link is what an admin bookmarks.
"""
from __future__ import annotations

from flask import Blueprint, Response, render_template

from awards_app.core.permissions import allowed
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
