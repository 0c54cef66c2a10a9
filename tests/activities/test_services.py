"""Recording, changing and deleting activities: the rules of who and when, and the audit log."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from awards_app.activities import services
from awards_app.activities.models import Activity
from awards_app.activities.queries import reporting_year
from awards_app.activities.rules import default_reporting_deadline
from awards_app.core.enums import Theme
from awards_app.extensions import db

from .conftest import events


def values(fiscal_year: int, **changes) -> dict:
    data = {"reference": "R-1", "title": "Beach clean-up", "title_other": "海岸清掃", "theme": Theme.NATURE,
            "biodiversity": True, "start_date": date(fiscal_year - 1, 6, 1), "end_date": date(fiscal_year - 1, 6, 1),
            "participants": 40, "volunteer_hours": Decimal("120.5"), "partners": "City", "description": "Litter."}
    data.update(changes)
    return data


def test_default_deadline_is_the_end_of_april_after_the_year_in_japan():
    assert default_reporting_deadline(2013) == datetime(2013, 4, 30, 15, 0, tzinfo=timezone.utc)


def test_a_submitter_records_an_activity_of_their_site_and_it_is_audited(world):
    activity = services.create_activity(world.submitter_a, world.site_a, world.fy, values(world.fy))
    assert activity.id and activity.source.value == "form" and activity.volunteer_hours == Decimal("120.5")
    [event] = events("activity.created")
    assert event.actor_id == world.submitter_a.id and event.object_id == activity.id
    assert event.details["site"] == "SITE-A" and event.details["reference"] == "R-1"


def test_a_submitter_cannot_record_for_another_site(world):
    with pytest.raises(services.ActivityError):
        services.create_activity(world.submitter_a, world.site_b, world.fy, values(world.fy))
    assert db.session.query(Activity).count() == 0


@pytest.mark.parametrize("changes, field", [
    ({"start_date": date(2000, 1, 1)}, "start_date"),
    ({"end_date": None}, "end_date"),
    ({"participants": -1}, "participants"),
    ({"title": ""}, "title"),
    ({"theme": None}, "theme"),
])
def test_invalid_values_are_refused_beside_their_field(world, changes, field):
    with pytest.raises(services.ActivityError) as refused:
        services.create_activity(world.admin, world.site_a, world.fy, values(world.fy, **changes))
    assert field in refused.value.fields


def test_the_end_date_cannot_leave_the_fiscal_year(world):
    with pytest.raises(services.ActivityError) as refused:
        services.create_activity(world.admin, world.site_a, world.fy,
                                 values(world.fy, end_date=date(world.fy, 4, 1)))
    assert refused.value.fields == ("end_date",)


def test_a_reference_is_unique_per_site_and_year(world):
    services.create_activity(world.admin, world.site_a, world.fy, values(world.fy))
    with pytest.raises(services.ActivityError) as refused:
        services.create_activity(world.admin, world.site_a, world.fy, values(world.fy, title="Other"))
    assert refused.value.fields == ("reference",)
    # Another site may use the same reference, and so may activities without one.
    services.create_activity(world.admin, world.site_b, world.fy, values(world.fy))
    services.create_activity(world.admin, world.site_a, world.fy, values(world.fy, reference=""))
    services.create_activity(world.admin, world.site_a, world.fy, values(world.fy, reference=" "))
    assert db.session.query(Activity).count() == 4


def test_after_the_deadline_only_admins_change_and_after_the_lock_nobody(world, make_activity):
    activity = make_activity(world.site_a, world.closed_fy)
    with pytest.raises(services.ActivityError) as refused:
        services.update_activity(world.submitter_a, activity, values(world.closed_fy))
    assert "reporting deadline" in str(refused.value)
    services.update_activity(world.admin, activity, values(world.closed_fy))
    [event] = events("activity.updated")
    assert event.details["changes"]["participants"] == [10, 40]
    services.update_reporting_year(world.admin, world.closed_fy,
                                   {"reporting_deadline": default_reporting_deadline(world.closed_fy), "locked": True})
    with pytest.raises(services.ActivityError) as refused:
        services.delete_activity(world.admin, activity)
    assert "locked" in str(refused.value)
    assert events("reporting_year.updated")[0].details["changes"] == {"locked": [False, True]}


def test_a_later_deadline_reopens_a_year_for_sites(world, make_activity):
    activity = make_activity(world.site_a, world.closed_fy)
    later = datetime.now(timezone.utc) + timedelta(days=3)
    services.update_reporting_year(world.admin, world.closed_fy, {"reporting_deadline": later, "locked": False})
    assert reporting_year(world.closed_fy).reporting_deadline == later
    services.delete_activity(world.submitter_a, activity)
    assert db.session.get(Activity, activity.id) is None
    assert events("activity.deleted")[0].details["reference"] == activity.reference


def test_only_admins_set_the_reporting_year(world):
    with pytest.raises(services.ActivityError):
        services.update_reporting_year(world.submitter_a, world.fy,
                                       {"reporting_deadline": default_reporting_deadline(world.fy), "locked": True})


def test_saving_unchanged_values_writes_no_event(world):
    activity = services.create_activity(world.admin, world.site_a, world.fy, values(world.fy))
    services.update_activity(world.admin, activity, values(world.fy))
    assert events("activity.updated") == []
