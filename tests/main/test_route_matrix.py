"""Every route of the main, accounts, sites and audit blueprints, for every role.

One row per (method, path); the columns are what an anonymous visitor, a submitter of site A,
a judge and an admin get. test_table_covers_every_route makes sure no route is left out.
"""
from __future__ import annotations

import pytest

from core.support import Page, is_layout_page, routes_without_a_row

ROLES = ("anonymous", "submitter", "judge", "admin")
BLUEPRINTS = ("main", "accounts", "sites", "audit")

# method, path, data, (anonymous, submitter of site A, judge, admin)
# POSTs that reach a form send invalid data, so the page is shown again (200) with its errors.
# {user} is another (active) user, {site} is site A; 999999 is an id that does not exist.
TABLE = [
    ("GET", "/", None, (200, 302, 302, 302)),
    ("POST", "/language", {"locale": "en"}, (302, 302, 302, 302)),
    ("GET", "/language", None, (405, 405, 405, 405)),
    ("GET", "/healthz", None, (200, 200, 200, 200)),
    ("GET", "/login", None, (200, 302, 302, 302)),
    ("POST", "/login", {}, (200, 302, 302, 302)),
    ("POST", "/logout", {}, (302, 302, 302, 302)),
    ("GET", "/logout", None, (405, 405, 405, 405)),
    ("GET", "/account", None, (302, 200, 200, 200)),
    ("POST", "/account", {"name": ""}, (302, 200, 200, 200)),
    ("GET", "/account/password", None, (302, 200, 200, 200)),
    ("POST", "/account/password", {}, (302, 200, 200, 200)),
    ("POST", "/account/sessions/end-others", {}, (302, 302, 302, 302)),
    ("POST", "/account/sessions/999999/end", {}, (302, 404, 404, 404)),
    ("GET", "/account/sessions/end-others", None, (405, 405, 405, 405)),
    ("GET", "/invitations/not-a-real-token", None, (404, 404, 404, 404)),
    ("POST", "/invitations/not-a-real-token", {}, (404, 404, 404, 404)),
    ("GET", "/password/forgot", None, (200, 200, 200, 200)),
    ("POST", "/password/forgot", {"email": ""}, (200, 200, 200, 200)),
    ("GET", "/password/reset/not-a-real-token", None, (404, 404, 404, 404)),
    ("POST", "/password/reset/not-a-real-token", {}, (404, 404, 404, 404)),
    ("GET", "/admin/users", None, (302, 403, 403, 200)),
    ("GET", "/admin/users/new", None, (302, 403, 403, 200)),
    ("POST", "/admin/users/new", {"email": ""}, (302, 403, 403, 200)),
    ("GET", "/admin/users/{user}", None, (302, 403, 403, 200)),
    ("POST", "/admin/users/{user}", {"name": ""}, (302, 403, 403, 200)),
    ("GET", "/admin/users/999999", None, (302, 403, 403, 404)),
    ("POST", "/admin/users/999999", {"name": ""}, (302, 403, 403, 404)),
    ("POST", "/admin/users/{user}/invitation", {}, (302, 403, 403, 302)),
    ("POST", "/admin/users/999999/invitation", {}, (302, 403, 403, 404)),
    ("GET", "/admin/users/{user}/invitation", None, (405, 405, 405, 405)),
    ("POST", "/admin/users/{user}/active", {"active": "1"}, (302, 403, 403, 302)),
    ("POST", "/admin/users/999999/active", {"active": "1"}, (302, 403, 403, 404)),
    ("GET", "/admin/users/{user}/active", None, (405, 405, 405, 405)),
    ("GET", "/admin/sites/", None, (302, 403, 403, 200)),
    ("GET", "/admin/sites/new", None, (302, 403, 403, 200)),
    ("POST", "/admin/sites/new", {"code": ""}, (302, 403, 403, 200)),
    ("GET", "/admin/sites/{site}", None, (302, 403, 403, 200)),
    ("POST", "/admin/sites/{site}", {"code": ""}, (302, 403, 403, 200)),
    ("GET", "/admin/sites/999999", None, (302, 403, 403, 404)),
    ("POST", "/admin/sites/999999", {"code": ""}, (302, 403, 403, 404)),
    ("GET", "/admin/audit/", None, (302, 403, 403, 200)),
    ("GET", "/no-such-page", None, (404, 404, 404, 404)),
]

