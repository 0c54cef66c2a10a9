"""Judging services and queries without HTTP: the rules (phase, deadline, state, version,
conflicts of interest), what they write (rows and audit events) and what the queries return."""
from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from awards_app.core.enums import AssignmentStatus, NominationStatus, Phase, Region, SheetStatus
from awards_app.extensions import db
from awards_app.judging import queries, services
from awards_app.judging.models import Assignment, PanelMember, ScoreSheet


def _active(nomination_id: int) -> set[int]:
    return set(db.session.scalars(
        select(Assignment.judge_id).where(Assignment.nomination_id == nomination_id,
                                          Assignment.status == AssignmentStatus.ACTIVE)))


def _scores(world, *values):
    """{criterion id: (value, comment)} in the cycle's criterion order."""
    return {c.id: (v, "") for c, v in zip(world.criteria, values)}


def _save(world, judge, assignment, values=(), *, version=None, submit=False, abstain=False, reason="",
          overall="", now=None):
    return services.save_sheet(
        judge, assignment, expected_version=services.sheet_version(assignment) if version is None else version,
        scores=_scores(world, *values), overall_comment=overall, abstain=abstain, abstain_reason=reason,
        submit=submit, now=now,
    )


@pytest.fixture
def entry(world, make_nomination):
    return make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED, title="Tokyo bay clean-up")


# --- panels ---------------------------------------------------------------------------------------


def test_set_panel_adds_and_removes_and_records_the_change(world, make_user, events):
    other = make_user("judge")
    services.set_panel(world.admin, world.cycle, Region.JAPAN, [world.judge.id, other.id])
    services.set_panel(world.admin, world.cycle, Region.OVERSEAS, [other.id])
    assert set(queries.list_panel(world.cycle, Region.JAPAN)) == {world.judge.id, other.id}
    services.set_panel(world.admin, world.cycle, Region.JAPAN, [other.id])
    assert queries.list_panel(world.cycle, Region.JAPAN) == [other.id]
    assert queries.list_panel(world.cycle, Region.OVERSEAS) == [other.id]  # a judge may sit on both
    assert [(e.details["region"], e.details["added"], e.details["removed"]) for e in events("panel.updated")] == [
        ("japan", sorted([world.judge.id, other.id]), []), ("overseas", [other.id], []), ("japan", [], [world.judge.id])]
    # Saving the same panel again changes nothing and records nothing.
    services.set_panel(world.admin, world.cycle, Region.JAPAN, [other.id])
    assert len(events("panel.updated")) == 3


def test_set_panel_keeps_only_users_with_the_judge_role(world):
    services.set_panel(world.admin, world.cycle, Region.JAPAN, [world.judge.id, world.submitter_a.id, world.admin.id])
    assert queries.list_panel(world.cycle, Region.JAPAN) == [world.judge.id]


def test_set_panel_is_refused_once_final(world):
    world.cycle.phase = Phase.FINALISED
    with pytest.raises(services.JudgingError):
        services.set_panel(world.admin, world.cycle, Region.JAPAN, [world.judge.id])
    assert db.session.scalars(select(PanelMember)).all() == []


# --- automatic assignment -------------------------------------------------------------------------


def test_automatic_assignment_never_assigns_a_judge_of_the_nominating_site(world, make_site, make_user,
                                                                            make_nomination):
    """A randomised check through the database (the planner has its own property test)."""
    rng = random.Random(20130331)
    sites = [world.site_a, world.site_c] + [make_site(country="JP") for _ in range(3)]
    world.cycle.judges_per_nomination = 2
    judges = [make_user("judge", sites=rng.sample(sites, rng.randint(0, 2))) for _ in range(6)]
    services.set_panel(world.admin, world.cycle, Region.JAPAN, [j.id for j in judges])
    nominations = [make_nomination(world.cycle, rng.choice(sites), NominationStatus.SUBMITTED) for _ in range(12)]
    plan = services.assign_automatically(world.admin, world.cycle)
    db.session.flush()
    site_of = {j.id: j.site_ids for j in judges}
    short = {s.nomination_id for s in plan.shortages}
    for nomination in nominations:
        assigned = _active(nomination.id)
        assert all(nomination.site_id not in site_of[j] for j in assigned)
        free = [j for j in judges if nomination.site_id not in j.site_ids]
        assert len(assigned) == min(2, len(free))
        assert (nomination.id in short) == (len(free) < 2)


