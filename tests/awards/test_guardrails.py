"""Guardrails around the results (issue 11, item 1): a minimum of scored reviews, every judge
abstaining, closing judging with a reason before finalising, and read-only queues afterwards."""
from __future__ import annotations

import pytest

from awards_app.awards import services
from awards_app.core.enums import NominationStatus, Phase
from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from awards_app.judging.models import Assignment
from awards_app.judging.queries import get_ranking
from awards_app.judging.scoring import propose
from awards_app.judging.services import JudgingError, close_judging
from core.support import Page


@pytest.fixture
def lucky(world, entry, review, make_user):
    """Japan: "Lucky once" has one glowing review of three assigned; "Steady pair" two good ones."""
    third = make_user("judge", name="Theo Third")
    once = entry(world.site_a, "Lucky once", [5, 5, 5])
    pair = entry(world.site_c, "Steady pair", [4, 4, 4], [4, 4, 3])
    for judge in (world.judge2, third):
        review(once, judge, submitted=False)  # assigned, never submitted
    berlin = entry(world.site_b, "Berlin river garden", [4, 4, 4], [4, 4, 5])
    return once, pair, berlin


def test_a_single_review_is_flagged_and_never_proposed(world, lucky):
    once, pair, _ = lucky
    rows = get_ranking(world.cycle, world.japan.region).rows
    by_id = {row.nomination_id: row for row in rows}
    assert by_id[once.id].insufficient_reviews and not by_id[pair.id].insufficient_reviews
    assert propose(rows).nomination_id == pair.id


def test_choosing_an_insufficiently_reviewed_nomination_needs_a_reason_and_is_audited(world, lucky, events):
    once, _, _ = lucky
    with pytest.raises(services.AwardError, match="fewer than 2 scored reviews"):
        services.decide_award(world.admin, world.japan, once)
    db.session.rollback()
    services.decide_award(world.admin, world.japan, once, reason="The other judges were ill; the panel agreed.")
    db.session.commit()
    [event] = events("award.decided")
    assert event.details["flags"] == ["insufficient_reviews", "incomplete"]
    assert event.details["reason"] == "The other judges were ill; the panel agreed."


def test_the_minimum_is_a_cycle_setting(world, lucky):
    once, _, _ = lucky
    world.cycle.minimum_reviews = 1
    db.session.commit()
    rows = get_ranking(world.cycle, world.japan.region).rows
    assert not next(r for r in rows if r.nomination_id == once.id).insufficient_reviews


def test_all_abstained_is_flagged(world, make_nomination, review):
    nomination = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED, title="Everyone abstained")
    review(nomination, world.judge, abstained=True, reason="I know the team")
    review(nomination, world.judge2, abstained=True, reason="My cousin works there")
    [row] = get_ranking(world.cycle, world.japan.region).rows
    assert row.all_abstained and row.insufficient_reviews and row.rank is None and not row.incomplete
    assert propose([row]).nomination_id is None


def test_the_awards_page_shows_the_flags(client, login, world, lucky):
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/awards"))
    once_row = page.find("tr", data_nomination=str(lucky[0].id))
    assert "insufficient reviews" in once_row.text
    assert page.find(data_proposal=str(lucky[1].id)) is not None


# --- closing judging and finalising ----------------------------------------------------------------


def _decide_both(world, lucky):
    _, pair, berlin = lucky
    services.decide_award(world.admin, world.japan, pair)
    services.decide_award(world.admin, world.overseas, berlin)
    db.session.commit()


def test_finalising_is_refused_with_unfinished_assignments_and_the_deadline_ahead(world, lucky):
    _decide_both(world, lucky)
    problems = services.finalise_problems(world.cycle)
    assert problems[0].startswith("2 active assignments are not submitted yet.")
    assert problems[1].startswith("The judging deadline (")
    with pytest.raises(services.AwardError):
        services.finalise_cycle(world.admin, world.cycle)
    db.session.rollback()
    assert db.session.get(Cycle, world.cycle.id).phase == Phase.JUDGING


def test_finalising_waits_for_unfinished_work_even_after_the_deadline(world, lucky, judging_over):
    _decide_both(world, lucky)
    [problem] = services.finalise_problems(world.cycle)
    assert "2 active assignments are not submitted yet" in problem


