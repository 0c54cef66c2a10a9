"""`flask export`: the six files, and clear errors."""
from __future__ import annotations

import pytest

from awards_app.exports.services import build_export

from .conftest import JAPANESE_TITLE, csv_records, open_workbook, read_csv, read_zip


@pytest.mark.parametrize("kind", ["nominations", "scores", "results"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_writes_each_export_in_each_format(runner, world, tmp_path, kind, fmt):
    target = tmp_path / f"out.{fmt}"
    result = runner.invoke(args=["export", kind, "--cycle", "FY2013", "--format", fmt, "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert f"wrote {kind} of FY2013 ({fmt}," in result.output and str(target) in result.output
    data = target.read_bytes()
    # The same file as the admin page's download (a ZIP and a workbook hold their time of writing).
    expected = b"".join(build_export(world.cycle, kind, fmt).chunks)
    if fmt == "xlsx":
        workbook, same = open_workbook(data), open_workbook(expected)
        assert workbook.sheetnames == same.sheetnames
        for name in workbook.sheetnames:
            assert list(workbook[name].values) == list(same[name].values)
    elif kind == "results":
        assert read_zip(data) == read_zip(expected)
    else:
        assert data == expected
        assert JAPANESE_TITLE in data.decode("utf-8-sig")
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left behind


def test_output_folder_gets_the_usual_file_name(runner, world, tmp_path):
    result = runner.invoke(args=["export", "results", "--cycle", "fy2013", "--format", "csv",
                                 "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    files = read_zip((tmp_path / "mdd-awards-FY2013-results.zip").read_bytes())
    assert "mdd-awards-FY2013-results-sheets.csv" in files


def test_format_defaults_to_xlsx(runner, world, tmp_path):
    result = runner.invoke(args=["export", "scores", "--cycle", "2013", "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert open_workbook((tmp_path / "mdd-awards-FY2013-scores.xlsx").read_bytes()).sheetnames == ["Scores"]


def test_language_option(runner, world, tmp_path):
    target = tmp_path / "n.csv"
    result = runner.invoke(args=["export", "nominations", "--cycle", "FY2013", "--format", "csv",
                                 "--output", str(target), "--lang", "ja"])
    assert result.exit_code == 0, result.output
    rows = csv_records(target.read_bytes())
    assert {r["地域"] for r in rows} == {"国内", "海外"}
    english = tmp_path / "e.csv"
    runner.invoke(args=["export", "nominations", "--cycle", "FY2013", "--format", "csv", "--output", str(english)])
    assert "Region" in read_csv(english.read_bytes())[0]


def test_unknown_cycle_is_a_clear_error(runner, world, tmp_path):
    target = tmp_path / "x.csv"
    result = runner.invoke(args=["export", "results", "--cycle", "FY1999", "--format", "csv", "--output", str(target)])
    assert result.exit_code == 1
    assert "unknown cycle: FY1999 (known cycles: FY2013)" in result.output
    assert not target.exists()
    garbage = runner.invoke(args=["export", "results", "--cycle", "last year", "--output", str(target)])
    assert garbage.exit_code == 1 and "unknown cycle: last year" in garbage.output


@pytest.mark.parametrize("args, message", [
    (["export", "results", "--cycle", "FY2013", "--format", "pdf"], "'pdf' is not one of 'csv', 'xlsx'"),
    (["export", "judges", "--cycle", "FY2013"], "'judges' is not one of 'nominations', 'scores', 'results'"),
    (["export", "results"], "Missing option '--cycle'"),
])
def test_bad_arguments_are_clear_errors(runner, world, tmp_path, args, message):
    result = runner.invoke(args=args + ["--output", str(tmp_path)])
    assert result.exit_code == 2
    assert message in result.output
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_a_clear_error(runner, world, tmp_path):
    result = runner.invoke(args=["export", "results", "--cycle", "FY2013", "--output", str(tmp_path / "no" / "x.xlsx")])
    assert result.exit_code == 1 and "no such folder" in result.output


def test_failed_export_keeps_the_previous_file(runner, world, tmp_path, monkeypatch):
    """A job's reader never sees half a file: the export goes to a temporary file, renamed at the end."""
    target = tmp_path / "nominations.csv"
    target.write_bytes(b"yesterday")

    def broken(*args, **kwargs):
        yield b"half a file"
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("awards_app.exports.services.iter_csv", broken)
    result = runner.invoke(args=["export", "nominations", "--cycle", "FY2013", "--format", "csv",
                                 "--output", str(target)])
    assert result.exit_code != 0 and isinstance(result.exception, RuntimeError)
    assert target.read_bytes() == b"yesterday"
    assert [p.name for p in tmp_path.iterdir()] == ["nominations.csv"]