def test_automatic_assignment_balances_the_load(world, make_user, make_nomination):
    judges = [make_user("judge") for _ in range(4)]
    services.set_panel(world.admin, world.cycle, Region.JAPAN, [j.id for j in judges])
    for _ in range(5):
        make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED)
    plan = services.assign_automatically(world.admin, world.cycle)
    assert len(plan.new) == 15 and plan.shortages == []
    loads = [db.session.scalars(select(Assignment).where(Assignment.judge_id == j.id)).all() for j in judges]
    assert sorted(len(load) for load in loads) == [3, 4, 4, 4]


def test_automatic_assignment_uses_each_regions_own_panel(world, make_user, make_nomination):
    japan, overseas = make_user("judge"), make_user("judge")
    world.cycle.judges_per_nomination = world.cycle.minimum_reviews = 1
    services.set_panel(world.admin, world.cycle, Region.JAPAN, [japan.id])
    services.set_panel(world.admin, world.cycle, Region.OVERSEAS, [overseas.id])
    tokyo = make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED)
    berlin = make_nomination(world.cycle, world.site_b, NominationStatus.SUBMITTED)
    services.assign_automatically(world.admin, world.cycle)
    assert (_active(tokyo.id), _active(berlin.id)) == ({japan.id}, {overseas.id})


def test_automatic_assignment_ignores_inactive_judges(world, make_user, make_nomination):
    gone = make_user("judge", active=False)
    services.set_panel(world.admin, world.cycle, Region.JAPAN, [world.judge.id, gone.id])
    nomination = make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED)
    plan = services.assign_automatically(world.admin, world.cycle)
    assert _active(nomination.id) == {world.judge.id}
    assert [(s.assigned, s.needed, s.panel_size) for s in plan.shortages] == [(1, 3, 1)]


def test_automatic_assignment_is_allowed_while_nominations_are_open(world, entry):
    world.cycle.phase = Phase.NOMINATIONS_OPEN
    services.set_panel(world.admin, world.cycle, Region.JAPAN, [world.judge.id])
    services.assign_automatically(world.admin, world.cycle)
    assert _active(entry.id) == {world.judge.id}


@pytest.mark.parametrize("phase", [Phase.SETUP, Phase.FINALISED])
def test_automatic_assignment_is_refused_in_setup_and_once_final(world, entry, phase, events):
    services.set_panel(world.admin, world.cycle, Region.JAPAN, [world.judge.id])
    world.cycle.phase = phase
    with pytest.raises(services.JudgingError):
        services.assign_automatically(world.admin, world.cycle)
    assert _active(entry.id) == set() and events("assignment.auto") == []


def test_a_withdrawn_nominations_assignments_do_not_count_in_the_load(world, make_user, make_nomination, make_assignment):
    busy, free = make_user("judge", name="Busy"), make_user("judge", name="Free")
    world.cycle.judges_per_nomination = world.cycle.minimum_reviews = 1
    services.set_panel(world.admin, world.cycle, Region.JAPAN, [busy.id, free.id])
    withdrawn = [make_nomination(world.cycle, world.site_c, NominationStatus.WITHDRAWN) for _ in range(2)]
    for nomination in withdrawn:
        make_assignment(nomination, free)
    first = make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED)
    make_assignment(first, busy)
    second = make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED)
    services.assign_automatically(world.admin, world.cycle)
    assert _active(second.id) == {free.id}, "the two withdrawn nominations are no load"


# --- manual assignment ----------------------------------------------------------------------------


