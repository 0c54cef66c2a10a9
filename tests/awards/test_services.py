"""The awards services without HTTP: the boards' proposals, deciding, overriding, ties, one award
per nomination, clearing, finalising, and the one way into "results finalised" (the proposal's
pure logic is tested in tests/judging/test_scoring.py)."""
from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from awards_app.awards import permissions, services
from awards_app.awards.models import AwardDecision
from awards_app.awards.queries import get_award_boards
from awards_app.core.enums import NominationStatus, Phase, Region
from awards_app.cycles import services as cycle_services
from awards_app.cycles.models import AwardCategory, Cycle
from awards_app.extensions import db

from .conftest import decisions


def test_boards_propose_the_top_of_each_region(world, contest):
    boards = get_award_boards(world.cycle)
    assert [b.category.key for b in boards] == ["grand_japan", "grand_overseas"]
    japan, overseas = boards
    assert japan.proposal.nomination_id == contest.tokyo.id
    assert [r.nomination_id for r in japan.rows] == [contest.tokyo.id, contest.osaka.id]
    assert overseas.proposal.nomination_id == contest.berlin.id
    assert {r.nomination_id for r in overseas.rows} == {contest.berlin.id, contest.boston.id}


# --- deciding ------------------------------------------------------------------------------------


def test_confirming_the_top_needs_no_reason_and_is_audited(world, contest, events):
    decision = services.decide_award(world.admin, world.japan, contest.tokyo)
    db.session.commit()
    assert decisions() == {"grand_japan": (contest.tokyo.id, contest.tokyo.id, "")}
    assert not decision.overrides_ranking and decision.decided_by_id == world.admin.id
    [event] = events("award.decided")
    assert event.actor_id == world.admin.id
    assert event.details["proposed"] == contest.tokyo.id and event.details["chosen"] == contest.tokyo.id
    assert event.details["reason"] == "" and event.details["previous"] is None


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_choosing_another_without_a_reason_is_refused(world, contest, events, reason):
    with pytest.raises(services.AwardError) as refused:
        services.decide_award(world.admin, world.japan, contest.osaka, reason=reason)
    assert refused.value.field == "reason"
    assert "not the top of the ranking" in str(refused.value)
    db.session.rollback()
    assert decisions() == {} and events("award.decided") == []


def test_choosing_another_with_a_reason_is_stored_and_audited(world, contest, events):
    decision = services.decide_award(world.admin, world.japan, contest.osaka, reason="  Stronger local impact.  ")
    db.session.commit()
    assert decisions() == {"grand_japan": (contest.osaka.id, contest.tokyo.id, "Stronger local impact.")}
    assert decision.overrides_ranking
    [event] = events("award.decided")
    assert (event.details["proposed"], event.details["chosen"], event.details["reason"]) == (
        contest.tokyo.id, contest.osaka.id, "Stronger local impact.")


def test_a_tie_at_the_top_must_be_resolved_with_a_reason(world, entry, events):
    first = entry(world.site_a, "Twin one", [4, 4, 4], [4, 4, 4])
    second = entry(world.site_c, "Twin two", [4, 4, 4], [4, 4, 4])
    [board, _] = get_award_boards(world.cycle)
    assert board.proposal.tied and set(board.proposal.tied_ids) == {first.id, second.id}
    with pytest.raises(services.AwardError) as refused:
        services.decide_award(world.admin, world.japan, first)
    assert refused.value.field == "reason" and "share the top" in str(refused.value)
    db.session.rollback()
    services.decide_award(world.admin, world.japan, second, reason="Longer-running programme.")
    db.session.commit()
    assert decisions() == {"grand_japan": (second.id, None, "Longer-running programme.")}
    [event] = events("award.decided")
    assert set(event.details["tied"]) == {first.id, second.id} and event.details["proposed"] is None


