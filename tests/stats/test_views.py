"""The statistics pages: who may see them, the figures they show, the charts, escaping, Japanese."""
from __future__ import annotations

import re

import pytest
from core.support import Page, is_layout_page

from awards_app.core.enums import NominationStatus, Phase
from awards_app.stats import charts

from .support import bars, row_cells, svg

ROLES = ("anonymous", "submitter", "judge", "judge_submitter", "admin")


def paths(world):
    return {
        "overview": "/admin/stats/",
        "cycle": f"/admin/stats/{world.fy2013.id}",
        "cycle_measure": f"/admin/stats/{world.fy2013.id}?measure=hours",
        "unknown_cycle": "/admin/stats/999999",
    }


# path key, (anonymous, submitter, judge, judge and submitter, admin)
MATRIX = [
    ("overview", (302, 403, 403, 403, 200)),
    ("cycle", (302, 403, 403, 403, 200)),
    ("cycle_measure", (302, 403, 403, 403, 200)),
    # Non-admins learn nothing, not even whether the cycle exists.
    ("unknown_cycle", (302, 403, 403, 403, 404)),
]


@pytest.mark.parametrize("key, expected", MATRIX, ids=[row[0] for row in MATRIX])
@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_every_role(client, login, stats_world, key, expected, role):
    user = None if role == "anonymous" else getattr(stats_world, role)
    if user is not None:
        login(user)
    response = client.get(paths(stats_world)[key])
    status = expected[ROLES.index(role)]
    assert response.status_code == status
    if status == 302:
        assert response.headers["Location"].startswith("/login?next=")
    elif status == 200:
        page = Page(response)
        assert is_layout_page(page)
        heading = "Statistics · All fiscal years" if key == "overview" else "Statistics · FY2013 Judging"
        assert page.find("h1").text == heading
        assert "1,230" in page.main_text  # FY2013's participants, in both
    elif status in (403, 404):
        page = Page(response)
        assert is_layout_page(page)
        assert "1,230" not in page.html and "ベルリン" not in page.html and "Berlin" not in page.html


@pytest.mark.parametrize("path", ["/admin/stats/", "/admin/stats/1"])
def test_the_pages_are_read_only(client, login, stats_world, path):
    login(stats_world.admin)
    assert client.post(path).status_code == 405


def test_cycle_page_shows_the_hand_worked_figures(client, login, stats_world):
    login(stats_world.admin)
    page = Page(client.get(f"/admin/stats/{stats_world.fy2013.id}"))
    assert page.find("dd", data_total="nominations").text == "4"
    assert page.find("dd", data_total="participants").text == "1,230"
    assert page.find("dd", data_total="hours").text == "496"
    assert page.find("dd", data_total="biodiversity-participants").text == "1,130 (91.9%)"
    # Drafts, withdrawn and ineligible nominations are left out, and the page says so.
    assert "Only submitted nominations are counted" in page.by_id("counting-rule").text
    assert {s: page.find("span", data_status=s).text for s in ("draft", "withdrawn", "ineligible")} == {
        "draft": "1", "withdrawn": "1", "ineligible": "1"}
    assert row_cells(page, "table-region") == {
        "row0": ["Region", "Nominations", "Participants", "Volunteer hours"],
        "japan": ["Japan", "3", "1,200", "450.5"],
        "overseas": ["Overseas", "1", "30", "45.5"],
        "total": ["Total", "4", "1,230", "496"],
    }
    assert row_cells(page, "table-theme") == {
        "row0": ["MDD theme", "Nominations", "Participants", "Volunteer hours"],
        "nature": ["Nature", "2", "1,130", "296"],
        "education": ["Education", "1", "40", "80"],
        "community": ["Community", "1", "60", "120"],
        "total": ["Total", "4", "1,230", "496"],
    }
    assert row_cells(page, "table-country") == {
        "row0": ["Country", "Region", "Nominations", "Participants", "Volunteer hours"],
        "JP": ["Japan", "Japan", "3", "1,200", "450.5"],
        "DE": ["Germany", "Overseas", "1", "30", "45.5"],
    }
    assert row_cells(page, "table-biodiversity") == {
        "row0": ["Activities", "Nominations", "Participants", "Volunteer hours"],
        "biodiversity": ["Biodiversity preservation", "2", "1,130", "296"],
        "other": ["Other activities", "2", "100", "200"],
        "share": ["Share of biodiversity preservation", "50.0%", "91.9%", "59.7%"],
    }
    sites = row_cells(page, "table-site")
    assert list(sites.values())[1:] == [
        ["Tokyo Works", "Japan", "2", "1,140", "330.5"],
        ["Osaka Plant", "Japan", "1", "60", "120"],
        ["Berlin Office", "Germany", "1", "30", "45.5"],
    ]
    # The US site only has an ineligible nomination, and the FY2012 one is another year.
    assert "Austin Lab" not in page.html and "United States" not in page.main_text