def test_add_assignment_rules(world, entry, make_user, make_nomination, events):
    assignment = services.add_assignment(world.admin, entry, world.judge)
    assert (assignment.judge_id, assignment.created_by_id, assignment.status) == (
        world.judge.id, world.admin.id, AssignmentStatus.ACTIVE)
    assert len(events("assignment.added")) == 1
    refusals = {
        "duplicate": (entry, world.judge),
        "own site": (entry, world.judge_site_a),
        "not a judge": (entry, world.submitter_a),
        "inactive": (entry, make_user("judge", active=False)),
        "draft": (make_nomination(world.cycle, world.site_c), world.judge),
    }
    for label, (nomination, judge) in refusals.items():
        try:
            services.add_assignment(world.admin, nomination, judge)
        except services.JudgingError:
            continue
        pytest.fail(f"{label}: not refused")
    assert len(events("assignment.added")) == 1
    world.cycle.phase = Phase.FINALISED
    with pytest.raises(services.JudgingError):
        services.add_assignment(world.admin, entry, make_user("judge"))


def test_remove_assignment_asks_for_confirmation_only_when_scored(world, entry, make_assignment, make_sheet, make_user,
                                                                  events):
    blank = make_assignment(entry, world.judge)
    make_sheet(blank, [], submitted=False)  # opened and saved empty: nothing to lose
    services.remove_assignment(world.admin, blank)
    scored = make_assignment(entry, make_user("judge"))
    make_sheet(scored, [None, None, None], submitted=False, overall="A first impression")
    with pytest.raises(services.NeedsConfirmation):
        services.remove_assignment(world.admin, scored)
    assert _active(entry.id) == {scored.judge_id}
    services.remove_assignment(world.admin, scored, confirmed=True)
    db.session.flush()
    assert _active(entry.id) == set()
    assert db.session.scalars(select(ScoreSheet)).all() == []
    assert [e.details["sheet"]["overall_comment"] if e.details["sheet"] else None
            for e in events("assignment.removed")] == ["", "A first impression"]


def test_remove_assignment_is_refused_once_final(world, entry, make_assignment):
    assignment = make_assignment(entry, world.judge)
    world.cycle.phase = Phase.FINALISED
    with pytest.raises(services.JudgingError):
        services.remove_assignment(world.admin, assignment, confirmed=True)
    assert _active(entry.id) == {world.judge.id}


# --- conflicts of interest ------------------------------------------------------------------------


def test_declare_conflict_replaces_with_the_least_loaded_free_judge(world, entry, make_user, make_nomination,
                                                                   make_assignment, events):
    loaded, idle = make_user("judge", name="Loaded"), make_user("judge", name="Idle")
    services.set_panel(world.admin, world.cycle, Region.JAPAN,
                       [world.judge.id, world.judge_site_a.id, loaded.id, idle.id])
    make_assignment(make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED), loaded)
    mine = make_assignment(entry, world.judge)
    replacement = services.declare_conflict(world.judge, mine, "  Former manager of the team  ")
    assert replacement.judge_id == idle.id
    assert (mine.status, mine.conflict_reason) == (AssignmentStatus.CONFLICT, "Former manager of the team")
    assert _active(entry.id) == {idle.id}
    [event] = events("assignment.replaced")
    assert (event.details["replaces"], event.details["judge_id"]) == (mine.id, idle.id)
    with pytest.raises(services.JudgingError):
        services.declare_conflict(world.judge, mine, "again")


def test_declare_conflict_replaces_one_for_one(world, entry, make_user, make_assignment):
    """The admin assigned only one judge by hand: a conflict brings one replacement, not three."""
    spares = [make_user("judge") for _ in range(3)]
    services.set_panel(world.admin, world.cycle, Region.JAPAN, [s.id for s in spares])
    mine = make_assignment(entry, world.judge)
    services.declare_conflict(world.judge, mine, "Relative")
    assert len(_active(entry.id)) == 1


def test_declare_conflict_needs_a_reason_and_an_open_sheet(world, entry, make_assignment, make_sheet):
    mine = make_assignment(entry, world.judge)
    with pytest.raises(services.JudgingError) as error:
        services.declare_conflict(world.judge, mine, "   ")
    assert error.value.field == "reason"
    make_sheet(mine, [3, 3, 3])
    with pytest.raises(services.JudgingError):
        services.declare_conflict(world.judge, mine, "Too late")
    assert mine.status == AssignmentStatus.ACTIVE


def test_declare_conflict_is_refused_once_final(world, entry, make_assignment):
    mine = make_assignment(entry, world.judge)
    world.cycle.phase = Phase.FINALISED
    with pytest.raises(services.JudgingError):
        services.declare_conflict(world.judge, mine, "Relative")
    assert mine.status == AssignmentStatus.ACTIVE


