"""Home page, language switch and health check."""
from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from awards_app.accounts import services as accounts
from awards_app.core.transactions import perform
from awards_app.core.urls import safe_next
from awards_app.extensions import db

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return render_template("main/index.html")
    if current_user.is_admin:
        return redirect(url_for("cycles.list_cycles"))
    if current_user.is_submitter:
        return redirect(url_for("nominations.dashboard"))
    if current_user.is_judge:
        return redirect(url_for("judging.show_queue"))
    return render_template("main/index.html")


@bp.post("/language")
def set_language():
    """Switch the interface language; saved on the account when logged in."""
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated and current_user.locale != locale:
            perform(lambda: accounts.change_locale(current_user, locale))
    return redirect(safe_next(request.form.get("next")) or url_for("main.index"))


@bp.get("/healthz")
def healthz():
    # A connection of its own, returned to the pool at once: the probe is no part of a request's
    # transaction, so a failed one leaves nothing behind to roll back.
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
