"""Activities: a site's list per fiscal year, the activity form, spreadsheet imports (upload →
preview → confirm), the template download, and a fiscal year's reporting settings (admins).

Every view: load the object or 404 → check permission → validate → call one service (``perform``
commits once) → flash → redirect. An activity or a site the user may not see answers 404.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards_app.activities import importing, pending, permissions, queries, services
from awards_app.activities.forms import (
    LABELS,
    ActivityDeleteForm,
    ActivityForm,
    ActivityImportForm,
    ImportConfirmForm,
    ReportingYearForm,
)
from awards_app.activities.template import build_template
from awards_app.core import hooks
from awards_app.core.i18n import local_to_utc, utc_to_local
from awards_app.core.models import utcnow
from awards_app.core.permissions import allowed, require
from awards_app.core.transactions import after_commit, perform
from awards_app.core.urls import db_int
from awards_app.cycles.fiscal import fiscal_year_label, fiscal_year_of
from awards_app.cycles.queries import get_cycle_by_fiscal_year
from awards_app.cycles.rules import accepts_nominations

bp = Blueprint("activities", __name__, url_prefix="/activities")

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FY_MIN, FY_MAX = 1990, 2200
# A file can hold hundreds of thousands of wrong cells: the preview lists the first ones.
SHOWN_ERRORS = 500


# --- helpers ----------------------------------------------------------------------------------


def _visible_sites():
    return queries.list_sites() if current_user.is_admin else sorted(current_user.sites, key=lambda s: s.code)


def _fiscal_year_arg() -> int:
    fiscal_year = request.args.get("fy", type=db_int)
    if fiscal_year is None:
        return fiscal_year_of(date.today())
    require(FY_MIN <= fiscal_year <= FY_MAX, 404)
    return fiscal_year


def _site_arg(required: bool = True):
    """The site named by ?site= that the user may see (404 otherwise); without one, the first of
    the user's sites."""
    site_id = request.args.get("site", type=db_int)
    if site_id is None:
        sites = _visible_sites()
        require(bool(sites) or not required, 404)
        return sites[0] if sites else None
    site = queries.get_site(site_id)
    require(site is not None and permissions.can_view_site(current_user, site.id), 404)
    return site


def _load_activity(activity_id: int):
    activity = queries.get_activity(activity_id)
    require(activity is not None and permissions.can_view(current_user, activity), 404)
    return activity


def _list_url(site_id: int, fiscal_year: int) -> str:
    return url_for("activities.list_activities", site=site_id, fy=fiscal_year)


# --- the list and the form --------------------------------------------------------------------


