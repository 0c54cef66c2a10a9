"""Choosing the photo and opening the winners' page (the services, without HTTP)."""
from __future__ import annotations

import pytest

from awards_app.core.enums import Phase
from awards_app.extensions import db
from awards_app.winners import services


def test_choosing_a_photo_of_the_winner_records_it_and_is_audited(world, events):
    assert services.choose_winner_photo(world.admin, world.japan_decision, world.photo) is True
    assert world.japan_decision.photo_id == world.photo.id
    [event] = events("award.photo_chosen")
    assert (event.object_id, event.actor_id) == (world.japan_decision.id, world.admin.id)
    assert event.details == {"cycle_id": world.cycle.id, "attachment_id": world.photo.id}
    # The same choice again changes nothing and says nothing.
    assert services.choose_winner_photo(world.admin, world.japan_decision, world.photo) is False
    assert len(events("award.photo_chosen")) == 1
    assert services.choose_winner_photo(world.admin, world.japan_decision, None) is True
    assert world.japan_decision.photo_id is None
    assert events("award.photo_chosen")[-1].details["attachment_id"] is None


@pytest.mark.parametrize("which", ["pdf", "loser_photo", "pending_photo"])
def test_only_a_photo_of_the_winning_nomination_can_be_chosen(world, which):
    with pytest.raises(services.WinnersError) as refused:
        services.choose_winner_photo(world.admin, world.japan_decision, getattr(world, which))
    assert refused.value.field == "photo_id"
    assert world.japan_decision.photo_id is None


def test_nothing_changes_before_the_results_are_final(world):
    with pytest.raises(services.WinnersError, match="once the results are final"):
        services.choose_winner_photo(world.admin, world.open_decision, world.pending_photo)
    with pytest.raises(services.WinnersError, match="once the results are final"):
        services.set_winners_public(world.admin, world.open_cycle, True)
    assert world.open_decision.photo_id is None and world.open_cycle.winners_public is False


def test_making_the_page_public_and_private_again_is_audited(world, events):
    assert services.set_winners_public(world.admin, world.cycle, True) is True
    assert world.cycle.winners_public is True
    assert services.set_winners_public(world.admin, world.cycle, True) is False
    assert services.set_winners_public(world.admin, world.cycle, False) is True
    opened, closed = events("cycle.winners_public"), events("cycle.winners_private")
    assert [(e.object_id, e.actor_id, e.details) for e in opened] == [
        (world.cycle.id, world.admin.id, {"fiscal_year": 2013})]
    assert len(closed) == 1


def test_a_deleted_photo_leaves_no_dangling_choice(world, choose):
    choose(world.photo)
    db.session.delete(db.session.get(type(world.photo), world.photo.id))
    db.session.commit()
    db.session.refresh(world.japan_decision)
    assert world.japan_decision.photo_id is None
    assert world.cycle.phase == Phase.FINALISED
