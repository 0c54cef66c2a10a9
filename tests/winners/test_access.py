"""Every winners route, for every role. The page of a finalised cycle is every logged-in user's
(an anonymous visitor logs in first until an admin makes it public); nothing of a cycle whose
results are not final exists; only admins change the page. Refused requests change nothing."""
from __future__ import annotations

import pytest
from core.support import Page, is_layout_page, routes_without_a_row
from sqlalchemy import select

from awards_app.audit.models import AuditEvent
from awards_app.extensions import db

ROLES = ("anonymous", "submitter", "judge", "admin")
ADMIN_ONLY = (302, 403, 403)
MEMBERS = (302, 200, 200, 200)

# method, path, data, expected per role (see ROLES).
# {cycle}: FY2013 (finalised, not public; the Japan award {jd} shows a photo, the overseas one
# {od} none); {open}: FY2014 (judging) and its decision {xd}; {second}: another photo of the Japan
# winner; 999999 does not exist.
TABLE = [
    ("GET", "/winners", None, (200, 200, 200, 200)),
    ("GET", "/winners/2013", None, MEMBERS),
    ("GET", "/winners/2014", None, (404, 404, 404, 404)),
    ("GET", "/winners/1999", None, (404, 404, 404, 404)),
    ("POST", "/winners/2013", {}, (405, 405, 405, 405)),
    ("GET", "/winners/2013/photos/{jd}", None, MEMBERS),
    ("GET", "/winners/2013/photos/{od}", None, (302, 404, 404, 404)),
    ("GET", "/winners/2013/photos/{xd}", None, (302, 404, 404, 404)),
    ("GET", "/winners/2014/photos/{xd}", None, (404, 404, 404, 404)),
    ("GET", "/winners/2013/photos/999999", None, (302, 404, 404, 404)),
    ("POST", "/admin/cycles/{cycle}/winners/{jd}/photo", {"photo-{jd}-photo_id": "{second}"}, (*ADMIN_ONLY, 302)),
    ("POST", "/admin/cycles/{cycle}/winners/{jd}/photo", {"photo-{jd}-photo_id": "x"}, (*ADMIN_ONLY, 422)),
    ("POST", "/admin/cycles/{cycle}/winners/{xd}/photo", {"photo-{xd}-photo_id": "0"}, (*ADMIN_ONLY, 404)),
    ("POST", "/admin/cycles/{open}/winners/{xd}/photo", {"photo-{xd}-photo_id": "0"}, (*ADMIN_ONLY, 302)),
    ("POST", "/admin/cycles/999999/winners/{jd}/photo", {}, (*ADMIN_ONLY, 404)),
    ("POST", "/admin/cycles/{cycle}/winners/999999/photo", {}, (*ADMIN_ONLY, 404)),
    ("GET", "/admin/cycles/{cycle}/winners/{jd}/photo", None, (405, 405, 405, 405)),
    ("POST", "/admin/cycles/{cycle}/winners/visibility", {"visibility": "public"}, (*ADMIN_ONLY, 302)),
    ("POST", "/admin/cycles/{cycle}/winners/visibility", {"visibility": "everyone"}, (*ADMIN_ONLY, 422)),
    ("POST", "/admin/cycles/{open}/winners/visibility", {"visibility": "public"}, (*ADMIN_ONLY, 302)),
    ("POST", "/admin/cycles/999999/winners/visibility", {"visibility": "public"}, (*ADMIN_ONLY, 404)),
    ("GET", "/admin/cycles/{cycle}/winners/visibility", None, (405, 405, 405, 405)),
]

CASES = [
    pytest.param(method, path, data, role, expected[ROLES.index(role)], id=f"{method} {path} {data} {role}")
    for method, path, data, expected in TABLE
    for role in ROLES
]


@pytest.fixture
def setting(world, choose):
    choose(world.photo)
    return {
        "cycle": world.cycle.id, "open": world.open_cycle.id, "jd": world.japan_decision.id,
        "od": world.overseas_decision.id, "xd": world.open_decision.id, "second": world.second_photo.id,
        "users": {"anonymous": None, "submitter": world.submitter, "judge": world.judge, "admin": world.admin},
    }


def _fill(text: str, setting: dict) -> str:
    return text.format(**{k: v for k, v in setting.items() if k != "users"})


@pytest.mark.parametrize("method, path, data, role, expected", CASES)
def test_route_answers_role(client, login, setting, method, path, data, role, expected):
    user = setting["users"][role]
    if user is not None:
        login(user)
    url = _fill(path, setting)
    form = {_fill(k, setting): _fill(v, setting) for k, v in (data or {}).items()} if data is not None else None
    response = client.open(url, method=method, data=form)
    response.get_data()
    response.close()  # a photo is sent from its file, which closing the response closes
    assert response.status_code == expected
    if expected in (200, 422) and response.mimetype == "text/html":
        page = Page(response)
        assert is_layout_page(page)
        heading = page.find("h1").text
        assert heading == ("Winners" if url == "/winners" else "Winners · FY2013"), heading
        if url == "/winners" and role == "anonymous":  # FY2013 is not public
            assert "FY2013" not in page.main_text and page.by_id("no-winners") is not None
        elif url == "/winners":
            assert "Winners of FY2013" in page.main_text and "FY2014" not in page.main_text
        else:
            assert "Tokyo Works" in page.main_text and "Berlin Office" in page.main_text
        if expected == 422:
            assert page.find(class_="invalid-feedback") is not None
    elif expected == 200:
        assert response.mimetype == "image/png"
        assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    if expected == 302 and role == "anonymous":
        assert response.headers["Location"].startswith("/login?next=")
    if expected in (403, 404, 405):
        page = Page(response)
        assert is_layout_page(page)
        assert page.find("p", class_="display-6").text == str(expected)


def test_refused_requests_change_nothing(client, login, world, setting):
    def state():
        db.session.expire_all()
        return (world.cycle.winners_public, world.japan_decision.photo_id, world.overseas_decision.photo_id)

    before = state()
    audited = select(db.func.count(AuditEvent.id)).where(
        AuditEvent.action.in_(["award.photo_chosen", "cycle.winners_public", "cycle.winners_private"]))
    audit_before = db.session.scalar(audited)
    for user in (None, world.submitter, world.judge):
        if user is not None:
            login(user)
        base = f"/admin/cycles/{world.cycle.id}/winners"
        assert client.post(f"{base}/visibility", data={"visibility": "public"}).status_code in (302, 403)
        assert client.post(f"{base}/{world.japan_decision.id}/photo",
                           data={f"photo-{world.japan_decision.id}-photo_id": "0"}).status_code in (302, 403)
        if user is not None:
            client.post("/logout")
    assert state() == before
    assert db.session.scalar(audited) == audit_before


def test_table_covers_every_route(app):
    """Each (rule, method) of the winners blueprint has a row, so a new route needs one."""
    ids = {"cycle": 1, "open": 2, "jd": 1, "od": 2, "xd": 3, "second": 1}
    requests = [(method, path.format(**ids)) for method, path, _data, _expected in TABLE]
    assert routes_without_a_row(app, {"winners"}, requests) == set()