# --- eligibility ----------------------------------------------------------------------------------


def test_mark_ineligible_and_restore(world, entry, make_assignment, make_sheet, events):
    make_sheet(make_assignment(entry, world.judge), [5, 4, 3])
    services.mark_ineligible(world.admin, entry, "  Not an MDD activity  ")
    db.session.flush()
    assert (entry.status, entry.status_reason) == (NominationStatus.INELIGIBLE, "Not an MDD activity")
    assert db.session.scalars(select(Assignment)).all() == [] and db.session.scalars(select(ScoreSheet)).all() == []
    [event] = events("nomination.marked_ineligible")
    assert event.details["removed_assignments"][0]["sheet"]["status"] == "submitted"
    with pytest.raises(services.JudgingError):
        services.mark_ineligible(world.admin, entry, "twice")
    services.restore_eligibility(world.admin, entry)
    assert (entry.status, entry.status_reason) == (NominationStatus.SUBMITTED, "")
    with pytest.raises(services.JudgingError):
        services.restore_eligibility(world.admin, entry)


def test_mark_ineligible_rules(world, entry, make_nomination):
    with pytest.raises(services.JudgingError) as error:
        services.mark_ineligible(world.admin, entry, "")
    assert error.value.field == "reason"
    with pytest.raises(services.JudgingError):
        services.mark_ineligible(world.admin, make_nomination(world.cycle, world.site_a), "A draft")
    world.cycle.phase = Phase.FINALISED
    with pytest.raises(services.JudgingError):
        services.mark_ineligible(world.admin, entry, "Too late")
    assert entry.status == NominationStatus.SUBMITTED


# --- score sheets ---------------------------------------------------------------------------------


def test_save_sheet_draft_then_submit(world, entry, make_assignment, events):
    mine = make_assignment(entry, world.judge)
    sheet = _save(world, world.judge, mine, [3])
    db.session.flush()
    assert (sheet.status, sheet.version, services.sheet_version(mine)) == (SheetStatus.DRAFT, 1, 1)
    sheet = _save(world, world.judge, mine, [3, 4, 5], submit=True, overall="Well argued")
    assert sheet.status == SheetStatus.SUBMITTED and sheet.version == 2 and sheet.submitted_at is not None
    assert [e.details for e in events("sheet.submitted")] == [{"nomination_id": entry.id, "abstained": False}]
    with pytest.raises(services.ScoringClosed):
        _save(world, world.judge, mine, [1, 1, 1])


def test_save_sheet_validation(world, entry, make_assignment):
    mine = make_assignment(entry, world.judge)
    c1, c2, c3 = world.criteria
    with pytest.raises(services.JudgingError) as error:
        _save(world, world.judge, mine, [3, 6, 3])
    assert error.value.field == f"score_{c2.id}"
    with pytest.raises(services.JudgingError) as error:
        _save(world, world.judge, mine, [0])
    assert error.value.field == f"score_{c1.id}"
    with pytest.raises(services.JudgingError) as error:
        _save(world, world.judge, mine, [3], submit=True)
    assert error.value.fields == (f"score_{c2.id}", f"score_{c3.id}")
    with pytest.raises(services.JudgingError) as error:
        _save(world, world.judge, mine, [], abstain=True, reason="  ")
    assert error.value.field == "abstain_reason"
    assert mine.sheet is None


def test_save_sheet_abstention_without_scores(world, entry, make_assignment):
    mine = make_assignment(entry, world.judge)
    sheet = _save(world, world.judge, mine, [], abstain=True, reason=" I know the team ", submit=True)
    assert (sheet.status, sheet.abstained, sheet.abstain_reason) == (SheetStatus.SUBMITTED, True, "I know the team")


def test_save_sheet_respects_the_deadline_and_the_phase(world, entry, make_assignment):
    mine = make_assignment(entry, world.judge)
    with pytest.raises(services.ScoringClosed):
        _save(world, world.judge, mine, [3], now=world.cycle.judging_deadline)
    _save(world, world.judge, mine, [3], now=world.cycle.judging_deadline - timedelta(seconds=1))
    for phase in (Phase.NOMINATIONS_OPEN, Phase.FINALISED):
        world.cycle.phase = phase
        with pytest.raises(services.ScoringClosed):
            _save(world, world.judge, mine, [4])


