"""The programme's figures from every activity: the table per fiscal year with the change from the
year before, each year's breakdowns (with the number of participating countries), the downloads,
and a number of queries that does not grow with the activities."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from awards_app.activities.statistics import Row, Totals, change, summarise
from awards_app.core.enums import Region, Theme
from core.support import Page


def test_summarise_adds_up_by_hand():
    rows = [
        Row(2013, 1, "JP", Theme.NATURE, True, Totals(2, 100, Decimal("50.5"))),
        Row(2013, 2, "DE", Theme.EDUCATION, False, Totals(1, 30, Decimal("10.0"))),
        Row(2013, 3, "US", Theme.NATURE, False, Totals(1, 0, Decimal("0.0"))),
        Row(2012, 1, "JP", Theme.NATURE, False, Totals(1, 80, Decimal("40.0"))),
    ]
    years = summarise(rows, [2012, 2013])
    fy2013 = years[2013]
    assert fy2013.total == Totals(4, 130, Decimal("60.5"))
    assert fy2013.biodiversity == Totals(2, 100, Decimal("50.5"))
    assert fy2013.by_region[Region.OVERSEAS] == Totals(2, 30, Decimal("10.0"))
    assert fy2013.by_theme[Theme.COMMUNITY] == Totals()
    assert fy2013.countries == 3 and years[2012].countries == 1
    assert change(130, 80) == 0.625 and change(5, 0) is None


def _world(make_site, make_activity):
    tokyo = make_site("TOKYO", "JP", name_en="Tokyo")
    berlin = make_site("BERLIN", "DE", name_en="Berlin")
    make_activity(tokyo, 2012, participants=80, volunteer_hours=Decimal("40.0"))
    make_activity(tokyo, 2013, participants=100, volunteer_hours=Decimal("50.5"), biodiversity=True)
    make_activity(berlin, 2013, participants=30, volunteer_hours=Decimal("10.0"), theme=Theme.EDUCATION)
    return tokyo, berlin


def test_the_programme_page_and_its_downloads(client, login, make_user, make_site, make_activity):
    _world(make_site, make_activity)
    login(make_user("admin"))
    page = Page(client.get("/admin/stats/programme"))
    rows = page.table_rows()
    assert ["FY2012", "1", "80", "40", "1", "0", "—", "—"] in rows
    assert ["FY2013", "2", "130", "60.5", "2", "100", "62.5%", "51.2%"] in rows
    data = client.get("/admin/exports/programme.csv").get_data().decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(data)))[2][:6] == ["FY2013", "2", "130", "60.5", "2", "100"]
    sheet = load_workbook(io.BytesIO(client.get("/admin/exports/programme.xlsx").get_data())).active
    assert [cell.value for cell in sheet[3]][:4] == ["FY2013", 2, 130, 60.5]


def test_the_nominated_activities_per_year_and_region(client, login, make_user, make_site, make_activity,
                                                      make_cycle, make_nomination):
    from awards_app.core.enums import NominationStatus

    tokyo, berlin = _world(make_site, make_activity)
    cycle = make_cycle(fiscal_year=2013)
    activity = make_activity(berlin, 2013)
    make_nomination(cycle, berlin, NominationStatus.SUBMITTED, activity=activity)
    make_nomination(cycle, tokyo, NominationStatus.SUBMITTED)  # not from an activity: not counted here
    login(make_user("admin"))
    page = Page(client.get("/admin/stats/programme"))
    rows = [row for row in page.table_rows() if row and row[0] == "FY2013"]
    assert rows[-1] == ["FY2013", "0", "1", "1"]


def test_a_years_breakdowns(client, login, make_user, make_site, make_activity):
    _world(make_site, make_activity)
    login(make_user("admin"))
    page = Page(client.get("/admin/stats/programme/2013"))
    assert page.find("dd", data_total="countries").text == "2"
    assert page.find("dd", data_total="participants").text == "130"
    assert "By country, FY2013: 2 participating countries" in page.main_text
    sites = list(csv.reader(io.StringIO(
        client.get("/admin/exports/programme/2013/site.csv").get_data().decode("utf-8-sig"))))
    assert sites[1][:6] == ["TOKYO", "Tokyo", "Japan", "1", "100", "50.5"] and sites[1][6] == "0.25"
    assert client.get("/admin/stats/programme/1999").status_code == 404


def test_query_count_does_not_grow_with_activities(client, login, make_user, make_site, make_activity,
                                                   count_queries):
    tokyo, berlin = _world(make_site, make_activity)
    login(make_user("admin"))
    counts = []
    for extra in (0, 30):
        for n in range(extra):
            make_activity(tokyo if n % 2 else berlin, 2013)
        with count_queries() as queries:
            assert client.get("/admin/stats/programme/2013").status_code == 200
        with count_queries() as overview:
            assert client.get("/admin/stats/programme").status_code == 200
        counts.append((len(queries), len(overview)))
    assert counts[0] == counts[1]
