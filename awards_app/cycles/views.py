"""Cycle administration: fiscal years, deadlines, phases, criteria and award categories."""
from __future__ import annotations

from flask import Blueprint, render_template

from awards_app.core.permissions import admin_required

bp = Blueprint("cycles", __name__, url_prefix="/admin/cycles")


@bp.get("/")
@admin_required
def list_cycles():
    return render_template("cycles/list.html")