@bp.get("/")
@allowed(permissions.can_use_activities)
def list_activities():
    fiscal_year = _fiscal_year_arg()
    site = _site_arg(required=False)
    year = queries.reporting_year(fiscal_year)
    activities = queries.list_activities(site.id, fiscal_year) if site else []
    totals = queries.activity_totals(site.id, fiscal_year) if site else (0, 0, 0)
    return render_template(
        "activities/list.html", site=site, sites=_visible_sites(), fiscal_year=fiscal_year, year=year,
        fy_label=fiscal_year_label(fiscal_year), activities=activities, totals=totals,
        closed=permissions.closed_reason(current_user, year),
        can_change=site is not None and permissions.can_change_site(current_user, site.id, year),
        fiscal_years=sorted({fiscal_year_of(date.today()), fiscal_year, *queries.list_fiscal_years_with_activities()},
                            reverse=True),
        delete_form=ActivityDeleteForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
@allowed(permissions.can_use_activities)
def create_activity():
    site = _site_arg()
    fiscal_year = _fiscal_year_arg()
    year = queries.reporting_year(fiscal_year)
    if not permissions.can_change_site(current_user, site.id, year):
        return render_template("activities/closed.html", site=site, fiscal_year=fiscal_year,
                               reason=permissions.closed_reason(current_user, year)), 403
    form = ActivityForm(fiscal_year=fiscal_year)
    if form.validate_on_submit():
        if perform(lambda: services.create_activity(current_user, site, fiscal_year, form.values()), form=form,
                   success=_("The activity has been recorded.")):
            return redirect(_list_url(site.id, fiscal_year))
    return render_template("activities/form.html", form=form, site=site, activity=None,
                           fy_label=fiscal_year_label(fiscal_year), fiscal_year=fiscal_year)


@bp.route("/<int:activity_id>", methods=["GET", "POST"])
@allowed(permissions.can_use_activities)
def edit_activity(activity_id: int):
    activity = _load_activity(activity_id)
    year = queries.reporting_year(activity.fiscal_year)
    editable = permissions.can_edit(current_user, activity, year)
    form = ActivityForm(obj=activity, fiscal_year=activity.fiscal_year)
    if request.method == "POST":
        if not editable:
            return render_template("activities/closed.html", site=activity.site, fiscal_year=activity.fiscal_year,
                                   reason=permissions.closed_reason(current_user, year)), 403
        if form.validate_on_submit():
            if perform(lambda: services.update_activity(current_user, activity, form.values()), form=form,
                       success=_("The changes have been saved.")):
                return redirect(_list_url(activity.site_id, activity.fiscal_year))
    cycle = get_cycle_by_fiscal_year(activity.fiscal_year)
    nomination_id = hooks.activity_nomination(activity.id)
    may_nominate = (nomination_id is None and cycle is not None and activity.site.active
                    and accepts_nominations(cycle.phase, cycle.nomination_deadline, utcnow()))
    return render_template("activities/form.html", form=form, site=activity.site, activity=activity,
                           editable=editable, cycle=cycle, nomination_id=nomination_id, may_nominate=may_nominate, closed=permissions.closed_reason(current_user, year),
                           fy_label=fiscal_year_label(activity.fiscal_year), fiscal_year=activity.fiscal_year, delete_form=ActivityDeleteForm())


@bp.post("/<int:activity_id>/delete")
@allowed(permissions.can_use_activities)
def delete_activity(activity_id: int):
    activity = _load_activity(activity_id)
    year = queries.reporting_year(activity.fiscal_year)
    if not permissions.can_edit(current_user, activity, year):
        return render_template("activities/closed.html", site=activity.site, fiscal_year=activity.fiscal_year,
                               reason=permissions.closed_reason(current_user, year)), 403
    site_id, fiscal_year = activity.site_id, activity.fiscal_year
    form = ActivityDeleteForm()
    if form.validate_on_submit():
        perform(lambda: services.delete_activity(current_user, activity), success=_("The activity has been deleted."))
    return redirect(_list_url(site_id, fiscal_year))


# --- imports ----------------------------------------------------------------------------------


@bp.get("/template.xlsx")
@allowed(permissions.can_use_activities)
def download_template():
    lang = request.args.get("lang", "")
    lang = lang if lang in ("ja", "en") else ("ja" if str(getattr(current_user, "locale", "")) == "ja" else "en")
    return Response(build_template(lang), content_type=XLSX_MIMETYPE,
                    headers={"Content-Disposition": f'attachment; filename="mdd-activities-template-{lang}.xlsx"'})


def _import_site():
    """The site of a site's own upload (?site=, or the submitter's first site); None for an admin
    importing any site by code."""
    if current_user.is_admin and request.args.get("site") is None:
        return None
    return _site_arg()


def _read(filename: str, data: bytes, site) -> importing.Reading:
    config = current_app.config
    return importing.read_activities(
        filename, data, sites_by_code=queries.sites_by_code(), own_site=site,
        year_closed=lambda site_id, fy: _year_closed(site_id, fy),
        max_bytes=config["ACTIVITY_IMPORT_MAX_MB"] * 1024 * 1024, max_rows=config["ACTIVITY_IMPORT_MAX_ROWS"],
    )


def _year_closed(site_id: int, fiscal_year: int):
    if not permissions.can_view_site(current_user, site_id):
        return _("You cannot record activities for this site.")
    return permissions.closed_reason(current_user, queries.reporting_year(fiscal_year))


def _preview(form, site, filename: str, reading: importing.Reading, token: str | None, status: int = 200):
    counts = services.classify(reading.rows) if reading.ok else None
    return render_template("activities/import.html", form=form, site=site, filename=filename, reading=reading,
                           counts=counts, token=token, labels=LABELS, confirm_form=ImportConfirmForm(),
                           shown_errors=SHOWN_ERRORS), status


@bp.route("/import", methods=["GET", "POST"])
@allowed(permissions.can_use_activities)
def upload_import():
    site = _import_site()
    form = ActivityImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        filename = upload.filename or ""
        data = upload.read(current_app.config["ACTIVITY_IMPORT_MAX_MB"] * 1024 * 1024 + 1)
        reading = _read(filename, data, site)
        token = pending.save(current_app.config["ACTIVITY_IMPORT_FOLDER"], current_user.id, filename, data) \
            if reading.ok and reading.rows else None
        return _preview(form, site, filename, reading, token, 200 if reading.ok else 422)
    return render_template("activities/import.html", form=form, site=site, reading=None, counts=None, token=None,
                           labels=LABELS, confirm_form=None, shown_errors=SHOWN_ERRORS)


@bp.post("/import/<token>")
@allowed(permissions.can_use_activities)
def confirm_import(token: str):
    site = _import_site()
    folder = current_app.config["ACTIVITY_IMPORT_FOLDER"]
    stored = pending.load(folder, current_user.id, token)
    require(stored is not None, 404)
    filename, data = stored
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("activities.upload_import", **({"site": site.id} if site else {})))
    reading = _read(filename, data, site)
    if not reading.ok:  # something changed since the preview (a deadline passed, a site was renamed)
        return _preview(ActivityImportForm(), site, filename, reading, None, 422)
    user_id = current_user.id

    def write():
        after_commit(lambda: pending.discard(folder, user_id, token))  # confirmed once, then gone
        return services.import_activities(current_user, reading.rows, filename=filename, site=site)

    done = perform(write)
    if not done:
        return _preview(ActivityImportForm(), site, filename, reading, token, 422)
    result = done.value
    flash(_("Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.", created=result.created,
            updated=result.updated, unchanged=result.unchanged), "success")
    first = reading.rows[0]
    return redirect(_list_url(first.site_id, first.fiscal_year))


# --- a fiscal year's reporting settings ----------------------------------------------------------


@bp.route("/years/<int:fiscal_year>", methods=["GET", "POST"])
@allowed(permissions.can_manage_reporting)
def edit_reporting_year(fiscal_year: int):
    require(FY_MIN <= fiscal_year <= FY_MAX, 404)
    year = queries.reporting_year(fiscal_year)
    form = ReportingYearForm(data={"reporting_deadline": utc_to_local(year.reporting_deadline),
                                   "locked": year.locked} if request.method == "GET" else None)
    if form.validate_on_submit():
        data = {"reporting_deadline": local_to_utc(form.reporting_deadline.data), "locked": form.locked.data}
        if perform(lambda: services.update_reporting_year(current_user, fiscal_year, data), form=form,
                   success=_("The reporting settings have been saved.")):
            return redirect(url_for("activities.list_activities", fy=fiscal_year))
    return render_template("activities/year.html", form=form, fy_label=fiscal_year_label(fiscal_year), year=year)
