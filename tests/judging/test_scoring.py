"""Hand-worked examples for the ranking maths (see the docstring of awards_app.judging.scoring)."""
import pytest

from awards_app.judging.scoring import (
    Proposal,
    RankedNomination,
    SheetScores,
    judge_statistics,
    propose,
    rank_nominations,
    to_percent,
    weighted_total,
    z_score,
)

WEIGHTS = {1: 1.0, 2: 1.0, 3: 2.0}  # unequal: criterion 3 counts double


def sheet(judge, nomination, c1=None, c2=None, c3=None, abstained=False):
    scores = {} if abstained else {1: c1, 2: c2, 3: c3}
    return SheetScores(judge, nomination, scores, abstained)


def by_id(rows):
    return {row.nomination_id: row for row in rows}


def test_weighted_total_applies_unequal_weights():
    assert weighted_total({1: 5, 2: 5, 3: 4}, WEIGHTS) == pytest.approx(4.5)  # (5 + 5 + 2·4) / 4
    assert weighted_total({1: 2, 2: 2, 3: 1}, WEIGHTS) == pytest.approx(1.5)
    with pytest.raises(ValueError):
        weighted_total({1: 3}, {1: 0.0})


def test_percent_maps_the_scale_to_0_100():
    assert to_percent(1, 1, 5) == 0
    assert to_percent(5, 1, 5) == 100
    assert to_percent(4.25, 1, 5) == pytest.approx(81.25)


def test_two_judges_two_nominations_hand_worked():
    # Judge 10 (lenient): N1 → 4.5, N2 → 3.0.   Judge 20 (harsh): N1 → 4.0, N2 → 1.5.
    sheets = [
        sheet(10, 1, 5, 5, 4), sheet(10, 2, 3, 3, 3),
        sheet(20, 1, 4, 4, 4), sheet(20, 2, 2, 2, 1),
    ]
    rows, stats = rank_nominations(sheets, {1: 2, 2: 2}, WEIGHTS, (1, 5), disagreement_threshold=1.5)
    n1, n2 = by_id(rows)[1], by_id(rows)[2]
    assert n1.weighted_mean == pytest.approx(4.25) and n1.percent == pytest.approx(81.25)
    assert n2.weighted_mean == pytest.approx(2.25) and n2.percent == pytest.approx(31.25)
    assert n1.criterion_means == {1: pytest.approx(4.5), 2: pytest.approx(4.5), 3: pytest.approx(4.0)}
    # Judge 10: mean 3.75, SD 0.75 → z = ±1.  Judge 20: mean 2.75, SD 1.25 → z = ±1.
    assert stats[10].mean == pytest.approx(3.75) and stats[10].sd == pytest.approx(0.75)
    assert stats[20].mean == pytest.approx(2.75) and stats[20].sd == pytest.approx(1.25)
    assert n1.normalised == pytest.approx(1.0) and n2.normalised == pytest.approx(-1.0)
    assert n1.spread == pytest.approx(0.5) and n2.spread == pytest.approx(1.5)
    assert (n1.disagreement, n2.disagreement) == (False, True)  # spread ≥ threshold counts
    assert [r.nomination_id for r in rows] == [1, 2] and [r.rank for r in rows] == [1, 2]
    assert not n1.incomplete and not n1.tied


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    sheets = [sheet(1, 3, 3, 3, 3), sheet(1, 4, 3, 3, 3), sheet(1, 5, 2, 2, 2), sheet(1, 6, 5, 5, 5)]
    rows, _ = rank_nominations(sheets, {3: 1, 4: 1, 5: 1, 6: 1}, WEIGHTS, (1, 5), 2)
    assert [(r.nomination_id, r.rank, r.tied) for r in rows] == [(6, 1, False), (3, 2, True), (4, 2, True), (5, 4, False)]


def test_ties_survive_float_noise():
    # 0.1 + 0.2 style noise must not split a tie: (1·4 + 1·2 + 1·3)/3 vs (1·3 + 1·3 + 1·3)/3.
    weights = {1: 0.1, 2: 0.1, 3: 0.1}
    rows, _ = rank_nominations(
        [sheet(1, 1, 4, 2, 3), sheet(2, 2, 3, 3, 3)], {1: 1, 2: 1}, weights, (1, 5), 2
    )
    assert rows[0].rank == rows[1].rank == 1


