"""The results export: every figure of the ranking, the decisions, and enough to recompute the
ranking from the export alone (in both formats)."""
from __future__ import annotations

from statistics import NormalDist, fmean, pstdev

import numpy as np
import pytest

from awards_app.core.enums import Region
from awards_app.exports.services import build_export
from awards_app.judging.queries import get_ranking

from .conftest import csv_records, open_workbook, read_zip, sheet_records

SHEETS = ["Ranking Japan", "Ranking Overseas", "Decisions", "Judges", "Sheets", "Criteria", "Model", "What-if",
          "Revisions"]
CSV_FILES = {
    "Ranking Japan": "ranking-japan", "Ranking Overseas": "ranking-overseas", "Decisions": "decisions",
    "Judges": "judges", "Sheets": "sheets", "Criteria": "criteria", "Model": "model", "What-if": "what-if",
    "Revisions": "revisions",
}
Z90 = NormalDist().inv_cdf(0.95)  # a central 90 % interval is mean ± Z90 standard deviations
# How close a recomputed figure must come to the exported one: XLSX keeps full precision; CSV rounds
# half up to 4 decimals (so 5e-5, and a little for the float text).
TOLERANCE = {"xlsx": 1e-9, "csv": 5.0001e-5}


def results_as(fmt: str, cycle) -> dict[str, list[dict]]:
    """The results export read back: section title → records, numbers as numbers."""
    export = build_export(cycle, "results", fmt)
    data = b"".join(export.chunks)
    if fmt == "xlsx":
        workbook = open_workbook(data)
        assert workbook.sheetnames == SHEETS
        return {name: sheet_records(workbook[name]) for name in SHEETS}
    files = read_zip(data)
    assert sorted(files) == sorted(f"mdd-awards-FY2013-results-{key}.csv" for key in CSV_FILES.values())
    sections = {}
    for name, key in CSV_FILES.items():
        records = csv_records(files[f"mdd-awards-FY2013-results-{key}.csv"])
        sections[name] = [{k: _number(v) for k, v in record.items()} for record in records]
    return sections


def _number(text: str):
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def criterion_column(prefix: str, criterion: dict) -> str:
    return f"{prefix}: {criterion['Criterion (English)']} ({criterion['Criterion key']})"


def _model_settings(sections) -> dict:
    return {row["Key"]: row["Value"] for row in sections["Model"]}


