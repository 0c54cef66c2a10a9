"""Judging: the judge's queue and scoring screen; panels, assignments, ranking and progress for
admins. Views: load or 404 → permission → validate → one service (``perform`` commits) → flash →
redirect."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from enum import Enum

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from awards_app.accounts.models import User
from awards_app.core.enums import Deliberation, Region, SheetStatus, Theme
from awards_app.core.i18n import local_to_utc, utc_to_local
from awards_app.core.models import utcnow
from awards_app.core.permissions import allowed, is_admin, require
from awards_app.core.transactions import Conflict, perform, show_refusal
from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from awards_app.judging import permissions, queries, services
from awards_app.judging.forms import (
    AssignmentAddForm,
    DiscussionForm,
    PanelForm,
    ReasonForm,
    ShortlistEntryForm,
    ShortlistPromoteForm,
    comment_key,
    revision_form_class,
    round_form_class,
    score_key,
    sheet_form_class,
    weight_key,
)
from awards_app.judging.model import DRAWS, SEED, worked_example
from awards_app.judging.models import Assignment, JudgingRound, ScoreSheet
from awards_app.judging.scoring import SORT_KEYS
from awards_app.nominations.models import Nomination
from awards_app.nominations.permissions import can_see_site

bp = Blueprint("judging", __name__)

# Flashed messages travel in the session cookie, which browsers drop above 4 KB (a 200-character
# Japanese title is 1.2 KB once JSON-escaped). So a few shortages are named, with titles cut short;
# the assignments page marks every nomination that lacks judges anyway.
MAX_SHORTAGE_MESSAGES = 5
SHORT_TITLE = 40


def _shorten(text: str, limit: int = SHORT_TITLE) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Any id would do: the URL is built once with it and split around it.
_PLACEHOLDER_ID = 987654321


def _url_for_ids(endpoint: str, key: str):
    """`url_for(endpoint, **{key: id})` for the many ids of one page, built once: Werkzeug takes
    about 7 µs per URL, and a ranking has ~900 rows (a queue ~90)."""
    head, _, tail = url_for(endpoint, **{key: _PLACEHOLDER_ID}).partition(str(_PLACEHOLDER_ID))
    return lambda value: f"{head}{int(value)}{tail}"


def _round_arg(cycle: Cycle):
    """The round the page or form is about (`round`, in the query or the form), by default the
    current one; 404 for a round of another cycle. Returns (the cycle's rounds, that round)."""
    rounds = queries.list_rounds(cycle)
    round_id = request.values.get("round", type=int)
    if round_id is None:
        return rounds, queries.current_round(rounds)
    chosen = next((r for r in rounds if r.id == round_id), None)
    require(chosen is not None, 404)
    return rounds, chosen


def _region_arg() -> Region:
    try:
        return Region(request.args.get("region", Region.JAPAN.value))
    except ValueError:
        return Region.JAPAN


# --- judges --------------------------------------------------------------------------------------


@bp.get("/judging")
@allowed(permissions.can_judge)
def show_queue():
    cycles = queries.list_judging_cycles()
    cycle = next((c for c in cycles if c.id == request.args.get("cycle", type=int)), cycles[0] if cycles else None)
    sees_sites = is_admin(current_user)  # an admin who judges still sees every site
    queue = [_without_site(item, sees_sites) for item in queries.list_queue(current_user, cycle)] if cycle else []
    # A line whose round closed before the judge submitted can no longer be done: it is listed
    # apart, and out of the count of what remains.
    groups = {"todo": [], "in_progress": [], "submitted": [], "closed": []}
    for item in queue:
        groups["closed" if item.not_completed else item.state].append(item)
    rounds = queries.list_rounds(cycle) if cycle else []
    current = queries.current_round(rounds) if rounds else None
    return render_template(
        "judging/queue.html", cycles=cycles, cycle=cycle, groups=groups, total=len(queue) - len(groups["closed"]),
        closed=permissions.scoring_closed_reason(cycle, current) if cycle else None,
        deadline=current.deadline if current else None,
        # Each line names its round once the cycle has several (a judge may sit on both panels).
        round_titles={r.number: str(r.title) for r in rounds} if len(rounds) > 1 else {},
        themes={theme: str(theme.title) for theme in Theme}, regions={region: str(region.title) for region in Region},
        score_url=_url_for_ids("judging.score_nomination", "assignment_id"),
    )


def _without_site(item: queries.QueueItem, sees_sites: bool) -> queries.QueueItem:
    """A line of the queue as the judge may see it: in a blind review, nothing of the site is
    kept (the page cannot show what it is not given), unless the judge `sees_sites` (an admin)."""
    if not item.blind:
        return item
    if sees_sites:
        return replace(item, blind=False)
    return replace(item, site_name_en="", site_name_ja="", country="")


def _hides_site(assignment: Assignment) -> bool:
    """Whether the judge reviews the assignment's nomination blind (in its round or another)."""
    nomination = assignment.nomination
    blind = assignment.round.blind or queries.is_blind_for(current_user, nomination.id)
    return not can_see_site(current_user, nomination.site_id, blind=blind)


def _load_own_assignment(assignment_id: int, *, with_content: bool = True) -> Assignment:
    assignment = queries.get_assignment_for_scoring(assignment_id, with_content=with_content)
    # Another judge's assignment, or a guessed id: it does not exist for this user.
    require(assignment is not None and permissions.can_open_assignment(current_user, assignment), 404)
    return assignment


def _fill_sheet_form(form, assignment: Assignment, cycle: Cycle) -> None:
    sheet = assignment.sheet
    form.version.data = services.sheet_version(assignment)
    if sheet is None:
        return
    by_criterion = {score.criterion_id: score for score in sheet.scores}
    for criterion in cycle.criteria:
        score = by_criterion.get(criterion.id)
        if score is not None:
            form[score_key(criterion.id)].data = score.value
            form[comment_key(criterion.id)].data = score.comment
    form.overall_comment.data = sheet.overall_comment
    form.abstain.data = sheet.abstained
    form.abstain_reason.data = sheet.abstain_reason


def _opened(assignment: Assignment) -> bool:
    """Whether an admin opened deliberation on the assignment's nomination (FLAGGED rounds only:
    the other settings need no query)."""
    return (assignment.round.deliberation == Deliberation.FLAGGED
            and queries.is_deliberation_opened(assignment.round, assignment.nomination_id))


def _page_form(assignment: Assignment, cycle: Cycle, opened: bool):
    """The scoring form as stored: the sheet, or — while the judge may revise their submitted
    scores in deliberation — the same with a reason to give."""
    revisable = permissions.can_deliberate(current_user, assignment, cycle, opened)
    form = (revision_form_class(cycle) if revisable else sheet_form_class(cycle))(formdata=None)
    _fill_sheet_form(form, assignment, cycle)
    return form


def _render_score_page(assignment: Assignment, form, *, status: int = 200, conflict_form=None,
                       discussion_form=None, opened: bool | None = None):
    cycle = assignment.nomination.cycle
    judging_round = assignment.round
    opened = _opened(assignment) if opened is None else opened
    # The panel's sheets and discussion: only once the judge's own sheet is submitted.
    deliberating = permissions.can_see_deliberation(current_user, assignment, opened)
    can_deliberate = deliberating and permissions.can_deliberate(current_user, assignment, cycle, opened)
    return render_template(
        "judging/score.html", assignment=assignment, nomination=assignment.nomination, cycle=cycle, form=form,
        blind=_hides_site(assignment),
        editable=permissions.can_score(current_user, assignment, cycle),
        closed=permissions.closed_reason(assignment, cycle),
        conflict_form=conflict_form or ReasonForm(prefix="conflict", formdata=None),
        score_key=score_key, comment_key=comment_key,
        # (an abstaining judge, whose sheet is submitted without scores, stays out of it)
        deliberation_later=permissions.deliberation_open(judging_round, opened)
        and (assignment.sheet is None or assignment.sheet.status != SheetStatus.SUBMITTED),
        panel=queries.get_deliberation(judging_round, assignment.nomination_id, exclude_judge_id=current_user.id)
        if deliberating else None,
        revisable=can_deliberate and "reason" in form,
        can_post=can_deliberate,
        deliberation_closed=permissions.deliberation_closed_reason(assignment, cycle, opened) if deliberating else None,
        discussion_form=discussion_form or DiscussionForm(prefix="discussion", formdata=None),
    ), status


def _render_version_conflict(assignment_id: int, form):
    """The sheet changed meanwhile (another tab, a reopening admin): the input stays on the page,
    and the next save is a deliberate choice to replace the other version with it."""
    assignment = _load_own_assignment(assignment_id)
    current = services.sheet_version(assignment)
    form.version.data = current
    form.version.raw_data = [str(current)]
    flash(_("Your input has NOT been saved and is kept below. Check it, then save again to replace "
            "the other version with yours."), "warning")
    return _render_score_page(assignment, form, status=409)


@bp.route("/judging/<int:assignment_id>", methods=["GET", "POST"])
@allowed(permissions.can_judge)
def score_nomination(assignment_id: int):
    # A save needs the sheet and the criteria, not what the page shows about the nomination; the
    # pages that answer a refused save load that part when they need it.
    assignment = _load_own_assignment(assignment_id, with_content=request.method == "GET")
    cycle = assignment.nomination.cycle
    if request.method == "GET":
        opened = _opened(assignment)
        return _render_score_page(assignment, _page_form(assignment, cycle, opened), opened=opened)
    form = sheet_form_class(cycle)()

    now = utcnow()
    closed = permissions.closed_reason(assignment, cycle, now=now)
    if closed is not None:
        # Refused before validation: nothing is saved, and what was typed stays on the page.
        flash(str(closed), "danger")
        return _render_score_page(_load_own_assignment(assignment_id), form, status=403)
    if not form.validate():
        flash(_("Please correct the marked fields. Nothing has been saved yet."), "danger")
        return _render_score_page(_load_own_assignment(assignment_id), form, status=422)
    action = request.form.get("action", "save")
    cycle_id = cycle.id

    def save():
        services.save_sheet(
            current_user, assignment, expected_version=form.version.data,
            scores=form.scores(cycle.criteria), overall_comment=(form.overall_comment.data or "").strip(),
            abstain=form.abstain.data, abstain_reason=form.abstain_reason.data or "",
            submit=action == "submit", now=now,
        )
        # Where to go next is read before the commit, in the same transaction (the service has
        # flushed, so the queue already shows this sheet's new state): after the commit every
        # loaded object is expired, and the user, the cycle and the assignment would be read again.
        if action in ("next", "submit"):
            return queries.next_unfinished(queries.list_queue(current_user, cycle), assignment_id)
        return None

    done = perform(save, form=form)  # a refusal goes beside its fields, or above the form
    if isinstance(done.error, (services.SheetConflict, Conflict)):
        return _render_version_conflict(assignment_id, form)
    if not done:
        if any(name in form for name in done.error.fields):
            flash(str(done.error.message), "danger")  # also above the long form, where the judge looks first
        return _render_score_page(_load_own_assignment(assignment_id), form,
                                  status=403 if isinstance(done.error, services.ScoringClosed) else 422)

    following = done.value
    if action == "submit" and form.abstain.data:
        flash(_("You abstained from this nomination. Thank you for saying so."), "success")
    elif action == "submit":
        flash(_("Your scores have been submitted. Thank you."), "success")
    else:
        flash(_("Your draft has been saved."), "success")
    if following is not None:
        return redirect(url_for("judging.score_nomination", assignment_id=following.id))
    if action in ("next", "submit"):
        return redirect(url_for("judging.show_queue", cycle=cycle_id))
    return redirect(url_for("judging.score_nomination", assignment_id=assignment_id))


@bp.post("/judging/<int:assignment_id>/conflict")
@allowed(permissions.can_judge)
def declare_conflict(assignment_id: int):
    assignment = _load_own_assignment(assignment_id)
    conflict_form = ReasonForm(prefix="conflict")
    if not conflict_form.validate():
        # The reason is missing: show the scoring page with the error beside the reason field.
        form = _page_form(assignment, assignment.nomination.cycle, _opened(assignment))
        flash(_("Please say why you have a conflict of interest."), "danger")
        return _render_score_page(assignment, form, status=422, conflict_form=conflict_form)
    cycle_id = assignment.cycle_id
    done = perform(lambda: services.declare_conflict(current_user, assignment, conflict_form.reason.data),
                   success=_("Your conflict of interest has been recorded and the nomination removed from your queue."))
    if not done:
        return redirect(url_for("judging.score_nomination", assignment_id=assignment_id))
    return redirect(url_for("judging.show_queue", cycle=cycle_id))


@bp.post("/judging/<int:assignment_id>/revise")
@allowed(permissions.can_judge)
def revise_scores(assignment_id: int):
    """Revise one's submitted scores in deliberation, with a reason (kept as history)."""
    assignment = _load_own_assignment(assignment_id)
    cycle = assignment.nomination.cycle
    form = revision_form_class(cycle)()
    refused = permissions.deliberation_closed_reason(assignment, cycle, _opened(assignment))
    if refused is not None:
        # Nothing is saved, and what was typed stays on the page.
        flash(str(refused), "danger")
        return _render_score_page(assignment, form, status=403)
    if not form.validate():
        flash(_("Your scores have NOT been revised. Please correct the marked fields."), "danger")
        return _render_score_page(assignment, form, status=422)
    done = perform(lambda: services.revise_scores(
        current_user, assignment, expected_version=form.version.data, scores=form.scores(cycle.criteria),
        reason=form.reason.data), form=form)
    if isinstance(done.error, (services.SheetConflict, Conflict)):
        return _render_version_conflict(assignment_id, form)
    if not done:
        return _render_score_page(_load_own_assignment(assignment_id), form,
                                  status=403 if isinstance(done.error, services.ScoringClosed) else 422)
    flash(ngettext("Your revision of %(num)d score has been recorded with your reason.",
                   "Your revision of %(num)d scores has been recorded with your reason.", len(done.value)), "success")
    return redirect(url_for("judging.score_nomination", assignment_id=assignment_id, _anchor="deliberation"))


@bp.post("/judging/<int:assignment_id>/discussion")
@allowed(permissions.can_judge)
def post_discussion_message(assignment_id: int):
    """Post to the panel's discussion of the nomination (after one's own submission)."""
    assignment = _load_own_assignment(assignment_id)
    cycle = assignment.nomination.cycle
    opened = _opened(assignment)
    discussion_form = DiscussionForm(prefix="discussion")

    def again(status: int, assignment: Assignment = assignment, opened: bool = opened):
        return _render_score_page(assignment, _page_form(assignment, cycle, opened), status=status,
                                  discussion_form=discussion_form, opened=opened)

    refused = permissions.deliberation_closed_reason(assignment, cycle, opened)
    if refused is not None:
        flash(str(refused), "danger")
        return again(403)
    if not discussion_form.validate():
        flash(_("Your message has NOT been posted. Please correct the marked field."), "danger")
        return again(422)
    done = perform(lambda: services.post_message(current_user, assignment, discussion_form.body.data),
                   form=discussion_form, success=_("Your message has been posted to the panel."))
    if not done:
        reloaded = _load_own_assignment(assignment_id)
        return again(403 if isinstance(done.error, services.ScoringClosed) else 422, reloaded, _opened(reloaded))
    return redirect(url_for("judging.score_nomination", assignment_id=assignment_id, _anchor="discussion"))


# --- admins --------------------------------------------------------------------------------------


def _round_query(judging_round, rounds=None) -> dict:
    """The `round` query argument naming `judging_round` in a URL, left out for the current round
    (the default), so that a cycle judged in one round keeps its URLs."""
    if judging_round is None:
        return {}
    rounds = rounds if rounds is not None else queries.list_rounds(judging_round.cycle)
    return {} if queries.current_round(rounds).id == judging_round.id else {"round": judging_round.id}


def _to_nomination(nomination: Nomination, judging_round=None):
    """Back to the nomination's card on the assignments page (of `judging_round`)."""
    return redirect(url_for("judging.list_assignments", cycle_id=nomination.cycle_id,
                            region=nomination.site.region.value, **_round_query(judging_round),
                            _anchor=f"n{nomination.id}"))


@bp.get("/admin/cycles/<int:cycle_id>/assignments")
@allowed(permissions.can_manage_judging)
def list_assignments(cycle_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    rounds, judging_round = _round_arg(cycle)
    region = _region_arg()
    judges = queries.list_judges()
    panel_forms = {}
    for each in Region:
        form = PanelForm(prefix=f"panel-{each.value}")
        form.judges.choices = [(j.id, j.name) for j in judges]
        form.judges.data = queries.list_panel(cycle, each, judging_round)
        panel_forms[each] = form
    rows = queries.list_assignment_overview(cycle, region, judging_round)
    panel_ids = set(panel_forms[region].judges.data)
    return render_template(
        "judging/assignments.html", cycle=cycle, region=region, rows=rows, panel_forms=panel_forms,
        judges=judges, panel_judges=[j for j in judges if j.id in panel_ids],
        can_assign=cycle.phase in services.ASSIGNING_PHASES and not judging_round.is_closed,
        reason_form=ReasonForm(), rounds=rounds, judging_round=judging_round,
        round_query=_round_query(judging_round, rounds),
        other_panels=queries.list_other_rounds_panels(judging_round) if len(rounds) > 1 else {},
    )


@bp.post("/admin/cycles/<int:cycle_id>/panels/<region>")
@allowed(permissions.can_manage_judging)
def update_panel(cycle_id: int, region: str):
    cycle = db.get_or_404(Cycle, cycle_id)
    require(region in {r.value for r in Region}, 404)
    rounds, judging_round = _round_arg(cycle)
    region_value = Region(region)
    form = PanelForm(prefix=f"panel-{region_value.value}")
    form.judges.choices = [(j.id, j.name) for j in queries.list_judges()]
    if form.validate_on_submit():
        # A browser sends nothing for an empty multi-select: that means "no judges on this panel".
        perform(lambda: services.set_panel(current_user, cycle, region_value, form.judges.data or [], judging_round),
                success=_("The %(region)s panel has been saved.", region=region_value.title))
    else:
        flash(_("Please choose judges from the list."), "danger")
    return redirect(url_for("judging.list_assignments", cycle_id=cycle.id, region=region_value.value,
                            **_round_query(judging_round, rounds)))


def _posted_region(name: str) -> Region | None:
    """The region a form posted in `name` (None when empty); 404 for anything else."""
    value = request.form.get(name) or ""
    if not value:
        return None
    require(value in {r.value for r in Region}, 404)
    return Region(value)


@bp.post("/admin/cycles/<int:cycle_id>/assignments/auto")
@allowed(permissions.can_manage_judging)
def assign_automatically(cycle_id: int):
    """Assign the region posted (none: both regions), then back to the tab the button was on."""
    cycle = db.get_or_404(Cycle, cycle_id)
    rounds, judging_round = _round_arg(cycle)
    region = _posted_region("region")
    tab = _posted_region("tab") or region or Region.JAPAN
    back = url_for("judging.list_assignments", cycle_id=cycle_id, region=tab.value, **_round_query(judging_round, rounds))
    done = perform(lambda: services.assign_automatically(current_user, cycle, region, judging_round))
    if not done:
        return redirect(back)
    plan = done.value
    if region is None:
        flash(_("%(num)d new assignments were made.", num=len(plan.new)), "success")
    else:
        flash(_("%(num)d new assignments were made in the %(region)s region.", num=len(plan.new),
                region=region.title), "success")
    if plan.shortages:
        shown = plan.shortages[:MAX_SHORTAGE_MESSAGES]
        nominations = queries.get_nominations_with_sites([s.nomination_id for s in shown])
        for shortage in shown:
            nomination = nominations[shortage.nomination_id]
            flash(_("“%(title)s” (%(site)s) has %(have)d of %(need)d judges: the panel has %(panel)d judges, "
                    "%(conflicted)d of them with a conflict of interest.", title=_shorten(nomination.display_title),
                    site=nomination.site.code, have=shortage.assigned, need=shortage.needed,
                    panel=shortage.panel_size, conflicted=shortage.conflicted), "warning")
        if len(plan.shortages) > MAX_SHORTAGE_MESSAGES:
            flash(_("… and %(num)d more nominations without enough judges.",
                    num=len(plan.shortages) - MAX_SHORTAGE_MESSAGES), "warning")
    return redirect(back)


@bp.post("/admin/nominations/<int:nomination_id>/assignments")
@allowed(permissions.can_manage_judging)
def add_assignment(nomination_id: int):
    nomination = db.get_or_404(Nomination, nomination_id)
    judging_round = _round_arg(nomination.cycle)[1]
    form = AssignmentAddForm()
    form.judge_id.choices = [(j.id, j.name) for j in queries.list_judges()]
    if form.validate_on_submit():
        judge = db.get_or_404(User, form.judge_id.data)
        perform(lambda: services.add_assignment(current_user, nomination, judge, judging_round),
                success=_("%(judge)s has been assigned.", judge=judge.name))
    else:
        flash(_("Please choose a judge."), "danger")
    return _to_nomination(nomination, judging_round)


@bp.post("/admin/assignments/<int:assignment_id>/remove")
@allowed(permissions.can_manage_judging)
def remove_assignment(assignment_id: int):
    assignment = db.get_or_404(Assignment, assignment_id)
    nomination = assignment.nomination
    judging_round = assignment.round
    done = perform(
        lambda: services.remove_assignment(current_user, assignment, confirmed=request.form.get("confirmed") == "1"),
        success=_("The assignment has been removed."), show_error=False,
    )
    if isinstance(done.error, services.NeedsConfirmation):
        return render_template("judging/confirm_remove.html", assignment=assignment), 409
    if not done:
        show_refusal(done.error)
    return _to_nomination(nomination, judging_round)


@bp.post("/admin/nominations/<int:nomination_id>/ineligible")
@allowed(permissions.can_manage_judging)
def mark_ineligible(nomination_id: int):
    nomination = db.get_or_404(Nomination, nomination_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Please give the reason the site will see."), "danger")
    else:
        perform(lambda: services.mark_ineligible(current_user, nomination, form.reason.data),
                success=_("The nomination has been marked ineligible."))
    return _to_nomination(nomination)


@bp.post("/admin/nominations/<int:nomination_id>/eligible")
@allowed(permissions.can_manage_judging)
def restore_eligibility(nomination_id: int):
    nomination = db.get_or_404(Nomination, nomination_id)
    perform(lambda: services.restore_eligibility(current_user, nomination), success=_("The nomination is eligible again."))
    return _to_nomination(nomination)


@bp.get("/admin/sheets/<int:sheet_id>")
@allowed(permissions.can_manage_judging)
def show_sheet(sheet_id: int):
    sheet = db.get_or_404(ScoreSheet, sheet_id)
    return render_template("judging/sheet.html", sheet=sheet, assignment=sheet.assignment,
                           cycle=db.session.get(Cycle, sheet.assignment.cycle_id), form=ReasonForm(),
                           revisions=queries.list_sheet_revisions(sheet))


@bp.post("/admin/sheets/<int:sheet_id>/reopen")
@allowed(permissions.can_manage_judging)
def reopen_sheet(sheet_id: int):
    sheet = db.get_or_404(ScoreSheet, sheet_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Please give a reason for reopening."), "danger")
    else:
        perform(lambda: services.reopen_sheet(current_user, sheet, form.reason.data),
                success=_("The sheet has been reopened; the judge can change and submit it again."))
    return redirect(url_for("judging.show_sheet", sheet_id=sheet.id))


@bp.get("/admin/cycles/<int:cycle_id>/ranking")
@allowed(permissions.can_manage_judging)
def show_ranking(cycle_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    rounds, judging_round = _round_arg(cycle)
    region = _region_arg()
    method = judging_round.method.value
    sort_by = request.args.get("sort", method)
    if sort_by not in SORT_KEYS:
        sort_by = method
    ranking = queries.get_ranking(cycle, region, sort_by, judging_round)
    flagged_round = judging_round.deliberation == Deliberation.FLAGGED
    return render_template("judging/ranking.html", cycle=cycle, region=region, sort_by=sort_by, ranking=ranking,
                           rounds=rounds, judging_round=judging_round, round_query=_round_query(judging_round, rounds),
                           nomination_url=_url_for_ids("judging.show_results", "nomination_id"),
                           revised=queries.list_revised_nominations(judging_round),
                           openings=queries.list_deliberation_openings(judging_round) if flagged_round else set(),
                           can_open=flagged_round and permissions.open_deliberation_closed_reason(
                               judging_round, True, False) is None)


def _render_progress(cycle: Cycle, rounds, judging_round, close_form: ReasonForm | None = None, status: int = 200):
    return render_template(
        "judging/progress.html", cycle=cycle, rows=queries.list_judge_progress(cycle, judging_round),
        close_form=close_form or ReasonForm(prefix="close", formdata=None),
        can_close=permissions.can_close_judging(current_user, cycle, judging_round),
        closed_by=db.session.get(User, judging_round.closed_by_id) if judging_round.closed_by_id else None,
        rounds=rounds, judging_round=judging_round, round_query=_round_query(judging_round, rounds),
    ), status


@bp.get("/admin/nominations/<int:nomination_id>/results")
@allowed(permissions.can_manage_judging)
def show_results(nomination_id: int):
    nomination = db.get_or_404(Nomination, nomination_id)
    rounds, judging_round = _round_arg(nomination.cycle)
    if request.args.get("round", type=int) is None:
        judging_round = None  # the latest round the nomination was judged in
    results = queries.get_nomination_results(nomination, judging_round)
    return render_template("judging/results.html", results=results, nomination=nomination, cycle=nomination.cycle,
                           rounds=rounds, panel=queries.get_deliberation(results.round, nomination.id, names=True))


@bp.get("/judging/how-results-are-computed")
@allowed(permissions.can_read_method)
def show_method():
    """The method behind the ranking, in the user's language, with the worked example computed by
    the model itself (so the page and the code cannot disagree)."""
    example = worked_example()
    return render_template("judging/method.html", example=example, draws=DRAWS, seed=SEED)


@bp.get("/admin/cycles/<int:cycle_id>/progress")
@allowed(permissions.can_manage_judging)
def show_progress(cycle_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    return _render_progress(cycle, *_round_arg(cycle))


@bp.post("/admin/cycles/<int:cycle_id>/judging/close")
@allowed(permissions.can_manage_judging)
def close_judging(cycle_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    rounds, judging_round = _round_arg(cycle)
    # Back to the round closed: once it is, the current round (the default) may be the next one.
    back = url_for("judging.show_progress", cycle_id=cycle_id,
                   **({"round": judging_round.id} if len(rounds) > 1 else {}))
    form = ReasonForm(prefix="close")
    if form.validate_on_submit():
        last = judging_round.number == len(rounds)
        done = perform(lambda: services.close_judging(current_user, cycle, form.reason.data,
                                                      judging_round=judging_round), form=form,
                       success=_("Judging is closed. Unfinished assignments are marked not completed.") if last
                       else _("%(round)s is closed. Its unfinished assignments are marked not completed.",
                              round=judging_round.title))
        if done:
            return redirect(back)
        if not form.errors:  # refused for the round's state (already closed, not in judging)
            return redirect(back)
    flash(_("Judging has NOT been closed. Please correct the marked field."), "danger")
    return _render_progress(cycle, rounds, judging_round, form, 422)


# --- rounds and shortlists -----------------------------------------------------------------------


def _entry_form(prefix: str, choices, formdata=None) -> ShortlistEntryForm:
    form = ShortlistEntryForm(prefix=prefix) if formdata is not False else ShortlistEntryForm(prefix=prefix,
                                                                                              formdata=None)
    form.nomination_id.choices = [(n.id, f"{n.display_title} ({n.site.code})") for n in choices]
    return form


def _render_rounds(cycle: Cycle, *, round_form=None, posted=None, status: int = 200):
    """The rounds page; `posted`: the form refused (by its prefix), shown with its errors."""
    rounds = queries.list_rounds(cycle)
    later = [r for r in rounds if r.number > 1]
    shortlists = {r.id: queries.list_shortlist(r) for r in later}
    forms = {}
    for r in later:
        listed = {entry.nomination_id for entry in shortlists[r.id]}
        previous = next(p for p in rounds if p.number == r.number - 1)
        candidates = [n for n in queries.list_round_nominations(previous) if n.id not in listed]
        forms[r.id] = {
            "promote": ShortlistPromoteForm(prefix=f"promote-{r.id}", formdata=None),
            "add": _entry_form(f"add-{r.id}", candidates, False),
            "remove": _entry_form(f"remove-{r.id}", [e.nomination for e in shortlists[r.id]], False),
        }
    if posted is not None:
        kind, round_id = posted._prefix.rstrip("-").rsplit("-", 1)
        forms[int(round_id)][kind] = posted
    return render_template(
        "judging/rounds.html", cycle=cycle, rounds=rounds, current=queries.current_round(rounds),
        shortlists=shortlists, forms=forms,
        promotable={r.id: services.promotion_closed_reason(r) for r in later},
        round_form=round_form or round_form_class(cycle)(formdata=None),
        can_manage=permissions.can_manage_rounds(current_user, cycle),
        can_add=permissions.can_manage_rounds(current_user, cycle) and cycle.judging_closed_at is None,
        added_by={u.id: u for u in queries.list_users_by_id(
            {e.added_by_id for entries in shortlists.values() for e in entries if e.added_by_id}
            | {r.shortlist_published_by_id for r in later if r.shortlist_published_by_id})},
        history=queries.list_shortlist_history(later),
        editable={r.id: permissions.edit_round_closed_reason(r) is None for r in rounds},
        publishable={r.id: services.publish_closed_reason(r) for r in later},
    ), status


@bp.get("/admin/cycles/<int:cycle_id>/rounds")
@allowed(permissions.can_manage_judging)
def list_rounds(cycle_id: int):
    return _render_rounds(db.get_or_404(Cycle, cycle_id))


@bp.post("/admin/cycles/<int:cycle_id>/rounds")
@allowed(permissions.can_manage_judging)
def add_round(cycle_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    form = round_form_class(cycle)()
    if form.validate_on_submit():
        done = perform(lambda: services.add_round(current_user, cycle, **_round_settings(form)), form=form,
                       success=_("The round has been added."))
        if done:
            return redirect(url_for("judging.list_rounds", cycle_id=cycle_id, _anchor=f"round-{done.value.id}"))
        if not form.errors:
            return redirect(url_for("judging.list_rounds", cycle_id=cycle_id))
    flash(_("The round has NOT been added. Please correct the marked fields."), "danger")
    return _render_rounds(cycle, round_form=form, status=422)


def _round_settings(form, judging_round: JudgingRound | None = None) -> dict:
    """The round form's settings by the fields' names (services.ROUND_SETTINGS; the service cleans
    them). A deadline left as the page showed it is the round's own (None: the cycle's), not that
    minute."""
    settings = {}
    for name in services.ROUND_SETTINGS:
        if name == "weights":
            settings[name] = form.weights()
        elif name in form:
            settings[name] = form[name].data
    deadline = settings["judging_deadline"]
    if judging_round is not None and deadline == _local_minute(judging_round.deadline):
        settings["judging_deadline"] = judging_round.judging_deadline
    else:
        settings["judging_deadline"] = local_to_utc(deadline)
    return settings


def _local_minute(moment):
    return utc_to_local(moment).replace(second=0, microsecond=0)


def _round_form_data(judging_round: JudgingRound) -> dict:
    """The round's own settings to pre-fill its form (empty where they are the cycle's), and the
    deadline it works to."""
    data = {name: getattr(judging_round, name) for name in services.ROUND_SETTINGS
            if name not in ("judging_deadline", "weights")}
    data = {name: value.value if isinstance(value, Enum) else value for name, value in data.items()}
    data["judging_deadline"] = _local_minute(judging_round.deadline)
    data["ranking_method"] = data["ranking_method"] or ""
    for criterion_id, weight in (judging_round.weights or {}).items():
        data[weight_key(int(criterion_id))] = Decimal(str(weight))
    return data


def _render_edit_round(judging_round: JudgingRound, form, status: int = 200):
    return render_template("judging/edit_round.html", judging_round=judging_round, cycle=judging_round.cycle,
                           form=form, closed=permissions.edit_round_closed_reason(judging_round)), status


@bp.route("/admin/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@allowed(permissions.can_manage_judging)
def edit_round(round_id: int):
    judging_round = db.get_or_404(JudgingRound, round_id)
    form_class = round_form_class(judging_round.cycle)
    if request.method == "GET":
        return _render_edit_round(judging_round, form_class(formdata=None, data=_round_form_data(judging_round)))
    form = form_class()
    closed = permissions.edit_round_closed_reason(judging_round)
    if closed is not None:
        flash(str(closed), "danger")  # refused before validation: what was typed stays on the page
        return _render_edit_round(judging_round, form, 403)
    if form.validate_on_submit():
        done = perform(lambda: services.update_round(current_user, judging_round, **_round_settings(form, judging_round)),
                       form=form)
        if done:
            flash(_("%(round)s has been saved.", round=judging_round.title) if done.value
                  else _("Nothing has changed."), "success")
            return _back_to_round(judging_round)
    flash(_("The round has NOT been saved. Please correct the marked fields."), "danger")
    return _render_edit_round(judging_round, form, 422)


def _back_to_round(judging_round: JudgingRound):
    return redirect(url_for("judging.list_rounds", cycle_id=judging_round.cycle_id,
                            _anchor=f"round-{judging_round.id}"))


@bp.post("/admin/rounds/<int:round_id>/shortlist/promote")
@allowed(permissions.can_manage_judging)
def promote_shortlist(round_id: int):
    judging_round = db.get_or_404(JudgingRound, round_id)
    form = ShortlistPromoteForm(prefix=f"promote-{round_id}")
    if form.validate_on_submit():
        done = perform(lambda: services.promote_shortlist(current_user, judging_round, form.per_region.data),
                       form=form)
        if done:
            flash(ngettext("%(num)d nomination has been promoted.", "%(num)d nominations have been promoted.",
                           len(done.value)), "success")
        if done or not form.errors:  # refused for the round's state: the message is flashed
            return _back_to_round(judging_round)
    flash(_("Nothing has been promoted. Please correct the marked field."), "danger")
    return _render_rounds(judging_round.cycle, posted=form, status=422)


def _change_shortlist(round_id: int, kind: str, change, success: str):
    judging_round = db.get_or_404(JudgingRound, round_id)
    previous = queries.previous_round(judging_round)
    require(previous is not None, 404)  # the first round has no shortlist
    # Any nomination the previous round judged may be named; the service says why one cannot.
    form = _entry_form(f"{kind}-{round_id}", queries.list_round_nominations(previous))
    if form.validate_on_submit():
        nomination = db.get_or_404(Nomination, form.nomination_id.data)
        done = perform(lambda: change(current_user, judging_round, nomination, form.reason.data), form=form,
                       success=success)
        if done or not form.errors:
            return _back_to_round(judging_round)
    flash(_("The shortlist has NOT been changed. Please correct the marked fields."), "danger")
    return _render_rounds(judging_round.cycle, posted=form, status=422)


@bp.post("/admin/rounds/<int:round_id>/shortlist/add")
@allowed(permissions.can_manage_judging)
def add_to_shortlist(round_id: int):
    return _change_shortlist(round_id, "add", services.add_to_shortlist,
                             _("The nomination has been added to the shortlist."))


@bp.post("/admin/rounds/<int:round_id>/shortlist/remove")
@allowed(permissions.can_manage_judging)
def remove_from_shortlist(round_id: int):
    return _change_shortlist(round_id, "remove", services.remove_from_shortlist,
                             _("The nomination has been taken off the shortlist."))


@bp.post("/admin/rounds/<int:round_id>/shortlist/publish")
@allowed(permissions.can_manage_judging)
def publish_shortlist(round_id: int):
    judging_round = db.get_or_404(JudgingRound, round_id)
    require(judging_round.number > 1, 404)  # the first round has no shortlist
    perform(lambda: services.publish_shortlist(current_user, judging_round),
            success=_("The shortlist has been published: its sites see “Shortlisted” and are told by e-mail."))
    return _back_to_round(judging_round)


@bp.post("/admin/rounds/<int:round_id>/shortlist/withdraw")
@allowed(permissions.can_manage_judging)
def withdraw_shortlist(round_id: int):
    judging_round = db.get_or_404(JudgingRound, round_id)
    require(judging_round.number > 1, 404)
    perform(lambda: services.withdraw_shortlist(current_user, judging_round),
            success=_("The shortlist has been withdrawn: its sites no longer see it."))
    return _back_to_round(judging_round)


@bp.post("/admin/rounds/<int:round_id>/nominations/<int:nomination_id>/deliberation")
@allowed(permissions.can_manage_judging)
def open_deliberation(round_id: int, nomination_id: int):
    """Open deliberation on a nomination flagged for disagreement (rounds whose deliberation is
    FLAGGED); back to the round's ranking."""
    judging_round = db.get_or_404(JudgingRound, round_id)
    nomination = db.get_or_404(Nomination, nomination_id)
    require(nomination.cycle_id == judging_round.cycle_id, 404)
    region = nomination.site.region.value
    back = url_for("judging.show_ranking", cycle_id=judging_round.cycle_id, region=region,
                   **_round_query(judging_round))
    perform(lambda: services.open_deliberation(current_user, judging_round, nomination),
            success=_("Deliberation is open for “%(title)s”: its panel can now see each other's sheets and discuss "
                      "them.", title=_shorten(nomination.display_title)))
    return redirect(back)