def test_closing_judging_needs_a_reason(world, lucky, events):
    with pytest.raises(JudgingError, match="reason") as refused:
        close_judging(world.admin, world.cycle, "   ")
    assert refused.value.fields == ("reason",)
    db.session.rollback()
    assert db.session.get(Cycle, world.cycle.id).judging_closed_at is None
    assert events("cycle.judging_closed") == []


def test_finalising_is_allowed_after_closing_with_a_reason(world, lucky, events, reload):
    _decide_both(world, lucky)
    marked = close_judging(world.admin, world.cycle, "Two judges withdrew; the board meets tomorrow.")
    db.session.commit()
    assert len(marked) == 2
    # Kept and visible, never deleted; the drafts stay.
    assert all(reload(Assignment, assignment_id).not_completed for assignment_id in marked)
    assert all(reload(Assignment, assignment_id).sheet is not None for assignment_id in marked)
    [event] = events("cycle.judging_closed")
    assert event.actor_id == world.admin.id and event.object_id == world.cycle.id
    assert event.details == {"reason": "Two judges withdrew; the board meets tomorrow.", "not_completed": marked}
    assert services.finalise_problems(world.cycle) == []
    services.finalise_cycle(world.admin, world.cycle)
    db.session.commit()
    assert reload(Cycle, world.cycle.id).phase == Phase.FINALISED


def test_judging_closes_once(world, lucky):
    close_judging(world.admin, world.cycle, "Done")
    db.session.commit()
    with pytest.raises(JudgingError, match="already closed"):
        close_judging(world.admin, world.cycle, "Again")


def test_after_closing_the_queue_is_read_only_and_says_why(client, login, world, lucky):
    once, _, _ = lucky
    close_judging(world.admin, world.cycle, "The board meets tomorrow.")
    db.session.commit()
    login(world.judge2)
    page = Page(client.get(f"/judging?cycle={world.cycle.id}"))
    assert (f"An administrator closed judging of {world.cycle.label}: The board meets tomorrow. "
            "Your queue is read-only.") in page.main_text
    assert "not completed" in page.main_text
    assert "Score" not in [span.text for span in page.find_all("span", class_="btn")]
    assignment = db.session.scalar(db.select(Assignment).where(Assignment.nomination_id == once.id,
                                                               Assignment.judge_id == world.judge2.id))
    page = Page(client.get(f"/judging/{assignment.id}"))
    assert "The board meets tomorrow." in page.main_text and "marked not completed" in page.main_text
    assert page.find_all("button", name="action") == []


def test_the_close_form_keeps_the_error_beside_the_field(client, login, world, lucky):
    login(world.admin)
    response = client.post(f"/admin/cycles/{world.cycle.id}/judging/close", data={"close-reason": "  "})
    assert response.status_code == 422
    page = Page(response)
    assert page.field_error("close-reason")
    assert db.session.get(Cycle, world.cycle.id).judging_closed_at is None


def test_the_progress_page_shows_who_closed_and_why(client, login, world, lucky):
    close_judging(world.admin, world.cycle, "The board meets tomorrow.")
    db.session.commit()
    login(world.admin)
    text = Page(client.get(f"/admin/cycles/{world.cycle.id}/progress")).by_id("close").text
    assert "by Ada Admin: The board meets tomorrow." in text
    assert Page(client.get(f"/admin/cycles/{world.cycle.id}/progress")).find(
        "form", action=f"/admin/cycles/{world.cycle.id}/judging/close") is None


def test_confirmation_dialogs_wait_for_valid_input(client, login, world, lucky):
    """The "cannot be undone" dialogs are asked only once the fields the server needs are filled
    (static/js/app.js reads these marks)."""
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/progress"))
    assert "data-needed" in page.by_id("close-reason").attrs
    login(world.judge2)
    assignment = db.session.scalar(db.select(Assignment).where(Assignment.judge_id == world.judge2.id,
                                                               Assignment.nomination_id == lucky[0].id))
    page = Page(client.get(f"/judging/{assignment.id}"))
    groups = page.find_all(role="radiogroup")
    assert groups and all("data-needed-choice" in group.attrs and group.get("data-unless") == "abstain"
                          for group in groups)
    assert page.by_id("abstain_reason").get("data-if") == "abstain"


def test_the_awards_page_gives_the_probability_of_the_proposal_and_the_runner_up(client, login, world, contest):
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/awards"))
    text = page.find(data_probability=str(contest.tokyo.id)).text
    assert "Probability of being the best of the region:" in text
    assert "Runner-up: Osaka forest school," in text
    assert "The proposal follows the cycle's method: Adjusted score." in text
