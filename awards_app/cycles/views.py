"""Cycle administration: fiscal years, deadlines, phases, criteria and award categories."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards_app.core import hooks
from awards_app.core.enums import Phase
from awards_app.core.i18n import local_to_utc, localized, show_datetime, utc_to_local
from awards_app.core.models import utcnow
from awards_app.core.permissions import allowed, require
from awards_app.core.transactions import perform, show_refusal
from awards_app.cycles import permissions, rules, services
from awards_app.cycles.fiscal import fiscal_year_bounds, fiscal_year_label, fiscal_year_of, fiscal_year_period_here
from awards_app.cycles.forms import (
    FISCAL_YEAR_MAX,
    FISCAL_YEAR_MIN,
    AwardCategoryForm,
    CycleCreateForm,
    CycleEditForm,
    criterion_form_class,
)
from awards_app.cycles.models import AwardCategory, Criterion, Cycle
from awards_app.cycles.queries import (
    get_cycle_overview_query,
    list_cycles_query,
    suggest_fiscal_year,
)
from awards_app.extensions import db

bp = Blueprint("cycles", __name__, url_prefix="/admin/cycles")
# How every page and e-mail names a fiscal year to its reader (cycles/fiscal.py): {{ fy | fy }} and
# {{ fy_period(fy) }}, the full period in the reader's long date format.
bp.add_app_template_filter(fiscal_year_label, "fy")
bp.add_app_template_global(fiscal_year_period_here, "fy_period")

MOVES = {"up": -1, "down": 1}


@bp.context_processor
def _cycle_permissions():
    # The overview asks the same questions as the views: cycle_perms.can_edit_criteria(current_user, cycle).
    return {"cycle_perms": permissions, "phase_order": rules.PHASE_ORDER}


# --- helpers -----------------------------------------------------------------------------------


def _get_criterion_or_404(cycle: Cycle, criterion_id: int) -> Criterion:
    criterion = db.get_or_404(Criterion, criterion_id)
    require(criterion.cycle_id == cycle.id, 404)
    return criterion


def _get_award_category_or_404(cycle: Cycle, category_id: int) -> AwardCategory:
    category = db.get_or_404(AwardCategory, category_id)
    require(category.cycle_id == cycle.id, 404)
    return category


def _to_cycle(cycle: Cycle, anchor: str | None = None):
    return redirect(url_for("cycles.show_cycle", cycle_id=cycle.id, _anchor=anchor))


def _fiscal_year_range(year) -> tuple | None:
    if isinstance(year, int) and FISCAL_YEAR_MIN <= year <= FISCAL_YEAR_MAX:
        return fiscal_year_bounds(year)
    return None


def _move_offset() -> int:
    offset = MOVES.get(request.form.get("direction", ""))
    if offset is None:
        abort(400)
    return offset


def _move(cycle: Cycle, item, move, anchor: str, saved: str):
    """Move a criterion or an award category one place up or down, as the form's direction says."""
    offset = _move_offset()
    done = perform(lambda: move(current_user, item, offset))
    if done.value:
        flash(saved, "success")
    elif done:
        flash(_("“%(name)s” cannot move further.", name=localized(item, "name")), "info")
    return _to_cycle(cycle, anchor)


