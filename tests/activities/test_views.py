"""The activity pages: the list with its totals, the form's bad input beside its field with what was
typed kept, and a closed year explained."""
from __future__ import annotations

from sqlalchemy import func, select

from awards_app.activities.models import Activity
from awards_app.extensions import db
from core.support import Page


def test_the_list_shows_the_sites_activities_and_totals(client, login, world, make_activity):
    make_activity(world.site_a, title="Bay clean-up", participants=1200)
    make_activity(world.site_a, title="Reading club", participants=34)
    make_activity(world.site_b, title="Berlin garden")
    login(world.submitter_a)
    page = Page(client.get(f"/activities/?site={world.site_a.id}&fy={world.fy}"))
    assert page.by_id("activity-totals").text == "2 activities · 1,234 participants · 50 volunteer hours"
    assert "Bay clean-up" in page.main_text and "Berlin garden" not in page.html


def test_bad_input_is_shown_beside_its_field_and_kept(client, login, world):
    login(world.submitter_a)
    response = client.post(f"/activities/new?site={world.site_a.id}&fy={world.fy}", data={
        "title": "Tree planting", "theme": "nature", "start_date": "2001-05-01", "end_date": f"{world.fy - 1}-05-02",
        "participants": "-4", "volunteer_hours": "1.25"})
    page = Page(response)
    assert response.status_code == 200
    assert page.field_error("start_date").startswith("The date must lie in FY")
    assert page.field_error("participants") == "Enter a whole number from 0 to 1000000."
    assert page.field_error("volunteer_hours")
    assert page.input_value("title") == "Tree planting" and page.input_value("participants") == "-4"
    assert db.session.scalar(select(func.count(Activity.id))) == 0


def test_an_admin_records_and_edits_for_any_site(client, login, world, make_activity):
    activity = make_activity(world.site_b, world.closed_fy)
    login(world.admin)
    response = client.post(f"/activities/{activity.id}", data={
        "title": "Corrected", "theme": "community", "start_date": activity.start_date.isoformat(),
        "end_date": activity.end_date.isoformat(), "participants": "11", "volunteer_hours": "2.5",
        "reference": activity.reference})
    assert response.status_code == 302
    assert db.session.get(Activity, activity.id).title == "Corrected"


def test_a_closed_year_is_read_only_for_the_site_with_the_reason(client, login, world, make_activity):
    activity = make_activity(world.site_a, world.closed_fy)
    login(world.submitter_a)
    page = Page(client.get(f"/activities/{activity.id}"))
    assert "The reporting deadline of FY2020 passed" in page.main_text
    assert "disabled" in page.find("fieldset").attrs
