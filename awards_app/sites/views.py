"""Site administration."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards_app.core.i18n import country_choices
from awards_app.core.permissions import allowed
from awards_app.core.transactions import perform
from awards_app.extensions import db
from awards_app.sites import permissions, services
from awards_app.sites.forms import SiteForm
from awards_app.sites.models import Site
from awards_app.sites.queries import list_sites_with_member_counts

bp = Blueprint("sites", __name__, url_prefix="/admin/sites")


@bp.get("/")
@allowed(permissions.can_manage_sites)
def list_sites():
    rows = db.session.execute(list_sites_with_member_counts()).all()
    return render_template("sites/list.html", rows=rows)


def _site_form(site: Site | None) -> SiteForm:
    form = SiteForm(obj=site)
    form.country.choices = [("", _("Choose a country"))] + country_choices()
    return form


@bp.route("/new", methods=["GET", "POST"])
@allowed(permissions.can_manage_sites)
def create_site():
    form = _site_form(None)
    if form.validate_on_submit():
        done = perform(lambda: services.create_site(current_user, form.data), form=form)
        if done:
            flash(_("The site %(code)s has been added.", code=done.value.code), "success")
            return redirect(url_for("sites.list_sites"))
    return render_template("sites/form.html", form=form, site=None)


@bp.route("/<int:site_id>", methods=["GET", "POST"])
@allowed(permissions.can_manage_sites)
def edit_site(site_id: int):
    site = db.get_or_404(Site, site_id)
    form = _site_form(site)
    if form.validate_on_submit():
        if perform(lambda: services.update_site(current_user, site, form.data), form=form,
                   success=_("The changes have been saved.")):
            return redirect(url_for("sites.list_sites"))
    return render_template("sites/form.html", form=form, site=site)