def test_save_sheet_refuses_with_the_reason_the_scoring_page_shows(world, entry, make_assignment):
    """One rule, one message: permissions.closed_reason (the scoring page) and save_sheet agree,
    and a judge who may open the assignment may score exactly while it says nothing."""
    from awards_app.judging.permissions import can_score, closed_reason

    mine = make_assignment(entry, world.judge)
    deadline = world.cycle.judging_deadline
    assert closed_reason(mine, world.cycle, now=deadline - timedelta(seconds=1)) is None
    assert can_score(world.judge, mine, world.cycle, now=deadline - timedelta(seconds=1))
    with pytest.raises(services.ScoringClosed) as refused:
        _save(world, world.judge, mine, [3], now=deadline)
    assert str(refused.value) == str(closed_reason(mine, world.cycle, now=deadline)) == \
        f"Scoring is closed for {world.cycle.label}."
    assert not can_score(world.judge, mine, world.cycle, now=deadline)
    assert not can_score(world.admin, mine, world.cycle, now=deadline - timedelta(seconds=1))
    _save(world, world.judge, mine, [3, 4, 5], submit=True)
    with pytest.raises(services.ScoringClosed) as refused:
        _save(world, world.judge, mine, [1, 1, 1])
    assert str(refused.value) == str(closed_reason(mine, world.cycle)) == \
        "This sheet has been submitted and can no longer be changed."


def test_save_sheet_refuses_a_stale_version(world, entry, make_assignment):
    mine = make_assignment(entry, world.judge)
    with pytest.raises(services.SheetConflict):
        _save(world, world.judge, mine, [3], version=1)  # no sheet yet: version 0
    _save(world, world.judge, mine, [3], version=0)
    db.session.flush()
    with pytest.raises(services.SheetConflict):
        _save(world, world.judge, mine, [5], version=0)
    assert [s.value for s in mine.sheet.scores] == [3, None, None]


def test_save_sheet_refuses_a_withdrawn_nomination_and_a_declared_conflict(world, entry, make_assignment, make_nomination):
    mine = make_assignment(entry, world.judge)
    entry.status = NominationStatus.WITHDRAWN
    with pytest.raises(services.ScoringClosed):
        _save(world, world.judge, mine, [3])
    other = make_assignment(make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED), world.judge,
                   AssignmentStatus.CONFLICT, "Relative")
    with pytest.raises(services.ScoringClosed):
        _save(world, world.judge, other, [3])


def test_reopen_sheet(world, entry, make_assignment, make_sheet, events):
    sheet = make_sheet(make_assignment(entry, world.judge), [2, 2, 2])
    version = sheet.version
    with pytest.raises(services.JudgingError):
        services.reopen_sheet(world.admin, sheet, " ")
    services.reopen_sheet(world.admin, sheet, "Wrong nomination read")
    assert (sheet.status, sheet.submitted_at) == (SheetStatus.DRAFT, None)
    assert sheet.version == version + 1, "a reopen makes open forms stale"
    assert events("sheet.reopened")[0].details == {"nomination_id": entry.id, "judge_id": world.judge.id,
                                                   "reason": "Wrong nomination read"}
    with pytest.raises(services.JudgingError):
        services.reopen_sheet(world.admin, sheet, "Not submitted")


def test_reopen_is_refused_once_final(world, entry, make_assignment, make_sheet):
    sheet = make_sheet(make_assignment(entry, world.judge), [2, 2, 2])
    world.cycle.phase = Phase.FINALISED
    with pytest.raises(services.JudgingError):
        services.reopen_sheet(world.admin, sheet, "Too late")
    assert sheet.status == SheetStatus.SUBMITTED


# --- queries --------------------------------------------------------------------------------------


