"""The one writer module: how a value becomes a CSV field or a worksheet cell."""
from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from awards_app.exports.writers import (
    Column,
    Table,
    csv_text,
    iter_csv,
    neutralise,
    sheet_title,
    write_csv,
    write_csv_zip,
    write_xlsx,
)

from .conftest import COMPATIBILITY_FORMULAS, FORMULAS, open_workbook, read_csv

LABELS = ("Yes", "No")


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_text_gets_a_leading_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["plain", "", " =1", "1+1", "'=1", "地元の学校", "a=b", "-"[1:]])
def test_harmless_text_is_unchanged(text):
    assert neutralise(text) == text


@pytest.mark.parametrize("text", COMPATIBILITY_FORMULAS)
def test_compatibility_forms_of_formulas_are_neutralised_in_csv_and_xlsx(text):
    assert unicodedata.normalize("NFKC", text)[0] in "=+-@"  # what makes it dangerous
    table = Table("t", "T", [Column(text)], [[text]])
    assert read_csv(write_csv(table, LABELS)) == [["'" + text], ["'" + text]]
    sheet = open_workbook(write_xlsx([table], LABELS))["T"]
    assert [sheet["A1"].value, sheet["A2"].value] == ["'" + text, "'" + text]


def test_a_combining_mark_does_not_hide_a_formula():
    # NFKC composes "=" and U+0338 into "≠": the text as typed still starts with "=".
    assert neutralise("=\u03381+1") == "'=\u03381+1"


@pytest.mark.parametrize("text", ["１２３人", "ＡＢＣ事業所", "ｱｲｳ", "　＝は全角の等号", "〜の取り組み", "＃1"])
def test_ordinary_full_width_text_is_unchanged(text):
    table = Table("t", "T", [Column("A")], [[text]])
    assert neutralise(text) == text
    assert read_csv(write_csv(table, LABELS))[1] == [text]
    assert open_workbook(write_xlsx([table], LABELS))["T"]["A2"].value == text


def test_numbers_are_never_neutralised_in_csv():
    assert csv_text(-1.5, LABELS) == "-1.5"
    assert csv_text(-3, LABELS) == "-3"
    assert csv_text(Decimal("-0.5"), LABELS) == "-0.5"
    assert csv_text("-1.5", LABELS) == "'-1.5"  # the same characters as text are neutralised


def test_csv_values():
    assert csv_text(None, LABELS) == ""
    assert csv_text(True, LABELS) == "Yes" and csv_text(False, LABELS) == "No"
    # Figures: half up to 4 decimals, no trailing zeros, never "-0" or an exponent.
    assert csv_text(1 / 3, LABELS) == "0.3333" and csv_text(2 / 3, LABELS) == "0.6667"
    assert csv_text(2.00005, LABELS) == "2.0001" and csv_text(-2.00005, LABELS) == "-2.0001"
    assert csv_text(56.25, LABELS) == "56.25" and csv_text(4.0, LABELS) == "4" and csv_text(1e20, LABELS) == "1" + "0" * 20
    assert csv_text(-0.00001, LABELS) == "0" and csv_text(1e-9, LABELS) == "0"
    assert csv_text(Decimal("10"), LABELS) == "10" and csv_text(Decimal("1E+1"), LABELS) == "10"
    assert csv_text(float("nan"), LABELS) == "" and csv_text(float("inf"), LABELS) == ""
    assert csv_text(date(2013, 3, 31), LABELS) == "2013-03-31"
    tokyo = timezone(timedelta(hours=9))
    assert csv_text(datetime(2013, 4, 1, 9, 0, 0, 123456, tzinfo=tokyo), LABELS) == "2013-04-01 00:00:00"


def sample_table() -> Table:
    return Table(
        "sample", "Sample",
        [Column("Text"), Column("Number", "0.00"), Column("Date"), Column("When (UTC)"), Column("Flag"),
         Column("=Header")],
        [
            ["-1+1", -1.5, date(2012, 5, 1), datetime(2013, 1, 2, 3, 4, 5, tzinfo=timezone.utc), True, 3],
            ["地元の学校と海岸清掃", Decimal("360.5"), None, None, False, None],
            ["line one\nline two", 2, None, None, None, "x\x00y"],
        ],
    )


