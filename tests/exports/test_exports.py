"""The nominations and scores exports: complete rows, Japanese text, types, and no formulas."""
from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest

from awards_app.core.enums import NominationStatus
from awards_app.exports.services import build_export

from .conftest import (
    FORMULAS,
    JAPANESE_TITLE,
    csv_records,
    open_workbook,
    read_csv,
    sheet_records,
)


def export_bytes(cycle, kind, fmt) -> bytes:
    return b"".join(build_export(cycle, kind, fmt).chunks)


def records(cycle, kind, fmt) -> list[dict]:
    data = export_bytes(cycle, kind, fmt)
    if fmt == "csv":
        return csv_records(data)
    workbook = open_workbook(data)
    assert len(workbook.sheetnames) == 1
    return sheet_records(workbook.worksheets[0])


def test_nominations_csv_has_every_field(world):
    data = export_bytes(world.cycle, "nominations", "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = csv_records(data)
    assert len(rows) == 8  # drafts and withdrawn ones included
    by_id = {int(r["Nomination ID"]): r for r in rows}
    beach = by_id[world.beach.id]
    assert beach == beach | {
        "Cycle": "FY2013", "Site code": "TOKYO", "Site (English)": "Tokyo Works", "Site (Japanese)": "東京事業所",
        "Country code": "JP", "Country": "Japan", "Region": "Japan", "Status": "Submitted", "Language": "Japanese",
        "Title": JAPANESE_TITLE, "Title in the other language": "Beach clean-up with local schools",
        "MDD theme": "Nature", "Biodiversity preservation": "Yes",
        "Summary": "Employees and pupils cleaned the beach.", "Full description": "A long description of the activity.",
        "Start date": world.beach.start_date.isoformat(), "End date": world.beach.end_date.isoformat(),
        "Number of participants": "120", "Volunteer hours (total)": "360.5",
        "Partner organisations": "City of Example; Ocean NPO", "Outcomes and impact": "2 tonnes of litter collected.",
        "Statement: Business relevance (business_relevance)": "Statement on Business relevance.",
        "Statement: Sustainability (sustainability)": "Statement on Sustainability.",
        "Statement: Novelty of the plan (novelty)": "Statement on Novelty of the plan.",
        "Number of attachments": "2", "Created by": "Sana Submitter",
        "Submitted at (UTC)": world.beach.submitted_at.replace(microsecond=0, tzinfo=None).isoformat(sep=" "),
        "Withdrawn at (UTC)": "",
    }
    assert len(beach) == 33 and beach["Created at (UTC)"] and beach["Updated at (UTC)"]
    withdrawn = by_id[world.withdrawn.id]
    assert (withdrawn["Status"], withdrawn["Status reason"]) == ("Withdrawn", "Merged with the reading club")
    assert withdrawn["Region"] == "Overseas" and withdrawn["Country"] == "Germany"
    assert withdrawn["Withdrawn at (UTC)"] != ""
    assert by_id[world.draft.id]["Status"] == "Draft" and by_id[world.draft.id]["Submitted at (UTC)"] == ""
    assert by_id[world.river.id]["Number of attachments"] == "0"


def test_nominations_xlsx_types(world):
    workbook = open_workbook(export_bytes(world.cycle, "nominations", "xlsx"))
    assert workbook.sheetnames == ["Nominations"]
    sheet = workbook["Nominations"]
    header = [c.value for c in sheet[1]]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:AG{sheet.max_row}" and sheet.max_row == 9
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == world.beach.id)
    cell = dict(zip(header, row, strict=True))
    for name in ("Nomination ID", "Number of participants", "Volunteer hours (total)", "Number of attachments"):
        assert cell[name].data_type == "n", name
    assert cell["Volunteer hours (total)"].value == 360.5
    for name in ("Start date", "End date", "Submitted at (UTC)", "Created at (UTC)", "Updated at (UTC)"):
        assert cell[name].is_date, name
    assert cell["Start date"].value == datetime.combine(world.beach.start_date, datetime.min.time())
    assert cell["Submitted at (UTC)"].value == world.beach.submitted_at.replace(microsecond=0, tzinfo=None)
    assert cell["Title"].value == JAPANESE_TITLE and cell["Site (Japanese)"].value == "東京事業所"
    assert cell["Biodiversity preservation"].value == "Yes"
    widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
    assert all(6 <= w <= 60 for w in widths)


def test_scores_one_row_per_nomination_judge_and_criterion(world):
    rows = records(world.cycle, "scores", "csv")
    # 15 assignments (one a declared conflict, one not started) × 3 criteria.
    assert len(rows) == 15 * 3
    first = [r for r in rows if r["Nomination ID"] == str(world.beach.id) and r["Judge"] == "Judge 1"]
    assert [(r["Criterion key"], r["Score"], r["Comment"]) for r in first] == [
        ("business_relevance", "5", "素晴らしい"), ("sustainability", "4", ""), ("novelty", "4", "Fresh idea"),
    ]
    assert first[0] == first[0] | {
        "Title": JAPANESE_TITLE, "Judge's e-mail": "judge1@example.com", "Site code": "TOKYO",
        "Site (Japanese)": "東京事業所", "Region": "Japan", "Sheet status": "Submitted", "Abstained": "No",
        "Overall comment": "総合的に良い", "Criterion": "Business relevance", "Weight": "2.00",
        "Assignment": "Active", "Nomination status": "Submitted",
    }
    abstained = [r for r in rows if r["Nomination ID"] == str(world.forest.id) and r["Judge"] == "Judge 3"]
    assert {(r["Abstained"], r["Reason for abstaining"], r["Score"]) for r in abstained} == {
        ("Yes", "I know the team", "")}
    draft = [r for r in rows if r["Nomination ID"] == str(world.river.id) and r["Judge"] == "Judge 4"]
    assert {r["Sheet status"] for r in draft} == {"In progress"} and draft[0]["Submitted at (UTC)"] == ""
    not_started = [r for r in rows if r["Nomination ID"] == str(world.unscored.id) and r["Judge"] == "Judge 2"]
    assert {r["Sheet status"] for r in not_started} == {"Not started"}
    conflict = [r for r in rows if r["Nomination ID"] == str(world.unscored.id) and r["Judge"] == "Judge 4"]
    assert {(r["Assignment"], r["Conflict reason"]) for r in conflict} == {("Conflict declared", "My former team")}
    assert {r["Nomination status"] for r in rows if r["Nomination ID"] == str(world.withdrawn.id)} == {"Withdrawn"}


