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

    totals = row_cells(Page(client.get("/admin/stats/")), "table-totals")

    def by_year(key):
        return dict(zip(totals["row0"][1:4], totals[key][1:4], strict=True))

    assert by_year("participants") == {
        "FY2011 結果確定": "174,478", "FY2012 結果確定": "132,075", "FY2013 結果確定": "127,407"}
    assert by_year("hours") == {
        "FY2011 結果確定": "153,871", "FY2012 結果確定": "128,783", "FY2013 結果確定": "124,861"}
    assert by_year("biodiversity-participants")["FY2013 結果確定"] == "8,425"

    fy2013 = db.session.scalar(select(Cycle).where(Cycle.fiscal_year == 2013))
    page = Page(client.get(f"/admin/stats/{fy2013.id}"))
    assert page.find("dd", data_total="participants").text == "127,407"
    assert page.find("dd", data_total="hours").text == "124,861"
    assert page.find("dd", data_total="biodiversity-participants").text.startswith("8,425")
    assert page.find("span", data_status="ineligible").text == "1"
    regions = row_cells(page, "table-region")
    assert regions["total"][2:] == ["127,407", "124,861"]
    # Both regions and many countries are represented.
    assert len(row_cells(page, "table-country")) > 8
