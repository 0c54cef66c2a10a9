"""Nominations: a site's dashboard, the nomination form, attachments."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("nominations", __name__)


@bp.get("/nominations")
@login_required
def dashboard():
    return render_template("nominations/dashboard.html")
