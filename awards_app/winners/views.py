"""The winners' page of each fiscal year, its photos, and the admin's choices on it.

Reading: the page exists once the results are final (else 404); a logged-in user sees it, and so
does anyone once an admin has made it public (an anonymous visitor of a page that is not public
is sent to log in). The only file it serves is the photo an admin chose for an award.
Changing (admins): load the cycle (and decision) or 404 → validate → one service (``perform``
commits once) → flash → redirect to the page; a refused form is shown again beside its field.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards_app.core.i18n import localized
from awards_app.core.permissions import allowed, is_active_user, require
from awards_app.core.transactions import perform
from awards_app.cycles.fiscal import fiscal_year_label
from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from awards_app.nominations import storage
from awards_app.winners import permissions, queries, services
from awards_app.winners.forms import NO_PHOTO, WinnerPhotoForm, WinnersVisibilityForm, photo_prefix

bp = Blueprint("winners", __name__)

# The photo is served as an image and nothing else: never sniffed, never run as a page.
PHOTO_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "no-store",
}


def _load_visible_cycle(fiscal_year: int) -> Cycle:
    """The cycle of `fiscal_year` if the user may see its winners; an anonymous visitor of a
    page that is not public logs in first; otherwise 404 (results not final, or no such year)."""
    cycle = queries.get_cycle_by_fiscal_year(fiscal_year)
    if cycle is not None and not permissions.can_see_winners(current_user, cycle):
        if permissions.results_final(cycle) and not is_active_user(current_user):
            abort(current_app.login_manager.unauthorized())
    require(cycle is not None and permissions.can_see_winners(current_user, cycle), 404)
    return cycle


def _to_page(cycle: Cycle, anchor: str | None = None):
    return redirect(url_for("winners.show_winners", fiscal_year=cycle.fiscal_year, _anchor=anchor))


def _photo_form(winner: queries.Winner) -> WinnerPhotoForm:
    form = WinnerPhotoForm(prefix=photo_prefix(winner.decision.id), formdata=None)
    form.photo_id.data = winner.decision.photo_id or NO_PHOTO
    return form


def _render(cycle: Cycle, *, photo_forms: dict | None = None, visibility_form: WinnersVisibilityForm | None = None,
            status: int = 200):
    managing = permissions.can_change_winners(current_user, cycle)
    winners = queries.list_winners(cycle, with_photos=managing)
    photo_forms = photo_forms or {}
    if visibility_form is None:
        visibility_form = WinnersVisibilityForm(formdata=None)
        visibility_form.visibility.data = "public" if cycle.winners_public else "members"
    return render_template(
        "winners/show.html",
        cycle=cycle,
        winners=winners,
        managing=managing,
        photo_forms={w.decision.id: photo_forms.get(w.decision.id) or _photo_form(w) for w in winners} if managing
        else {},
        visibility_form=visibility_form,
        NO_PHOTO=NO_PHOTO,
    ), status


@bp.get("/winners")
def list_winner_years():
    """The fiscal years whose winners the visitor may see."""
    cycles = queries.list_final_cycles(public_only=not is_active_user(current_user))
    return render_template("winners/list.html", cycles=cycles)


@bp.get("/winners/<int:fiscal_year>")
def show_winners(fiscal_year: int):
    cycle = _load_visible_cycle(fiscal_year)
    return _render(cycle)


@bp.get("/winners/<int:fiscal_year>/photos/<int:decision_id>")
def view_winner_photo(fiscal_year: int, decision_id: int):
    cycle = _load_visible_cycle(fiscal_year)
    photo = queries.get_winner_photo(cycle, decision_id)
    require(photo is not None, 404)
    path = storage.file_path(current_app.config["UPLOAD_FOLDER"], photo.stored_name)
    require(path.is_file(), 404)
    response = send_file(path, mimetype=photo.content_type, conditional=True, etag=True, max_age=0)
    response.headers.update(PHOTO_HEADERS)
    return response


@bp.post("/admin/cycles/<int:cycle_id>/winners/<int:decision_id>/photo")
@allowed(permissions.can_manage_winners)
def choose_winner_photo(cycle_id: int, decision_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    decision = queries.get_cycle_decision(cycle, decision_id)
    require(decision is not None, 404)
    if not permissions.can_change_winners(current_user, cycle):
        flash(str(permissions.closed_reason(cycle)), "warning")
        return redirect(url_for("winners.list_winner_years"))
    form = WinnerPhotoForm(prefix=photo_prefix(decision.id))
    if form.validate_on_submit():
        photo = None
        if form.photo_id.data != NO_PHOTO:
            photo = queries.get_attachment(form.photo_id.data)
            if photo is None:
                form.photo_id.errors = [*form.photo_id.errors, _("Choose one of the photos of the winning nomination.")]
        if not form.photo_id.errors:
            done = perform(lambda: services.choose_winner_photo(current_user, decision, photo), form=form,
                           success=_("The photo for the %(award)s has been saved.",
                                     award=localized(decision.category, "name")))
            if done:
                return _to_page(cycle, f"winner-{decision.id}")
    flash(_("The photo has NOT been saved. Please correct the marked field."), "danger")
    return _render(cycle, photo_forms={decision.id: form}, status=422)


@bp.post("/admin/cycles/<int:cycle_id>/winners/visibility")
@allowed(permissions.can_manage_winners)
def set_winners_visibility(cycle_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    if not permissions.can_change_winners(current_user, cycle):
        flash(str(permissions.closed_reason(cycle)), "warning")
        return redirect(url_for("winners.list_winner_years"))
    form = WinnersVisibilityForm()
    if form.validate_on_submit():
        public = form.visibility.data == "public"
        label = fiscal_year_label(cycle.fiscal_year)
        success = (_("The winners' page of %(cycle)s is now public: anyone can see it without logging in.",
                     cycle=label) if public
                   else _("The winners' page of %(cycle)s is now for logged-in users only.", cycle=label))
        done = perform(lambda: services.set_winners_public(current_user, cycle, public), form=form, success=success)
        if done:
            return _to_page(cycle)
    flash(_("The page's visibility has NOT been changed. Please correct the marked field."), "danger")
    return _render(cycle, visibility_form=form, status=422)