def test_missing_reviews_and_unreviewed_nominations():
    sheets = [sheet(1, 7, 4, 4, 4)]
    rows, _ = rank_nominations(sheets, {7: 3, 8: 2}, WEIGHTS, (1, 5), 2)
    n7, n8 = by_id(rows)[7], by_id(rows)[8]
    assert n7.incomplete and n7.submitted == 1 and n7.assigned == 3 and n7.rank == 1
    assert n8.rank is None and n8.weighted_mean is None and n8.normalised is None and n8.incomplete
    assert rows[-1].nomination_id == 8  # unreviewed last


def test_abstention_counts_as_review_done_but_not_in_the_score():
    sheets = [sheet(1, 9, 4, 4, 4), sheet(2, 9, abstained=True)]
    rows, stats = rank_nominations(sheets, {9: 2}, WEIGHTS, (1, 5), 2)
    row = rows[0]
    assert row.abstentions == 1 and row.submitted == 1 and not row.incomplete
    assert row.weighted_mean == pytest.approx(4.0)
    assert 2 not in stats  # an abstaining judge has no total


def test_judge_with_equal_scores_or_one_sheet_contributes_zero():
    sheets = [
        sheet(1, 11, 3, 3, 3), sheet(1, 12, 3, 3, 3),  # judge 1: no spread
        sheet(2, 13, 5, 5, 5),  # judge 2: one sheet
    ]
    rows, stats = rank_nominations(sheets, {11: 1, 12: 1, 13: 1}, WEIGHTS, (1, 5), 2)
    assert stats[1].sd == 0 and stats[2].count == 1
    assert all(r.normalised == 0 for r in rows)
    assert z_score(4.0, stats[1]) == 0 and z_score(1.0, stats[2]) == 0


def test_sort_by_normalised_score_can_reverse_the_order():
    # Judge 1 is harsh and scores only N1; judge 2 is lenient and scores only N2 and N3.
    sheets = [
        sheet(1, 1, 3, 3, 3), sheet(1, 4, 1, 1, 1),   # judge 1: N1 is their best (z = +1)
        sheet(2, 2, 4, 4, 4), sheet(2, 3, 5, 5, 5),   # judge 2: N2 is their worst (z = -1)
    ]
    assigned = {1: 1, 2: 1, 3: 1, 4: 1}
    weighted, _ = rank_nominations(sheets, assigned, WEIGHTS, (1, 5), 2)
    normalised, _ = rank_nominations(sheets, assigned, WEIGHTS, (1, 5), 2, sort_by="normalised")
    assert [r.nomination_id for r in weighted] == [3, 2, 1, 4]
    assert [(r.nomination_id, r.rank) for r in normalised] == [(1, 1), (3, 1), (2, 3), (4, 3)]
    with pytest.raises(ValueError):
        rank_nominations(sheets, assigned, WEIGHTS, (1, 5), 2, sort_by="random")


def test_judge_statistics_for_leniency_panel():
    stats = judge_statistics({1: [2.0, 4.0], 2: []})
    assert (stats[1].count, stats[1].mean, stats[1].sd) == (2, 3.0, 1.0)
    assert stats[2].count == 0 and stats[2].mean is None


def test_sheets_outside_the_ranked_region_still_inform_judge_statistics():
    # Judge 1 scored N1 (ranked here, total 4) and N2 (other region, total 2): mean 3, SD 1 → N1 z = +1.
    sheets = [sheet(1, 1, 4, 4, 4), sheet(1, 2, 2, 2, 2)]
    rows, stats = rank_nominations(sheets, {1: 1}, WEIGHTS, (1, 5), 2)
    assert [r.nomination_id for r in rows] == [1]
    assert stats[1].count == 2 and rows[0].normalised == pytest.approx(1.0)


# --- the proposal: the single top of a ranking ----------------------------------------------------


def ranked(nomination_id: int, rank: int | None) -> RankedNomination:
    return RankedNomination(nomination_id, 2, 2, 0, None, None, {}, None, None, False, False, rank=rank)


def test_the_single_top_is_proposed():
    assert propose([ranked(7, 1), ranked(3, 2), ranked(9, 2)]) == Proposal(7)


def test_a_tie_at_the_top_proposes_nothing_and_names_the_tied():
    proposal = propose([ranked(7, 1), ranked(3, 1), ranked(9, 3)])
    assert proposal.nomination_id is None
    assert proposal.tied and proposal.tied_ids == (7, 3)


def test_nothing_ranked_proposes_nothing():
    proposal = propose([ranked(7, None), ranked(3, None)])
    assert proposal == Proposal(None) and not proposal.tied
    assert propose([]) == Proposal(None)
