"""Every activities route, for every role: a submitter sees and changes their own site's activities
(until the reporting deadline), an admin any site's (until the year is locked), a judge nothing.
Refused requests change nothing and show nothing of another site's activities."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from awards_app.activities.models import Activity, ReportingYear
from awards_app.extensions import db
from core.support import Page, is_layout_page, routes_without_a_row

ROLES = ("anonymous", "submitter_a", "submitter_b", "judge", "admin")


def _activity(w, s, fy=None):
    fy = fy or w.fy
    return {"title": "Matrix activity", "reference": "M-1", "theme": "education", "start_date": f"{fy - 1}-07-01",
            "end_date": f"{fy - 1}-07-02", "participants": "12", "volunteer_hours": "30.5"}


def _closed_activity(w, s):
    return _activity(w, s, w.closed_fy)


def _file(w, s):
    text = ("reference,title,theme,biodiversity,start_date,end_date,participants,volunteer_hours\n"
            f"F-1,From a file,nature,no,{w.fy - 1}-06-01,{w.fy - 1}-06-01,5,10\n")
    return {"file": (io.BytesIO(text.encode()), "activities.csv")}


def _year(w, s):
    return {"reporting_deadline": f"{w.fy}-05-31T23:59", "locked": "y"}


# method, path, data, (anonymous, submitter A, submitter B, judge, admin)
# {a}: site A; {act}: an activity of site A this year; {old}: one of site A in a year past its deadline.
TABLE = [
    ("GET", "/activities/?site={a}&fy={fy}", None, (302, 200, 404, 403, 200)),
    ("GET", "/activities/?site=999999", None, (302, 404, 404, 403, 404)),
    ("GET", "/activities/new?site={a}&fy={fy}", None, (302, 200, 404, 403, 200)),
    ("POST", "/activities/new?site={a}&fy={fy}", _activity, (302, 302, 404, 403, 302)),
    ("POST", "/activities/new?site={a}&fy={closed}", _closed_activity, (302, 403, 404, 403, 302)),
    ("GET", "/activities/{act}", None, (302, 200, 404, 403, 200)),
    ("GET", "/activities/999999", None, (302, 404, 404, 403, 404)),
    ("POST", "/activities/{act}", _activity, (302, 302, 404, 403, 302)),
    ("POST", "/activities/{old}", _closed_activity, (302, 403, 404, 403, 302)),
    ("POST", "/activities/{act}/delete", None, (302, 302, 404, 403, 302)),
    ("POST", "/activities/{old}/delete", None, (302, 403, 404, 403, 302)),
    ("GET", "/activities/{act}/delete", None, (405, 405, 405, 405, 405)),
    ("GET", "/activities/template.xlsx?lang=ja", None, (302, 200, 200, 403, 200)),
    ("GET", "/activities/import?site={a}", None, (302, 200, 404, 403, 200)),
    ("POST", "/activities/import?site={a}", _file, (302, 200, 404, 403, 200)),
    ("POST", "/activities/import/0123456789abcdef0123456789abcdef?site={a}", None, (302, 404, 404, 403, 404)),
    ("GET", "/activities/years/{fy}", None, (302, 403, 403, 403, 200)),
    ("POST", "/activities/years/{fy}", _year, (302, 403, 403, 403, 302)),
]

CASES = [
    pytest.param(method, path, build, role, expected[ROLES.index(role)], id=f"{method} {path} {role}")
    for method, path, build, expected in TABLE
    for role in ROLES
]


def _state():
    return (db.session.scalar(select(func.count(Activity.id))),
            db.session.scalar(select(func.max(Activity.updated_at))),
            db.session.scalar(select(func.count(ReportingYear.id))))


@pytest.mark.parametrize("method, path, build, role, expected", CASES)
def test_route_answers_each_role_as_the_matrix_says(client, login, world, make_activity, method, path, build, role,
                                                    expected):
    act = make_activity(world.site_a, title="Secret bay clean-up")
    old = make_activity(world.site_a, world.closed_fy, title="Secret old walk")
    url = path.format(a=world.site_a.id, fy=world.fy, closed=world.closed_fy, act=act.id, old=old.id)
    login(None if role == "anonymous" else getattr(world, role))
    before = _state()
    response = client.open(url, method=method, data=build(world, None) if build else {},
                           content_type="multipart/form-data" if build is _file else None)
    assert response.status_code == expected
    if expected == 200 and response.mimetype == "text/html":
        assert is_layout_page(Page(response))
    if expected == 302 and role == "anonymous":
        assert response.headers["Location"].startswith("/login?next=")
    if expected in (403, 404, 405):
        assert _state() == before, "a refused request changed the database"
        page = Page(response)
        assert is_layout_page(page)
        assert "Secret bay clean-up" not in page.html and "Secret old walk" not in page.html
    if expected == 302 and role != "anonymous" and method == "POST":
        assert _state() != before, "a 302 that changed nothing"


def test_table_covers_every_activities_route(app):
    requests = [(method, path.format(a=1, fy=2013, closed=2012, act=1, old=2).split("?")[0])
                for method, path, _build, _expected in TABLE]
    assert routes_without_a_row(app, {"activities"}, requests) == set()
