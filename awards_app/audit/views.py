"""The audit log, for admins."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from awards_app.audit.permissions import can_read_audit_log
from awards_app.audit.queries import list_events_query
from awards_app.core.permissions import allowed
from awards_app.core.urls import db_int, page_number, text_arg
from awards_app.extensions import db

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")

# The tables that domain events are about (awards_app/core/events.py), in the order of the layers.
OBJECT_TYPES = ("users", "sites", "cycles", "criteria", "award_categories", "nominations", "attachments",
                "assignments", "score_sheets", "award_decisions", "certificates")


@bp.get("/")
@allowed(can_read_audit_log)
def list_events():
    action = text_arg("action", 64)
    object_type = request.args.get("object_type", "")
    if object_type not in OBJECT_TYPES:
        object_type = ""
    object_id = request.args.get("object_id", type=db_int)
    page = db.paginate(
        list_events_query(action, object_type, object_id), page=page_number(100), per_page=100, error_out=False
    )
    return render_template(
        "audit/list.html", page=page, action=action, object_type=object_type, object_id=object_id,
        object_types=OBJECT_TYPES,
    )