def test_csv_has_bom_crlf_and_parses_back():
    data = write_csv(sample_table(), LABELS)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\xef\xbb\xbf") == 1
    assert b"\r\n" in data and data.replace(b"\r\n", b"").count(b"\n") == 1  # only the one inside a cell
    rows = read_csv(data)
    assert rows[0] == ["Text", "Number", "Date", "When (UTC)", "Flag", "'=Header"]
    assert rows[1] == ["'-1+1", "-1.5", "2012-05-01", "2013-01-02 03:04:05", "Yes", "3"]
    assert rows[2][:2] == ["地元の学校と海岸清掃", "360.5"]
    assert rows[3][0] == "line one\nline two"


def test_csv_streams_in_chunks():
    table = Table("t", "T", [Column("n")], [[n] for n in range(1200)])
    chunks = list(iter_csv(table, LABELS))
    assert len(chunks) >= 3
    assert len(read_csv(b"".join(chunks))) == 1201


def test_csv_zip_holds_one_file_per_table():
    data = write_csv_zip([sample_table(), Table("other", "Other", [Column("A")], [["b"]])], "mdd-awards-FY2013-results")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["mdd-awards-FY2013-results-sample.csv", "mdd-awards-FY2013-results-other.csv"]
        assert read_csv(archive.read("mdd-awards-FY2013-results-other.csv")) == [["A"], ["b"]]


def test_xlsx_header_filter_widths_and_types():
    workbook = open_workbook(write_xlsx([sample_table()], LABELS))
    sheet = workbook["Sample"]
    assert [c.value for c in sheet[1]] == ["Text", "Number", "Date", "When (UTC)", "Flag", "'=Header"]
    assert all(c.font.b for c in sheet[1])
    assert not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F4"
    text, number, day, moment, flag, other = sheet[2]
    assert (text.value, text.data_type) == ("'-1+1", "s")
    assert (number.value, number.data_type, number.number_format) == (-1.5, "n", "0.00")
    assert day.is_date and day.value == datetime(2012, 5, 1)
    assert moment.is_date and moment.value == datetime(2013, 1, 2, 3, 4, 5)
    assert flag.value == "Yes" and sheet["E3"].value == "No" and sheet["E4"].value is None
    assert (other.value, other.data_type) == (3, "n")
    assert sheet["B3"].value == 360.5 and sheet["B3"].data_type == "n"
    assert sheet["A3"].value == "地元の学校と海岸清掃"
    assert sheet["F4"].value == "x\ufffdy"  # a control character XML cannot hold
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEF"}
    assert all(6 <= width <= 60 for width in widths.values())
    assert widths["A"] >= 20  # ten wide characters
    assert widths["D"] >= 19  # a date-time


def test_xlsx_writes_no_formula_anywhere():
    table = Table("f", "F", [Column("Text")], [[text] for text in FORMULAS])
    data = write_xlsx([table], LABELS)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    sheet = open_workbook(data)["F"]
    # XML reads a bare CR as LF (line-end normalisation), so "\r=1" comes back as "'\n=1".
    assert [c.value for (c,) in sheet.iter_rows(min_row=2)] == ["'" + text.replace("\r", "\n") for text in FORMULAS]
    assert {c.data_type for (c,) in sheet.iter_rows(min_row=2)} == {"s"}


def test_xlsx_limits_and_empty_workbook():
    long_text = "x" * 40_000
    workbook = open_workbook(write_xlsx([Table("t", "T", [Column("A")], [[long_text]])], LABELS))
    assert len(workbook["T"]["A2"].value) == 32_767
    assert open_workbook(write_xlsx([], LABELS)).sheetnames == ["Sheet"]


def test_sheet_titles_are_valid_and_unique():
    taken: set[str] = set()
    assert sheet_title("Ranking: Japan/Overseas?", taken) == "Ranking  Japan Overseas"
    assert len(sheet_title("x" * 40, taken)) == 31
    assert sheet_title("Judges", taken) == "Judges"
    assert sheet_title("judges", taken) == "judges (2)"
