"""`flask activities template|import|export`: the same checks and report as the web import; a
second import of the same file changes nothing; any error exits non-zero and writes nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from awards_app.activities.models import Activity
from awards_app.extensions import db

from .conftest import events
from .test_import import csv_bytes, row


def count() -> int:
    return db.session.scalar(select(func.count(Activity.id)))


def test_import_twice_changes_nothing_the_second_time(runner, world, tmp_path):
    path = tmp_path / "activities.csv"
    path.write_bytes(csv_bytes([row(world, "R-1"), row(world, "R-2")], encoding="cp932"))
    dry = runner.invoke(args=["activities", "import", str(path), "--dry-run"])
    assert dry.exit_code == 0 and "dry run: 2 new, 0 updated, 0 unchanged" in dry.output and count() == 0
    first = runner.invoke(args=["activities", "import", str(path)])
    assert first.exit_code == 0, first.output
    assert "2 new, 0 updated, 0 unchanged" in first.output and count() == 2
    second = runner.invoke(args=["activities", "import", str(path)])
    assert "0 new, 0 updated, 2 unchanged" in second.output and count() == 2
    assert events("activity.created")[0].actor_id is None  # the system, in the audit log


def test_any_error_exits_non_zero_and_writes_nothing(runner, world, tmp_path):
    path = tmp_path / "activities.csv"
    path.write_bytes(csv_bytes([row(world, "R-1"), row(world, "R-2", participants="2.5")]))
    result = runner.invoke(args=["activities", "import", str(path)])
    assert result.exit_code == 1 and count() == 0
    assert "error: row 3, column H (participants): Participants are counted in whole numbers" in result.output


def test_a_site_import_refuses_other_sites_rows(runner, world, tmp_path):
    path = tmp_path / "activities.csv"
    path.write_bytes(csv_bytes([row(world, "R-1", site_code="SITE-B")]))
    result = runner.invoke(args=["activities", "import", str(path), "--site", "SITE-A"])
    assert result.exit_code == 1 and "another site (SITE-B)" in result.output and count() == 0


def test_template_and_export_round_trip(runner, world, make_activity, tmp_path):
    template = tmp_path / "template.xlsx"
    assert runner.invoke(args=["activities", "template", "--output", str(template), "--lang", "ja"]).exit_code == 0
    assert template.read_bytes().startswith(b"PK")
    make_activity(world.site_a, title="Bay clean-up", participants=1234, partners="City, NPO")
    make_activity(world.site_b, title="=cmd|' /C calc'!A0", reference=None)
    for fmt in ("csv", "xlsx"):
        output = tmp_path / f"export.{fmt}"
        result = runner.invoke(args=["activities", "export", "--fy", str(world.fy), "--format", fmt,
                                     "--output", str(output)])
        assert result.exit_code == 0, result.output
        again = runner.invoke(args=["activities", "import", str(output), "--dry-run"])
        # Exported rows import again as they are (the one without a reference cannot be matched).
        assert again.exit_code == 1 and "row 3, column B (reference)" in again.output, again.output
        assert "row 2" not in again.output
    assert "'=cmd" in (tmp_path / "export.csv").read_text(encoding="utf-8-sig")


def test_the_example_spreadsheet_in_docs_imports_cleanly(runner, make_site):
    from awards_app import PROJECT_ROOT

    make_site("TOKYO-HQ", "JP")
    make_site("UK-LONDON", "GB")
    example = PROJECT_ROOT / "docs" / "activities-example.xlsx"
    result = runner.invoke(args=["activities", "import", str(example)])
    assert result.exit_code == 0, result.output
    assert "6 new, 0 updated, 0 unchanged" in result.output
    assert db.session.scalar(select(func.sum(Activity.participants))) == 124 + 8 + 184 + 210 + 14 + 22
    again = runner.invoke(args=["activities", "import", str(example)])
    assert "0 new, 0 updated, 6 unchanged" in again.output
