"""Deciding the awards and finalising a cycle (admins).

Every view: admin or 403 → load the cycle (and category) or 404 → validate → one service
(``perform`` commits once) → flash → redirect. A refused choice shows the page again with the input kept and
the message beside the field.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards_app.awards import permissions, queries, services
from awards_app.awards.forms import AwardDecisionForm, FinaliseForm, decision_prefix
from awards_app.core.i18n import localized
from awards_app.core.permissions import allowed, require
from awards_app.core.transactions import perform
from awards_app.cycles.fiscal import fiscal_year_label
from awards_app.cycles.models import AwardCategory, Cycle
from awards_app.extensions import db
from awards_app.nominations.models import Nomination

bp = Blueprint("awards", __name__)


def _load_cycle(cycle_id: int) -> Cycle:
    return db.one_or_404(queries.get_cycle_query(cycle_id))


def _load_category(cycle: Cycle, category_id: int) -> AwardCategory:
    category = next((c for c in cycle.award_categories if c.id == category_id), None)
    require(category is not None, 404)
    return category


def _to_awards(cycle: Cycle, anchor: str | None = None):
    return redirect(url_for("awards.show_awards", cycle_id=cycle.id, _anchor=anchor))


def _anchor(category: AwardCategory) -> str:
    return f"award-{category.key}"


def _decision_form(board: queries.AwardBoard) -> AwardDecisionForm:
    """A fresh form for a board: the current winner, else the proposal, is pre-selected."""
    form = AwardDecisionForm(prefix=decision_prefix(board.category.id), formdata=None)
    if board.decision is not None:
        form.nomination_id.data = board.decision.nomination_id
    else:
        form.nomination_id.data = board.proposal.nomination_id
    return form


def _render(cycle: Cycle, *, forms: dict | None = None, finalise_form: FinaliseForm | None = None,
            status: int = 200):
    boards = queries.get_award_boards(cycle)
    forms = forms or {}
    return render_template(
        "awards/show.html",
        cycle=cycle,
        boards=boards,
        # The round the awards are decided from (the last one); its settings are the proposal's.
        decided_round=boards[0].ranking.round if boards else None,
        forms={board.category.id: forms.get(board.category.id) or _decision_form(board) for board in boards},
        finalise_form=finalise_form or FinaliseForm(formdata=None),
        locked=permissions.locked_message(cycle),
        finalise_problems=services.finalise_problems(cycle) if permissions.can_finalise(current_user, cycle) else [],
        finalised_by=queries.get_user(cycle.finalised_by_id),
    ), status


@bp.get("/admin/cycles/<int:cycle_id>/awards")
@allowed(permissions.can_decide_awards)
def show_awards(cycle_id: int):
    cycle = _load_cycle(cycle_id)
    return _render(cycle)


@bp.post("/admin/cycles/<int:cycle_id>/awards/<int:category_id>/decision")
@allowed(permissions.can_decide_awards)
def decide_award(cycle_id: int, category_id: int):
    cycle = _load_cycle(cycle_id)
    category = _load_category(cycle, category_id)
    if not permissions.can_change_decisions(current_user, cycle):
        flash(str(permissions.locked_message(cycle)), "danger")
        return _to_awards(cycle)
    form = AwardDecisionForm(prefix=decision_prefix(category.id))
    if form.validate_on_submit():
        nomination = db.session.get(Nomination, form.nomination_id.data)
        if nomination is None:
            form.nomination_id.errors = [*form.nomination_id.errors, _("Choose a nomination from the list.")]
        else:
            # The page always sends the winner it showed; a request without it is not checked.
            seen = form.seen_winner_id.data if form.seen_winner_id.raw_data else ...
            done = perform(
                lambda: services.decide_award(current_user, category, nomination, reason=form.reason.data or "",
                                              seen_winner_id=seen),
                form=form,
                success=_("“%(title)s” has been chosen for the %(award)s.",
                          title=nomination.display_title, award=localized(category, "name")),
            )
            if done:
                return _to_awards(cycle, _anchor(category))
            if isinstance(done.error, services.AwardsLocked):
                return _to_awards(cycle)
            cycle = _load_cycle(cycle_id)
    flash(_("The decision has NOT been saved. Please correct the marked fields."), "danger")
    return _render(cycle, forms={category.id: form}, status=422)


@bp.post("/admin/cycles/<int:cycle_id>/awards/<int:category_id>/decision/delete")
@allowed(permissions.can_decide_awards)
def clear_award(cycle_id: int, category_id: int):
    cycle = _load_cycle(cycle_id)
    category = _load_category(cycle, category_id)
    done = perform(lambda: services.clear_award(current_user, category))
    if not done:
        return _to_awards(cycle)
    if done.value:
        flash(_("The decision for the %(award)s has been cleared.", award=localized(category, "name")), "success")
    else:
        flash(_("No winner had been chosen for the %(award)s.", award=localized(category, "name")), "info")
    return _to_awards(cycle, _anchor(category))


@bp.post("/admin/cycles/<int:cycle_id>/finalise")
@allowed(permissions.can_decide_awards)
def finalise_cycle(cycle_id: int):
    cycle = _load_cycle(cycle_id)
    form = FinaliseForm()
    if not form.validate_on_submit():
        flash(_("The results have NOT been finalised. Please confirm below."), "danger")
        return _render(cycle, finalise_form=form, status=422)
    done = perform(lambda: services.finalise_cycle(current_user, cycle),
                   success=_("The results of %(label)s are final. Scores, nominations, assignments and awards "
                             "are now locked.", label=fiscal_year_label(cycle.fiscal_year)))
    return _to_awards(cycle) if done else _to_awards(cycle, "finalise")
