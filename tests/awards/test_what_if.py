"""What-if: the proposal under each other method and weight change, on the awards page, in
`flask ranking --what-if` and (recomputed) in the results export (tests/exports/test_results.py)."""
from __future__ import annotations

import json

import pytest

from awards_app.core.enums import RankingMethod, Region
from awards_app.extensions import db
from awards_app.judging.queries import get_ranking
from awards_app.judging.whatif import get_what_if, weight_changes
from core.support import Page


@pytest.fixture
def fragile(world, entry):
    """Japan, equal weights, weighted mean: Tokyo scores high on business and sustainability,
    Osaka on novelty. Tokyo 11/3 against Osaka 10/3; halving business or sustainability ties
    them (3.4 each); doubling novelty puts Osaka ahead (3.5 against 3.0)."""
    world.cycle.ranking_method = RankingMethod.WEIGHTED
    db.session.commit()
    return (entry(world.site_a, "Tokyo bay clean-up", [5, 5, 1], [5, 5, 1]),
            entry(world.site_c, "Osaka forest school", [3, 3, 4], [3, 3, 4]))


def _what_if(world, region=Region.JAPAN):
    return get_what_if(world.cycle, get_ranking(world.cycle, region))


def test_weight_changes_halve_and_double_each_weight_then_equal():
    changes = weight_changes({"a": 2.0, "b": 1.0})
    assert [(change, key) for change, key, _ in changes] == [
        ("half", "a"), ("double", "a"), ("half", "b"), ("double", "b"), ("equal", None)]
    assert changes[1][2] == {"a": 4.0, "b": 1.0} and changes[-1][2] == {"a": 1.0, "b": 1.0}
    # Weights already equal: the equal-weights scenario would repeat the cycle's.
    assert [change for change, _, _ in weight_changes({"a": 1.0, "b": 1.0})] == ["half", "double", "half", "double"]


def test_a_proposal_that_depends_on_the_weights_is_not_robust(world, fragile):
    tokyo, osaka = fragile
    what_if = _what_if(world)
    winners = {s.code: s.winner_id for s in what_if.scenarios}
    assert winners == {
        "cycle": tokyo.id, "method:adjusted": tokyo.id, "method:normalised": tokyo.id,
        "half:business_relevance": None, "double:business_relevance": tokyo.id,
        "half:sustainability": None, "double:sustainability": tokyo.id,
        "half:novelty": tokyo.id, "double:novelty": osaka.id,
    }
    assert not what_if.robust
    assert [s.code for s in what_if.alternatives] == ["half:business_relevance", "half:sustainability",
                                                      "double:novelty"]
    tie = next(s for s in what_if.scenarios if s.code == "half:sustainability")
    assert set(tie.proposal.tied_ids) == {tokyo.id, osaka.id}
    assert next(s for s in what_if.scenarios if s.code == "double:novelty").weights == {
        "business_relevance": 1.0, "sustainability": 1.0, "novelty": 2.0}


def test_a_clear_winner_is_robust(world, contest):
    what_if = _what_if(world)
    assert what_if.robust and {s.winner_id for s in what_if.scenarios} == {contest.tokyo.id}
    assert len(what_if.scenarios) == 3 + 6  # three methods; each of three weights halved and doubled


def test_a_region_without_scores_proposes_nothing_anywhere(world, fragile):
    what_if = _what_if(world, Region.OVERSEAS)
    assert what_if.baseline.winner_id is None and not what_if.robust
    assert all(s.winner_id is None and not s.proposal.tied for s in what_if.scenarios)


def test_the_awards_page_says_robust_or_names_the_alternatives(client, login, world, fragile):
    tokyo, osaka = fragile
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/awards"))
    japan = page.by_id("what-if-grand_japan")
    assert japan.get("data-robust") == "no"
    text = " ".join(japan.text.split())
    assert "not robust" in text and "Another proposal in 3 of 9 scenarios:" in text
    assert "Weight of “Novelty of the plan” doubled → Osaka forest school" in text or \
        "doubled → Osaka forest school" in text
    assert "halved → tie: Tokyo bay clean-up, Osaka forest school" in text
    rows = {row.get("data-scenario"): row for row in page.find_all("tr") if row.get("data-scenario")}
    assert rows["double:novelty"].get("class") == "table-warning"
    assert "class" not in rows["cycle"].attrs
    assert page.find("td", data_winner=str(osaka.id)) is not None
    # The overseas award has nothing scored: no what-if to show.
    assert page.by_id("what-if-grand_overseas") is None


def test_the_awards_page_says_robust_in_japanese(client, login, world, contest):
    world.admin.locale = "ja"
    db.session.commit()
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/awards"))
    japan = page.by_id("what-if-grand_japan")
    assert japan.get("data-robust") == "yes"
    assert "頑健" in japan.text and "「Tokyo bay clean-up」が候補です" in japan.text


def test_the_command_prints_the_what_if_as_json(runner, world, fragile):
    tokyo, osaka = fragile
    result = runner.invoke(args=["ranking", "--cycle", world.cycle.label, "--region", "japan", "--what-if",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert len(records) == 9 and all(r["category"] == "grand_japan" for r in records)
    assert all({"category", "method", "weights", "winner_nomination_id"} <= set(r) for r in records)
    by_code = {r["scenario"]: r for r in records}
    assert by_code["cycle"] == {
        "category": "grand_japan", "scenario": "cycle", "method": "weighted",
        "weights": {"business_relevance": 1.0, "sustainability": 1.0, "novelty": 1.0},
        "winner_nomination_id": tokyo.id, "tied_nomination_ids": [], "robust": False}
    assert by_code["double:novelty"]["winner_nomination_id"] == osaka.id
    assert by_code["half:novelty"]["weights"]["novelty"] == 0.5
    assert by_code["half:sustainability"]["winner_nomination_id"] is None
    assert sorted(by_code["half:sustainability"]["tied_nomination_ids"]) == sorted([tokyo.id, osaka.id])


def test_the_command_prints_a_what_if_table(runner, world, contest):
    result = runner.invoke(args=["ranking", "--cycle", world.cycle.label, "--region", "japan", "--what-if"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["category", "scenario", "method"]
    assert lines[-1] == "grand_japan: robust"
