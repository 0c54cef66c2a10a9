"""Judging in rounds (issue 15, item 1): a cycle's rounds, closing one, promoting a shortlist from
its ranking into the next, and a two-round cycle judged end to end over HTTP."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from awards_app.core.enums import NominationStatus, Region
from awards_app.extensions import db
from awards_app.judging import queries, services
from awards_app.judging.models import Assignment, JudgingRound, ShortlistEntry
from core.support import Page, local_input
from judging.test_views import _section


# --- the model ---------------------------------------------------------------------------------


def test_every_cycle_starts_with_one_round_that_takes_the_cycles_settings(world):
    (only,) = queries.list_rounds(world.cycle)
    assert (only.number, only.name, str(only.title)) == (1, "", "Round 1")
    assert only.deadline == world.cycle.judging_deadline
    assert only.judges_needed == world.cycle.judges_per_nomination
    assert only.reviews_needed == world.cycle.minimum_reviews
    assert only.method == world.cycle.ranking_method
    assert only.criterion_weights() == {c.id: float(c.weight) for c in world.cycle.criteria}
    # A change of the cycle's settings is the round's (nothing was copied).
    world.cycle.judges_per_nomination = 5
    assert only.judges_needed == 5


def test_a_round_weights_the_cycles_criteria_its_own_way(world, events):
    first, *rest = world.criteria
    added = services.add_round(world.admin, world.cycle, judging_deadline=world.cycle.judging_deadline + timedelta(days=1),
                               weights={first.id: 3, rest[0].id: float(rest[0].weight)})
    assert added.number == 2 and added.weights == {str(first.id): 3.0}  # an unchanged weight is not kept
    assert added.criterion_weights()[first.id] == 3.0 and added.criterion_weights()[rest[0].id] == 1.0
    [event] = events("round.added")
    assert event.details["number"] == 2 and event.details["settings"]["weights"] == {str(first.id): 3.0}


@pytest.mark.parametrize("change, field, message", [
    ({"judging_deadline": timedelta(days=0)}, "judging_deadline", "Choose a deadline after the previous round's"),
    ({"judges_per_nomination": 2, "minimum_reviews": 3}, "minimum_reviews", "At most the number of judges per nomination (2)."),
])
def test_adding_a_round_refuses_bad_settings(world, change, field, message):
    values = dict(change)
    if "judging_deadline" in values:
        values["judging_deadline"] = world.cycle.judging_deadline + values["judging_deadline"]
    with pytest.raises(services.JudgingError) as refused:
        services.add_round(world.admin, world.cycle, **values)
    assert refused.value.field == field and str(refused.value.message).startswith(message)


# --- closing a round, promoting a shortlist --------------------------------------------------------


def test_closing_the_first_of_two_rounds_freezes_its_sheets_but_leaves_judging_open(world, two_rounds, events):
    draft = Assignment(cycle_id=world.cycle.id, round_id=two_rounds.first.id, nomination_id=two_rounds.japan[0].id,
                       judge_id=world.judge_site_a.id)
    db.session.add(draft)
    db.session.commit()
    marked = services.close_judging(world.admin, world.cycle, "Round one done")
    assert marked == [draft.id] and two_rounds.first.is_closed and world.cycle.judging_closed_at is None
    [event] = events("round.closed")
    assert event.details == {"reason": "Round one done", "not_completed": [draft.id], "number": 1}
    assert events("cycle.judging_closed") == []
    # Its sheets are frozen; the current round is now the second.
    assert "closed Round 1" in str(services.closed_reason(draft, world.cycle))
    assert queries.get_round(world.cycle).id == two_rounds.second.id
    # Closing the last round closes judging of the cycle, as closing judging always did.
    services.close_judging(world.admin, world.cycle, "All done")
    assert world.cycle.judging_closed_reason == "All done" and len(events("cycle.judging_closed")) == 1


def test_a_round_closed_before_the_judge_submitted_leaves_the_queues_to_do(client, login, world, two_rounds,
                                                                         make_assignment):
    """Round 1 closes with one of the judge's sheets unsubmitted: the queue lists it apart (to view,
    not to score), out of the count of what remains, and "save and next" never goes back to it."""
    late = make_assignment(two_rounds.overseas, world.judge_site_a)
    services.close_judging(world.admin, world.cycle, "Round one done")
    services.add_to_shortlist(world.admin, two_rounds.second, two_rounds.overseas, "Strong outsider")
    now = make_assignment(two_rounds.overseas, world.judge_site_a, judging_round=two_rounds.second)
    login(world.judge_site_a)
    page = Page(client.get(f"/judging?cycle={world.cycle.id}"))
    assert "Harbour walk" in _section(page, "todo") and "Final panel" in _section(page, "todo")
    closed = _section(page, "closed")
    assert "Closed before you submitted" in closed and "Round 1" in closed and "View" in closed
    assert "0 of 1 submitted" in page.main_text
    assert queries.next_unfinished(queries.list_queue(world.judge_site_a, world.cycle), now.id) is None
    assert late.not_completed


def test_promoting_is_refused_while_the_previous_round_is_open_and_says_what_is_unfinished(world, two_rounds):
    db.session.add(Assignment(cycle_id=world.cycle.id, round_id=two_rounds.first.id,
                              nomination_id=two_rounds.japan[1].id, judge_id=world.judge_site_a.id))
    db.session.flush()
    with pytest.raises(services.JudgingError) as refused:
        services.promote_shortlist(world.admin, two_rounds.second, 1)
    assert str(refused.value.message) == ("Round 1 is still open: 1 of its active assignments is not submitted "
                                          "yet. Close it on the judge progress page first.")
    assert db.session.scalars(select(ShortlistEntry)).all() == []


def test_promoting_takes_the_top_n_of_each_region_and_refuses_fewer_than_the_awards(world, two_rounds, events):
    services.close_judging(world.admin, world.cycle, "Round one done")
    added = services.promote_shortlist(world.admin, two_rounds.second, 2)
    assert sorted(added) == sorted([two_rounds.japan[0].id, two_rounds.japan[1].id, two_rounds.overseas.id])
    assert events("round.shortlist_promoted")[-1].details["per_region"] == 2
    # Taking the only overseas nomination off would leave the overseas award without a nomination.
    with pytest.raises(services.JudgingError) as refused:
        services.remove_from_shortlist(world.admin, two_rounds.second, two_rounds.overseas, "Not strong enough")
    assert str(refused.value.message) == "The Overseas shortlist would have 0 nominations for 1 awards."
    # A reason is needed to add or take off by hand, and both are audited.
    with pytest.raises(services.JudgingError) as refused:
        services.add_to_shortlist(world.admin, two_rounds.second, two_rounds.japan[2], "  ")
    assert refused.value.field == "reason"
    services.add_to_shortlist(world.admin, two_rounds.second, two_rounds.japan[2], "The panel asked for it")
    services.remove_from_shortlist(world.admin, two_rounds.second, two_rounds.japan[1], "Duplicate project")
    assert events("round.shortlist_added")[-1].details["reason"] == "The panel asked for it"
    assert events("round.shortlist_removed")[-1].details["reason"] == "Duplicate project"
    entries = {e.nomination_id: e for e in queries.list_shortlist(two_rounds.second)}
    assert set(entries) == {two_rounds.japan[0].id, two_rounds.japan[2].id, two_rounds.overseas.id}
    assert entries[two_rounds.japan[2].id].by_hand and not entries[two_rounds.japan[0].id].by_hand


def test_the_next_round_assigns_only_the_shortlist_and_keeps_conflicts(world, two_rounds, make_user, panel):
    services.close_judging(world.admin, world.cycle, "Round one done")
    services.promote_shortlist(world.admin, two_rounds.second, 1)  # Bay clean-up and Harbour walk
    # The first round's judge sits on the second round's panel too; a judge of site A never gets
    # site A's nomination; a conflict declared in round 1 keeps that judge off it in round 2.
    conflicted = make_user("judge", name="Cora Conflict")
    db.session.add(Assignment(cycle_id=world.cycle.id, round_id=two_rounds.first.id,
                              nomination_id=two_rounds.japan[0].id, judge_id=conflicted.id,
                              status="conflict", conflict_reason="My brother's team"))
    services.set_panel(world.admin, world.cycle, Region.JAPAN, [world.judge.id, world.judge_site_a.id, conflicted.id],
                       two_rounds.second)
    plan = services.assign_automatically(world.admin, world.cycle, Region.JAPAN, two_rounds.second)
    assert plan.new == [(two_rounds.japan[0].id, world.judge.id)]
    round_two = db.session.scalars(select(Assignment).where(Assignment.round_id == two_rounds.second.id)).all()
    assert [(a.nomination_id, a.judge_id) for a in round_two] == [(two_rounds.japan[0].id, world.judge.id)]
    # The same judge and nomination in two rounds are two assignments; the queue shows both.
    queue = queries.list_queue(world.judge, world.cycle)
    assert [(q.round_number, q.nomination_id) for q in queue][:1] == [(2, two_rounds.japan[0].id)]
    assert len(queue) == 5
    # A nomination off the shortlist cannot be assigned by hand in round 2.
    with pytest.raises(services.JudgingError) as refused:
        services.add_assignment(world.admin, two_rounds.japan[1], world.judge_site_a, two_rounds.second)
    assert str(refused.value.message) == "This nomination is not on the shortlist of Final panel."


def test_each_round_has_its_own_ranking_and_the_awards_read_the_last(world, two_rounds, make_sheet):
    services.close_judging(world.admin, world.cycle, "Round one done")
    services.promote_shortlist(world.admin, two_rounds.second, 2)
    second = Assignment(cycle_id=world.cycle.id, round_id=two_rounds.second.id,
                        nomination_id=two_rounds.japan[1].id, judge_id=world.judge.id)
    db.session.add(second)
    db.session.commit()
    make_sheet(second, [5] * len(world.criteria))
    first_ranking = queries.get_ranking(world.cycle, Region.JAPAN, judging_round=two_rounds.first)
    last_ranking = queries.get_ranking(world.cycle, Region.JAPAN)
    assert first_ranking.proposal.nomination_id == two_rounds.japan[0].id
    assert [r.nomination_id for r in first_ranking.rows] == [n.id for n in two_rounds.japan]
    assert last_ranking.round.id == two_rounds.second.id
    assert last_ranking.proposal.nomination_id == two_rounds.japan[1].id
    assert {r.nomination_id for r in last_ranking.rows} == {two_rounds.japan[0].id, two_rounds.japan[1].id}


# --- over HTTP ----------------------------------------------------------------------------------


def test_two_round_cycle_end_to_end(client, login, world, two_rounds, score_data, events):
    login(world.admin)
    cycle = world.cycle
    # The rounds page lists both; the second cannot be promoted while the first is open.
    page = Page(client.get(f"/admin/cycles/{cycle.id}/rounds"))
    assert "Final panel" in page.main_text and "Round 1 is still open. Close it on the judge progress page first." in page.main_text
    # Close round 1 from its progress page (the current round).
    response = client.post(f"/admin/cycles/{cycle.id}/judging/close", data={"close-reason": "First panel done"})
    assert response.headers["Location"] == f"/admin/cycles/{cycle.id}/progress?round={two_rounds.first.id}"
    page = Page(client.get(response.headers["Location"]))
    assert "Round 1 is closed. Its unfinished assignments are marked not completed." in page.alerts()
    assert "Round 1 was closed on" in page.by_id("close").text and "First panel done" in page.by_id("close").text
    assert db.session.get(JudgingRound, two_rounds.first.id).closed_reason == "First panel done"
    # Promote the top 1 of each region.
    second = two_rounds.second.id
    response = client.post(f"/admin/rounds/{second}/shortlist/promote", data={f"promote-{second}-per_region": "1"})
    assert response.status_code == 302
    page = Page(client.get(response.headers["Location"]))
    assert "2 nominations have been promoted." in page.alerts()
    # Round 2's panel: the round-1 judge (said on the page), then assign automatically.
    services.set_panel(world.admin, cycle, Region.JAPAN, [world.judge.id], two_rounds.first)
    db.session.commit()
    response = client.post(f"/admin/cycles/{cycle.id}/panels/japan?round={second}",
                           data={"panel-japan-judges": [str(world.judge.id)]})
    assert response.status_code == 302 and f"round={second}" not in response.headers["Location"]  # current
    page = Page(client.get(f"/admin/cycles/{cycle.id}/assignments"))
    assert "Jiro Judge · also on the panel of round 1" in page.main_text
    client.post(f"/admin/cycles/{cycle.id}/assignments/auto", data={"region": "japan", "tab": "japan"})
    page = Page(client.get(f"/admin/cycles/{cycle.id}/assignments"))
    assert "Bay clean-up" in page.main_text and "Forest school" not in page.main_text
    assert page.find("a", class_="active").text == "Final panel"
    # The judge scores round 2's assignment from the queue, which names the round.
    login(world.judge)
    page = Page(client.get(f"/judging?cycle={cycle.id}"))
    assert "Final panel" in page.main_text
    [mine] = [a for a in db.session.scalars(select(Assignment).where(Assignment.round_id == second))]
    response = client.post(f"/judging/{mine.id}", data=score_data(cycle, 0, [4, 4, 4], action="submit"))
    assert response.status_code == 302
    # The admin sees each round's ranking; the awards page proposes from the last round's.
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{cycle.id}/ranking?round={two_rounds.first.id}"))
    assert "River watch" in page.main_text
    page = Page(client.get(f"/admin/cycles/{cycle.id}/ranking"))
    assert "Bay clean-up" in page.main_text and "River watch" not in page.main_text
    page = Page(client.get(f"/admin/cycles/{cycle.id}/awards"))
    assert "The proposal follows the ranking of Final panel" in page.main_text
    assert [e.details.get("number") for e in events("round.shortlist_promoted")] == [2]


def test_round_forms_keep_bad_input_beside_their_fields(client, login, world, two_rounds):
    login(world.admin)
    cycle = world.cycle
    first = world.criteria[0]
    response = client.post(f"/admin/cycles/{cycle.id}/rounds", data={
        "name": "Semi-final", "judging_deadline": "", "judges_per_nomination": "0", "minimum_reviews": "9",
        f"weight_{first.id}": "-1"})
    assert response.status_code == 422
    page = Page(response)
    assert page.field_error("judging_deadline") == "Enter a date and time."
    assert page.field_error("judges_per_nomination") == "Number must be between 1 and 20."
    assert page.field_error(f"weight_{first.id}").startswith("Enter a weight greater than 0")
    assert page.input_value("name") == "Semi-final"
    assert page.input_value(f"weight_{first.id}") == "-1"
    # A deadline before the previous round's: refused by the service, beside the field.
    response = client.post(f"/admin/cycles/{cycle.id}/rounds", data={
        "judging_deadline": local_input(two_rounds.second.deadline - timedelta(days=1))})
    assert response.status_code == 422
    assert Page(response).field_error("judging_deadline").startswith("Choose a deadline after the previous round's")
    assert len(queries.list_rounds(cycle)) == 2
    # The promotion's number and the shortlist's reason.
    services.close_judging(world.admin, cycle, "done")
    db.session.commit()
    second = two_rounds.second.id
    response = client.post(f"/admin/rounds/{second}/shortlist/promote", data={f"promote-{second}-per_region": "x"})
    assert response.status_code == 422
    page = Page(response)
    assert page.field_error(f"promote-{second}-per_region") and page.input_value(f"promote-{second}-per_region") == "x"
    response = client.post(f"/admin/rounds/{second}/shortlist/add", data={
        f"add-{second}-nomination_id": str(two_rounds.japan[2].id), f"add-{second}-reason": ""})
    assert response.status_code == 422
    assert Page(response).field_error(f"add-{second}-reason")
    assert db.session.scalars(select(ShortlistEntry)).all() == []


def test_exports_carry_the_round_of_every_sheet_and_rank_the_last_round(world, two_rounds, make_sheet):
    from awards_app.exports.services import build_result_tables, build_score_tables

    services.close_judging(world.admin, world.cycle, "Round one done")
    services.promote_shortlist(world.admin, two_rounds.second, 1)
    final = Assignment(cycle_id=world.cycle.id, round_id=two_rounds.second.id, nomination_id=two_rounds.japan[0].id,
                       judge_id=world.judge.id)
    db.session.add(final)
    db.session.commit()
    make_sheet(final, [3] * len(world.criteria))
    [scores] = build_score_tables(world.cycle)
    at = [column.header for column in scores.columns].index("Round")
    assert sorted({row[at] for row in scores.rows}) == [1, 2]
    tables = {table.key: table for table in build_result_tables(world.cycle)}
    ranking, sheets = tables["ranking-japan"], tables["sheets"]
    assert [row[0] for row in ranking.rows] == [2] and [row[0] for row in sheets.rows] == [2]
    # Each earlier round's ranking too, per region, with its own rows.
    earlier = tables["ranking-japan-round-1"]
    assert earlier.title == "Ranking Japan, round 1" and [row[0] for row in earlier.rows] == [1, 1, 1]
    assert [row[3] for row in earlier.rows] == [n.id for n in two_rounds.japan]
    assert list(tables)[:4] == ["ranking-japan", "ranking-overseas", "ranking-japan-round-1", "ranking-overseas-round-1"]


def test_reminders_are_about_the_open_rounds_and_their_deadline(world, two_rounds):
    from awards_app.notifications.models import Notification
    from awards_app.notifications.reminders import ReminderRefused, remind_judge

    unfinished = Assignment(cycle_id=world.cycle.id, round_id=two_rounds.first.id,
                            nomination_id=two_rounds.japan[1].id, judge_id=world.judge_site_a.id)
    db.session.add(unfinished)
    services.close_judging(world.admin, world.cycle, "Round one done")
    with pytest.raises(ReminderRefused) as refused:  # round 1's sheet is frozen: nothing to remind of
        remind_judge(world.admin, world.cycle, world.judge_site_a)
    assert str(refused.value.message) == "Kenji Conflicted has no sheets left to finish."
    services.promote_shortlist(world.admin, two_rounds.second, 2)
    db.session.add(Assignment(cycle_id=world.cycle.id, round_id=two_rounds.second.id,
                              nomination_id=two_rounds.japan[1].id, judge_id=world.judge_site_a.id))
    db.session.flush()
    # After round 1's deadline (the cycle's), before the final round's: the final round's counts.
    after_first = two_rounds.first.deadline + timedelta(days=1)
    assert remind_judge(world.admin, world.cycle, world.judge_site_a, now=after_first) == 1
    assert db.session.scalars(select(Notification).where(Notification.kind == "judging_reminder")).one()


def test_round_pages_make_as_many_queries_for_a_long_shortlist_as_for_a_short_one(
        client, login, world, two_rounds, make_nomination, make_assignment, make_sheet, count_queries):
    services.close_judging(world.admin, world.cycle, "Round one done")
    services.promote_shortlist(world.admin, two_rounds.second, 1)
    db.session.commit()
    second = two_rounds.second.id
    pages = [f"/admin/cycles/{world.cycle.id}/rounds", f"/admin/cycles/{world.cycle.id}/assignments?round={second}",
             f"/admin/cycles/{world.cycle.id}/ranking?round={second}",
             f"/admin/cycles/{world.cycle.id}/progress?round={second}", f"/judging?cycle={world.cycle.id}"]

    def measure():
        counts = []
        for page in pages:
            login(world.judge if page.startswith("/judging") else world.admin)
            with count_queries() as statements:
                assert client.get(page).status_code == 200, page
            counts.append(len(statements))
        return counts

    small = measure()
    for index in range(8):
        nomination = make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED, title=f"More {index}")
        db.session.add(ShortlistEntry(round_id=second, nomination_id=nomination.id, by_hand=True, reason="More"))
        db.session.add(Assignment(cycle_id=world.cycle.id, round_id=second, nomination_id=nomination.id,
                                  judge_id=world.judge.id))
    db.session.commit()
    assert len(queries.list_shortlist(two_rounds.second)) == 10
    assert measure() == small


def test_an_empty_last_round_and_each_rounds_results_of_a_nomination(client, login, world, two_rounds):
    """Round 2 with nothing promoted yet: its pages say so, the awards page proposes nothing; the
    results of a nomination show its rounds."""
    login(world.admin)
    cycle = world.cycle
    second = two_rounds.second.id
    page = Page(client.get(f"/admin/cycles/{cycle.id}/ranking?round={second}"))
    assert "No submitted nominations in this region." in page.main_text
    page = Page(client.get(f"/admin/cycles/{cycle.id}/awards"))
    assert page.response.status_code == 200 and "The proposal follows the ranking of Final panel" not in page.main_text
    bay = two_rounds.japan[0]
    page = Page(client.get(f"/admin/nominations/{bay.id}/results"))
    assert page.find("a", class_="active").text == "Round 1" and "Jiro Judge" in page.main_text
    page = Page(client.get(f"/admin/nominations/{bay.id}/results?round={second}"))
    assert page.find("a", class_="active").text == "Final panel" and "Jiro Judge" not in page.main_text
    assert client.get(f"/admin/nominations/{bay.id}/results?round=999999").status_code == 404
