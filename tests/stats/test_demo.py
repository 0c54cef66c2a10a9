"""The statistics pages show the demo's three past cycles with the programme's published figures."""
from __future__ import annotations

from core.support import Page
from sqlalchemy import select

from awards_app.accounts.models import User
from awards_app.cycles.models import Cycle
from awards_app.demo import DEMO_PASSWORD
from awards_app.extensions import db

from .support import row_cells


def test_statistics_show_the_published_figures_of_the_demo_history(client, runner, login):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    admin = db.session.scalar(select(User).where(User.email == "admin@example.com"))
    login(admin, password=DEMO_PASSWORD)

    # The programme's figures come from every activity.
    rows = {}
    for row in Page(client.get("/admin/stats/programme")).table_rows()[1:]:
        rows.setdefault(row[0], row)  # the programme's table comes first
    # The demo's admin reads Japanese: FY2011–FY2013 are 2010年度–2012年度.
    assert [rows[fy][2:4] for fy in ("2010年度", "2011年度", "2012年度")] == [
        ["174,478", "153,871"], ["132,075", "128,783"], ["127,407", "124,861"]]
    assert rows["2012年度"][4:6] == ["17", "8,425"]
    nominated = [row for row in Page(client.get("/admin/stats/programme")).table_rows() if row[:1] == ["2012年度"]][-1]
    assert int(nominated[3]) >= 20  # the year's submitted nominations, each one of its activities
    programme = Page(client.get("/admin/stats/programme/2013"))
    assert programme.find("dd", data_total="countries").text == "17"
    assert programme.find("dd", data_total="participants").text == "127,407"

    fy2013 = db.session.scalar(select(Cycle).where(Cycle.fiscal_year == 2013))
    page = Page(client.get(f"/admin/stats/{fy2013.id}"))
    # The nominations keep their own section: a few of the activities, with their own figures.
    nominated = int(page.find("dd", data_total="participants").text.replace(",", ""))
    assert 0 < nominated < 127_407 // 5
    assert page.find("span", data_status="ineligible").text == "1"
    # Both regions and many countries are represented.
    assert len(row_cells(page, "table-country")) > 8
