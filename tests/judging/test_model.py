"""The judge-severity model (awards_app/judging/model.py): hand-worked cases, the degenerate ones,
and properties (hypothesis)."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awards_app.judging import model
from awards_app.judging.model import Reading, fit, fit_cached

SCALE = (1, 5)


def _fit(readings, groups=None, **kwargs):
    groups = groups or {"japan": sorted({r.nomination_id for r in readings})}
    return fit(readings, groups, SCALE, **kwargs)


def _finite(result) -> bool:
    values = [result.mu, result.sigma_nomination, result.sigma_judge, result.sigma_noise,
              *result.severity.values()]
    for estimate in result.nominations.values():
        values += [estimate.adjusted, estimate.low, estimate.high, estimate.p_top, estimate.residual_spread]
    return all(math.isfinite(value) for value in values)


def test_the_worked_example_of_the_docstring():
    """Hana (1) is harsh, Ren (2) lenient; nomination 12 drew only Hana."""
    readings = [Reading(1, 10, 2), Reading(1, 11, 3), Reading(2, 10, 4), Reading(2, 11, 5), Reading(1, 12, 3)]
    result = _fit(readings)
    assert result.method == "reml"
    assert result.severity[1] == pytest.approx(-1, abs=0.01) and result.severity[2] == pytest.approx(1, abs=0.01)
    adjusted = {nid: e.adjusted for nid, e in result.nominations.items()}
    assert adjusted[10] == pytest.approx(3.0, abs=0.01)
    assert adjusted[11] == pytest.approx(4.0, abs=0.01)
    # The lone sheet of 3 from the harsh judge reads as about 4: level with nomination 11.
    assert adjusted[12] == pytest.approx(4.0, abs=0.01)
    estimate = result.nominations[12]
    assert estimate.low < estimate.adjusted < estimate.high
    assert sum(e.p_top for e in result.nominations.values()) == pytest.approx(1)
    assert result.nominations[10].p_top == 0
    assert result.nominations[11].p_top == pytest.approx(0.5, abs=0.05)


def test_a_balanced_complete_design_keeps_the_raw_order():
    scores = {10: [4, 5, 4], 11: [3, 4, 3], 12: [2, 3, 3], 13: [5, 5, 4]}
    readings = [Reading(judge, nid, value) for nid, values in scores.items() for judge, value in enumerate(values)]
    result = _fit(readings)
    raw = sorted(scores, key=lambda nid: -sum(scores[nid]))
    assert sorted(result.nominations, key=lambda nid: -result.nominations[nid].adjusted) == raw


def test_a_harsh_judges_nominations_move_up_by_about_the_severity():
    """Eight nominations of true quality 1.5 … 5; four judges, two per nomination in a ring; judge 0
    gives one point less than the truth, the others score it exactly."""
    truth = {nid: 1.5 + 0.5 * nid for nid in range(8)}
    readings = []
    for nid, quality in truth.items():
        for judge in (nid % 4, (nid + 1) % 4):
            readings.append(Reading(judge, nid, quality - (1.0 if judge == 0 else 0.0)))
    result = _fit(readings)
    assert result.severity[0] == pytest.approx(-0.75, abs=0.15)  # the harsh judge, against the others
    for nid, quality in truth.items():
        raw = sum(r.total for r in readings if r.nomination_id == nid) / 2
        seen_by_harsh = any(r.judge_id == 0 and r.nomination_id == nid for r in readings)
        moved = result.nominations[nid].adjusted - raw
        others = [result.nominations[n].adjusted - sum(r.total for r in readings if r.nomination_id == n) / 2
                  for n in truth if not any(r.judge_id == 0 and r.nomination_id == n for r in readings)]
        if seen_by_harsh:
            # Half the severity (one of two sheets) more than the nominations the harsh judge did not see.
            assert moved - sum(others) / len(others) == pytest.approx(0.5, abs=0.15)
    ranking = sorted(truth, key=lambda nid: -result.nominations[nid].adjusted)
    assert ranking == sorted(truth, key=lambda nid: -truth[nid])


def test_the_same_data_give_the_same_figures():
    readings = [Reading(j, n, (n * 7 + j * 3) % 5 + 1) for n in range(6) for j in range(3) if (n + j) % 3]
    assert _fit(readings) == _fit(readings)


@pytest.mark.parametrize("readings", [
    [],  # zero sheets
    [Reading(1, 10, 4)],  # one sheet
    [Reading(1, 10, 4), Reading(1, 11, 2), Reading(1, 12, 5)],  # one judge
    [Reading(j, n, 3) for n in range(4) for j in range(3)],  # every judge constant, all equal
    [Reading(1, 10, 3), Reading(2, 10, 3), Reading(1, 11, 3), Reading(2, 11, 3)],  # a perfect tie
    [Reading(1, 10, 5), Reading(2, 11, 1)],  # two judges who never meet
], ids=["zero sheets", "one sheet", "one judge", "all constant", "perfect tie", "no overlap"])
def test_degenerate_cases_give_figures_never_nan(readings):
    result = _fit(readings, {"japan": [10, 11, 12, 0, 1, 2, 3]})
    assert _finite(result)
    if readings:
        assert sum(e.p_top for e in result.nominations.values()) == pytest.approx(1)
        for estimate in result.nominations.values():
            assert estimate.low <= estimate.adjusted <= estimate.high


def test_all_equal_nominations_share_the_probability():
    result = _fit([Reading(j, n, 3) for n in range(4) for j in range(3)])
    assert result.method == "prior"
    assert [round(e.p_top, 1) for e in result.nominations.values()] == [0.2, 0.2, 0.3, 0.3] or \
        all(0.15 < e.p_top < 0.35 for e in result.nominations.values())
    assert len({round(e.adjusted, 9) for e in result.nominations.values()}) == 1


def test_a_nomination_without_scored_sheets_gets_no_estimate():
    result = _fit([Reading(1, 10, 4), Reading(2, 10, 5)], {"japan": [10, 11]})
    assert set(result.nominations) == {10}
    assert result.nominations[10].p_top == 1


def test_disconnected_panels_are_named():
    readings = [Reading(1, 10, 4), Reading(2, 10, 3), Reading(1, 11, 2), Reading(2, 11, 3),
                Reading(3, 12, 5), Reading(4, 12, 4), Reading(3, 13, 2), Reading(4, 13, 1)]
    result = _fit(readings, {"japan": [10, 11, 12, 13], "overseas": []})
    assert result.disconnected("japan") and not result.disconnected("overseas")
    assert result.components["japan"] == [[10, 11], [12, 13]]
    assert result.component_judges["japan"] == [[1, 2], [3, 4]]
    assert _finite(result)


def test_a_judge_on_both_panels_connects_them():
    readings = [Reading(1, 10, 4), Reading(2, 10, 3), Reading(2, 20, 2), Reading(3, 20, 5)]
    result = _fit(readings, {"japan": [10], "overseas": [20]})
    assert not result.disconnected("japan") and not result.disconnected("overseas")


def test_disagreement_is_measured_after_severity():
    """Judge 1 is two points harsher than judge 2 everywhere: the totals are 2 apart, the
    residuals agree."""
    readings = [Reading(1, n, 2 + n * 0.5) for n in range(4)] + [Reading(2, n, 4 + n * 0.5) for n in range(4)]
    result = _fit(readings)
    assert all(e.residual_spread < 0.1 for e in result.nominations.values())


def test_the_cache_answers_the_same_input_once_and_a_change_refits(monkeypatch):
    calls = []
    real = model.fit
    monkeypatch.setattr(model, "fit", lambda *args, **kwargs: calls.append(1) or real(*args, **kwargs))
    model._cache.clear()
    readings = [Reading(1, 10, 4), Reading(2, 10, 3), Reading(1, 11, 2)]
    first = fit_cached(readings, {"japan": [10, 11]}, SCALE)
    assert fit_cached(list(reversed(readings)), {"japan": [11, 10]}, SCALE) is first
    changed = fit_cached([Reading(1, 10, 4), Reading(2, 10, 3), Reading(1, 11, 3)], {"japan": [10, 11]}, SCALE)
    assert changed is not first and len(calls) == 2


# --- properties ------------------------------------------------------------------------------------

totals = st.integers(min_value=2, max_value=10).map(lambda half_points: half_points / 2)  # 1.0 … 5.0


@st.composite
def complete_designs(draw):
    """Every judge scores every nomination (2–6 nominations, 1–4 judges)."""
    nominations = draw(st.integers(min_value=2, max_value=6))
    judges = draw(st.integers(min_value=1, max_value=4))
    return [Reading(judge, 100 + nid, draw(totals)) for nid in range(nominations) for judge in range(judges)]


@st.composite
def designs(draw):
    """Any design: each nomination scored by a non-empty subset of 1–5 judges."""
    nominations = draw(st.integers(min_value=1, max_value=6))
    judges = draw(st.integers(min_value=1, max_value=5))
    readings = []
    for nid in range(nominations):
        panel = draw(st.sets(st.integers(min_value=0, max_value=judges - 1), min_size=1))
        readings += [Reading(judge, 100 + nid, draw(totals)) for judge in sorted(panel)]
    return readings


def _centred(result) -> dict[int, float]:
    values = {nid: e.adjusted for nid, e in result.nominations.items()}
    mean = sum(values.values()) / len(values)
    return {nid: value - mean for nid, value in values.items()}


@settings(max_examples=60, deadline=None)
@given(complete_designs(), st.floats(min_value=-2, max_value=2), st.data())
def test_a_constant_added_to_one_judge_of_a_complete_panel_never_changes_the_order(readings, shift, data):
    """Every judge scored every nomination: each adjusted score, centred, is one common factor
    (the shrinkage) times the nomination's centred mean, and a constant added to one judge moves
    every mean alike. So the comparisons keep their order; only the common factor may change, as
    REML re-estimates the spreads (in a tiny cycle it can shrink every difference to almost 0 or
    widen them: 2 judges × 4 nominations, +0.5 to one judge, moved a centred score by 0.27)."""
    judge = data.draw(st.sampled_from(sorted({r.judge_id for r in readings})))
    shifted = [Reading(r.judge_id, r.nomination_id, r.total + (shift if r.judge_id == judge else 0.0))
               for r in readings]
    before, after = _centred(_fit(readings, draws=200)), _centred(_fit(shifted, draws=200))
    norm = sum(value * value for value in before.values())
    if norm < 1e-12:  # every nomination alike: they stay alike
        assert all(abs(value) < 1e-6 for value in after.values())
        return
    factor = sum(after[nid] * before[nid] for nid in before) / norm
    assert factor >= -1e-9
    assert all(abs(after[nid] - factor * before[nid]) <= 1e-6 for nid in before)


def test_a_constant_added_to_one_judge_of_a_real_panel_is_absorbed_by_the_severity():
    """60 nominations, 12 judges, 3 per nomination, judges differing: a judge made 1 point
    harsher is seen as such, and the comparisons move by at most a few hundredths."""
    import numpy as np

    rng = np.random.default_rng(3)
    quality, severity = rng.normal(3, 0.6, 60), rng.normal(0, 0.4, 12)
    readings = [Reading(int(j), nid, float(quality[nid] + severity[j] + rng.normal(0, 0.3)))
                for nid in range(60) for j in rng.choice(12, 3, replace=False)]
    harsh = readings[0].judge_id
    shifted = [Reading(r.judge_id, r.nomination_id, r.total - (1.0 if r.judge_id == harsh else 0)) for r in readings]
    before, after = _fit(readings), _fit(shifted)
    assert after.severity[harsh] - before.severity[harsh] == pytest.approx(-1.0, abs=0.1)
    centred_before, centred_after = _centred(before), _centred(after)
    assert max(abs(centred_after[n] - centred_before[n]) for n in centred_before) < 0.1


@settings(max_examples=60, deadline=None)
@given(designs(), st.randoms(use_true_random=False))
def test_relabelling_judges_changes_nothing(readings, random):
    ids = sorted({r.judge_id for r in readings})
    labels = dict(zip(ids, random.sample(range(1000, 2000), len(ids)), strict=True))
    relabelled = [Reading(labels[r.judge_id], r.nomination_id, r.total) for r in readings]
    before, after = _fit(readings), _fit(relabelled)
    for nid, estimate in before.nominations.items():
        other = after.nominations[nid]
        assert other.adjusted == pytest.approx(estimate.adjusted, abs=1e-6)
        assert (other.low, other.high) == pytest.approx((estimate.low, estimate.high), abs=1e-6)
        assert other.p_top == pytest.approx(estimate.p_top, abs=0.06)  # 2,000 draws: a few hundredths
    assert {labels[j]: s for j, s in before.severity.items()} == pytest.approx(after.severity, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(designs(), st.integers(min_value=0, max_value=6))
def test_the_regions_p_top_add_up_to_one(readings, split):
    nominations = sorted({r.nomination_id for r in readings})
    groups = {"japan": nominations[:split], "overseas": nominations[split:]}
    result = fit(readings, groups, SCALE)
    assert _finite(result)
    for members in groups.values():
        if members:
            assert sum(result.nominations[nid].p_top for nid in members) == pytest.approx(1, abs=1e-9)