def test_charts_are_accessible_svg_with_proportional_bars(client, login, stats_world):
    login(stats_world.admin)
    page = Page(client.get(f"/admin/stats/{stats_world.fy2013.id}"))
    for chart_id in ("chart-region", "chart-theme", "chart-biodiversity", "chart-country", "chart-site"):
        element = page.by_id(chart_id)
        assert element.tag == "svg" and element.get("role") == "img"
        title = page.by_id(f"{chart_id}-title")
        assert title.tag == "title" and title.text
        assert element.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
        drawn = bars(svg(page.html, chart_id))
        assert drawn and max(width for width, _ in drawn) == charts.PLOT_WIDTH
        largest = max(value for _, value in drawn)
        for width, value in drawn:
            assert width == pytest.approx(value / largest * charts.PLOT_WIDTH, abs=0.01)
    assert page.by_id("chart-region-title").text == "Participants by region in FY2013"
    assert bars(svg(page.html, "chart-region")) == [
        (charts.PLOT_WIDTH, 1200), (pytest.approx(30 / 1200 * charts.PLOT_WIDTH, abs=0.01), 30)]
    # No inline script or style: the CSP forbids them.
    assert all(script.get("src") for script in page.find_all("script"))
    assert not re.search(r"\sstyle=", page.html) and "<style" not in page.html


def test_the_measure_switch_changes_what_the_charts_show(client, login, stats_world):
    login(stats_world.admin)
    page = Page(client.get(f"/admin/stats/{stats_world.fy2013.id}?measure=hours"))
    assert page.by_id("chart-region-title").text == "Volunteer hours by region in FY2013"
    assert [value for _, value in bars(svg(page.html, "chart-region"))] == [450.5, 45.5]
    assert page.find("a", aria_current="page", href=f"/admin/stats/{stats_world.fy2013.id}?measure=hours")
    # An unknown measure falls back to participants.
    page = Page(client.get(f"/admin/stats/{stats_world.fy2013.id}?measure=%3Cb%3E"))
    assert page.response.status_code == 200
    assert page.by_id("chart-region-title").text == "Participants by region in FY2013"


def test_a_cycle_without_nominations_says_there_is_nothing_to_chart(client, login, stats_world, make_cycle):
    empty = make_cycle(2014, phase=Phase.SETUP)
    login(stats_world.admin)
    page = Page(client.get(f"/admin/stats/{empty.id}"))
    assert page.find("dd", data_total="participants").text == "0"
    assert page.by_id("chart-region") is None and page.by_id("chart-region-empty") is not None
    assert "not final yet" in page.by_id("counting-rule").text


