"""Importing spreadsheets: every bad input of the issue gets a message with its row and column, and
nothing is half-imported; a valid file imports all or nothing, and again changes nothing."""
from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from awards_app.activities import importing, queries, services
from awards_app.activities.models import Activity, ActivityImport
from awards_app.activities.template import build_template
from awards_app.core.enums import Theme
from awards_app.extensions import db
from core.support import Page

from .conftest import events

HEADER = ["site_code", "reference", "title", "theme", "biodiversity", "start_date", "end_date", "participants",
          "volunteer_hours"]
MB = 1024 * 1024


def row(w, reference="R-1", **changes):
    fy = w.fy
    values = {"site_code": "SITE-A", "reference": reference, "title": "Beach clean-up", "theme": "nature",
              "biodiversity": "yes", "start_date": f"{fy - 1}-06-01", "end_date": f"{fy - 1}-06-02",
              "participants": "40", "volunteer_hours": "120.5"}
    values.update(changes)
    return [values[key] for key in HEADER]


def csv_bytes(rows, header=HEADER, encoding="utf-8") -> bytes:
    lines = [",".join(header)] + [",".join(f'"{v}"' if "," in str(v) else str(v) for v in r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, header=HEADER, edit=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    if edit:
        edit(workbook, sheet)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def read(w, filename, data, own_site=None, **limits):
    return importing.read_activities(
        filename, data, sites_by_code=queries.sites_by_code(), own_site=own_site,
        max_bytes=limits.get("max_bytes", 10 * MB), max_rows=limits.get("max_rows", 1000))


def messages(reading):
    return [(e.row, e.column, str(e.message)) for e in reading.errors]


def test_a_valid_csv_reads_every_row(world):
    reading = read(world, "a.csv", csv_bytes([row(world), row(world, "R-2", theme="教育", biodiversity="いいえ")]))
    assert reading.ok, messages(reading)
    first, second = reading.rows
    assert first.site_id == world.site_a.id and first.fiscal_year == world.fy
    assert first.values["volunteer_hours"] == Decimal("120.5") and first.values["biodiversity"] is True
    assert second.values["theme"] == Theme.EDUCATION and second.values["biodiversity"] is False


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_japanese_text_reads_the_same_in_utf8_with_or_without_bom_and_in_shift_jis(world, encoding):
    data = csv_bytes([row(world, title="海岸清掃（東京湾）", theme="自然", biodiversity="はい")],
                     header=["拠点コード", "整理番号", "活動名", "MDDテーマ", "生物多様性保全", "開始日", "終了日", "参加人数",
                             "活動時間（延べ）"], encoding=encoding)
    reading = read(world, "活動.csv", data)
    assert reading.ok, messages(reading)
    assert reading.rows[0].values["title"] == "海岸清掃（東京湾）"


def test_bytes_that_are_neither_utf8_nor_shift_jis_are_refused_not_guessed(world):
    reading = read(world, "a.csv", b"reference,title\r\n\x81\x20\xff\xfe,x\r\n")
    assert "neither UTF-8 nor Shift_JIS" in messages(reading)[0][2]


def test_shift_jis_bytes_are_never_read_as_utf8(world):
    text = "海岸清掃"
    with pytest.raises(UnicodeDecodeError):
        text.encode("cp932").decode("utf-8")
    assert importing.decode_csv(text.encode("cp932")) == (text, "Shift_JIS (CP932)")


@pytest.mark.parametrize("filename, data, expected", [
    ("a.xlsm", b"PK\x03\x04", "Macro-enabled"),
    ("a.xls", b"\xd0\xcf\x11\xe0", "old Excel format"),
    ("a.pdf", b"%PDF-1.4", "Upload an .xlsx workbook or a .csv file"),
    ("a.xlsx", b"not a zip", "not a valid .xlsx"),
    ("a.csv", b"", "empty"),
])
def test_wrong_file_types_are_refused(world, filename, data, expected):
    assert expected in messages(read(world, filename, data))[0][2]


def test_a_workbook_with_macros_inside_is_refused(world):
    buffer = io.BytesIO(xlsx_bytes([row(world)]))
    import zipfile
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"macro")
    assert "macros" in messages(read(world, "a.xlsx", buffer.getvalue()))[0][2]


def test_size_and_row_limits_are_settings(world):
    data = csv_bytes([row(world, f"R-{n}") for n in range(5)])
    assert "larger than" in messages(read(world, "a.csv", data, max_bytes=100))[0][2]
    assert "more than 3 rows" in messages(read(world, "a.csv", data, max_rows=3))[0][2]


def test_the_header_row_missing_or_misspelt_is_named(world):
    misspelt = [h if h != "participants" else "partcipants" for h in HEADER]
    [(row_number, _column, message)] = messages(read(world, "a.csv", csv_bytes([row(world)], header=misspelt)))
    assert row_number == 1 and "“partcipants”" in message and "missing columns participants" in message
    headless = "\r\n".join(",".join(r) for r in [row(world)]).encode()
    assert "header row" in messages(read(world, "a.csv", headless))[0][2]


def test_dates_numbers_and_words_in_every_accepted_form(world):
    fy = world.fy
    rows = [
        row(world, "R-1", start_date=f"{fy - 1}/05/03", end_date=f"{fy - 1}-5-3", participants="1,234",
            volunteer_hours="1,234.5"),
        row(world, "R-2", participants="１２３", volunteer_hours="４５．５", theme="Community", biodiversity="No"),
    ]
    reading = read(world, "a.csv", csv_bytes(rows))
    assert reading.ok, messages(reading)
    assert reading.rows[0].values["start_date"] == date(fy - 1, 5, 3)
    assert reading.rows[0].values["participants"] == 1234 and reading.rows[0].values["volunteer_hours"] == Decimal("1234.5")
    assert reading.rows[1].values["participants"] == 123 and reading.rows[1].values["volunteer_hours"] == Decimal("45.5")


def test_xlsx_dates_as_cells_text_and_serials(world):
    fy = world.fy
    serial = (date(fy - 1, 7, 1) - date(1899, 12, 30)).days
    rows = [row(world, "R-1", start_date=datetime(fy - 1, 7, 1), end_date=serial, participants=5, volunteer_hours=2.5),
            row(world, "R-2", start_date=f"{fy - 1}/07/01", end_date=f"{fy - 1}-07-01")]
    reading = read(world, "a.xlsx", xlsx_bytes(rows))
    assert reading.ok, messages(reading)
    assert {r.values["end_date"] for r in reading.rows} == {date(fy - 1, 7, 1)}


def test_negative_and_fractional_participants_are_refused_with_row_and_column(world):
    rows = [row(world, "R-1", participants="-3"), row(world, "R-2", participants="2.5"),
            row(world, "R-3", volunteer_hours="1.25")]
    found = messages(read(world, "a.csv", csv_bytes(rows)))
    assert found == [
        (2, "H", "The number cannot be negative."),
        (3, "H", "Participants are counted in whole numbers: 2.5 is not one."),
        (4, "I", "Use at most one decimal place, such as 12.5."),
    ]


def test_the_same_reference_twice_and_another_sites_rows(world):
    rows = [row(world, "R-1"), row(world, "R-1"), row(world, "R-9", site_code="SITE-B")]
    found = messages(read(world, "a.csv", csv_bytes(rows), own_site=world.site_a))
    assert (3, "B", "The reference “R-1” is also on row 2: each activity needs its own.") in found
    assert (4, "A", "This row is for another site (SITE-B): you can import only the activities of SITE-A.") in found


def test_empty_rows_are_skipped(world):
    data = csv_bytes([row(world, "R-1"), [""] * len(HEADER), row(world, "R-2")])
    reading = read(world, "a.csv", data)
    assert reading.ok and len(reading.rows) == 2 and reading.empty_rows == 1


def test_formulas_are_read_by_their_saved_value_never_evaluated(world, tmp_path):
    def add_formula(workbook, sheet):
        sheet["H3"] = "=1+1"  # written by openpyxl: no saved value

    reading = read(world, "a.xlsx", xlsx_bytes([row(world, "R-1"), row(world, "R-2")], edit=add_formula))
    assert messages(reading) == [(3, "H", "This formula has no saved value: type the value, or open and save the "
                                          "file in Excel.")]


def test_a_formula_with_a_saved_value_is_read_by_it(world):
    data = xlsx_bytes([row(world, "R-1", participants=7)])
    # Give H2 a formula and keep its cached value, as Excel saves it.
    import re
    import zipfile
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<c r="H2"([^>]*)><v>7</v></c>', rb'<c r="H2"\1><f>3+4</f><v>7</v></c>', content)
                assert b"<f>3+4</f>" in content
            target.writestr(item, content)
    reading = read(world, "a.xlsx", out.getvalue())
    assert reading.ok, messages(reading)
    assert reading.rows[0].values["participants"] == 7


def test_merged_cells_hidden_rows_and_hidden_sheets(world):
    def edit(workbook, sheet):
        sheet.merge_cells("C3:D3")
        sheet.row_dimensions[4].hidden = True
        hidden = workbook.create_sheet("Old")
        hidden.sheet_state = "hidden"

    reading = read(world, "a.xlsx", xlsx_bytes([row(world, "R-1"), row(world, "R-2"), row(world, "R-3", title="")],
                                               edit=edit))
    assert (3, "C", "Merged cells (C3:D3) are not accepted: unmerge them and fill in each cell.") in messages(reading)
    notices = [str(n.message) for n in reading.notices]
    assert "Hidden rows were ignored: 4." in notices and "The hidden sheet “Old” was ignored." in notices
    assert all(error.row != 4 for error in reading.errors)  # the hidden row (no title) was not read


def test_an_admin_import_needs_a_known_site_code(world):
    found = messages(read(world, "a.csv", csv_bytes([row(world, site_code=""), row(world, "R-2", site_code="NOPE")])))
    assert found == [(2, "A", "Enter the site code."), (3, "A", "No site has the code NOPE.")]


def test_the_template_reads_back_and_offers_drop_downs(world):
    for lang in ("ja", "en"):
        workbook = load_workbook(io.BytesIO(build_template(lang)))
        sheet = workbook.worksheets[0]
        assert len(workbook.worksheets) == 2
        assert {v.formula1 for v in sheet.data_validations.dataValidation} == (
            {'"自然,教育,コミュニティ"', '"はい,いいえ"'} if lang == "ja" else {'"Nature,Education,Community"', '"yes,no"'})
        headers = [cell.value for cell in sheet[1]]
        assert [importing.header_key(h) for h in headers] == list(importing.COLUMNS)
        sheet.append(row(world) + ["", "", ""])
        # The header keys of the template are in its own order; fill by key.
    reading = read(world, "t.xlsx", build_template("en"))
    assert reading.ok and reading.rows == [] and "The file holds no activities." in [str(n.message) for n in reading.notices]


def test_import_is_all_or_nothing_and_idempotent(world):
    data = csv_bytes([row(world, "R-1"), row(world, "R-2", participants="7")])
    reading = read(world, "a.csv", data)
    result = services.import_activities(world.admin, reading.rows, filename="a.csv")
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert [e.details["import_id"] for e in events("activity.created")] == [result.import_id] * 2
    again = services.import_activities(world.admin, read(world, "a.csv", data).rows, filename="a.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = read(world, "a.csv", csv_bytes([row(world, "R-1"), row(world, "R-2", participants="8")]))
    assert services.classify(changed.rows).updated == 1
    third = services.import_activities(world.admin, changed.rows, filename="a.csv")
    assert (third.created, third.updated, third.unchanged) == (0, 1, 1)
    assert db.session.scalar(select(func.count(Activity.id))) == 2
    assert db.session.scalar(select(func.count(ActivityImport.id))) == 3


def test_a_site_import_refuses_another_sites_rows_in_the_service_too(world):
    reading = read(world, "a.csv", csv_bytes([row(world, site_code="SITE-B")]))
    with pytest.raises(services.ActivityError):
        services.import_activities(world.submitter_a, reading.rows, filename="a.csv", site=world.site_a)


# --- through the pages ----------------------------------------------------------------------------


def confirm_action(page) -> str:
    [action] = [f.get("action") for f in page.find_all("form") if f.get("action", "").startswith("/activities/import/")]
    return action


def test_preview_then_confirm_then_the_same_file_again(client, login, world):
    login(world.submitter_a)
    data = csv_bytes([row(world, "R-1", site_code=""), row(world, "R-2", site_code="")], encoding="cp932")
    response = client.post(f"/activities/import?site={world.site_a.id}",
                           data={"file": (io.BytesIO(data), "活動.csv")}, content_type="multipart/form-data")
    page = Page(response)
    assert response.status_code == 200
    assert page.by_id("import-counts").text.startswith("New 2 Updated 0 Unchanged 0 Errors 0")
    assert db.session.scalar(select(func.count(Activity.id))) == 0, "the preview wrote"
    action = confirm_action(page)
    assert client.post(action).status_code == 302
    assert db.session.scalar(select(func.count(Activity.id))) == 2
    assert client.post(action).status_code == 404, "a confirmed file can be confirmed once"
    response = client.post(f"/activities/import?site={world.site_a.id}",
                           data={"file": (io.BytesIO(data), "活動.csv")}, content_type="multipart/form-data")
    assert Page(response).by_id("import-counts").text.startswith("New 0 Updated 0 Unchanged 2")


def test_the_preview_lists_every_error_in_the_users_language(client, login, world):
    world.submitter_a.locale = "ja"
    db.session.commit()
    login(world.submitter_a)
    data = csv_bytes([row(world, "R-1", participants="-1", site_code="")])
    response = client.post(f"/activities/import?site={world.site_a.id}",
                           data={"file": (io.BytesIO(data), "a.csv")}, content_type="multipart/form-data")
    assert response.status_code == 422
    rows = Page(response).table_rows()
    assert rows[1][0] == "2" and rows[1][1].startswith("H")
    assert "負" in rows[1][2]


def test_another_users_pending_file_cannot_be_confirmed(client, login, world, new_client):
    login(world.submitter_a)
    data = csv_bytes([row(world, "R-1", site_code="")])
    page = Page(client.post(f"/activities/import?site={world.site_a.id}",
                            data={"file": (io.BytesIO(data), "a.csv")}, content_type="multipart/form-data"))
    action = confirm_action(page)
    other = login(world.admin, new_client())
    assert other.post(action).status_code == 404
    assert db.session.scalar(select(func.count(Activity.id))) == 0


def test_the_preview_lists_the_first_errors_and_counts_the_rest(client, login, world, monkeypatch):
    from awards_app.activities import views

    monkeypatch.setattr(views, "SHOWN_ERRORS", 2)
    login(world.admin)
    data = csv_bytes([row(world, f"R-{n}", participants="-1") for n in range(5)])
    page = Page(client.post("/activities/import", data={"file": (io.BytesIO(data), "a.csv")},
                            content_type="multipart/form-data"))
    assert len(page.by_id("import-errors").parts) and len(page.table_rows()) == 3
    assert page.by_id("more-errors").text.startswith("… and 3 more errors.")
