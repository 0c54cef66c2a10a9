"""Each statistics table as CSV and XLSX: admins only, the page's figures in the page's order,
through the exports' writers (BOM, formula cells neutralised, numbers as numbers)."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from core.support import Page, is_layout_page
from openpyxl import load_workbook

from awards_app.core.enums import NominationStatus, Theme

from .support import row_cells

ROLES = ("anonymous", "submitter", "judge", "judge_submitter", "admin")


def _csv_rows(response) -> list[list[str]]:
    data = response.get_data()
    assert data.startswith("\ufeff".encode()), "UTF-8 with a BOM for Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


ADMIN = (302, 403, 403, 403, 200)
NOWHERE = (404, 404, 404, 404, 404)  # no route has this path


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path, statuses", [
    ("/admin/stats/{fy}/region.csv", ADMIN),
    ("/admin/stats/{fy}/site.xlsx", ADMIN),
    ("/admin/stats/totals.csv", ADMIN),
    ("/admin/stats/country.xlsx?measure=hours", ADMIN),
    ("/admin/stats/999999/region.csv", (302, 403, 403, 403, 404)),
    ("/admin/stats/{fy}/judges.csv", NOWHERE),
    ("/admin/stats/{fy}/region.pdf", NOWHERE),
    ("/admin/stats/site.csv", NOWHERE),
])
def test_every_download_answers_every_role(client, login, stats_world, role, path, statuses):
    user = None if role == "anonymous" else getattr(stats_world, role)
    if user is not None:
        login(user)
    url = path.format(fy=stats_world.fy2013.id)
    response = client.get(url)
    body = response.get_data()
    expected = statuses[ROLES.index(role)]
    assert response.status_code == expected, url
    if expected == 200:
        assert response.headers["Content-Disposition"].startswith('attachment; filename="mdd-statistics-')
        assert body.startswith(b"\xef\xbb\xbf" if url.split("?")[0].endswith(".csv") else b"PK")
    elif expected == 302:
        assert response.headers["Location"].startswith("/login?next=")
    else:
        assert is_layout_page(Page(response)) and b"1,230" not in body


@pytest.mark.parametrize("key", ["region", "theme", "biodiversity", "country", "site"])
def test_a_cycle_download_holds_the_figures_of_the_page_table(client, login, stats_world, key):
    login(stats_world.admin)
    page = Page(client.get(f"/admin/stats/{stats_world.fy2013.id}?measure=hours"))
    shown = [cells for row_key, cells in row_cells(page, f"table-{key}").items() if row_key != "share"]
    rows = _csv_rows(client.get(f"/admin/stats/{stats_world.fy2013.id}/{key}.csv?measure=hours"))
    assert len(rows) == len(shown)  # the header row, then the page's rows
    for cells, row in zip(shown, rows, strict=True):
        # The page formats numbers (1,230; 496); the file holds them plain (1230; 496.0).
        assert [_plain(c) for c in cells] == [_plain(c) for c in row], (cells, row)


def _plain(text: str):
    try:
        return Decimal(text.replace(",", ""))
    except ArithmeticError:
        return text


def test_the_overview_downloads_hold_the_page_figures(client, login, stats_world):
    login(stats_world.admin)
    rows = _csv_rows(client.get("/admin/stats/totals.csv"))
    assert rows[0] == ["Figure", "FY2012", "FY2013"]
    assert rows[2] == ["Participants", "10", "1230"]
    region = _csv_rows(client.get("/admin/stats/region.csv?measure=hours"))
    assert [[_plain(c) for c in row] for row in region[1:]] == [
        ["Japan", 0, Decimal("450.5")], ["Overseas", 20, Decimal("45.5")]]


def test_the_xlsx_has_numbers_as_numbers(client, login, stats_world):
    login(stats_world.admin)
    response = client.get(f"/admin/stats/{stats_world.fy2013.id}/site.xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("Site", "Country", "Nominations", "Participants", "Volunteer hours")
    assert values[1][:4] == ("Tokyo Works", "Japan", 2, 1140)
    assert values[1][4] == pytest.approx(330.5)


def test_a_site_name_that_looks_like_a_formula_is_written_as_text(client, login, stats_world, make_site,
                                                                    make_nomination):
    site = make_site("EVIL", country="FR", name_en="=HYPERLINK(\"http://x\")", name_ja="＝悪")
    make_nomination(stats_world.fy2013, site, NominationStatus.SUBMITTED, theme=Theme.NATURE, participants=1,
                    volunteer_hours=Decimal("1"))
    login(stats_world.admin)
    rows = _csv_rows(client.get(f"/admin/stats/{stats_world.fy2013.id}/site.csv"))
    assert ["'=HYPERLINK(\"http://x\")", "France", "1", "1", "1.0"] in rows


def test_the_japanese_download_speaks_japanese(client, login, stats_world):
    login(stats_world.admin)
    client.post("/language", data={"locale": "ja"})
    rows = _csv_rows(client.get(f"/admin/stats/{stats_world.fy2013.id}/region.csv"))
    assert rows[0][0] == "地域" and rows[1][0] == "国内"


def test_each_table_on_the_pages_links_its_downloads(client, login, stats_world):
    login(stats_world.admin)
    cycle = Page(client.get(f"/admin/stats/{stats_world.fy2013.id}?measure=hours"))
    links = [a.get("href") for a in cycle.find_all("a") if ".csv" in (a.get("href") or "")]
    assert len(links) == 5 and all(link.endswith("measure=hours") for link in links)
    overview = Page(client.get("/admin/stats/"))
    assert len([a for a in overview.find_all("a") if ".xlsx" in (a.get("href") or "")]) == 4
