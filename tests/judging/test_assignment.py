from hypothesis import given, settings
from hypothesis import strategies as st

from awards_app.judging.assignment import NominationSlot, PanelJudge, plan_assignments

JAPAN, OVERSEAS = "japan", "overseas"


def judge(judge_id, sites=(), regions=(JAPAN,)):
    return PanelJudge(judge_id, frozenset(sites), frozenset(regions))


def loads(plan, existing=None):
    counts = {}
    for judge_ids in (existing or {}).values():
        for j in judge_ids:
            counts[j] = counts.get(j, 0) + 1
    for _, j in plan.new:
        counts[j] = counts.get(j, 0) + 1
    return counts


def test_balanced_without_conflicts():
    noms = [NominationSlot(n, site_id=100 + n, region=JAPAN) for n in range(1, 11)]
    judges = [judge(j) for j in range(1, 8)]
    plan = plan_assignments(noms, judges, {}, {}, per_nomination=3)
    assert len(plan.new) == 30 and plan.shortages == []
    counts = loads(plan)
    assert max(counts.values()) - min(counts.values()) <= 1
    for n in range(1, 11):
        assert len({j for nid, j in plan.new if nid == n}) == 3  # three distinct judges


def test_never_assigns_a_judge_from_the_nominating_site_and_respects_region():
    noms = [NominationSlot(1, site_id=5, region=JAPAN), NominationSlot(2, site_id=6, region=OVERSEAS)]
    judges = [judge(1, sites=[5]), judge(2), judge(3), judge(4, regions=[OVERSEAS]), judge(5, regions=[JAPAN, OVERSEAS])]
    plan = plan_assignments(noms, judges, {}, {}, per_nomination=2)
    pairs = set(plan.new)
    assert (1, 1) not in pairs
    assert {j for n, j in pairs if n == 2} == {4, 5}
    assert {j for n, j in pairs if n == 1} <= {2, 3, 5}


def test_rerun_keeps_existing_and_fills_only_gaps():
    noms = [NominationSlot(1, 10, JAPAN), NominationSlot(2, 11, JAPAN)]
    judges = [judge(j) for j in range(1, 5)]
    existing = {1: {1, 2, 3}, 2: {1}}
    plan = plan_assignments(noms, judges, existing, {}, per_nomination=3)
    # Loads before: judge 1 → 2, judges 2 and 3 → 1, judge 4 → 0; nomination 2 lacks two judges.
    assert plan.new == [(2, 2), (2, 4)]  # least loaded first, ties by id
    again = plan_assignments(noms, judges, {1: {1, 2, 3}, 2: {1} | {j for _, j in plan.new}}, {}, 3)
    assert again.new == [] and again.shortages == []


def test_declared_conflicts_are_excluded_and_shortages_explained():
    noms = [NominationSlot(1, site_id=9, region=JAPAN)]
    judges = [judge(1, sites=[9]), judge(2), judge(3)]
    plan = plan_assignments(noms, judges, {}, {1: {3}}, per_nomination=3)
    assert plan.new == [(1, 2)]
    [shortage] = plan.shortages
    assert (shortage.needed, shortage.assigned, shortage.panel_size, shortage.conflicted) == (3, 1, 3, 2)


@settings(max_examples=150, deadline=None)
@given(
    sites=st.integers(min_value=1, max_value=6),
    memberships=st.lists(st.lists(st.integers(0, 5), max_size=2), min_size=1, max_size=12),
    nomination_sites=st.lists(st.integers(0, 5), min_size=1, max_size=25),
    per_nomination=st.integers(1, 4),
)
def test_property_no_conflict_ever_and_every_gap_filled_when_possible(sites, memberships, nomination_sites, per_nomination):
    judges = [judge(i + 1, sites=[s % sites for s in member]) for i, member in enumerate(memberships)]
    noms = [NominationSlot(n + 1, site_id=s % sites, region=JAPAN) for n, s in enumerate(nomination_sites)]
    plan = plan_assignments(noms, judges, {}, {}, per_nomination)
    by_judge = {j.judge_id: j for j in judges}
    site_of = {n.nomination_id: n.site_id for n in noms}
    assert len(set(plan.new)) == len(plan.new)
    for nomination_id, judge_id in plan.new:
        assert site_of[nomination_id] not in by_judge[judge_id].site_ids
    short = {s.nomination_id for s in plan.shortages}
    for n in noms:
        eligible = sum(1 for j in judges if n.site_id not in j.site_ids)
        got = sum(1 for nid, _ in plan.new if nid == n.nomination_id)
        assert got == min(per_nomination, eligible)
        assert (n.nomination_id in short) == (eligible < per_nomination)


@settings(max_examples=100, deadline=None)
@given(judges_count=st.integers(1, 15), nominations=st.integers(1, 40), per_nomination=st.integers(1, 4))
def test_property_balanced_within_one_when_unconstrained(judges_count, nominations, per_nomination):
    judges = [judge(j) for j in range(1, judges_count + 1)]
    noms = [NominationSlot(n, site_id=1000 + n, region=JAPAN) for n in range(1, nominations + 1)]
    plan = plan_assignments(noms, judges, {}, {}, per_nomination)
    counts = loads(plan)
    values = [counts.get(j.judge_id, 0) for j in judges]
    assert max(values) - min(values) <= 1