def test_with_nothing_scored_any_choice_needs_a_reason(world, make_nomination):
    unscored = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED, title="Not scored yet")
    with pytest.raises(services.AwardError, match="scored yet"):
        services.decide_award(world.admin, world.japan, unscored)
    db.session.rollback()
    services.decide_award(world.admin, world.japan, unscored, reason="The panel met and agreed.")
    assert decisions()["grand_japan"] == (unscored.id, None, "The panel met and agreed.")


def test_one_nomination_cannot_win_two_awards(world, contest, decide, events):
    second_japan = AwardCategory(cycle_id=world.cycle.id, key="community_japan", name_en="Community Award (Japan)",
                                 name_ja="コミュニティ賞（国内）", region=Region.JAPAN, position=2)
    db.session.add(second_japan)
    db.session.commit()
    decide(world.japan, contest.tokyo)
    with pytest.raises(services.AwardError) as refused:
        services.decide_award(world.admin, second_japan, contest.tokyo, reason="It is the best, again.")
    assert refused.value.field == "nomination_id"
    assert "already won the Grand Award (Japan)" in str(refused.value)
    db.session.rollback()
    assert decisions() == {"grand_japan": (contest.tokyo.id, contest.tokyo.id, "")}
    assert len(events("award.decided")) == 1


