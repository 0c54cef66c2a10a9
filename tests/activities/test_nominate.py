"""Nominations come from activities: "Nominate this activity" pre-fills the nomination, whose
dates, participants and hours are the activity's — read-only on its form, following every change
of the activity — and a nominated activity cannot be deleted."""
from __future__ import annotations

from decimal import Decimal

import pytest

from awards_app.activities import services as activity_services
from awards_app.core.enums import Theme
from awards_app.extensions import db
from awards_app.nominations import services
from awards_app.nominations.models import Nomination
from core.support import Page

from .conftest import events


@pytest.fixture
def setting(world, make_cycle, make_activity):
    cycle = make_cycle(fiscal_year=world.fy)
    activity = make_activity(world.site_a, world.fy, title="Bay clean-up", theme=Theme.EDUCATION, participants=321,
                             volunteer_hours=Decimal("654.5"), partners="City")
    return cycle, activity


def test_nominate_this_activity_prefills_and_links(client, login, world, setting):
    cycle, activity = setting
    login(world.submitter_a)
    page = Page(client.get(f"/activities/{activity.id}"))
    link = page.by_id("nominate").get("href")
    assert link == f"/nominations/new/{cycle.id}?activity={activity.id}"
    form = Page(client.get(link))
    assert form.input_value("title") == "Bay clean-up" and form.input_value("participants") == "321"
    assert "readonly" in form.by_id("participants").attrs and "Open the activity" in form.by_id("from-activity").text
    response = client.post(link, data={"site_id": world.site_a.id, "language": "en", "title": "Bay clean-up",
                                       "theme": "education", "participants": "1", "volunteer_hours": "2",
                                       "start_date": "", "end_date": "", "save_draft": "y"})
    assert response.status_code == 302, [(e.get("id"), e.text) for e in Page(response).find_all(class_="invalid-feedback")]
    nomination = db.session.query(Nomination).one()
    assert nomination.activity_id == activity.id
    assert (nomination.participants, nomination.volunteer_hours, nomination.start_date) == (
        321, Decimal("654.5"), activity.start_date), "the typed figures were ignored"
    assert Page(client.get(f"/activities/{activity.id}")).by_id("nominated") is not None
    assert client.get(link).status_code == 200  # the form still opens; the service refuses a second one
    with pytest.raises(services.NominationError):
        services.create_nomination(world.submitter_a, cycle, world.site_a, {}, activity=activity)


def test_another_sites_activity_cannot_be_nominated(client, login, world, setting):
    cycle, activity = setting
    login(world.submitter_b)
    assert client.get(f"/nominations/new/{cycle.id}?activity={activity.id}").status_code == 404


def test_the_nomination_follows_its_activity_and_the_activity_cannot_go(world, setting):
    cycle, activity = setting
    nomination = services.create_nomination(world.submitter_a, cycle, world.site_a,
                                            {"title": "Bay", "participants": 5}, activity=activity)
    services.update_nomination(world.submitter_a, nomination, {"participants": 9, "title": "Bay 2"},
                               expected_version=nomination.version)
    assert nomination.participants == 321 and nomination.title == "Bay 2"
    values = {name: getattr(activity, name) for name in activity_services.FIELDS}
    activity_services.update_activity(world.submitter_a, activity, {**values, "participants": 400})
    assert nomination.participants == 400
    assert events("nomination.updated")[-1].details == {"fields": ["participants"], "from_activity": activity.id}
    with pytest.raises(activity_services.ActivityError) as refused:
        activity_services.delete_activity(world.admin, activity)
    assert "nominated" in str(refused.value)