def _transition(cycle: Cycle, target: Phase, now) -> dict:
    """What the overview shows for one allowed phase change: label, confirmation, blockers."""
    deadline = show_datetime(cycle.nomination_deadline)
    fy = fiscal_year_label(cycle.fiscal_year)
    danger = False
    if target == Phase.NOMINATIONS_OPEN and cycle.phase == Phase.SETUP:
        label = _("Open nominations")
        confirm = _(
            "Open nominations for %(fy)s? Sites can nominate until %(deadline)s.", fy=fy, deadline=deadline
        )
    elif target == Phase.NOMINATIONS_OPEN:
        label = _("Reopen nominations")
        confirm = _(
            "Reopen nominations for %(fy)s? Sites can change and submit nominations again until %(deadline)s.",
            fy=fy, deadline=deadline,
        )
    elif target == Phase.JUDGING and rules.closes_nominations_early(
        cycle.phase, target, cycle.nomination_deadline, now
    ):
        label = _("Close nominations and start judging")
        confirm = _(
            "The nomination deadline (%(deadline)s) has not passed yet. Sites will no longer be able to "
            "edit or submit their nominations. Start judging now?",
            deadline=deadline,
        )
        danger = True
    elif target == Phase.JUDGING:
        label = _("Close nominations and start judging")
        confirm = _("Start judging %(fy)s? Sites can no longer change their nominations.", fy=fy)
    elif target == Phase.FINALISED:
        # Finalising happens on the awards page (awards.services.finalise_cycle), where the
        # decisions are; the cycle page leads there and says what is still missing.
        return {
            "phase": target,
            "label": _("Decide the awards and finalise"),
            "link": url_for("awards.show_awards", cycle_id=cycle.id, _anchor="finalise"),
            "problems": [],
            "notes": hooks.finalise_problems(cycle, now),
        }
    else:
        label = _("Back to setup")
        confirm = _("Close nominations and take %(fy)s back to setup?", fy=fy)
    return {
        "phase": target,
        "label": label,
        "confirm": confirm,
        "danger": danger,
        "problems": services.phase_change_problems(cycle, target, now),
    }


# --- cycles ------------------------------------------------------------------------------------


@bp.get("/")
@allowed(permissions.can_manage_cycles)
def list_cycles():
    cycles = db.session.scalars(list_cycles_query()).all()
    counts = hooks.count_nominations_by_status([cycle.id for cycle in cycles])
    return render_template("cycles/list.html", cycles=cycles, counts=counts, now=utcnow())


@bp.route("/new", methods=["GET", "POST"])
@allowed(permissions.can_manage_cycles)
def create_cycle():
    form = CycleCreateForm()
    if request.method == "GET":
        form.fiscal_year.data = suggest_fiscal_year(utc_to_local(utcnow()).date())
    if form.validate_on_submit():
        done = perform(lambda: services.create_cycle(
            current_user,
            fiscal_year=form.fiscal_year.data,
            nomination_deadline=local_to_utc(form.nomination_deadline.data),
            judging_deadline=local_to_utc(form.judging_deadline.data),
            scale_min=form.scale_min.data,
            scale_max=form.scale_max.data,
            judges_per_nomination=form.judges_per_nomination.data,
            disagreement_threshold=form.disagreement_threshold.data,
            minimum_reviews=form.minimum_reviews.data,
            ranking_method=form.ranking_method.data,
        ), form=form)
        if done:
            flash(_("The cycle %(label)s has been created. It is in setup until you open nominations.",
                    label=fiscal_year_label(done.value.fiscal_year)), "success")
            return _to_cycle(done.value)
    return render_template(
        "cycles/form.html", form=form, cycle=None, fiscal_range=_fiscal_year_range(form.fiscal_year.data),
        example_range=fiscal_year_bounds(fiscal_year_of(utc_to_local(utcnow()).date())),
    )


@bp.get("/<int:cycle_id>")
@allowed(permissions.can_manage_cycles)
def show_cycle(cycle_id: int):
    cycle = db.one_or_404(get_cycle_overview_query(cycle_id))
    now = utcnow()
    counts = hooks.count_nominations_by_status([cycle.id])[cycle.id]
    transitions = [_transition(cycle, target, now) for target in rules.allowed_transitions(cycle.phase)]
    return render_template(
        "cycles/show.html", cycle=cycle, counts=counts, transitions=transitions, now=now,
        step=rules.phase_step(cycle.phase),
    )


