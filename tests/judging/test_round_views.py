"""Rounds seen and changed by the admin (issue 15, item 4): editing a round's settings, how each
shortlist was made, publishing a shortlist to the sites as "Shortlisted" (and nothing else of the
rounds), and the admins' daily digest per open round."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from awards_app.core.enums import Deliberation, NominationStatus, Phase, RankingMethod
from awards_app.extensions import db
from awards_app.judging import services
from awards_app.judging.models import Assignment, JudgingRound, ShortlistEntry
from awards_app.notifications import reminders
from awards_app.notifications.models import Notification
from core.support import Page, local_input


def _messages(kind: str) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.kind == kind).order_by(Notification.id)))


@pytest.fixture
def rounds(two_rounds):
    return two_rounds


def _shortlist(world, rounds, per_region: int = 1) -> None:
    """Round 1 closed and the top `per_region` of each region promoted into round 2."""
    services.close_judging(world.admin, world.cycle, "First panel done")
    services.promote_shortlist(world.admin, rounds.second, per_region)
    db.session.commit()


# --- editing a round -----------------------------------------------------------------------------


def test_update_round_changes_the_settings_given_and_audits_old_and_new(world, rounds, events):
    second = rounds.second
    old_deadline = second.judging_deadline
    new_deadline = old_deadline + timedelta(days=2)
    first_criterion = world.criteria[0]
    changes = services.update_round(world.admin, second, name="Grand final", judging_deadline=new_deadline,
                                    ranking_method=RankingMethod.WEIGHTED, weights={first_criterion.id: 2})
    assert (second.name, second.judging_deadline, second.method) == ("Grand final", new_deadline,
                                                                    RankingMethod.WEIGHTED)
    assert second.weights == {str(first_criterion.id): 2.0}
    assert second.judges_per_nomination == 1  # not given: unchanged
    [event] = events("round.updated")
    assert event.object_id == second.id and event.details["number"] == 2
    assert event.details["changes"] == {
        "name": ["Final panel", "Grand final"],
        "judging_deadline": [old_deadline.isoformat(), new_deadline.isoformat()],
        "ranking_method": [None, "weighted"],
        "weights": [{}, {str(first_criterion.id): 2.0}],
    }
    assert changes == event.details["changes"]
    # The same values again: nothing changes, nothing is logged.
    assert services.update_round(world.admin, second, name="Grand final", judges_per_nomination=1) == {}
    assert len(events("round.updated")) == 1
    with pytest.raises(TypeError):
        services.update_round(world.admin, second, colour="blue")


def test_the_first_round_is_editable_and_keeps_the_cycles_deadline_unless_changed(world, rounds, events):
    first = rounds.first
    services.update_round(world.admin, first, judging_deadline=world.cycle.judging_deadline,
                          ranking_method=RankingMethod.NORMALISED)
    assert first.judging_deadline is None and first.method == RankingMethod.NORMALISED  # still the cycle's
    [event] = events("round.updated")
    assert event.details["changes"] == {"ranking_method": [None, "normalised"]}
    earlier = world.cycle.judging_deadline - timedelta(days=3)
    services.update_round(world.admin, first, judging_deadline=earlier)
    assert first.deadline == earlier


@pytest.mark.parametrize("which, change, field, message", [
    ("first", {"judging_deadline": 20}, "judging_deadline", "Choose a deadline before the next round's"),
    ("second", {"judging_deadline": 0}, "judging_deadline", "Choose a deadline after the previous round's"),
    ("second", {"judges_per_nomination": 2, "minimum_reviews": 3}, "minimum_reviews",
     "At most the number of judges per nomination (2)."),
    ("second", {"minimum_reviews": 2}, "minimum_reviews", "At most the number of judges per nomination (1)."),
])
def test_update_round_refuses_bad_settings(world, rounds, events, which, change, field, message):
    values = dict(change)
    if "judging_deadline" in values:
        values["judging_deadline"] = world.cycle.judging_deadline + timedelta(days=values["judging_deadline"])
    judging_round = getattr(rounds, which)
    before = (judging_round.judging_deadline, judging_round.judges_per_nomination, judging_round.minimum_reviews)
    with pytest.raises(services.JudgingError) as refused:
        services.update_round(world.admin, judging_round, **values)
    assert refused.value.field == field and str(refused.value.message).startswith(message)
    db.session.rollback()
    judging_round = db.session.get(JudgingRound, judging_round.id)
    assert (judging_round.judging_deadline, judging_round.judges_per_nomination,
            judging_round.minimum_reviews) == before
    assert events("round.updated") == []


def test_a_closed_round_and_a_finalised_cycle_cannot_be_edited(world, rounds):
    services.close_judging(world.admin, world.cycle, "First panel done")
    with pytest.raises(services.JudgingError, match="Round 1 is closed: its settings no longer change."):
        services.update_round(world.admin, rounds.first, name="Regional panels")
    world.cycle.phase = Phase.FINALISED
    with pytest.raises(services.JudgingError, match="The results of this cycle are final."):
        services.update_round(world.admin, rounds.second, name="Grand final")


def test_the_admin_edits_a_round_from_the_rounds_page(client, login, world, rounds, events):
    login(world.admin)
    second = rounds.second
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/rounds"))
    links = [a.get("href") for a in page.find_all("a") if a.text.startswith("Edit the round")]
    assert links == [f"/admin/rounds/{rounds.first.id}/edit", f"/admin/rounds/{second.id}/edit"]
    # The form shows the round's own settings (empty: the cycle's) and its deadline.
    page = Page(client.get(f"/admin/rounds/{second.id}/edit"))
    assert page.input_value("name") == "Final panel" and page.input_value("judges_per_nomination") == "1"
    assert page.input_value("judging_deadline") == local_input(second.deadline)
    assert page.input_value(f"weight_{world.criteria[0].id}") in ("", None)
    # Saved unchanged: the deadline stays exactly the round's (not that minute), nothing logged.
    exact = second.judging_deadline
    form = {"name": "Final panel", "judging_deadline": local_input(second.deadline), "judges_per_nomination": "1",
            "minimum_reviews": "1", "ranking_method": ""}
    response = client.post(f"/admin/rounds/{second.id}/edit", data=form)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#round-{second.id}")
    assert "Nothing has changed." in Page(client.get(response.headers["Location"])).alerts()
    assert db.session.get(JudgingRound, second.id).judging_deadline == exact and events("round.updated") == []
    # A new name and method.
    response = client.post(f"/admin/rounds/{second.id}/edit", data={**form, "name": "Grand final",
                                                                     "ranking_method": "weighted"})
    page = Page(client.get(response.headers["Location"]))
    assert "Grand final has been saved." in page.alerts() and "Grand final" in page.main_text
    db.session.expire_all()
    assert db.session.get(JudgingRound, second.id).ranking_method == RankingMethod.WEIGHTED
    # Round 1, which takes every setting from the cycle, is editable too.
    page = Page(client.get(f"/admin/rounds/{rounds.first.id}/edit"))
    assert page.input_value("judging_deadline") == local_input(world.cycle.judging_deadline)


def test_the_admin_turns_deliberation_on_for_an_open_round_on_its_edit_form(client, login, world, rounds, events):
    login(world.admin)
    second = rounds.second
    page = Page(client.get(f"/admin/rounds/{second.id}/edit"))
    assert page.selected_value("deliberation") == "off"
    response = client.post(f"/admin/rounds/{second.id}/edit", data={
        "name": "Final panel", "judging_deadline": page.input_value("judging_deadline"), "judges_per_nomination": "1",
        "minimum_reviews": "1", "deliberation": "flagged", "hide_judge_names": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    edited = db.session.get(JudgingRound, second.id)
    assert edited.deliberation == Deliberation.FLAGGED and edited.hide_judge_names is True
    assert events("round.updated")[-1].details["changes"] == {"deliberation": ["off", "flagged"],
                                                             "hide_judge_names": [False, True]}
    page = Page(client.get(f"/admin/rounds/{second.id}/edit"))
    assert page.selected_value("deliberation") == "flagged"
    assert "checked" in page.find("input", name="hide_judge_names").attrs


def test_the_edit_form_keeps_bad_input_beside_its_fields(client, login, world, rounds, events):
    login(world.admin)
    second = rounds.second
    first_criterion = world.criteria[0]
    response = client.post(f"/admin/rounds/{second.id}/edit", data={
        "name": "Semi", "judging_deadline": "", "judges_per_nomination": "0", "minimum_reviews": "1",
        f"weight_{first_criterion.id}": "-1"})
    assert response.status_code == 422
    page = Page(response)
    assert page.field_error("judging_deadline") == "Enter a date and time."
    assert page.field_error("judges_per_nomination") == "Number must be between 1 and 20."
    assert page.field_error(f"weight_{first_criterion.id}").startswith("Enter a weight greater than 0")
    assert page.input_value("name") == "Semi" and page.input_value(f"weight_{first_criterion.id}") == "-1"
    # Refused by the service: a deadline before round 1's, beside the field.
    response = client.post(f"/admin/rounds/{second.id}/edit", data={
        "name": "Semi", "judging_deadline": local_input(rounds.first.deadline - timedelta(days=1))})
    assert response.status_code == 422
    page = Page(response)
    assert page.field_error("judging_deadline").startswith("Choose a deadline after the previous round's")
    assert page.input_value("name") == "Semi"
    # Round 1's deadline after round 2's.
    response = client.post(f"/admin/rounds/{rounds.first.id}/edit", data={
        "judging_deadline": local_input(second.deadline + timedelta(days=1))})
    assert response.status_code == 422
    assert Page(response).field_error("judging_deadline").startswith("Choose a deadline before the next round's")
    db.session.expire_all()
    assert db.session.get(JudgingRound, second.id).name == "Final panel" and events("round.updated") == []


def test_a_closed_round_shows_why_it_cannot_be_edited_and_keeps_what_was_posted(client, login, world, rounds):
    services.close_judging(world.admin, world.cycle, "First panel done")
    db.session.commit()
    login(world.admin)
    first = rounds.first.id
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/rounds"))
    assert [a.get("href") for a in page.find_all("a") if a.text.startswith("Edit the round")] == [
        f"/admin/rounds/{rounds.second.id}/edit"]
    page = Page(client.get(f"/admin/rounds/{first}/edit"))
    assert page.by_id("edit-closed").text == "Round 1 is closed: its settings no longer change."
    assert page.find("form", action=f"/admin/rounds/{first}/edit") is None
    response = client.post(f"/admin/rounds/{first}/edit", data={"name": "Regional panels",
                                                                "judging_deadline": "2099-01-01T10:00"})
    assert response.status_code == 403
    page = Page(response)
    assert "Round 1 is closed: its settings no longer change." in page.alerts()
    assert page.input_value("name") == "Regional panels"
    assert db.session.get(JudgingRound, first).name == ""


# --- how each shortlist was made -----------------------------------------------------------------


def test_the_rounds_page_says_how_each_nomination_came_onto_the_shortlist(client, login, world, rounds):
    _shortlist(world, rounds)
    services.add_to_shortlist(world.admin, rounds.second, rounds.japan[1], "Strong local partners")
    services.add_to_shortlist(world.admin, rounds.second, rounds.japan[2], "Second look")
    services.remove_from_shortlist(world.admin, rounds.second, rounds.japan[2], "Outside the theme after all")
    db.session.commit()
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/rounds"))
    listed = page.by_id(f"shortlist-{rounds.second.id}").text
    assert "Bay clean-up" in listed and "promoted with the top 1 per region" in listed and "Ada Admin" in listed
    assert "Forest school" in listed and "added by hand" in listed and "Strong local partners" in listed
    assert "River watch" not in listed
    removed = page.by_id(f"removed-{rounds.second.id}").text
    assert "River watch" in removed and "Outside the theme after all" in removed and "Ada Admin" in removed
    ranking = [a.get("href") for a in page.find_all("a") if a.text == "The ranking of Final panel"]
    assert ranking == [f"/admin/cycles/{world.cycle.id}/ranking?round={rounds.second.id}"]


# --- the shortlist as an outcome for the sites ---------------------------------------------------


ROUND_WORDS = ("Final panel", "Round", "round", "Shortlist", "shortlist", "Judge", "Jiro", "rank", "score")


def _site_pages(client, world, rounds) -> dict[str, str]:
    bay = rounds.japan[0]
    return {"page": Page(client.get(f"/nominations/{bay.id}")).main_text,
            "list": Page(client.get("/nominations")).main_text}


def test_sites_see_nothing_of_the_rounds_until_the_shortlist_is_published(client, login, world, rounds, events):
    _shortlist(world, rounds)
    bay, river = rounds.japan[0], rounds.japan[2]
    login(world.submitter_a)
    before = _site_pages(client, world, rounds)
    for where, text in before.items():
        assert [word for word in ROUND_WORDS if word in text] == [], where
    assert "Shortlisted" not in before["page"]
    # Published: site A sees "Shortlisted" (with the round's name) on Bay clean-up only.
    login(world.admin)
    response = client.post(f"/admin/rounds/{rounds.second.id}/shortlist/publish")
    assert response.status_code == 302
    page = Page(client.get(response.headers["Location"]))
    assert "The shortlist has been published: its sites see “Shortlisted” and are told by e-mail." in page.alerts()
    assert "Published to the sites" in page.by_id(f"publish-{rounds.second.id}").text
    [event] = events("round.shortlist_published")
    assert event.details == {"number": 2, "nominations": [bay.id, rounds.overseas.id]}
    login(world.submitter_a)
    page = Page(client.get(f"/nominations/{bay.id}"))
    assert page.by_id("shortlisted").text.startswith("This activity has been shortlisted for Final panel.")
    for word in ("Round", "rank", "score", "Jiro", "5.00"):
        assert word not in page.main_text
    listing = Page(client.get("/nominations"))
    [badge] = listing.find_all(**{"data-outcome": "shortlisted"})
    assert badge.text == "Shortlisted"
    assert Page(client.get(f"/nominations/{river.id}")).by_id("shortlisted") is None
    # Nobody else sees it: site B's submitter, the assigned judge.
    login(world.submitter_b)
    assert "Shortlisted" not in Page(client.get("/nominations")).main_text
    assert client.get(f"/nominations/{bay.id}").status_code == 404
    login(world.judge)
    page = Page(client.get(f"/nominations/{bay.id}"))
    assert page.response.status_code == 200 and page.by_id("shortlisted") is None
    # Withdrawn: gone again.
    login(world.admin)
    response = client.post(f"/admin/rounds/{rounds.second.id}/shortlist/withdraw")
    assert "The shortlist has been withdrawn: its sites no longer see it." in Page(
        client.get(response.headers["Location"])).alerts()
    assert [e.details for e in events("round.shortlist_withdrawn")] == [{"number": 2}]
    login(world.submitter_a)
    assert _site_pages(client, world, rounds) == before


def test_an_unnamed_round_is_not_named_to_the_sites(client, login, world, rounds):
    rounds.second.name = ""
    _shortlist(world, rounds)
    services.publish_shortlist(world.admin, rounds.second)
    db.session.commit()
    login(world.submitter_a)
    page = Page(client.get(f"/nominations/{rounds.japan[0].id}"))
    assert page.by_id("shortlisted").text.startswith("This activity has been shortlisted for the next stage of judging.")
    assert "Round 2" not in page.main_text


def test_publishing_mails_each_shortlisted_sites_submitters_once(world, rounds, make_user):
    second_submitter = make_user("submitter", sites=[world.site_a], name="Akira A", locale="ja")
    _shortlist(world, rounds)
    services.publish_shortlist(world.admin, rounds.second)
    mails = _messages("shortlisted")
    assert sorted(m.recipient_id for m in mails) == sorted([world.submitter_a.id, second_submitter.id])
    english = next(m for m in mails if m.recipient_id == world.submitter_a.id)
    assert english.subject == "Shortlisted: Bay clean-up"
    assert 'Your site\'s nomination "Bay clean-up" has been shortlisted for Final panel' in english.body_text
    assert f"/nominations/{rounds.japan[0].id}" in english.body_text
    japanese = next(m for m in mails if m.recipient_id == second_submitter.id)
    assert "ショートリスト" in japanese.subject and "ショートリスト" in japanese.body_text
    for mail in mails:  # no score (Bay clean-up's total was 5), no rank; its link's id may hold a 5
        words = re.sub(r"https?://\S+", "", mail.body_text).replace(str(world.cycle.fiscal_year), "")
        assert not re.search(r"(?<!\d)5(?!\d)", words)
    # Withdrawn and published again: nobody is mailed twice. A nomination added while published is.
    services.withdraw_shortlist(world.admin, rounds.second)
    services.publish_shortlist(world.admin, rounds.second)
    assert len(_messages("shortlisted")) == 2
    services.add_to_shortlist(world.admin, rounds.second, rounds.japan[1], "Strong local partners")
    assert len(_messages("shortlisted")) == 2  # site C has no submitter
    services.add_to_shortlist(world.admin, rounds.second, rounds.japan[2], "Second look")
    assert len(_messages("shortlisted")) == 4


def test_publishing_is_refused_when_there_is_nothing_to_publish(client, login, world, rounds):
    with pytest.raises(services.JudgingError, match="The shortlist of Final panel is empty"):
        services.publish_shortlist(world.admin, rounds.second)
    with pytest.raises(services.JudgingError, match="The first round judges every submitted nomination"):
        services.publish_shortlist(world.admin, rounds.first)
    with pytest.raises(services.JudgingError, match="The shortlist of Final panel is not published."):
        services.withdraw_shortlist(world.admin, rounds.second)
    _shortlist(world, rounds)
    services.publish_shortlist(world.admin, rounds.second)
    with pytest.raises(services.JudgingError, match="already published"):
        services.publish_shortlist(world.admin, rounds.second)
    db.session.commit()
    login(world.admin)
    assert client.post(f"/admin/rounds/{rounds.first.id}/shortlist/publish").status_code == 404
    response = client.post(f"/admin/rounds/{rounds.second.id}/shortlist/publish")
    assert "The shortlist of Final panel is already published to the sites." in Page(
        client.get(response.headers["Location"])).alerts()


def test_site_pages_ask_one_query_for_the_shortlists_whatever_their_number(
        client, login, world, rounds, make_nomination, count_queries):
    _shortlist(world, rounds)
    services.publish_shortlist(world.admin, rounds.second)
    db.session.commit()
    login(world.submitter_a)

    def measure():
        with count_queries() as statements:
            assert client.get("/nominations").status_code == 200
        return len(statements)

    small = measure()
    for index in range(6):
        nomination = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED, title=f"More {index}")
        db.session.add(ShortlistEntry(round_id=rounds.second.id, nomination_id=nomination.id, by_hand=True,
                                      reason="More"))
    db.session.commit()
    assert measure() == small
    assert len(Page(client.get("/nominations")).find_all(**{"data-outcome": "shortlisted"})) == 7


def test_the_rounds_page_makes_as_many_queries_with_a_long_history(client, login, world, rounds, make_nomination,
                                                                   count_queries):
    _shortlist(world, rounds)
    services.publish_shortlist(world.admin, rounds.second)
    services.add_to_shortlist(world.admin, rounds.second, rounds.japan[2], "Second look")
    services.remove_from_shortlist(world.admin, rounds.second, rounds.japan[2], "Outside the theme")
    db.session.commit()
    login(world.admin)

    def measure():
        with count_queries() as statements:
            assert client.get(f"/admin/cycles/{world.cycle.id}/rounds").status_code == 200
        return len(statements)

    small = measure()
    for index in range(5):
        nomination = make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED, title=f"More {index}")
        db.session.add(Assignment(cycle_id=world.cycle.id, round_id=rounds.first.id, nomination_id=nomination.id,
                                  judge_id=world.judge.id))
        db.session.flush()
        services.add_to_shortlist(world.admin, rounds.second, nomination, f"Reason {index}")
        if index % 2:
            services.remove_from_shortlist(world.admin, rounds.second, nomination, f"Taken off {index}")
    db.session.commit()
    assert measure() == small


# --- the admins' digest per round ------------------------------------------------------------------


def test_the_admin_digest_counts_each_open_round(world, rounds, make_assignment, make_sheet):
    day = world.now + timedelta(days=1)
    reminders.admin_digests(day)
    [both] = _messages("admin_digest")
    # Both rounds open: each with its own counts and deadline (round 1: 4 sheets, all submitted).
    assert "round by round" in both.body_text
    assert "Round 1, which closes on" in both.body_text and "Final panel, which closes on" in both.body_text
    assert "4 of 4 score sheets submitted" in both.body_text and "0 of 0 score sheets submitted" in both.body_text
    assert "4 of 4 sheets submitted" in both.subject
    # Round 1 closed, round 2 under way: only round 2 is counted.
    _shortlist(world, rounds)
    bay = rounds.japan[0]
    make_sheet(make_assignment(bay, world.judge, judging_round=rounds.second), [4] * len(world.criteria))
    make_assignment(rounds.overseas, world.judge_site_a, judging_round=rounds.second)
    reminders.admin_digests(day + timedelta(days=1))
    latest = _messages("admin_digest")[-1]
    assert "Round 1" not in latest.body_text and "Final panel, which closes on" in latest.body_text
    assert "1 of 2 score sheets submitted" in latest.body_text
    assert "1 of 2 judges still have sheets to finish" in latest.body_text
    assert "1 of 2 sheets submitted" in latest.subject
    assert "Final panel" in latest.body_html and "1 of 2 score sheets submitted" in latest.body_html


def test_the_digest_of_a_cycle_judged_in_one_round_reads_as_before(world, make_nomination, make_assignment):
    nomination = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED)
    make_assignment(nomination, world.judge)
    reminders.admin_digests(world.now + timedelta(days=1))
    [digest] = _messages("admin_digest")
    assert "round" not in digest.body_text.lower()
    assert "Judging of the" in digest.body_text and "0 of 1 score sheets submitted" in digest.body_text


def test_the_digest_is_translated(world, rounds, make_user):
    make_user("admin", name="管理者", locale="ja")
    reminders.admin_digests(world.now + timedelta(days=1))
    japanese = next(m for m in _messages("admin_digest") if m.locale == "ja")
    assert "受付中のラウンドごと" in japanese.body_text and "第1次審査" in japanese.body_text
    assert "Final panel" in japanese.body_text
