"""The cycle services, called directly: no HTTP, the rules and the audit log only."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from awards_app.core.enums import NominationStatus, Phase, Region
from awards_app.cycles import services
from awards_app.cycles.models import AwardCategory, Criterion, Cycle, RubricLevel
from awards_app.cycles.queries import suggest_fiscal_year
from awards_app.nominations.queries import count_nominations_by_status
from awards_app.extensions import db

NOW = datetime.now(timezone.utc)
SOON = NOW + timedelta(days=10)
LATER = NOW + timedelta(days=40)


def new_cycle(actor, year=2031, **kwargs):
    values = {"nomination_deadline": SOON, "judging_deadline": LATER}
    values.update(kwargs)
    return services.create_cycle(actor, fiscal_year=year, **values)


def criterion_data(**overrides):
    data = {
        "key": "teamwork", "name_en": "Teamwork", "name_ja": "チームワーク",
        "guidance_en": "", "guidance_ja": "", "weight": Decimal("2"), "rubric": {},
    }
    data.update(overrides)
    return data


# --- cycles ------------------------------------------------------------------------------------


def test_create_cycle_starts_in_setup_with_the_programmes_defaults(admin, audit_events):
    cycle = new_cycle(admin)
    db.session.expire_all()
    cycle = db.session.get(Cycle, cycle.id)
    assert cycle.phase == Phase.SETUP
    assert cycle.label == "FY2031"
    assert (cycle.scale_min, cycle.scale_max) == (1, 5)
    assert [c.key for c in cycle.criteria] == ["business_relevance", "sustainability", "novelty"]
    assert [c.position for c in cycle.criteria] == [0, 1, 2]
    assert all(c.weight == Decimal("1") for c in cycle.criteria)
    assert [level.level for level in cycle.criteria[0].rubric_levels] == [1, 3, 5]
    assert cycle.criteria[1].rubric_levels[0].text_ja == "単発の活動で、継続の計画がない。"
    assert [(a.key, a.region) for a in cycle.award_categories] == [
        ("grand_japan", Region.JAPAN), ("grand_overseas", Region.OVERSEAS)
    ]
    [event] = audit_events("cycle.created", cycle.id)
    assert event.actor_id == admin.id
    assert event.details["fiscal_year"] == 2031
    assert event.details["scale"] == [1, 5]


def test_create_cycle_with_a_smaller_scale_keeps_only_rubric_levels_that_fit(admin):
    cycle = new_cycle(admin, scale_min=1, scale_max=3)
    assert all([lv.level for lv in c.rubric_levels] == [1, 3] for c in cycle.criteria)


def test_create_cycle_refuses_a_second_cycle_for_the_same_year(admin, make_cycle):
    make_cycle(2031)
    with pytest.raises(services.CycleError) as refused:
        new_cycle(admin, 2031)
    assert refused.value.field == "fiscal_year"
    assert "FY2031" in str(refused.value)
    assert db.session.scalar(select(func.count()).select_from(Cycle).where(Cycle.fiscal_year == 2031)) == 1


def test_create_cycle_refuses_judging_before_nominations(admin):
    with pytest.raises(services.CycleError) as refused:
        new_cycle(admin, nomination_deadline=LATER, judging_deadline=SOON)
    assert refused.value.field == "judging_deadline"


def test_update_cycle_moves_deadlines_and_records_the_change(admin, make_cycle, audit_events):
    cycle = make_cycle(2031, phase=Phase.JUDGING)
    new_deadline = cycle.judging_deadline + timedelta(days=5)
    changes = services.update_cycle(
        admin, cycle, nomination_deadline=cycle.nomination_deadline, judging_deadline=new_deadline
    )
    assert list(changes) == ["judging_deadline"]
    assert cycle.judging_deadline == new_deadline
    [event] = audit_events("cycle.updated", cycle.id)
    assert event.details["changes"]["judging_deadline"][1] == new_deadline.isoformat()


def test_update_cycle_without_changes_writes_no_audit_event(admin, make_cycle, audit_events):
    cycle = make_cycle(2031)
    assert services.update_cycle(
        admin, cycle, nomination_deadline=cycle.nomination_deadline, judging_deadline=cycle.judging_deadline,
        scale_min=1, scale_max=5,
    ) == {}
    assert audit_events("cycle.updated") == []


def test_a_finalised_cycle_cannot_change_its_settings(admin, make_cycle):
    cycle = make_cycle(2031, phase=Phase.FINALISED)
    before = cycle.judging_deadline
    with pytest.raises(services.CycleLocked):
        services.update_cycle(admin, cycle, nomination_deadline=cycle.nomination_deadline,
                              judging_deadline=before + timedelta(days=1))
    assert cycle.judging_deadline == before


def test_the_scale_changes_only_in_setup(admin, make_cycle):
    cycle = make_cycle(2031, phase=Phase.NOMINATIONS_OPEN)
    with pytest.raises(services.CycleError) as refused:
        services.update_cycle(admin, cycle, nomination_deadline=cycle.nomination_deadline,
                              judging_deadline=cycle.judging_deadline, scale_min=1, scale_max=10)
    assert refused.value.field == "scale_min"
    assert cycle.scale_max == 5


def test_a_scale_that_drops_described_levels_is_refused(admin, make_cycle):
    cycle = make_cycle(2031, phase=Phase.SETUP)
    with pytest.raises(services.CycleError) as refused:
        services.update_cycle(admin, cycle, nomination_deadline=cycle.nomination_deadline,
                              judging_deadline=cycle.judging_deadline, scale_min=1, scale_max=4)
    assert refused.value.field == "scale_max"
    assert "5" in str(refused.value)
    assert cycle.scale_max == 5
    services.update_cycle(admin, cycle, nomination_deadline=cycle.nomination_deadline,
                          judging_deadline=cycle.judging_deadline, scale_min=1, scale_max=10)
    assert list(cycle.scale) == list(range(1, 11))


# --- phases ------------------------------------------------------------------------------------


def test_change_phase_moves_and_records_from_and_to(admin, make_cycle, audit_events):
    cycle = make_cycle(2031, phase=Phase.SETUP)
    services.change_phase(admin, cycle, Phase.NOMINATIONS_OPEN)
    assert cycle.phase == Phase.NOMINATIONS_OPEN
    [event] = audit_events("cycle.phase_changed", cycle.id)
    assert event.details == {"from": "setup", "to": "nominations_open"}
    assert event.actor_id == admin.id
    assert event.object_type == "cycles"


def test_starting_judging_early_is_marked_in_the_audit_log(admin, make_cycle, audit_events):
    cycle = make_cycle(2031, phase=Phase.NOMINATIONS_OPEN)  # deadline in 30 days
    services.change_phase(admin, cycle, Phase.JUDGING)
    [event] = audit_events("cycle.phase_changed", cycle.id)
    assert event.details == {"from": "nominations_open", "to": "judging", "before_nomination_deadline": True}


@pytest.mark.parametrize(
    ("start", "target"),
    [(Phase.SETUP, Phase.JUDGING), (Phase.SETUP, Phase.FINALISED), (Phase.FINALISED, Phase.JUDGING),
     (Phase.JUDGING, Phase.SETUP), (Phase.NOMINATIONS_OPEN, Phase.NOMINATIONS_OPEN)],
)
def test_change_phase_refuses_moves_outside_the_map(admin, make_cycle, audit_events, start, target):
    cycle = make_cycle(2031, phase=start)
    with pytest.raises(services.CycleError, match="cannot move"):
        services.change_phase(admin, cycle, target)
    assert cycle.phase == start
    assert audit_events("cycle.phase_changed") == []


def test_opening_needs_a_criterion_a_category_and_a_future_deadline(admin, make_cycle):
    cycle = make_cycle(2031, phase=Phase.SETUP, nomination_deadline=NOW - timedelta(hours=1))
    cycle.criteria.clear()
    cycle.award_categories.clear()
    db.session.flush()
    with pytest.raises(services.CycleError) as refused:
        services.change_phase(admin, cycle, Phase.NOMINATIONS_OPEN)
    message = str(refused.value)
    assert "criterion" in message and "award category" in message and "deadline has passed" in message
    assert cycle.phase == Phase.SETUP


def test_back_to_setup_is_refused_once_a_site_has_nominated(admin, make_cycle, make_site, make_nomination):
    cycle = make_cycle(2031, phase=Phase.NOMINATIONS_OPEN)
    make_nomination(cycle, make_site())  # even a draft counts
    with pytest.raises(services.CycleError, match="cannot go back to setup"):
        services.change_phase(admin, cycle, Phase.SETUP)
    assert cycle.phase == Phase.NOMINATIONS_OPEN


def test_back_to_setup_without_nominations_is_allowed(admin, make_cycle):
    cycle = make_cycle(2031, phase=Phase.NOMINATIONS_OPEN)
    services.change_phase(admin, cycle, Phase.SETUP)
    assert cycle.phase == Phase.SETUP


def test_a_cycle_goes_through_its_whole_life(admin, audit_events):
    """Finalising is not a plain phase change: it needs every award decided and goes through
    awards.services.finalise_cycle (tested in tests/awards)."""
    cycle = new_cycle(admin)
    for phase in (Phase.NOMINATIONS_OPEN, Phase.JUDGING):
        services.change_phase(admin, cycle, phase)
    with pytest.raises(services.FinaliseOnAwardsPage):
        services.change_phase(admin, cycle, Phase.FINALISED)
    assert cycle.phase == Phase.JUDGING
    assert [e.details["to"] for e in audit_events("cycle.phase_changed", cycle.id)] == ["nominations_open", "judging"]


# --- criteria ----------------------------------------------------------------------------------


def test_create_criterion_appends_it_with_its_rubric(admin, make_cycle, audit_events):
    cycle = make_cycle(2031, phase=Phase.SETUP)
    criterion = services.create_criterion(
        admin, cycle, criterion_data(rubric={1: ("Alone.", "一人で。"), 2: ("", ""), 5: ("", "全員で。")})
    )
    db.session.expire_all()
    criterion = db.session.get(Criterion, criterion.id)
    assert criterion.position == 3
    assert criterion.weight == Decimal("2")
    assert [(r.level, r.text_en, r.text_ja) for r in criterion.rubric_levels] == [
        (1, "Alone.", "一人で。"), (5, "", "全員で。")
    ]
    [event] = audit_events("criterion.created", criterion.id)
    assert event.details["cycle_id"] == cycle.id and event.object_type == "criteria"


def test_criterion_keys_are_unique_within_a_cycle_only(admin, make_cycle):
    first, second = make_cycle(2031, phase=Phase.SETUP), make_cycle(2032, phase=Phase.SETUP)
    with pytest.raises(services.CycleError) as refused:
        services.create_criterion(admin, first, criterion_data(key="novelty"))
    assert refused.value.field == "key"
    services.create_criterion(admin, second, criterion_data(key="teamwork"))
    services.create_criterion(admin, first, criterion_data(key="teamwork"))


def test_rubric_levels_outside_the_scale_are_refused(admin, make_cycle):
    cycle = make_cycle(2031, phase=Phase.SETUP)
    with pytest.raises(services.CycleError):
        services.create_criterion(admin, cycle, criterion_data(rubric={6: ("Too high", "")}))


def test_criteria_are_added_and_removed_only_in_setup(admin, make_cycle):
    cycle = make_cycle(2031, phase=Phase.NOMINATIONS_OPEN)
    with pytest.raises(services.CycleLocked):
        services.create_criterion(admin, cycle, criterion_data())
    with pytest.raises(services.CycleLocked):
        services.delete_criterion(admin, cycle.criteria[0])
    assert len(cycle.criteria) == 3


def test_update_criterion_syncs_the_rubric_and_records_what_changed(admin, make_cycle, audit_events):
    cycle = make_cycle(2031, phase=Phase.NOMINATIONS_OPEN)
    criterion = cycle.criteria[0]
    level_3 = (criterion.rubric_levels[1].text_en, criterion.rubric_levels[1].text_ja)
    assert criterion.rubric_levels[1].level == 3
    data = criterion_data(key=criterion.key, name_en=criterion.name_en, name_ja="事業関連性",
                          guidance_en=criterion.guidance_en, guidance_ja=criterion.guidance_ja,
                          weight=Decimal("1.00"),
                          rubric={1: ("", ""), 2: ("Some link.", "多少の関連。"),
                                  3: level_3,
                                  4: ("", ""), 5: ("Core.", "中核。")})
    changes = services.update_criterion(admin, criterion, data)
    assert set(changes) == {"name_ja", "rubric_levels"}  # 1.00 == 1: the weight did not change
    assert changes["rubric_levels"] == [1, 2, 5]
    db.session.flush()
    db.session.expire_all()
    rows = db.session.scalars(select(RubricLevel).where(RubricLevel.criterion_id == criterion.id)
                              .order_by(RubricLevel.level)).all()
    assert [(r.level, r.text_en, r.text_ja) for r in rows] == [
        (2, "Some link.", "多少の関連。"), (3, *level_3), (5, "Core.", "中核。")
    ]
    assert audit_events("criterion.updated", criterion.id)[0].details["changes"]["name_ja"] == ["事業との関連性", "事業関連性"]


def test_the_key_of_a_criterion_changes_only_in_setup(admin, make_cycle):
    cycle = make_cycle(2031, phase=Phase.NOMINATIONS_OPEN)
    criterion = cycle.criteria[0]
    with pytest.raises(services.CycleError) as refused:
        services.update_criterion(admin, criterion, criterion_data(key="renamed"))
    assert refused.value.field == "key"
    assert criterion.key == "business_relevance"
    # Without a key in the data (the form hides it) the rest can change.
    data = criterion_data(weight=Decimal("3"))
    del data["key"]
    services.update_criterion(admin, criterion, data)
    assert criterion.weight == Decimal("3") and criterion.key == "business_relevance"


def test_nothing_about_criteria_changes_once_judging_starts(admin, make_cycle):
    for phase in (Phase.JUDGING, Phase.FINALISED):
        cycle = make_cycle(2031 if phase == Phase.JUDGING else 2032, phase=phase)
        criterion = cycle.criteria[0]
        with pytest.raises(services.CycleLocked):
            services.update_criterion(admin, criterion, criterion_data(key=criterion.key, weight=Decimal("9")))
        with pytest.raises(services.CycleLocked):
            services.move_criterion(admin, criterion, 1)
        assert criterion.weight == Decimal("1")
        assert [c.key for c in cycle.criteria] == ["business_relevance", "sustainability", "novelty"]


def test_delete_criterion_closes_the_gap(admin, make_cycle, audit_events):
    cycle = make_cycle(2031, phase=Phase.SETUP)
    middle = cycle.criteria[1]
    middle_id = middle.id
    services.delete_criterion(admin, middle)
    db.session.expire_all()
    cycle = db.session.get(Cycle, cycle.id)
    assert [(c.key, c.position) for c in cycle.criteria] == [("business_relevance", 0), ("novelty", 1)]
    assert db.session.get(Criterion, middle_id) is None
    assert db.session.scalar(select(func.count()).select_from(RubricLevel)
                             .where(RubricLevel.criterion_id == middle_id)) == 0
    [event] = audit_events("criterion.deleted", middle_id)
    assert event.details["key"] == "sustainability"


def test_move_criterion_swaps_with_its_neighbour(admin, make_cycle, audit_events):
    cycle = make_cycle(2031, phase=Phase.NOMINATIONS_OPEN)
    last = cycle.criteria[2]
    assert services.move_criterion(admin, last, -1)
    assert services.move_criterion(admin, last, -1)
    assert not services.move_criterion(admin, last, -1)  # already first
    db.session.flush()
    db.session.expire_all()
    cycle = db.session.get(Cycle, cycle.id)
    assert [(c.key, c.position) for c in cycle.criteria] == [
        ("novelty", 0), ("business_relevance", 1), ("sustainability", 2)
    ]
    assert len(audit_events("criterion.moved")) == 2


# --- award categories --------------------------------------------------------------------------


def test_award_categories_follow_the_same_phase_rules(admin, make_cycle, audit_events):
    cycle = make_cycle(2031, phase=Phase.SETUP)
    data = {"key": "special", "name_en": "Special Prize", "name_ja": "特別賞", "region": Region.JAPAN}
    category = services.create_award_category(admin, cycle, data)
    assert category.position == 2
    with pytest.raises(services.CycleError) as refused:
        services.create_award_category(admin, cycle, dict(data, name_en="Other"))
    assert refused.value.field == "key"

    services.change_phase(admin, cycle, Phase.NOMINATIONS_OPEN)
    with pytest.raises(services.CycleLocked):
        services.create_award_category(admin, cycle, dict(data, key="another"))
    with pytest.raises(services.CycleLocked):
        services.delete_award_category(admin, category)
    with pytest.raises(services.CycleError):
        services.update_award_category(admin, category, dict(data, key="renamed"))
    services.update_award_category(admin, category, {"name_en": "Special Award", "name_ja": "特別賞",
                                                      "region": Region.OVERSEAS})
    assert (category.name_en, category.region) == ("Special Award", Region.OVERSEAS)
    [event] = audit_events("award_category.updated", category.id)
    assert event.details["changes"]["region"] == ["japan", "overseas"]

    services.change_phase(admin, cycle, Phase.JUDGING)
    with pytest.raises(services.CycleLocked):
        services.update_award_category(admin, category, {"name_en": "Late change"})
    assert category.name_en == "Special Award"


def test_delete_and_move_award_categories(admin, make_cycle, audit_events):
    cycle = make_cycle(2031, phase=Phase.SETUP)
    japan, overseas = cycle.award_categories
    assert services.move_award_category(admin, overseas, -1)
    assert [c.key for c in cycle.award_categories] == ["grand_overseas", "grand_japan"]
    japan_id = japan.id
    services.delete_award_category(admin, japan)
    db.session.expire_all()
    assert db.session.get(AwardCategory, japan_id) is None
    assert [(c.key, c.position) for c in db.session.get(Cycle, cycle.id).award_categories] == [("grand_overseas", 0)]
    assert audit_events("award_category.deleted", japan_id)[0].details["key"] == "grand_japan"


# --- queries -----------------------------------------------------------------------------------


def test_nomination_counts_by_status_for_several_cycles(make_cycle, make_site, make_nomination):
    first, second, empty = make_cycle(2031), make_cycle(2032), make_cycle(2033)
    site = make_site()
    make_nomination(first, site)
    make_nomination(first, site)
    make_nomination(first, site, status=NominationStatus.SUBMITTED)
    make_nomination(second, site, status=NominationStatus.WITHDRAWN)
    counts = count_nominations_by_status([first.id, second.id, empty.id])
    assert counts[first.id][NominationStatus.DRAFT] == 2
    assert counts[first.id][NominationStatus.SUBMITTED] == 1
    assert counts[first.id][NominationStatus.INELIGIBLE] == 0
    assert counts[second.id] == {
        NominationStatus.DRAFT: 0, NominationStatus.SUBMITTED: 0,
        NominationStatus.WITHDRAWN: 1, NominationStatus.INELIGIBLE: 0,
    }
    assert sum(counts[empty.id].values()) == 0
    assert count_nominations_by_status([]) == {}


def test_suggest_fiscal_year_skips_years_that_have_a_cycle(make_cycle):
    from datetime import date

    today = date(2012, 5, 1)  # FY2013
    assert suggest_fiscal_year(today) == 2013
    make_cycle(2013)
    make_cycle(2014)
    assert suggest_fiscal_year(today) == 2015
