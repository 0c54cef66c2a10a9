"""Admins list users, set their roles and sites, deactivate and reactivate them."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from awards_app.accounts import queries
from awards_app.audit.models import AuditEvent
from awards_app.extensions import db
from core.support import Page


@pytest.fixture
def admin(make_user):
    return make_user("admin", name="Admin Person", email="admin@example.com")


@pytest.fixture
def admin_browser(login, admin):
    return login(admin)


def audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def user_names(page: Page) -> list[str]:
    return [row[0] for row in page.table_rows()[1:] if len(row) == 6]


# --- editing roles and sites ----------------------------------------------------------------------


def test_edit_page_shows_current_roles_and_sites(admin_browser, make_user, make_site):
    tokyo, paris = make_site("TOKYO", "JP"), make_site("PARIS", "FR")
    user = make_user("judge", "submitter", sites=[paris], name="Jean")
    page = Page(admin_browser.get(f"/admin/users/{user.id}"))
    assert page.find("h1").text == "Jean"
    assert page.checked_values("roles") == {"judge", "submitter"}
    assert page.checked_values("sites") == {str(paris.id)}
    assert str(tokyo.id) in {e.get("value") for e in page.find_all("input", name="sites")}


def test_edit_roles_and_sites_records_before_and_after(admin_browser, admin, make_user, make_site):
    tokyo, paris = make_site("TOKYO", "JP"), make_site("PARIS", "FR")
    user = make_user("submitter", sites=[paris], name="Jean")
    response = admin_browser.post(
        f"/admin/users/{user.id}", data={"name": "Jean Dupont", "roles": ["judge", "submitter"], "sites": [str(tokyo.id)]}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    assert user.name == "Jean Dupont"
    assert user.roles == ["judge", "submitter"]
    assert user.site_ids == {tokyo.id}

    [event] = audit("user.updated")
    assert (event.actor_id, event.object_type, event.object_id) == (admin.id, "users", user.id)
    assert event.details == {
        "before": {"name": "Jean", "roles": ["submitter"], "sites": [paris.id]},
        "after": {"name": "Jean Dupont", "roles": ["judge", "submitter"], "sites": [tokyo.id]},
    }
    assert "The changes have been saved." in Page(admin_browser.get(response.headers["Location"])).alerts()


def test_saving_without_changes_writes_no_audit_event(admin_browser, make_user):
    user = make_user("judge", name="Jean")
    admin_browser.post(f"/admin/users/{user.id}", data={"name": "Jean", "roles": ["judge"]})
    assert audit("user.updated") == []


def test_removing_all_roles_and_sites(admin_browser, make_user, make_site):
    site = make_site()
    user = make_user("judge", sites=[site], name="Jean")
    response = admin_browser.post(f"/admin/users/{user.id}", data={"name": "Jean"})
    assert response.status_code == 302
    assert user.roles == [] and user.site_ids == set()


def test_submitter_needs_a_site(admin_browser, make_user, make_site):
    user = make_user("judge", name="Jean")
    response = admin_browser.post(f"/admin/users/{user.id}", data={"name": "Jean", "roles": ["submitter"]})
    assert response.status_code == 200
    page = Page(response)
    assert page.field_error("sites") == "A site submitter needs at least one site."
    assert page.checked_values("roles") == {"submitter"}
    assert user.roles == ["judge"]


def test_admin_cannot_remove_own_admin_role(admin_browser, admin):
    response = admin_browser.post(f"/admin/users/{admin.id}", data={"name": "Admin Person", "roles": ["judge"]})
    assert response.status_code == 200
    assert Page(response).field_error("roles") == "You cannot remove your own admin role."
    assert admin.is_admin is True
    assert admin.is_judge is False
    assert audit("user.updated") == []


def test_admin_can_remove_another_admins_role(admin_browser, make_user):
    other = make_user("admin", name="Other Admin")
    admin_browser.post(f"/admin/users/{other.id}", data={"name": "Other Admin", "roles": ["judge"]})
    assert other.roles == ["judge"]


def test_new_roles_take_effect_on_the_users_next_request(admin_browser, login, make_user, new_client):
    user = make_user("judge", name="Jean")
    browser = login(user, new_client())
    assert browser.get("/admin/sites/").status_code == 403
    admin_browser.post(f"/admin/users/{user.id}", data={"name": "Jean", "roles": ["judge", "admin"]})
    assert browser.get("/admin/sites/").status_code == 200


# --- deactivation ---------------------------------------------------------------------------------


def test_deactivate_and_reactivate(admin_browser, admin, make_user):
    user = make_user("judge", name="Jean")
    response = admin_browser.post(f"/admin/users/{user.id}/active", data={"active": "0"})
    assert response.status_code == 302
    assert user.active is False
    assert queries.live_sessions_of(user) == []
    page = Page(admin_browser.get(response.headers["Location"]))
    assert "The account has been deactivated." in page.alerts()
    assert "Deactivated" in page.find("dl", class_="facts").text
    assert page.find("input", name="active", value="1") is not None  # the Reactivate button

    admin_browser.post(f"/admin/users/{user.id}/active", data={"active": "1"})
    assert user.active is True
    assert [(e.action, e.actor_id, e.object_id) for e in audit("user.deactivated") + audit("user.activated")] == [
        ("user.deactivated", admin.id, user.id),
        ("user.activated", admin.id, user.id),
    ]


def test_deactivating_twice_records_once(admin_browser, make_user):
    user = make_user("judge")
    admin_browser.post(f"/admin/users/{user.id}/active", data={"active": "0"})
    admin_browser.post(f"/admin/users/{user.id}/active", data={"active": "0"})
    assert len(audit("user.deactivated")) == 1


def test_admin_cannot_deactivate_self(admin_browser, admin):
    page = Page(admin_browser.get(f"/admin/users/{admin.id}"))
    assert page.find("input", name="active") is None  # no button offered
    response = admin_browser.post(f"/admin/users/{admin.id}/active", data={"active": "0"}, follow_redirects=True)
    assert response.status_code == 200
    assert "You cannot deactivate your own account." in Page(response).alerts()
    assert admin.active is True
    assert audit("user.deactivated") == []
    assert admin_browser.get("/admin/users").status_code == 200  # still logged in


# --- the list ---------------------------------------------------------------------------------------


@pytest.fixture
def population(make_user, make_site):
    site = make_site("OSAKA", "JP")
    return {
        "aiko": make_user("submitter", sites=[site], name="Aiko Tanaka", email="aiko@example.jp"),
        "bob": make_user("judge", name="Bob Smith", email="bob@example.com"),
        "chie": make_user("judge", "submitter", sites=[site], name="Chie 100% Sato", email="chie@example.jp"),
        "dan": make_user("judge", name="Dan Invited", email="dan@example.com", password_hash=None),
        "eve": make_user("judge", name="Eve Gone", email="eve@example.com", active=False),
    }


def test_list_shows_users_with_roles_sites_and_status(admin_browser, population):
    page = Page(admin_browser.get("/admin/users"))
    rows = {row[0]: row for row in page.table_rows()[1:]}
    assert list(rows) == ["Admin Person", "Aiko Tanaka", "Bob Smith", "Chie 100% Sato", "Dan Invited", "Eve Gone"]
    assert rows["Aiko Tanaka"][1:5] == ["aiko@example.jp", "Site submitter", "OSAKA", "Active"]
    assert rows["Chie 100% Sato"][2] == "Judge Site submitter"
    assert rows["Dan Invited"][4] == "Invited"
    assert rows["Eve Gone"][4] == "Deactivated"


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"q": "tanaka"}, ["Aiko Tanaka"]),
        ({"q": "EXAMPLE.JP"}, ["Aiko Tanaka", "Chie 100% Sato"]),
        ({"q": "  bob  "}, ["Bob Smith"]),
        ({"q": "100%"}, ["Chie 100% Sato"]),
        ({"q": "%"}, ["Chie 100% Sato"]),  # typed text is literal, not a wildcard
        ({"q": "_"}, []),
        ({"q": "nobody"}, []),
        ({"role": "judge"}, ["Bob Smith", "Chie 100% Sato", "Dan Invited", "Eve Gone"]),
        ({"role": "submitter"}, ["Aiko Tanaka", "Chie 100% Sato"]),
        ({"role": "admin"}, ["Admin Person"]),
        ({"role": "judge", "q": "example.jp"}, ["Chie 100% Sato"]),
        ({"role": "emperor"}, ["Admin Person", "Aiko Tanaka", "Bob Smith", "Chie 100% Sato", "Dan Invited", "Eve Gone"]),
    ],
)
def test_list_search_and_role_filter(admin_browser, population, query, expected):
    page = Page(admin_browser.get("/admin/users", query_string=query))
    assert user_names(page) == expected
    if not expected:
        assert "No users match." in page.main_text
    if query.get("role") in ("judge", "submitter", "admin"):
        assert page.selected_value("role") == query["role"]


def test_list_keeps_the_search_in_the_box_escaped(admin_browser):
    page = Page(admin_browser.get("/admin/users", query_string={"q": '"><script>x</script>'}))
    assert page.input_value("q") == '"><script>x</script>'
    assert "<script>x</script>" not in page.html


def test_list_paginates_at_fifty(admin_browser, make_user):
    for n in range(55):
        make_user("judge", name=f"Judge {n:02d}")
    first = Page(admin_browser.get("/admin/users"))
    assert len(user_names(first)) == 50
    second = Page(admin_browser.get("/admin/users", query_string={"page": 2}))
    assert user_names(second) == ["Judge 49", "Judge 50", "Judge 51", "Judge 52", "Judge 53", "Judge 54"]


def test_list_query_count_does_not_grow_with_users(admin_browser, make_user, make_site, count_queries):
    sites = [make_site(), make_site("ABROAD", "US")]

    def add_users(count):
        for _ in range(count):
            make_user("submitter", sites=sites)

    def queries_for_list():
        db.session.expire_all()  # as in a real request, nothing is loaded yet
        with count_queries() as statements:
            response = admin_browser.get("/admin/users")
        assert response.status_code == 200
        return len(statements), len(user_names(Page(response)))

    add_users(2)
    few, shown_few = queries_for_list()
    add_users(27)
    many, shown_many = queries_for_list()
    assert (shown_few, shown_many) == (3, 30)
    assert few == many <= 5
