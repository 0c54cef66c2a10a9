"""The results export: every figure of the ranking, the decisions, and enough to recompute the
ranking from the export alone (in both formats)."""
from __future__ import annotations

from statistics import fmean, pstdev

import pytest

from awards_app.core.enums import Region
from awards_app.exports.services import build_export
from awards_app.judging.queries import get_ranking

from .conftest import csv_records, open_workbook, read_zip, sheet_records

SHEETS = ["Ranking Japan", "Ranking Overseas", "Decisions", "Judges", "Sheets", "Criteria"]
CSV_FILES = {
    "Ranking Japan": "ranking-japan", "Ranking Overseas": "ranking-overseas", "Decisions": "decisions",
    "Judges": "judges", "Sheets": "sheets", "Criteria": "criteria",
}


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


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_ranking_recomputes_from_the_export_alone(world, fmt):
    """Only the exported sections are used here: weights and scale from Criteria, scores from Sheets,
    the judges' parameters from Judges; every exported figure must come out the same."""
    sections = results_as(fmt, world.cycle)
    criteria = sections["Criteria"]
    weights = {c["Criterion key"]: float(c["Weight"]) for c in criteria}
    low, high = criteria[0]["Lowest score"], criteria[0]["Highest score"]
    assert (low, high) == (1, 5)
    judges = {j["Judge ID"]: j for j in sections["Judges"]}

    # 1. Each sheet's weighted total from its scores and the weights.
    totals_by_judge: dict[int, list[float]] = {}
    scored = [s for s in sections["Sheets"] if s["Abstained"] == "No"]
    for sheet in scored:
        scores = {c["Criterion key"]: sheet[criterion_column("Score", c)] for c in criteria}
        total = sum(weights[k] * scores[k] for k in weights) / sum(weights.values())
        assert sheet["Weighted total"] == pytest.approx(total, abs=1e-12)
        totals_by_judge.setdefault(sheet["Judge ID"], []).append(total)

    # 2. Each judge's normalisation parameters from their totals.
    assert set(judges) == set(totals_by_judge)
    for judge_id, totals in totals_by_judge.items():
        assert judges[judge_id]["Scored sheets"] == len(totals)
        assert judges[judge_id]["Mean of weighted totals"] == pytest.approx(fmean(totals), abs=1e-12)
        assert judges[judge_id]["Standard deviation (population)"] == pytest.approx(pstdev(totals), abs=1e-12)

    def z(total, judge):
        if judge["Scored sheets"] < 2 or not judge["Standard deviation (population)"]:
            return 0.0
        return (total - judge["Mean of weighted totals"]) / judge["Standard deviation (population)"]

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
            totals = [s["Weighted total"] for s in sheets]
            mean = fmean(totals)
            assert row["Weighted mean (1–5)"] == pytest.approx(mean, abs=1e-12)
            assert row["Weighted mean (0–100)"] == pytest.approx((mean - low) / (high - low) * 100, abs=1e-9)
            assert row["Spread"] == pytest.approx(max(totals) - min(totals), abs=1e-12)
            for c in criteria:
                expected = fmean(s[criterion_column("Score", c)] for s in sheets)
                assert row[criterion_column("Mean", c)] == pytest.approx(expected, abs=1e-12)
            normalised = fmean(z(s["Weighted total"], judges[s["Judge ID"]]) for s in sheets)
            assert row["Normalised score"] == pytest.approx(normalised, abs=1e-9)
            for s in sheets:
                assert s["Z-score within the judge's sheets"] == pytest.approx(
                    z(s["Weighted total"], judges[s["Judge ID"]]), abs=1e-9)
            checked += 1
        # 4. The ranks: best weighted mean first, equal means share a rank.
        ranked = [r for r in rows if r["Rank"] is not None]
        means = [round(r["Weighted mean (1–5)"], 9) for r in ranked]
        assert means == sorted(means, reverse=True)
        for r in ranked:
            assert r["Rank"] == 1 + sum(1 for m in means if m > round(r["Weighted mean (1–5)"], 9))
            assert r["Tie"] == ("Yes" if means.count(round(r["Weighted mean (1–5)"], 9)) > 1 else "No")
    assert checked == 5  # beach, forest, river, school, garden


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
                assert exported["Weighted mean (1–5)"] == pytest.approx(row.weighted_mean, abs=1e-12)
                assert exported["Normalised score"] == pytest.approx(row.normalised, abs=1e-12)
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