def test_the_database_also_holds_one_award_per_nomination(world, contest, decide):
    decide(world.japan, contest.tokyo)
    other = AwardCategory(cycle_id=world.cycle.id, key="extra", name_en="Extra", name_ja="特別賞",
                          region=Region.JAPAN, position=2)
    db.session.add(other)
    db.session.flush()
    db.session.add(AwardDecision(cycle_id=world.cycle.id, category_id=other.id, nomination_id=contest.tokyo.id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_database_holds_one_decision_per_category(world, contest, decide):
    decide(world.japan, contest.tokyo)
    db.session.add(AwardDecision(cycle_id=world.cycle.id, category_id=world.japan.id, nomination_id=contest.osaka.id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("which", ["other_region", "withdrawn", "ineligible", "draft", "other_cycle"])
def test_only_submitted_nominations_of_the_region_and_cycle_can_win(world, contest, make_nomination, make_cycle,
                                                                     which):
    if which == "other_region":
        nomination = contest.berlin
    elif which == "other_cycle":
        old = make_cycle(fiscal_year=world.cycle.fiscal_year - 1, phase=Phase.JUDGING)
        nomination = make_nomination(old, world.site_a, NominationStatus.SUBMITTED)
    else:
        nomination = make_nomination(world.cycle, world.site_a, NominationStatus(which))
    with pytest.raises(services.AwardError) as refused:
        services.decide_award(world.admin, world.japan, nomination, reason="Because.")
    assert refused.value.field == "nomination_id"
    db.session.rollback()
    assert decisions() == {}


@pytest.mark.parametrize("phase", [Phase.SETUP, Phase.NOMINATIONS_OPEN, Phase.FINALISED])
def test_decisions_only_during_judging(world, contest, phase):
    world.cycle.phase = phase
    db.session.commit()
    with pytest.raises(services.AwardsLocked) as refused:
        services.decide_award(world.admin, world.japan, contest.tokyo)
    expected = "are final" if phase == Phase.FINALISED else "only during judging"
    assert expected in str(refused.value)
    assert str(refused.value) == str(permissions.locked_message(world.cycle))  # what the awards page shows
    with pytest.raises(services.AwardsLocked):
        services.clear_award(world.admin, world.japan)
    db.session.rollback()
    assert decisions() == {}


def test_a_decision_can_change_and_be_cleared_until_finalisation(world, contest, decide, events):
    decide(world.japan, contest.tokyo)
    decide(world.japan, contest.osaka, "The jury preferred the school partnership.")
    assert decisions() == {"grand_japan": (contest.osaka.id, contest.tokyo.id,
                                           "The jury preferred the school partnership.")}
    second = events("award.decided")[-1]
    assert second.details["previous"] == {"nomination_id": contest.tokyo.id, "reason": ""}
    assert services.clear_award(world.admin, world.japan) is True
    db.session.commit()
    assert decisions() == {}
    [cleared] = events("award.cleared")
    assert cleared.details["nomination_id"] == contest.osaka.id
    assert cleared.details["reason"] == "The jury preferred the school partnership."
    assert services.clear_award(world.admin, world.japan) is False


def test_deciding_the_same_again_records_nothing_new(world, contest, decide, events):
    decide(world.japan, contest.tokyo)
    decide(world.japan, contest.tokyo)
    assert len(events("award.decided")) == 1


def test_the_proposal_is_read_when_deciding_not_taken_from_the_page(world, contest, decide, review, entry):
    """A judge's late sheet can change the top: confirming the old top then needs a reason."""
    newcomer = entry(world.site_c, "Late star", [5, 5, 5], [5, 5, 5])
    with pytest.raises(services.AwardError, match="not the top"):
        services.decide_award(world.admin, world.japan, contest.tokyo)
    db.session.rollback()
    decide(world.japan, newcomer)
    assert decisions()["grand_japan"] == (newcomer.id, newcomer.id, "")


# --- finalising ----------------------------------------------------------------------------------


def test_finalising_needs_every_award_decided(world, judging_over, contest, decide, events):
    decide(world.japan, contest.tokyo)
    problems = services.finalise_problems(world.cycle)
    assert problems == ["No winner has been chosen for the Grand Award (Overseas) yet."]
    with pytest.raises(services.AwardError, match="Grand Award \\(Overseas\\)"):
        services.finalise_cycle(world.admin, world.cycle)
    db.session.rollback()
    assert db.session.get(Cycle, world.cycle.id).phase == Phase.JUDGING
    assert events("cycle.finalised") == []


def test_finalising_records_who_and_when_and_the_decisions(world, judging_over, contest, decide, events, reload):
    decide(world.japan, contest.tokyo)
    decide(world.overseas, contest.boston, "Reached more children.")
    assert services.finalise_problems(world.cycle) == []
    services.finalise_cycle(world.admin, world.cycle, now=world.now)
    db.session.commit()
    cycle = reload(Cycle, world.cycle.id)
    assert cycle.phase == Phase.FINALISED
    assert cycle.finalised_at == world.now and cycle.finalised_by_id == world.admin.id
    [event] = events("cycle.finalised")
    assert event.actor_id == world.admin.id and event.object_id == cycle.id
    assert event.details["from"] == "judging" and event.details["to"] == "finalised"
    assert event.details["decisions"] == [
        {"category": "grand_japan", "nomination_id": contest.tokyo.id, "proposed": contest.tokyo.id, "reason": ""},
        {"category": "grand_overseas", "nomination_id": contest.boston.id, "proposed": contest.berlin.id,
         "reason": "Reached more children."},
    ]


def test_a_winner_taken_out_of_the_competition_blocks_finalisation(world, judging_over, contest, decide):
    decide(world.japan, contest.tokyo)
    decide(world.overseas, contest.berlin)
    contest.tokyo.status = NominationStatus.INELIGIBLE
    db.session.commit()
    [problem] = services.finalise_problems(world.cycle)
    assert "“Tokyo bay clean-up”, chosen for the Grand Award (Japan), is no longer in the competition" in problem
    with pytest.raises(services.AwardError):
        services.finalise_cycle(world.admin, world.cycle)


@pytest.mark.parametrize("phase, message", [
    (Phase.SETUP, "cannot move"), (Phase.NOMINATIONS_OPEN, "cannot move"), (Phase.FINALISED, "already final"),
])
def test_finalising_only_from_judging(world, phase, message):
    world.cycle.phase = phase
    db.session.commit()
    with pytest.raises(services.AwardError, match=message):
        services.finalise_cycle(world.admin, world.cycle)
    assert world.cycle.finalised_at is None


def test_the_generic_phase_change_refuses_to_finalise(world, contest, decide, events):
    """One way into "results finalised": the awards service, never cycles.change_phase."""
    decide(world.japan, contest.tokyo)
    decide(world.overseas, contest.berlin)
    with pytest.raises(cycle_services.FinaliseOnAwardsPage, match="Awards page"):
        cycle_services.change_phase(world.admin, world.cycle, Phase.FINALISED)
    db.session.rollback()
    assert db.session.get(Cycle, world.cycle.id).phase == Phase.JUDGING
    assert events("cycle.phase_changed") == []


# --- results settings ----------------------------------------------------------------------------


def test_results_settings_stay_editable_after_finalisation(world, events):
    world.cycle.phase = Phase.FINALISED
    db.session.commit()
    changes = cycle_services.update_cycle(world.admin, world.cycle, results={
        "share_comments_with_sites": False, "signatory_name_en": "Taro Yamada", "signatory_name_ja": "山田太郎",
        "signatory_title_en": "President", "signatory_title_ja": "代表取締役社長", "phase": "setup",
    })
    db.session.commit()
    assert set(changes) == {"share_comments_with_sites", "signatory_name_en", "signatory_name_ja",
                            "signatory_title_en", "signatory_title_ja"}
    assert changes["share_comments_with_sites"] == [True, False]
    assert world.cycle.phase == Phase.FINALISED and world.cycle.signatory_name_ja == "山田太郎"
    with pytest.raises(cycle_services.CycleLocked):
        cycle_services.update_cycle(world.admin, world.cycle, judges_per_nomination=5,
                                    results={"signatory_name_en": "Someone Else"})
    db.session.rollback()
    assert db.session.get(Cycle, world.cycle.id).signatory_name_en == "Taro Yamada"
    assert len(events("cycle.updated")) == 1


def test_a_decision_made_meanwhile_becomes_a_message_not_a_crash(world, contest, decide, monkeypatch):
    """Two admins deciding at once: the unique constraints catch what the check could not see."""
    decide(world.japan, contest.tokyo)
    monkeypatch.setattr(services, "list_decisions", lambda cycle: {})  # the other admin's decision is unseen
    with pytest.raises(services.AwardError, match="in the meantime"):
        services.decide_award(world.admin, world.japan, contest.osaka, reason="Mine")
    db.session.commit()  # the transaction is still usable
    assert decisions() == {"grand_japan": (contest.tokyo.id, contest.tokyo.id, "")}


# --- permissions (pure) --------------------------------------------------------------------------


def test_permissions(world, contest):
    from types import SimpleNamespace

    anonymous = SimpleNamespace(is_authenticated=False, is_active=False)
    assert permissions.can_decide_awards(world.admin)
    for user in (anonymous, None, world.judge, world.submitter_a):
        assert not permissions.can_decide_awards(user)
    assert permissions.can_change_decisions(world.admin, world.cycle) and permissions.can_finalise(world.admin, world.cycle)
    assert permissions.locked_message(world.cycle) is None
    for user in (anonymous, None, world.judge, world.submitter_a):
        assert not permissions.can_change_decisions(user, world.cycle) and not permissions.can_finalise(user, world.cycle)
    assert not permissions.can_see_outcome(world.submitter_a, contest.tokyo)  # not final yet
    world.cycle.phase = Phase.FINALISED
    assert not permissions.can_change_decisions(world.admin, world.cycle)
    assert not permissions.can_finalise(world.admin, world.cycle)
    assert permissions.locked_message(world.cycle) == permissions.DECISIONS_FINAL
    assert permissions.can_see_outcome(world.submitter_a, contest.tokyo)
    assert permissions.can_see_outcome(world.admin, contest.tokyo)
    for user in (anonymous, None, world.judge, world.submitter_b):
        assert not permissions.can_see_outcome(user, contest.tokyo)
    assert permissions.can_see_judges_comments(world.submitter_a, contest.tokyo)
    world.cycle.share_comments_with_sites = False
    assert not permissions.can_see_judges_comments(world.submitter_a, contest.tokyo)
    assert permissions.can_see_outcome(world.submitter_a, contest.tokyo)
    world.admin.active = False
    assert not permissions.can_decide_awards(world.admin)
    db.session.rollback()