# The heading of each page that answers 200 ({user} is named "Target", {site} is SITE-A); the
# POSTs send invalid data, so their form comes back with an error beside a field.
HEADINGS = {
    "/": "MDD Awards",
    "/login": "Log in",
    "/account": "My account",
    "/account/password": "Change password",
    "/password/forgot": "Forgot your password?",
    "/admin/users": "Users",
    "/admin/users/new": "Invite a user",
    "/admin/users/{user}": "Target",
    "/admin/sites/": "Sites",
    "/admin/sites/new": "Add a site",
    "/admin/sites/{site}": "SITE-A",
    "/admin/audit/": "Audit log",
}

CASES = [
    pytest.param(method, path, data, role, expected[ROLES.index(role)], id=f"{method} {path} {role}")
    for method, path, data, expected in TABLE
    for role in ROLES
]


@pytest.fixture
def people(make_site, make_user):
    site_a = make_site("SITE-A", "JP")
    site_b = make_site("SITE-B", "US")
    return {
        "site": site_a,
        "other_site": site_b,
        "user": make_user("submitter", sites=[site_b], name="Target"),
        "anonymous": None,
        "submitter": make_user("submitter", sites=[site_a]),
        "judge": make_user("judge"),
        "admin": make_user("admin"),
    }


@pytest.mark.parametrize("method, path, data, role, expected", CASES)
def test_route_answers_role(client, login, people, method, path, data, role, expected):
    if people[role] is not None:
        login(people[role])
    url = path.format(user=people["user"].id, site=people["site"].id)
    response = client.open(url, method=method, data=data)
    assert response.status_code == expected
    if expected == 302 and role == "anonymous" and url not in ("/language", "/logout"):
        # Anonymous visitors are sent to the login page, which brings them back afterwards.
        assert response.headers["Location"].startswith("/login?next=")
    if expected == 200 and path == "/healthz":
        assert response.get_json() == {"status": "ok", "database": "ok"}
    elif expected == 200:
        page = Page(response)
        assert is_layout_page(page)
        assert page.find("h1").text == HEADINGS[path]
        if method == "POST":
            assert [e for e in page.elements if e.get("id", "").endswith("-error") and e.text], "no field error"
    if expected in (403, 404, 405):
        # Our own page in the site's layout, never Werkzeug's bare one.
        page = Page(response)
        assert is_layout_page(page)
        if url.startswith("/invitations/"):
            assert "This invitation link is not valid" in page.main_text
        elif url.startswith("/password/reset/"):
            assert "This link to set a new password is not valid" in page.main_text
        else:
            assert page.find("p", class_="display-6").text == str(expected)


def test_refused_admin_posts_change_nothing(client, login, people):
    """A 403 on a POST is not just a status: the target is untouched."""
    target = people["user"]
    login(people['judge'])
    client.post(f"/admin/users/{target.id}/active", data={"active": "0"})
    client.post(f"/admin/users/{target.id}", data={"name": "Hacked", "roles": ["admin"]})
    client.post(f"/admin/sites/{people['site'].id}", data={"code": "X", "name_en": "x", "name_ja": "x", "country": "US"})
    assert target.active is True
    assert target.name == "Target"
    assert target.is_admin is False
    assert people["site"].code == "SITE-A"


def test_table_covers_every_route(app):
    """Each (rule, method) of these blueprints is exercised by a row, so a new route needs a row."""
    requests = [(method, path.format(user=1, site=1)) for method, path, _data, _expected in TABLE]
    assert routes_without_a_row(app, BLUEPRINTS, requests) == set()