def test_overview_puts_fiscal_years_side_by_side(client, login, stats_world):
    login(stats_world.admin)
    page = Page(client.get("/admin/stats/"))
    totals = row_cells(page, "table-totals")
    assert totals["row0"] == ["Figure", "FY2012 Results finalised", "FY2013 Judging"]
    assert totals["nominations"] == ["Submitted nominations", "1", "4"]
    assert totals["participants"] == ["Participants", "10", "1,230"]
    assert totals["hours"] == ["Volunteer hours", "20", "496"]
    assert totals["biodiversity-participants"][1:] == ["0", "1,130"]
    assert totals["biodiversity-share"][1:] == ["0.0%", "91.9%"]
    assert totals["not-counted"][1:] == ["0", "3"]
    assert row_cells(page, "table-region")["japan"] == ["Japan", "0", "1,200"]
    assert row_cells(page, "table-region")["overseas"] == ["Overseas", "10", "30"]
    assert row_cells(page, "table-country") == {
        "row0": ["Country", "FY2012", "FY2013"],
        "JP": ["Japan", "0", "1,200"], "DE": ["Germany", "0", "30"], "US": ["United States", "10", "0"],
    }
    assert row_cells(page, "table-theme")["community"] == ["Community", "10", "60"]
    years = bars(svg(page.html, "chart-years"))
    assert years == [(pytest.approx(10 / 1230 * charts.PLOT_WIDTH, abs=0.01), 10), (charts.PLOT_WIDTH, 1230)]
    assert page.by_id("chart-years").get("role") == "img" and page.by_id("chart-years-title").text
    assert len(bars(svg(page.html, "chart-years-region"))) == 4
    hours = Page(client.get("/admin/stats/?measure=hours"))
    assert row_cells(hours, "table-region")["japan"] == ["Japan", "0", "450.5"]
    assert [value for _, value in bars(svg(hours.html, "chart-years"))] == [20, 496]


def test_overview_without_cycles(client, login, make_user):
    login(make_user('admin'))
    page = Page(client.get("/admin/stats/"))
    assert page.response.status_code == 200
    assert "There are no cycles yet." in page.main_text


def test_a_site_name_with_markup_is_escaped_everywhere(client, login, stats_world, make_site, make_nomination):
    evil = make_site("EVIL", country="FR", name_en='<script>alert("x")</script>', name_ja='<script>alert("x")</script>')
    make_nomination(stats_world.fy2013, evil, NominationStatus.SUBMITTED, participants=5000)
    login(stats_world.admin)
    html = client.get(f"/admin/stats/{stats_world.fy2013.id}").get_data(as_text=True)
    assert "<script>alert" not in html
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"
    chart = svg(html, "chart-site")
    assert escaped in chart  # the bar's label and its tooltip
    assert chart.count(escaped) == 2
    assert escaped in html.split('id="table-site"')[1]


def test_the_pages_speak_japanese(client, login, stats_world):
    stats_world.admin.locale = "ja"
    login(stats_world.admin)
    page = Page(client.get(f"/admin/stats/{stats_world.fy2013.id}"))
    assert page.lang == "ja"
    assert row_cells(page, "table-region")["japan"][:3] == ["国内", "3", "1,200"]
    assert row_cells(page, "table-region")["overseas"][0] == "海外"
    assert row_cells(page, "table-country")["DE"][:2] == ["ドイツ", "海外"]
    assert [cells[0] for key, cells in row_cells(page, "table-theme").items() if key != "total"][1:] == [
        "自然", "教育", "コミュニティ"]
    assert list(row_cells(page, "table-site").values())[1][:2] == ["東京事業所", "日本"]
    headers = [th.text for th in page.find_all("th", scope="col")]
    assert {"地域", "国", "拠点", "応募", "MDDのテーマ"} <= set(headers)
    assert "東京事業所" in svg(page.html, "chart-site") and "国内" in svg(page.html, "chart-region")
    assert page.find("span", data_status="draft").text == "1"
    assert "下書き" in page.by_id("not-counted").text
    overview = Page(client.get("/admin/stats/"))
    assert overview.lang == "ja" and "結果確定" in row_cells(overview, "table-totals")["row0"][1]