def test_scores_xlsx_types(world):
    workbook = open_workbook(export_bytes(world.cycle, "scores", "xlsx"))
    sheet = workbook["Scores"]
    header = [c.value for c in sheet[1]]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:AA{sheet.max_row}"  # 27 columns
    row = dict(zip(header, next(sheet.iter_rows(min_row=2)), strict=True))
    assert row["Score"].data_type == "n" and row["Weight"].data_type == "n"
    assert row["Round"].value == 1 and row["Round"].data_type == "n"  # every sheet says its round
    assert row["Submitted at (UTC)"].is_date
    assert row["Judge ID"].data_type == "n"


@pytest.fixture
def hostile(world, make_nomination, make_assignment, make_sheet):
    """Nominations titled, and judges' comments written, with each formula."""
    judge = world.judges[0]
    nominations = []
    for text in FORMULAS:
        nomination = make_nomination(world.cycle, world.sites[0], NominationStatus.SUBMITTED, title=text,
                                     title_other=text, summary=text)
        make_sheet(make_assignment(nomination, judge), [1, 2, 3], comments=[text, text, text], overall=text)
        nominations.append(nomination)
    return nominations


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formulas_are_neutralised_in_titles_and_comments(world, hostile, fmt):
    nominations = records(world.cycle, "nominations", fmt)
    scores = records(world.cycle, "scores", fmt)
    for nomination, text in zip(hostile, FORMULAS, strict=True):
        # XML (so XLSX) reads a bare CR as LF; the quote in front is what matters.
        expected = "'" + (text.replace("\r", "\n") if fmt == "xlsx" else text)
        row = next(r for r in nominations if int(r["Nomination ID"]) == nomination.id)
        assert row["Title"] == row["Title in the other language"] == row["Summary"] == expected
        comments = [r for r in scores if int(r["Nomination ID"]) == nomination.id]
        assert len(comments) == 3
        assert {r["Comment"] for r in comments} == {r["Overall comment"] for r in comments} == {expected}
        assert {r["Title"] for r in comments} == {expected}


def test_no_formula_reaches_a_worksheet(world, hostile):
    for kind in ("nominations", "scores", "results"):
        data = export_bytes(world.cycle, kind, "xlsx")
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/"):
                    xml = archive.read(name).decode()
                    assert "<f>" not in xml and "<f " not in xml, (kind, name)
        workbook = open_workbook(data)
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (kind, sheet.title, cell.coordinate)
                    if isinstance(cell.value, str):
                        normalised = unicodedata.normalize("NFKC", cell.value)
                        assert not normalised.startswith(("=", "+", "-", "@", "\t", "\r", "\n")), cell.value


def test_results_keep_negative_figures_as_numbers(world, hostile):
    """The hostile nominations' titles are neutralised in the ranking, while their negative
    normalised scores stay numbers (cells in XLSX, plain -0.5-style text in CSV)."""
    workbook = open_workbook(export_bytes(world.cycle, "results", "xlsx"))
    ranking = sheet_records(workbook["Ranking Japan"])
    negative = [r for r in ranking if isinstance(r["Normalised score"], float) and r["Normalised score"] < 0]
    assert negative
    hostile_titles = {r["Title"] for r in ranking if r["Nomination ID"] in {n.id for n in hostile}}
    assert hostile_titles == {"'" + t.replace("\r", "\n") for t in FORMULAS}
    sheet = workbook["Ranking Japan"]
    column = [c.value for c in sheet[1]].index("Normalised score")
    cells = [row[column] for row in sheet.iter_rows(min_row=2) if row[column].value is not None]
    assert all(c.data_type == "n" for c in cells) and any(c.value < 0 for c in cells)
    with zipfile.ZipFile(io.BytesIO(export_bytes(world.cycle, "results", "csv"))) as archive:
        rows = read_csv(archive.read("mdd-awards-FY2013-results-ranking-japan.csv"))
    index = rows[0].index("Normalised score")
    texts = [r[index] for r in rows[1:] if r[index]]
    assert any(t.startswith("-") for t in texts)
    assert all(float(t) == float(t.lstrip("'")) and not t.startswith("'") for t in texts)


def test_decimal_and_date_values_round_trip(world):
    row = next(r for r in records(world.cycle, "nominations", "xlsx") if r["Nomination ID"] == world.beach.id)
    assert Decimal(str(row["Volunteer hours (total)"])) == world.beach.volunteer_hours
    assert row["Start date"].date() == world.beach.start_date
    assert isinstance(world.beach.start_date, date)