def test_queue_states_and_next_unfinished(world, make_nomination, make_assignment, make_sheet):
    made = [make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED) for _ in range(4)]
    first, second, third, fourth = (make_assignment(n, world.judge) for n in made)
    make_sheet(second, [3, 3, 3])
    make_sheet(third, [], submitted=False, comments=["", "a thought"])
    make_sheet(fourth, [], submitted=False)  # opened, nothing entered
    queue = queries.list_queue(world.judge, world.cycle)
    assert [item.state for item in queue] == ["todo", "submitted", "in_progress", "todo"]
    assert queries.next_unfinished(queue, first.id).id == third.id
    assert queries.next_unfinished(queue, fourth.id).id == first.id  # wraps around
    make_sheet(make_assignment(make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED), world.judge_site_a),
               [1, 1, 1])
    only_done = queries.list_queue(world.judge_site_a, world.cycle)
    assert queries.next_unfinished(only_done, only_done[0].id) is None


def test_withdrawn_nominations_leave_the_judges_work(world, entry, make_assignment, make_sheet, make_nomination):
    mine = make_assignment(entry, world.judge)
    other = make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED)
    make_sheet(make_assignment(other, world.judge), [4, 4, 4])
    make_sheet(mine, [2, 2, 2])
    assert queries.is_assigned(world.judge, entry.id)
    entry.status = NominationStatus.WITHDRAWN
    db.session.flush()
    assert not queries.is_assigned(world.judge, entry.id)
    assert [item.nomination_id for item in queries.list_queue(world.judge, world.cycle)] == [other.id]
    [progress] = queries.list_judge_progress(world.cycle)
    assert (progress.assigned, progress.submitted) == (1, 1)
    ranking = queries.get_ranking(world.cycle, Region.JAPAN)
    assert ranking.judge_stats[world.judge.id].count == 1  # the withdrawn sheet no longer counts


def test_is_assigned_only_for_active_assignments(world, entry, make_assignment):
    assert not queries.is_assigned(world.judge, entry.id)
    make_assignment(entry, world.judge, AssignmentStatus.CONFLICT, "Relative")
    assert not queries.is_assigned(world.judge, entry.id)
    make_assignment(entry, world.judge_site_a)
    assert queries.is_assigned(world.judge_site_a, entry.id)


def test_get_ranking_applies_weights_and_counts_assignments(world, make_nomination, make_user, make_assignment, make_sheet):
    world.criteria[2].weight = Decimal("2")
    a, b = make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED), \
        make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED)
    j1, j2 = make_user("judge"), make_user("judge")
    make_sheet(make_assignment(a, j1), [5, 5, 4])  # 4.5
    make_sheet(make_assignment(a, j2), [4, 4, 4], submitted=False)  # a draft does not count
    make_assignment(b, j1)
    ranking = queries.get_ranking(world.cycle, Region.JAPAN)
    rows = {row.nomination_id: row for row in ranking.rows}
    assert rows[a.id].weighted_mean == pytest.approx(4.5) and rows[a.id].assigned == 2 and rows[a.id].incomplete
    assert rows[b.id].weighted_mean is None and rows[b.id].rank is None
    assert queries.get_ranking(world.cycle, Region.OVERSEAS).rows == []


def test_list_judge_progress(world, entry, make_nomination, make_assignment, make_sheet):
    make_sheet(make_assignment(entry, world.judge), [1, 1, 1])
    make_assignment(make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED), world.judge)
    make_assignment(make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED), world.judge_site_a,
           AssignmentStatus.CONFLICT, "Relative")
    progress = {(p.judge.id, p.assigned, p.submitted, p.conflicts) for p in queries.list_judge_progress(world.cycle)}
    assert progress == {(world.judge.id, 2, 1, 0), (world.judge_site_a.id, 0, 0, 1)}


def test_declare_conflict_brings_no_replacement_when_enough_judges_remain(world, entry, make_user, make_assignment):
    world.cycle.judges_per_nomination = 2
    spare = make_user("judge")
    services.set_panel(world.admin, world.cycle, Region.JAPAN, [spare.id])
    mine, *_ = (make_assignment(entry, judge) for judge in (world.judge, make_user("judge"), make_user("judge")))
    assert services.declare_conflict(world.judge, mine, "Relative") is None
    assert spare.id not in _active(entry.id) and len(_active(entry.id)) == 2