def _recomputed_totals(sections) -> tuple[list[dict], dict[int, float]]:
    """The scored sheets, and each one's weighted total recomputed exactly from its scores and the
    criteria's weights (sheet id → total)."""
    criteria = sections["Criteria"]
    weights = {c["Criterion key"]: float(c["Weight"]) for c in criteria}
    scored = [s for s in sections["Sheets"] if s["Abstained"] == "No"]
    totals = {}
    for sheet in scored:
        scores = {c["Criterion key"]: sheet[criterion_column("Score", c)] for c in criteria}
        totals[sheet["Sheet ID"]] = sum(weights[k] * scores[k] for k in weights) / sum(weights.values())
    return scored, totals


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_ranking_recomputes_from_the_export_alone(world, fmt):
    """Only the exported sections are used here: weights and scale from Criteria, scores from Sheets,
    the judges' parameters from Judges; every exported figure must come out the same (within the
    CSV's 4 decimals)."""
    tolerance = TOLERANCE[fmt]
    sections = results_as(fmt, world.cycle)
    criteria = sections["Criteria"]
    low, high = criteria[0]["Lowest score"], criteria[0]["Highest score"]
    assert (low, high) == (1, 5)
    judges = {j["Judge ID"]: j for j in sections["Judges"]}

    # 1. Each sheet's weighted total from its scores and the weights.
    scored, exact = _recomputed_totals(sections)
    totals_by_judge: dict[int, list[float]] = {}
    for sheet in scored:
        assert sheet["Weighted total"] == pytest.approx(exact[sheet["Sheet ID"]], abs=tolerance)
        totals_by_judge.setdefault(sheet["Judge ID"], []).append(exact[sheet["Sheet ID"]])

    # 2. Each judge's normalisation parameters from their totals.
    assert set(judges) == set(totals_by_judge)
    stats = {judge_id: (fmean(totals), pstdev(totals), len(totals)) for judge_id, totals in totals_by_judge.items()}
    for judge_id, (mean, sd, count) in stats.items():
        assert judges[judge_id]["Scored sheets"] == count
        assert judges[judge_id]["Mean of weighted totals"] == pytest.approx(mean, abs=tolerance)
        assert judges[judge_id]["Standard deviation (population)"] == pytest.approx(sd, abs=tolerance)

    def z(total, judge_id):
        mean, sd, count = stats[judge_id]
        return 0.0 if count < 2 or sd < 1e-9 else (total - mean) / sd

    # 3. Every ranked nomination's figures from its sheets and its judges' parameters.
    checked = 0
    for region in ("Ranking Japan", "Ranking Overseas"):
        rows = sections[region]
        for row in rows:
            sheets = [s for s in scored if s["Nomination ID"] == row["Nomination ID"]]
            abstained = [s for s in sections["Sheets"]
                         if s["Nomination ID"] == row["Nomination ID"] and s["Abstained"] == "Yes"]
            assert row["Scored sheets"] == len(sheets)
            assert row["Abstentions"] == len(abstained)
            assert row["Reviews submitted"] == len(sheets) + len(abstained)
            if not sheets:
                assert row["Rank"] is None and row["Weighted mean (1–5)"] is None
                continue
            totals = [exact[s["Sheet ID"]] for s in sheets]
            mean = fmean(totals)
            assert row["Weighted mean (1–5)"] == pytest.approx(mean, abs=tolerance)
            assert row["Weighted mean (0–100)"] == pytest.approx((mean - low) / (high - low) * 100, abs=tolerance)
            assert row["Spread"] == pytest.approx(max(totals) - min(totals), abs=tolerance)
            for c in criteria:
                expected = fmean(s[criterion_column("Score", c)] for s in sheets)
                assert row[criterion_column("Mean", c)] == pytest.approx(expected, abs=tolerance)
            normalised = fmean(z(exact[s["Sheet ID"]], s["Judge ID"]) for s in sheets)
            assert row["Normalised score"] == pytest.approx(normalised, abs=tolerance)
            for s in sheets:
                assert s["Z-score within the judge's sheets"] == pytest.approx(
                    z(exact[s["Sheet ID"]], s["Judge ID"]), abs=tolerance)
            checked += 1
        # 4. The ranks follow the cycle's method (Model), best first; equal values share a rank.
        column = {"adjusted": "Adjusted score", "weighted": "Weighted mean (1–5)",
                  "normalised": "Normalised score"}[_model_settings(sections)["ranking_method"]]
        ranked = [r for r in rows if r["Rank"] is not None]
        values = [round(r[column], 4) for r in ranked]
        assert values == sorted(values, reverse=True)
        for r, value in zip(ranked, values, strict=True):
            assert r["Rank"] == 1 + sum(1 for v in values if v > value)
            assert r["Tie"] == ("Yes" if values.count(value) > 1 else "No")
    assert checked == 5  # beach, forest, river, school, garden


