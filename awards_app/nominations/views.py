"""Nominations: a site's dashboard, the nomination form and page, withdrawal, attachments.

Every view: load the object or 404 → check permission → validate → call one service (``perform``
commits once) → flash → redirect. A nomination the user may not see answers 404 (its existence is
private). A change the user could make but the cycle no longer accepts (deadline passed,
phase moved on) answers 403 with the page and the reason, and keeps what was typed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_time, format_timedelta
from flask_babel import gettext as _
from flask_login import current_user, login_required

from awards_app.core import hooks
from awards_app.core.enums import Language, NominationStatus, Region
from awards_app.core.i18n import localized, show_datetime
from awards_app.core.models import utcnow
from awards_app.core.permissions import require
from awards_app.core.transactions import Conflict, after_commit, perform, show_refusal
from awards_app.core.urls import db_int, page_number, text_arg
from awards_app.extensions import db
from awards_app.nominations import queries, services, storage
from awards_app.nominations.forms import (
    LABELS,
    AttachmentUploadForm,
    NominationCreateForm,
    NominationSubmitForm,
    NominationWithdrawForm,
    nomination_form_class,
)
from awards_app.nominations.models import Nomination
from awards_app.nominations.permissions import (
    can_create,
    can_edit,
    can_manage_attachments,
    can_nominate_for,
    can_see_site,
    can_submit,
    can_view,
    can_withdraw,
    closed_reason,
)

bp = Blueprint("nominations", __name__)

# Served files are never rendered by the browser as part of our site.
FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
}


# The form saves its draft by itself at most this often while the user types.
AUTOSAVE_SECONDS = 30


# --- helpers ----------------------------------------------------------------------------------


def _accepting(cycle, now: datetime) -> bool:
    return closed_reason(cycle, now=now) is None


def _time_left(cycle, now: datetime) -> str | None:
    """"3 days left" while the cycle accepts nominations, else None."""
    if not _accepting(cycle, now):
        return None
    return _("%(time)s left", time=format_timedelta(cycle.nomination_deadline - now, granularity="minute", threshold=1))


def _closed_message(cycle, now: datetime, nomination: Nomination | None = None) -> str:
    """Why the user cannot change the nomination now: the cycle's or the nomination's state (the
    reason the services refuse with), else their role."""
    return str(closed_reason(cycle, nomination, now=now) or _("You cannot change this nomination."))


def _may_view(nomination: Nomination | None) -> bool:
    if nomination is None:
        return False
    assigned = getattr(current_user, "is_judge", False) and hooks.is_assigned(current_user, nomination.id)
    return can_view(current_user, nomination, assigned=assigned)


def _hides_site(nomination: Nomination) -> bool:
    """Whether the user may see the nomination but not which site nominated it: a judge who
    reviews it blind (judging answers; an admin or the site's own submitter always sees the site)."""
    blind = getattr(current_user, "is_judge", False) and hooks.hides_site(current_user, nomination.id)
    return not can_see_site(current_user, nomination.site_id, blind=blind)


def _download_name(attachment) -> str:
    """The name a file is offered under: its original one, or a neutral one in a blind review."""
    return attachment.neutral_name() if _hides_site(attachment.nomination) else attachment.original_name


def _load_nomination(nomination_id: int) -> Nomination:
    """The nomination, or 404 when it does not exist or the user may not see it."""
    nomination = queries.get_nomination(nomination_id)
    require(_may_view(nomination), 404)
    return nomination


def _load_attachment(attachment_id: int):
    attachment = queries.get_attachment(attachment_id)
    require(attachment is not None and _may_view(attachment.nomination), 404)
    return attachment


def _upload_folder() -> str:
    return current_app.config["UPLOAD_FOLDER"]


def _site_choices(sites) -> list[tuple[int, str]]:
    return [(site.id, f"{site.code} — {localized(site, 'name')}") for site in sites]


def _activity_arg(cycle, sites):
    """The activity named by ?activity= ("Nominate this activity"): one of the user's sites in
    the cycle's fiscal year, not nominated yet; 404 otherwise. None without the argument."""
    activity_id = request.args.get("activity", type=db_int)
    if activity_id is None:
        return None
    activity = queries.get_activity(activity_id)
    require(activity is not None and activity.site_id in {site.id for site in sites}
            and activity.fiscal_year == cycle.fiscal_year, 404)
    return activity


def _nominating_sites(user) -> list:
    """The sites `user` may nominate for: all active sites for an admin, else their own."""
    sites = queries.list_sites() if user.is_admin else list(user.sites)
    return [site for site in sites if can_nominate_for(user, site)]


def _initial_data(nomination: Nomination) -> dict:
    values = services.nomination_values(nomination)
    statements = values.pop("statements")
    values["language"] = values["language"].value
    values["theme"] = values["theme"].value if values["theme"] else None
    values["version"] = nomination.version
    for criterion in nomination.cycle.criteria:
        values[services.statement_key(criterion.id)] = statements.get(criterion.id, "")
    return values


def _show_form_refusal(form, error) -> None:
    """A refused save: an incomplete submission marks every missing field as the form itself
    does; any other refusal goes beside its field (or above the form)."""
    if isinstance(error, services.NominationIncomplete):
        form.require_complete()
    else:
        show_refusal(error, form)


def _draft_values(form, stored: dict | None) -> dict | None:
    """What is kept as a draft from a form the server refused (or saves by itself while the user
    types): every field as typed, except those whose input was refused (a negative number, a date
    outside the year), which keep their saved value, or stay empty on a new nomination. None when
    there is nothing to save it under (no language, site or valid CSRF token). Read right after
    validation, before "required to submit" marks the empty fields."""
    refused = set(form.errors)
    if refused & {"csrf_token", "language", "site_id", "version"}:
        return None
    if refused & {"start_date", "end_date"}:
        refused |= {"start_date", "end_date"}  # one rule holds them together (the end not before the start)
    by_key = {services.statement_key(criterion.id): criterion.id for criterion in form.criteria}
    stored = stored or {}
    typed = {name: form[name].data for name in refused}
    for name in refused:  # values() reads the fields: give the refused ones their saved value for a moment
        if name in by_key:
            form[name].data = stored.get("statements", {}).get(by_key[name], "")
        else:
            value = stored.get(name, "" if name in services.TEXT_FIELDS else None)
            form[name].data = value.value if hasattr(value, "value") else value
    try:
        return form.values()
    finally:
        for name, value in typed.items():
            form[name].data = value


def _send_stored(path, *, mimetype: str, download_name: str | None = None, inline: bool = False):
    """The stored file with FILE_HEADERS: a download under `download_name`, or with `inline`,
    shown by the browser itself under that name."""
    if not path.is_file():
        abort(404)
    response = send_file(
        path, mimetype=mimetype, as_attachment=download_name is not None and not inline, download_name=download_name,
        conditional=True, etag=True, max_age=0,
    )
    response.headers.update(FILE_HEADERS)
    return response


# --- dashboard --------------------------------------------------------------------------------


@dataclass
class SiteGroup:
    site: object
    nominations: list = field(default_factory=list)
    can_create: bool = False


@dataclass
class CycleGroup:
    cycle: object
    accepting: bool
    time_left: str | None
    sites: list[SiteGroup] = field(default_factory=list)


@bp.get("/nominations")
@login_required
def dashboard():
    now = utcnow()
    if current_user.is_admin:
        return _admin_dashboard(now)
    if current_user.is_submitter:
        return _submitter_dashboard(now)
    # A judge's nominations are the ones assigned to them, and their queue lists them (every cycle
    # in judging or finalised, submitted sheets too): one list to keep right, not a second one here.
    return redirect(url_for("judging.show_queue"))


def _submitter_dashboard(now: datetime):
    """The user's sites' nominations: cycles accepting nominations first, then earlier ones.
    Five queries whatever the data: the user's sites, the open cycles, the nominations, the
    awards they won in finalised cycles, and those on a shortlist published to the sites."""
    sites = list(current_user.sites)
    nominations = queries.list_site_nominations({site.id for site in sites})
    cycles = {cycle.id: cycle for cycle in queries.list_open_cycles(now)}
    for nomination in nominations:
        cycles.setdefault(nomination.cycle_id, nomination.cycle)
    groups = []
    for cycle in sorted(cycles.values(), key=lambda c: (not _accepting(c, now), -c.fiscal_year)):
        accepting = _accepting(cycle, now)
        group = CycleGroup(cycle, accepting, _time_left(cycle, now))
        for site in sites:
            items = [n for n in nominations if n.cycle_id == cycle.id and n.site_id == site.id]
            allowed = can_create(current_user, site, cycle, now=now)
            if items or allowed:
                group.sites.append(SiteGroup(site, items, allowed))
        if group.sites:
            groups.append(group)
    awards = hooks.final_awards([n.id for n in nominations])
    return render_template("nominations/dashboard.html", mode="submitter", groups=groups, sites=sites, awards=awards,
                           shortlisted=hooks.shortlisted(current_user, nominations))


def _enum_arg(enum_cls, name: str):
    try:
        return enum_cls(request.args.get(name, ""))
    except ValueError:
        return None


def _admin_dashboard(now: datetime):
    """All nominations of one cycle (default: the latest), filtered and paginated; a fixed
    number of queries whatever the data."""
    cycles = queries.list_cycles()
    wanted = request.args.get("cycle", type=int)
    cycle = next((c for c in cycles if c.id == wanted), cycles[0] if cycles else None)
    filters = {
        "site": request.args.get("site", type=db_int),
        "region": _enum_arg(Region, "region"),
        "status": _enum_arg(NominationStatus, "status"),
        "q": text_arg("q", 100),
    }
    page = None
    if cycle is not None:
        query = queries.admin_nominations_query(
            cycle.id, site_id=filters["site"], region=filters["region"], status=filters["status"], search=filters["q"],
        )
        page = db.paginate(query, page=page_number(queries.ADMIN_PAGE_SIZE), per_page=queries.ADMIN_PAGE_SIZE,
                           max_per_page=queries.ADMIN_PAGE_SIZE, error_out=False)
    link_args = {
        "cycle": cycle.id if cycle else None,
        "site": filters["site"],
        "region": filters["region"].value if filters["region"] else None,
        "status": filters["status"].value if filters["status"] else None,
        "q": filters["q"] or None,
    }
    return render_template(
        "nominations/dashboard.html", mode="admin", cycles=cycles, cycle=cycle, page=page, filters=filters,
        link_args={k: v for k, v in link_args.items() if v is not None}, sites=queries.list_sites(), regions=list(Region),
        accepting=cycle is not None and _accepting(cycle, now),
        time_left=_time_left(cycle, now) if cycle else None,
    )


# --- the nomination form ------------------------------------------------------------------------


def _bind_activity(form, activity) -> None:
    """A nomination of an activity shows the activity's dates, participants and hours, read-only:
    they are the activity's (the service takes them from it whatever is posted)."""
    if activity is None:
        return
    for name in services.ACTIVITY_FIELDS:
        value = getattr(activity, name)
        form[name].data = value
        form[name].process_errors = []  # whatever was posted instead is not read
        form[name].raw_data = [value.isoformat() if hasattr(value, "isoformat") else str(value)]
        form[name].render_kw = {**(form[name].render_kw or {}), "readonly": True}


def _autosave_url(cycle, nomination, activity, now: datetime) -> str | None:
    """Where the form saves its draft by itself: a new nomination, or a draft the user may edit."""
    if nomination is None:
        if not _accepting(cycle, now):
            return None
        return url_for("nominations.autosave_new_nomination", cycle_id=cycle.id,
                       activity=activity.id if activity is not None else None)
    if nomination.status == NominationStatus.DRAFT and can_edit(current_user, nomination, now=now):
        return url_for("nominations.autosave_nomination", nomination_id=nomination.id)
    return None


def _render_form(form, cycle, nomination, now, *, status: int = 200, alert: str | None = None, activity=None):
    activity = activity or (nomination.activity if nomination is not None else None)
    return render_template(
        "nominations/form.html", form=form, cycle=cycle, nomination=nomination, alert=alert, activity=activity,
        autosave_url=_autosave_url(cycle, nomination, activity, now),
        autosave_seconds=AUTOSAVE_SECONDS,
        max_attachments=current_app.config["MAX_ATTACHMENTS"], max_upload_mb=current_app.config["MAX_UPLOAD_MB"],
        time_left=_time_left(cycle, now),
        may_submit=_accepting(cycle, now) and (nomination is None or nomination.status == NominationStatus.DRAFT),
        admin_override=nomination is not None and current_user.is_admin and not _accepting(cycle, now),
    ), status


@bp.route("/nominations/new/<int:cycle_id>", methods=["GET", "POST"])
@login_required
def create_nomination(cycle_id: int):
    cycle = queries.get_cycle(cycle_id)
    require(cycle is not None, 404)
    sites = _nominating_sites(current_user)
    require(bool(sites))  # a judge, or a submitter of no active site
    now = utcnow()
    form_class = nomination_form_class(cycle.criteria, NominationCreateForm)
    activity = _activity_arg(cycle, sites)
    form = form_class(cycle=cycle, criteria=cycle.criteria)
    form.site_id.choices = _site_choices(sites)
    if request.method == "GET":
        if not _accepting(cycle, now):
            flash(_closed_message(cycle, now), "warning")
            return redirect(url_for("nominations.dashboard"))
        form.language.data = current_user.locale if current_user.locale in {lang.value for lang in Language} else "ja"
        wanted = activity.site_id if activity is not None else request.args.get("site", type=db_int)
        if len(sites) == 1 or wanted in {site.id for site in sites}:
            form.site_id.data = sites[0].id if len(sites) == 1 else wanted
        if activity is not None:
            for name, value in services.prefill_from_activity(activity).items():
                form[name].data = value.value if name == "theme" else value
        _bind_activity(form, activity)
        return _render_form(form, cycle, None, now, activity=activity)
    _bind_activity(form, activity)
    if not _accepting(cycle, now):
        return _render_form(form, cycle, None, now, status=403, alert=_closed_message(cycle, now), activity=activity)
    valid = form.validate_on_submit()
    draft = _draft_values(form, None) if request.method == "POST" else None
    if valid and (not form.wants_submit or form.require_complete()):
        site = next(site for site in sites if site.id == form.site_id.data)
        done = perform(lambda: _create_with_files(form, cycle, site, form.values(), submit=form.wants_submit,
                                                  now=now, activity=activity), show_error=False)
        if done:
            nomination = done.value
            if nomination.status == NominationStatus.SUBMITTED:
                flash(_("Your nomination has been submitted. You can still change it until the deadline."), "success")
            else:
                flash(_("Your draft has been saved. It is not submitted yet; you can add more photos and documents "
                        "here."), "success")
            return redirect(url_for("nominations.view_nomination", nomination_id=nomination.id))
        if isinstance(done.error, services.NominationClosed):
            return _render_form(form, cycle, None, now, status=403, alert=str(done.error.message), activity=activity)
        _show_form_refusal(form, done.error)
    elif draft is not None:
        # A refused save or submission keeps what was typed, as a draft: reloading never loses it.
        site = next(site for site in sites if site.id == form.site_id.data)
        done = perform(lambda: _create_with_files(form, cycle, site, draft, submit=False, now=now, activity=activity),
                       show_error=False)
        if done:
            return _render_kept_draft(form, done.value, now)
        _show_form_refusal(form, done.error)
    return _render_form(form, cycle, None, now, activity=activity)


def _create_with_files(form, cycle, site, values: dict, *, submit: bool, now: datetime, activity) -> Nomination:
    """The new nomination and the files chosen with it (those that passed their checks), in one
    transaction: a refusal leaves neither row nor file behind."""
    nomination = services.create_nomination(current_user, cycle, site, values, submit=submit, now=now,
                                            activity=activity)
    for checked, filename in getattr(form, "checked_files", []):
        services.add_attachment(current_user, nomination, checked, filename, folder=_upload_folder(),
                                max_attachments=current_app.config["MAX_ATTACHMENTS"], now=now)
    return nomination


def _render_kept_draft(form, nomination: Nomination, now: datetime):
    """The refused form again, its mistakes marked, now the form of the draft it was saved as."""
    if "files" in form.errors:  # the form of a saved draft has no file field: its page adds files
        flash(_("%(files)s You can add files on the nomination's page.",
                files=" ".join(str(error) for error in form.files.errors)), "danger")
    form.version.data = nomination.version
    form.version.raw_data = [str(nomination.version)]
    form.require_complete()
    flash(_("Please see the fields marked below. Everything else you typed has been saved in the draft; it is "
            "not submitted."), "warning")
    return _render_form(form, nomination.cycle, nomination, now)


@bp.route("/nominations/<int:nomination_id>/edit", methods=["GET", "POST"])
@login_required
def edit_nomination(nomination_id: int):
    nomination = _load_nomination(nomination_id)
    cycle = nomination.cycle
    now = utcnow()
    form_class = nomination_form_class(cycle.criteria)
    if request.method == "GET":
        if not can_edit(current_user, nomination, now=now):
            flash(_closed_message(cycle, now, nomination), "warning")
            return redirect(url_for("nominations.view_nomination", nomination_id=nomination.id))
        form = form_class(data=_initial_data(nomination), cycle=cycle, criteria=cycle.criteria)
        _bind_activity(form, nomination.activity)
        if request.args.get("check") or nomination.status == NominationStatus.SUBMITTED:
            form.require_complete()  # show at once what a submission still needs
        return _render_form(form, cycle, nomination, now)
    form = form_class(cycle=cycle, criteria=cycle.criteria)
    _bind_activity(form, nomination.activity)
    if not can_edit(current_user, nomination, now=now):
        return _render_form(form, cycle, nomination, now, status=403, alert=_closed_message(cycle, now, nomination))
    as_submission = form.wants_submit or nomination.status == NominationStatus.SUBMITTED
    valid = form.validate_on_submit()
    keep_draft = nomination.status == NominationStatus.DRAFT
    draft = _draft_values(form, services.nomination_values(nomination)) if keep_draft else None
    if valid and (not as_submission or form.require_complete()):
        was_draft = nomination.status == NominationStatus.DRAFT
        done = perform(lambda: services.update_nomination(
            current_user, nomination, form.values(), expected_version=form.version.data,
            submit=form.wants_submit, now=now,
        ), show_error=False)
        if done:
            if was_draft and nomination.status == NominationStatus.SUBMITTED:
                flash(_("Your nomination has been submitted. You can still change it until the deadline."), "success")
            elif nomination.status == NominationStatus.SUBMITTED:
                flash(_("Your changes have been saved. The nomination remains submitted."), "success")
            else:
                flash(_("Your draft has been saved. It is not submitted yet."), "success")
            return redirect(url_for("nominations.view_nomination", nomination_id=nomination.id))
        if isinstance(done.error, (services.NominationConflict, Conflict)):
            return _render_conflict(form, nomination_id, now)
        if isinstance(done.error, services.NominationClosed):
            return _render_form(form, cycle, nomination, now, status=403, alert=str(done.error.message))
        _show_form_refusal(form, done.error)
    elif draft is not None:
        # A refused save or submission of a draft keeps what was typed in the draft.
        done = perform(lambda: services.update_nomination(
            current_user, nomination, draft, expected_version=form.version.data, submit=False, now=now,
        ), show_error=False)
        if done:
            return _render_kept_draft(form, nomination, now)
        if isinstance(done.error, (services.NominationConflict, Conflict)):
            return _render_conflict(form, nomination_id, now)
        _show_form_refusal(form, done.error)
    return _render_form(form, cycle, nomination, now)


# --- the draft the form saves by itself (static/js/autosave.js) ------------------------------------
#
# While the user types, the form posts itself here at most every AUTOSAVE_SECONDS: the draft is
# saved as "Save draft" would (never submitted; a field whose input is refused keeps its saved
# value), and the answer is a line for the page. The form works the same without it.


def _autosave_answer(message: str, status: int = 200, **fields):
    return jsonify(message=message, **fields), status


def _autosave_saved(form, nomination: Nomination, now: datetime, **fields):
    time = format_time(now, "short")
    message = (_("Draft saved at %(time)s, without the fields that need correcting.", time=time) if form.errors
               else _("Draft saved at %(time)s.", time=time))
    return _autosave_answer(message, version=nomination.version, **fields)


@bp.post("/nominations/new/<int:cycle_id>/autosave")
@login_required
def autosave_new_nomination(cycle_id: int):
    """The first save of a new nomination's draft: it is created, and the page goes on as its form."""
    cycle = queries.get_cycle(cycle_id)
    require(cycle is not None, 404)
    sites = _nominating_sites(current_user)
    require(bool(sites))
    now = utcnow()
    activity = _activity_arg(cycle, sites)
    if not _accepting(cycle, now):
        return _autosave_answer(_closed_message(cycle, now), 403)
    form = nomination_form_class(cycle.criteria, NominationCreateForm)(cycle=cycle, criteria=cycle.criteria)
    form.site_id.choices = _site_choices(sites)
    _bind_activity(form, activity)
    form.validate_on_submit()
    draft = _draft_values(form, None)
    if draft is None:
        return _autosave_answer(_("Not saved yet: choose the site and the language first."), 400)
    site = next(site for site in sites if site.id == form.site_id.data)
    done = perform(lambda: services.create_nomination(
        current_user, cycle, site, draft, submit=False, now=now, activity=activity,
    ), show_error=False)
    if not done:
        return _autosave_answer(_("Not saved: %(reason)s", reason=done.error.message), 422)
    nomination = done.value
    return _autosave_saved(
        form, nomination, now, edit_url=url_for("nominations.edit_nomination", nomination_id=nomination.id),
        autosave_url=url_for("nominations.autosave_nomination", nomination_id=nomination.id),
    )


@bp.post("/nominations/<int:nomination_id>/autosave")
@login_required
def autosave_nomination(nomination_id: int):
    nomination = _load_nomination(nomination_id)
    cycle = nomination.cycle
    now = utcnow()
    if nomination.status != NominationStatus.DRAFT or not can_edit(current_user, nomination, now=now):
        # A submitted nomination changes only when its user saves it, complete.
        return _autosave_answer(_closed_message(cycle, now, nomination), 403)
    form = nomination_form_class(cycle.criteria)(cycle=cycle, criteria=cycle.criteria)
    _bind_activity(form, nomination.activity)
    form.validate_on_submit()
    draft = _draft_values(form, services.nomination_values(nomination))
    if draft is None:
        return _autosave_answer(_("Not saved: please reload the page."), 400)
    done = perform(lambda: services.update_nomination(
        current_user, nomination, draft, expected_version=form.version.data, submit=False, now=now,
    ), show_error=False)
    if isinstance(done.error, (services.NominationConflict, Conflict)):
        return _autosave_answer(_("Not saved: someone else changed this nomination. Save with the button to "
                                  "compare the two versions."), 409)
    if not done:
        return _autosave_answer(_("Not saved: %(reason)s", reason=done.error.message), 422)
    return _autosave_saved(form, nomination, now)


def _render_conflict(form, nomination_id: int, now: datetime):
    """Someone saved in the meantime: keep the user's input, say so, and let the next save
    deliberately replace the other version."""
    nomination = _load_nomination(nomination_id)
    form.version.data = nomination.version
    form.version.raw_data = [str(nomination.version)]
    alert = _(
        "Someone else saved this nomination (last change %(when)s) after you opened it, so your changes "
        "have NOT been saved. Your input is kept below. Compare it with the current version (it opens in "
        "a new tab), then save again to replace that version with yours.",
        when=show_datetime(nomination.updated_at),
    )
    return _render_form(form, nomination.cycle, nomination, now, status=409, alert=alert)


# --- the nomination page and its actions ------------------------------------------------------


def _render_page(nomination: Nomination, now: datetime, *, status: int = 200, refusal: str | None = None,
                 upload_form=None, withdraw_form=None):
    cycle = nomination.cycle
    editable = can_edit(current_user, nomination, now=now)
    submit_form = NominationSubmitForm(formdata=None, data={"version": nomination.version})
    missing = []
    if nomination.status == NominationStatus.DRAFT:
        names = services.missing_fields(services.nomination_values(nomination), [c.id for c in cycle.criteria])
        by_key = {services.statement_key(c.id): localized(c, "name") for c in cycle.criteria}
        missing = [by_key.get(name) or LABELS[name] for name in names]
    # Once the results are final: the award won (or not) and, when shared, the judges' comments.
    outcome = hooks.site_outcome(current_user, nomination)
    certificates = hooks.nomination_certificates(current_user, nomination) if outcome and outcome.awards else []
    # Of the rounds, a site sees only a shortlist the admin published as an outcome.
    shortlisted = hooks.shortlisted(current_user, [nomination]).get(nomination.id)
    return render_template(
        "nominations/view.html",
        nomination=nomination,
        cycle=cycle,
        outcome=outcome,
        shortlisted=shortlisted,
        certificates=certificates,
        refusal=refusal,
        closed=None if editable else _closed_message(cycle, now, nomination),
        admin_override=editable and not _accepting(cycle, now),
        time_left=_time_left(cycle, now),
        missing=missing,
        may_edit=editable,
        may_submit=can_submit(current_user, nomination, now=now) and nomination.status == NominationStatus.DRAFT,
        may_withdraw=can_withdraw(current_user, nomination, now=now),
        may_manage_files=can_manage_attachments(current_user, nomination, now=now),
        submit_form=submit_form,
        upload_form=upload_form or AttachmentUploadForm(formdata=None),
        withdraw_form=withdraw_form or NominationWithdrawForm(formdata=None),
        max_attachments=current_app.config["MAX_ATTACHMENTS"],
        max_upload_mb=current_app.config["MAX_UPLOAD_MB"],
        blind=_hides_site(nomination),
    ), status


def _refuse(nomination: Nomination, now: datetime, message: str | None = None):
    """The page with the reason the change was refused; nothing was changed."""
    nomination = _load_nomination(nomination.id)
    return _render_page(nomination, now, status=403, refusal=message or _closed_message(nomination.cycle, now, nomination))


@bp.get("/nominations/<int:nomination_id>")
@login_required
def view_nomination(nomination_id: int):
    nomination = _load_nomination(nomination_id)
    return _render_page(nomination, utcnow())


@bp.post("/nominations/<int:nomination_id>/submit")
@login_required
def submit_nomination(nomination_id: int):
    nomination = _load_nomination(nomination_id)
    now = utcnow()
    if not can_submit(current_user, nomination, now=now):
        return _refuse(nomination, now)
    form = NominationSubmitForm()
    require(form.validate_on_submit(), 400)
    done = perform(
        lambda: services.submit_nomination(current_user, nomination, expected_version=form.version.data, now=now),
        success=_("Your nomination has been submitted. You can still change it until the deadline."), show_error=False,
    )
    if isinstance(done.error, services.NominationIncomplete):
        flash(_("Some information required to submit is missing. Please complete the fields marked below."), "danger")
        return redirect(url_for("nominations.edit_nomination", nomination_id=nomination_id, check=1))
    if isinstance(done.error, (services.NominationConflict, Conflict)):
        flash(_("Someone else changed this nomination in the meantime. Please review it and submit again."), "warning")
        return redirect(url_for("nominations.view_nomination", nomination_id=nomination_id))
    if not done:
        return _refuse(nomination, now, str(done.error.message))
    return redirect(url_for("nominations.view_nomination", nomination_id=nomination_id))


@bp.post("/nominations/<int:nomination_id>/withdraw")
@login_required
def withdraw_nomination(nomination_id: int):
    nomination = _load_nomination(nomination_id)
    now = utcnow()
    if not can_withdraw(current_user, nomination, now=now):
        return _refuse(nomination, now)
    form = NominationWithdrawForm()
    if not form.validate_on_submit():
        return _render_page(nomination, now, withdraw_form=form)
    done = perform(
        lambda: services.withdraw_nomination(current_user, nomination, form.reason.data or "", now=now),
        success=_("The nomination has been withdrawn. It stays visible here but will not be judged."),
        show_error=False,
    )
    if not done:
        return _refuse(nomination, now, str(done.error.message))
    return redirect(url_for("nominations.view_nomination", nomination_id=nomination_id))


# --- attachments ------------------------------------------------------------------------------


@bp.post("/nominations/<int:nomination_id>/attachments")
@login_required
def upload_attachment(nomination_id: int):
    nomination = _load_nomination(nomination_id)
    now = utcnow()
    if not can_manage_attachments(current_user, nomination, now=now):
        return _refuse(nomination, now)
    form = AttachmentUploadForm()
    if form.validate_on_submit():
        done = _add_attachment(nomination, form, now)
        if done:
            flash(_("The file %(name)s has been added.", name=done.value.original_name), "success")
            return redirect(url_for("nominations.view_nomination", nomination_id=nomination_id, _anchor="attachments"))
        if isinstance(done.error, services.NominationClosed):
            return _refuse(nomination, now, str(done.error.message))
        nomination = _load_nomination(nomination_id)
        form.file.errors = list(form.file.errors) + [done.error.message]
    return _render_page(nomination, now, upload_form=form)


def _add_attachment(nomination: Nomination, form: AttachmentUploadForm, now: datetime):
    """Attach the file in one transaction; the service writes the file once its row is accepted,
    and removes it if the transaction rolls back."""
    return perform(lambda: services.add_attachment(
        current_user, nomination, form.checked, form.file.data.filename, folder=_upload_folder(),
        max_attachments=current_app.config["MAX_ATTACHMENTS"], now=now,
    ), show_error=False)


@bp.get("/nominations/attachments/<int:attachment_id>")
@login_required
def download_attachment(attachment_id: int):
    attachment = _load_attachment(attachment_id)
    return _send_stored(
        storage.file_path(_upload_folder(), attachment.stored_name),
        mimetype=attachment.content_type, download_name=_download_name(attachment),
    )


@bp.get("/nominations/attachments/<int:attachment_id>/view")
@login_required
def view_attachment(attachment_id: int):
    """The file shown by the browser itself (a photo in the page's viewer, a PDF in a tab of its
    own), with the same headers as a download: sandboxed, never run as part of our site."""
    attachment = _load_attachment(attachment_id)
    return _send_stored(
        storage.file_path(_upload_folder(), attachment.stored_name),
        mimetype=attachment.content_type, download_name=_download_name(attachment), inline=True,
    )


@bp.get("/nominations/attachments/<int:attachment_id>/thumbnail")
@login_required
def view_thumbnail(attachment_id: int):
    attachment = _load_attachment(attachment_id)
    require(attachment.is_image, 404)
    return _send_stored(storage.thumbnail_path(_upload_folder(), attachment.stored_name), mimetype="image/jpeg")


@bp.post("/nominations/attachments/<int:attachment_id>/delete")
@login_required
def delete_attachment(attachment_id: int):
    attachment = _load_attachment(attachment_id)
    nomination = _load_nomination(attachment.nomination_id)
    now = utcnow()
    if not can_manage_attachments(current_user, nomination, now=now):
        return _refuse(nomination, now)
    folder = _upload_folder()

    def delete():
        stored_name = services.delete_attachment(current_user, attachment, now=now)
        after_commit(lambda: storage.remove_files(folder, [stored_name]))  # a rolled-back delete keeps the file

    done = perform(delete, success=_("The file %(name)s has been deleted.", name=attachment.original_name),
                   show_error=False)
    if not done:
        return _refuse(nomination, now, str(done.error.message))
    return redirect(url_for("nominations.view_nomination", nomination_id=nomination.id, _anchor="attachments"))