@bp.route("/<int:cycle_id>/settings", methods=["GET", "POST"])
@allowed(permissions.can_manage_cycles)
def edit_cycle(cycle_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    # Once the results are final only the settings about publishing them can change.
    final = not permissions.can_edit_settings(current_user, cycle)
    form = CycleEditForm(
        data={
            "nomination_deadline": utc_to_local(cycle.nomination_deadline),
            "judging_deadline": utc_to_local(cycle.judging_deadline),
            "scale_min": cycle.scale_min,
            "scale_max": cycle.scale_max,
            "nomination_reminder_days": cycle.nomination_reminder_days.replace(",", ", "),
            "judging_reminder_days": cycle.judging_reminder_days.replace(",", ", "),
            "judges_per_nomination": cycle.judges_per_nomination,
            "disagreement_threshold": cycle.disagreement_threshold,
            "minimum_reviews": cycle.minimum_reviews,
            "ranking_method": cycle.ranking_method.value,
            **{name: getattr(cycle, name) for name in CycleEditForm.RESULTS_FIELDS},
        }
    )
    if final:
        for name in CycleEditForm.JUDGING_FIELDS:
            delattr(form, name)
    elif not permissions.can_change_scale(current_user, cycle):
        del form.scale_min
        del form.scale_max
    if form.validate_on_submit():
        settings = {}
        if not final:
            settings = {
                "nomination_deadline": local_to_utc(form.nomination_deadline.data),
                "judging_deadline": local_to_utc(form.judging_deadline.data),
                "judges_per_nomination": form.judges_per_nomination.data,
                "disagreement_threshold": form.disagreement_threshold.data,
                "nomination_reminder_days": form.nomination_reminder_days.data,
                "judging_reminder_days": form.judging_reminder_days.data,
                "minimum_reviews": form.minimum_reviews.data,
                "ranking_method": form.ranking_method.data,
            }
            if form.scale_min:
                settings.update(scale_min=form.scale_min.data, scale_max=form.scale_max.data)
        done = perform(lambda: services.update_cycle(current_user, cycle, results=form.results_data(), **settings),
                       form=form, success=_("The changes have been saved."))
        # A phase that no longer allows the change is said at the top of the cycle's page.
        if done or isinstance(done.error, services.CycleLocked):
            return _to_cycle(cycle)
    return render_template(
        "cycles/form.html", form=form, cycle=cycle, fiscal_range=fiscal_year_bounds(cycle.fiscal_year), final=final
    )


@bp.post("/<int:cycle_id>/phase")
@allowed(permissions.can_manage_cycles)
def change_phase(cycle_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    try:
        target = Phase(request.form.get("phase", ""))
    except ValueError:
        abort(400)
    # The page the admin clicked on may be stale (a second tab, another admin, a double click).
    expected = request.form.get("current_phase")
    if expected is not None and expected != cycle.phase.value:
        flash(_("This cycle changed phase in the meantime and is now in “%(phase)s”. Nothing was changed.",
                phase=cycle.phase.title), "warning")
        return _to_cycle(cycle)
    done = perform(lambda: services.change_phase(current_user, cycle, target),
                   success=_("%(label)s is now in phase “%(phase)s”.", label=fiscal_year_label(cycle.fiscal_year), phase=target.title))
    if isinstance(done.error, services.FinaliseOnAwardsPage):
        return redirect(url_for("awards.show_awards", cycle_id=cycle.id, _anchor="finalise"))
    return _to_cycle(cycle)


# --- criteria ----------------------------------------------------------------------------------


@bp.route("/<int:cycle_id>/criteria/new", methods=["GET", "POST"])
@allowed(permissions.can_manage_cycles)
def create_criterion(cycle_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    if closed := permissions.criteria_closed_reason(cycle, "add"):
        show_refusal(services.CycleLocked(closed))
        return _to_cycle(cycle, "criteria")
    form = criterion_form_class(cycle.scale)()
    if form.validate_on_submit():
        done = perform(lambda: services.create_criterion(current_user, cycle, form.criterion_data()), form=form)
        if done:
            flash(_("The criterion “%(name)s” has been added.", name=localized(done.value, "name")), "success")
        if done or isinstance(done.error, services.CycleLocked):
            return _to_cycle(cycle, "criteria")
    return render_template("cycles/criterion_form.html", form=form, cycle=cycle, criterion=None)


@bp.route("/<int:cycle_id>/criteria/<int:criterion_id>", methods=["GET", "POST"])
@allowed(permissions.can_manage_cycles)
def edit_criterion(cycle_id: int, criterion_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    criterion = _get_criterion_or_404(cycle, criterion_id)
    if closed := permissions.criteria_closed_reason(cycle, "edit"):
        show_refusal(services.CycleLocked(closed))
        return _to_cycle(cycle, "criteria")
    form = criterion_form_class(cycle.scale)(obj=criterion)
    if request.method == "GET":
        form.fill_rubric(criterion)
    if not permissions.can_change_criterion_key(current_user, cycle):
        del form.key
    if form.validate_on_submit():
        done = perform(lambda: services.update_criterion(current_user, criterion, form.criterion_data()),
                       form=form, success=_("The changes have been saved."))
        if done or isinstance(done.error, services.CycleLocked):
            return _to_cycle(cycle, "criteria")
    return render_template("cycles/criterion_form.html", form=form, cycle=cycle, criterion=criterion)


@bp.post("/<int:cycle_id>/criteria/<int:criterion_id>/delete")
@allowed(permissions.can_manage_cycles)
def delete_criterion(cycle_id: int, criterion_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    criterion = _get_criterion_or_404(cycle, criterion_id)
    perform(lambda: services.delete_criterion(current_user, criterion),
            success=_("The criterion “%(name)s” has been removed.", name=localized(criterion, "name")))
    return _to_cycle(cycle, "criteria")


@bp.post("/<int:cycle_id>/criteria/<int:criterion_id>/move")
@allowed(permissions.can_manage_cycles)
def move_criterion(cycle_id: int, criterion_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    criterion = _get_criterion_or_404(cycle, criterion_id)
    return _move(cycle, criterion, services.move_criterion, "criteria",
                 _("The order of the criteria has been saved."))


# --- award categories --------------------------------------------------------------------------


@bp.route("/<int:cycle_id>/award-categories/new", methods=["GET", "POST"])
@allowed(permissions.can_manage_cycles)
def create_award_category(cycle_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    if closed := permissions.award_categories_closed_reason(cycle, "add"):
        show_refusal(services.CycleLocked(closed))
        return _to_cycle(cycle, "award-categories")
    form = AwardCategoryForm()
    if form.validate_on_submit():
        done = perform(lambda: services.create_award_category(current_user, cycle, form.category_data()), form=form)
        if done:
            flash(_("The award category “%(name)s” has been added.", name=localized(done.value, "name")), "success")
        if done or isinstance(done.error, services.CycleLocked):
            return _to_cycle(cycle, "award-categories")
    return render_template("cycles/award_category_form.html", form=form, cycle=cycle, category=None)


@bp.route("/<int:cycle_id>/award-categories/<int:category_id>", methods=["GET", "POST"])
@allowed(permissions.can_manage_cycles)
def edit_award_category(cycle_id: int, category_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    category = _get_award_category_or_404(cycle, category_id)
    if closed := permissions.award_categories_closed_reason(cycle, "edit"):
        show_refusal(services.CycleLocked(closed))
        return _to_cycle(cycle, "award-categories")
    form = AwardCategoryForm(obj=category)
    if not permissions.can_change_award_category_key(current_user, cycle):
        del form.key
    if form.validate_on_submit():
        done = perform(lambda: services.update_award_category(current_user, category, form.category_data()),
                       form=form, success=_("The changes have been saved."))
        if done or isinstance(done.error, services.CycleLocked):
            return _to_cycle(cycle, "award-categories")
    return render_template("cycles/award_category_form.html", form=form, cycle=cycle, category=category)


@bp.post("/<int:cycle_id>/award-categories/<int:category_id>/delete")
@allowed(permissions.can_manage_cycles)
def delete_award_category(cycle_id: int, category_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    category = _get_award_category_or_404(cycle, category_id)
    perform(lambda: services.delete_award_category(current_user, category),
            success=_("The award category “%(name)s” has been removed.", name=localized(category, "name")))
    return _to_cycle(cycle, "award-categories")


@bp.post("/<int:cycle_id>/award-categories/<int:category_id>/move")
@allowed(permissions.can_manage_cycles)
def move_award_category(cycle_id: int, category_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    category = _get_award_category_or_404(cycle, category_id)
    return _move(cycle, category, services.move_award_category, "award-categories",
                 _("The order of the award categories has been saved."))