def _solve_mixed_model(scored, exact, settings):
    """Henderson's mixed-model equations, written out densely and independently of
    judging/model.py: y = μ + a_nomination + b_judge + e, with the exported spreads. Returns the
    nominations' and judges' index, the solution and its covariance."""
    nominations = sorted({s["Nomination ID"] for s in scored})
    judges = sorted({s["Judge ID"] for s in scored})
    na, nb = len(nominations), len(judges)
    design = np.zeros((len(scored), 1 + na + nb))
    y = np.zeros(len(scored))
    for k, sheet in enumerate(scored):
        design[k, 0] = 1
        design[k, 1 + nominations.index(sheet["Nomination ID"])] = 1
        design[k, 1 + na + judges.index(sheet["Judge ID"])] = 1
        y[k] = exact[sheet["Sheet ID"]]
    noise = settings["sigma_noise"] ** 2
    penalty = np.diag([0.0] + [noise / settings["sigma_nomination"] ** 2] * na
                      + [noise / settings["sigma_judge"] ** 2] * nb)
    coefficients = design.T @ design + penalty
    solution = np.linalg.solve(coefficients, design.T @ y)
    return nominations, judges, solution, noise * np.linalg.inv(coefficients)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_model_figures_recompute_from_the_export_alone(world, fmt):
    """Adjusted scores, intervals, severities, the spread after severity, the flags and P(top), from
    Sheets, Criteria and Model only. The spreads themselves come from REML (stated in Model); given
    them, everything else is a linear solve. From CSV the spreads carry 4 decimals, which moves the
    solution by well under 1e-3."""
    sections = results_as(fmt, world.cycle)
    settings = _model_settings(sections)
    assert settings["draws"] == 2000 and settings["interval"] == 0.9
    tolerance = TOLERANCE[fmt] if fmt == "xlsx" else 1e-3
    scored, exact = _recomputed_totals(sections)
    nominations, judges, solution, covariance = _solve_mixed_model(scored, exact, settings)
    na = len(nominations)
    assert settings["mu"] == pytest.approx(solution[0], abs=tolerance)
    severity = {judge_id: solution[1 + na + index] for index, judge_id in enumerate(judges)}
    for judge in sections["Judges"]:
        assert judge["Severity (model; negative: harsh)"] == pytest.approx(severity[judge["Judge ID"]], abs=tolerance)

    rng = np.random.default_rng(7)
    checked = 0
    for region in ("Ranking Japan", "Ranking Overseas"):
        rows = [row for row in sections[region] if row["Scored sheets"]]
        indexes = [nominations.index(row["Nomination ID"]) for row in rows]
        # μ + a_i for the region's nominations: mean and covariance.
        pick = np.zeros((len(rows), len(solution)))
        for k, index in enumerate(indexes):
            pick[k, 0] = pick[k, 1 + index] = 1
        mean, cov = pick @ solution, pick @ covariance @ pick.T
        draws = rng.multivariate_normal(mean, cov, size=40_000, method="cholesky")
        p_top = np.bincount(draws.argmax(axis=1), minlength=len(rows)) / len(draws)
        for k, row in enumerate(rows):
            sd = np.sqrt(cov[k, k])
            assert row["Adjusted score"] == pytest.approx(mean[k], abs=tolerance)
            assert row["Adjusted score, interval low (90%)"] == pytest.approx(mean[k] - Z90 * sd, abs=tolerance)
            assert row["Adjusted score, interval high (90%)"] == pytest.approx(mean[k] + Z90 * sd, abs=tolerance)
            # 2,000 seeded draws against 40,000 independent ones: within sampling error.
            assert row["Probability of being the top of the region"] == pytest.approx(p_top[k], abs=0.04)
            residuals = [exact[s["Sheet ID"]] - severity[s["Judge ID"]] for s in scored
                         if s["Nomination ID"] == row["Nomination ID"]]
            spread = max(residuals) - min(residuals)
            assert row["Spread after severity"] == pytest.approx(spread, abs=tolerance)
            threshold = settings["disagreement_threshold"]
            assert row["Disagreement"] == ("Yes" if spread >= threshold - 1e-9 else "No")
            assert row["Insufficient reviews"] == ("Yes" if row["Scored sheets"] < settings["minimum_reviews"] else "No")
            checked += 1
        assert sum(row["Probability of being the top of the region"] for row in rows) == pytest.approx(1, abs=1e-3)
    assert checked == 5


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_what_if_recomputes_from_the_export_alone(world, fmt):
    """Every weighted-mean scenario's proposal, recomputed from Sheets with the scenario's weights:
    the single top weighted mean among nominations with enough scored reviews."""
    sections = results_as(fmt, world.cycle)
    settings = _model_settings(sections)
    criteria = sections["Criteria"]
    scored = [s for s in sections["Sheets"] if s["Abstained"] == "No"]
    regions = {"grand_japan": "Ranking Japan", "grand_overseas": "Ranking Overseas"}
    rows = sections["What-if"]
    assert {row["Award category key"] for row in rows} == set(regions)
    checked = 0
    for key in regions:
        scenarios = [row for row in rows if row["Award category key"] == key]
        assert scenarios[0]["Scenario key"] == "cycle"
        robust = scenarios[0]["Proposed nomination ID"] is not None and all(
            row["Differs from the cycle's proposal"] == "No" for row in scenarios)
        assert {row["Robust"] for row in scenarios} == {"Yes" if robust else "No"}
    for row in rows:
        if row["Method"] != "Weighted mean":
            continue
        weights = {c["Criterion key"]: row[criterion_column("Weight", c)] for c in criteria}
        members = {r["Nomination ID"] for r in sections[regions[row["Award category key"]]]}
        means = {}
        for nomination_id in members:
            sheets = [s for s in scored if s["Nomination ID"] == nomination_id]
            if len(sheets) >= settings["minimum_reviews"]:
                means[nomination_id] = round(fmean(
                    sum(weights[c["Criterion key"]] * s[criterion_column("Score", c)] for c in criteria)
                    / sum(weights.values()) for s in sheets), 9)
        best = max(means.values())
        top = [nomination_id for nomination_id, mean in means.items() if mean == best]
        assert row["Proposed nomination ID"] == (top[0] if len(top) == 1 else None)
        checked += 1
    # Weighted mean with the cycle's weights, and with each of 3 weights halved and doubled.
    assert checked >= 2


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_ranking_sections_match_the_ranking_page(world, fmt):
    sections = results_as(fmt, world.cycle)
    for region, name in ((Region.JAPAN, "Ranking Japan"), (Region.OVERSEAS, "Ranking Overseas")):
        ranking = get_ranking(world.cycle, region)
        rows = sections[name]
        assert [r["Nomination ID"] for r in rows] == [r.nomination_id for r in ranking.rows]
        for exported, row in zip(rows, ranking.rows, strict=True):
            assert exported["Rank"] == row.rank
            assert exported["Judges assigned"] == row.assigned
            assert exported["Incomplete"] == ("Yes" if row.incomplete else "No")
            assert exported["Disagreement"] == ("Yes" if row.disagreement else "No")
            if row.weighted_mean is not None:
                assert exported["Weighted mean (1–5)"] == pytest.approx(row.weighted_mean, abs=TOLERANCE[fmt])
                assert exported["Normalised score"] == pytest.approx(row.normalised, abs=TOLERANCE[fmt])
                assert exported["Adjusted score"] == pytest.approx(row.adjusted, abs=TOLERANCE[fmt])
                assert exported["Probability of being the top of the region"] == pytest.approx(row.p_top,
                                                                                           abs=TOLERANCE[fmt])
                assert exported["Proposed"] == ("Yes" if row.nomination_id == ranking.proposal.nomination_id else "No")
    japan = {r["Nomination ID"]: r for r in sections["Ranking Japan"]}
    assert world.withdrawn.id not in {r["Nomination ID"] for r in sections["Ranking Overseas"]}
    assert world.draft.id not in japan
    assert japan[world.unscored.id]["Rank"] is None
    assert japan[world.unscored.id]["Incomplete"] == "Yes"
    assert japan[world.unscored.id]["Judges assigned"] == 1  # the conflict is not an assignment to review
    assert japan[world.forest.id]["Award"] == "Grand Award (Japan)"
    assert japan[world.beach.id]["Award"] is None
    assert japan[world.beach.id]["Title"] == "地元の学校と海岸清掃"
    assert japan[world.beach.id]["Site (Japanese)"] == "東京事業所"
    # Sheets: drafts and withdrawn nominations are not counted, abstentions are (flagged).
    sheet_nominations = {s["Nomination ID"] for s in sections["Sheets"]}
    assert world.withdrawn.id not in sheet_nominations
    assert len([s for s in sections["Sheets"] if s["Nomination ID"] == world.river.id]) == 1
    assert [s["Abstained"] for s in sections["Sheets"] if s["Nomination ID"] == world.forest.id].count("Yes") == 1


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_decisions_show_choice_proposal_reason_and_who(world, fmt):
    decisions = {d["Award category key"]: d for d in results_as(fmt, world.cycle)["Decisions"]}
    japan, overseas = decisions["grand_japan"], decisions["grand_overseas"]
    assert japan["Award"] == "Grand Award (Japan)"
    assert japan["Region"] == "Japan"
    assert japan["Chosen nomination ID"] == world.forest.id
    assert japan["Chosen nomination"] == "Forest walk"
    assert japan["Chosen site code"] == "OSAKA"
    assert japan["Proposed nomination ID"] == world.beach.id
    assert japan["Proposed nomination"] == "地元の学校と海岸清掃"
    assert japan["Rank of the proposed nomination"] == 1
    assert japan["Rank of the chosen nomination"] == 2
    assert japan["Differs from the proposal"] == "Yes"
    assert japan["Reason"] == "Longer-lasting partnership"
    assert japan["Decided by"] == "Ada Admin"
    assert japan["Decided by (e-mail)"] == "ada@example.com"
    assert overseas["Differs from the proposal"] == "No"
    assert overseas["Chosen nomination ID"] == overseas["Proposed nomination ID"] == world.school.id
    expected = world.now.replace(tzinfo=None, microsecond=0) - __import__("datetime").timedelta(hours=2)
    if fmt == "xlsx":
        assert japan["Decided at (UTC)"] == expected
    else:
        assert japan["Decided at (UTC)"] == expected.isoformat(sep=" ")


def test_undecided_category_is_listed_empty(world):
    from sqlalchemy import delete

    from awards_app.awards.models import AwardDecision
    from awards_app.extensions import db

    db.session.execute(delete(AwardDecision))
    db.session.commit()
    decisions = results_as("xlsx", world.cycle)["Decisions"]
    assert [d["Award category key"] for d in decisions] == ["grand_japan", "grand_overseas"]
    assert all(d["Decided"] == "No" and d["Chosen nomination ID"] is None for d in decisions)
    assert all(d["Differs from the proposal"] is None for d in decisions)


def test_results_of_an_empty_cycle_are_valid_files(make_cycle):
    cycle = make_cycle(2013)
    for fmt in ("xlsx", "csv"):
        sections = results_as(fmt, cycle)
        assert sections["Ranking Japan"] == [] and sections["Sheets"] == []
        assert len(sections["Criteria"]) == 3
