"""The audit log: every domain event becomes a row; admins read it, filtered and paginated."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from awards_app.audit.models import AuditEvent
from awards_app.audit.queries import list_events_query
from awards_app.core import events
from awards_app.extensions import db
from core.support import Page, normalise_spaces


@pytest.fixture
def admin(make_user):
    return make_user("admin", name="Audit Admin", timezone="Asia/Tokyo")


@pytest.fixture
def browser(login, admin):
    browser = login(admin)
    # Start from an empty log: logging in wrote user.login.
    for event in db.session.scalars(select(AuditEvent)):
        db.session.delete(event)
    db.session.flush()
    return browser


def record_event(actor, action: str, obj=None, *, object_type: str | None = None, **details) -> AuditEvent:
    """A row of the log as the audit receiver writes it, for any action (also ones no event has)."""
    event = AuditEvent(actor_id=getattr(actor, "id", None), action=action, details=details,
                       object_type=object_type or obj.__tablename__, object_id=getattr(obj, "id", None))
    db.session.add(event)
    return event


ALL = ["usersite.odd", "user.login", "user.login_failed", "user.updated", "user.created", "site.created"]


def rows(page: Page) -> list[list[str]]:
    return [row for row in page.table_rows()[1:] if len(row) == 5]


def actions(page: Page) -> list[str]:
    return [row[2] for row in rows(page)]


@pytest.fixture
def history(admin, make_site, make_user):
    site = make_site("OSAKA")
    user = make_user("judge", name="Judge Ito")
    record_event(admin, "site.created", site, code="OSAKA")
    record_event(admin, "user.created", user, roles=["judge"])
    record_event(admin, "user.updated", user, before={"roles": ["judge"]}, after={"roles": ["judge", "admin"]})
    record_event(None, "user.login_failed", object_type="users", email="x@example.com")
    record_event(user, "user.login", user)
    record_event(admin, "usersite.odd", site)  # 'user' prefix without the dot
    db.session.flush()
    return {"site": site, "user": user}


def test_an_announced_event_is_written_with_its_object_and_details(admin, make_site):
    site = make_site()
    events.announce(events.site_created, admin, site, code=site.code)
    events.announce(events.user_login_failed, None, object_type="users", email="x@example.com")
    db.session.flush()
    failed, created = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(2))
    assert (created.action, created.actor_id, created.object_type, created.object_id) == (
        "site.created", admin.id, "sites", site.id)
    assert created.details == {"code": site.code}
    assert created.created_at.tzinfo is not None
    assert (failed.action, failed.actor_id, failed.object_type, failed.object_id) == (
        "user.login_failed", None, "users", None)
    assert failed.details == {"email": "x@example.com"}


def test_every_event_is_audited_under_its_own_name(admin):
    for signal in events.ALL:
        events.announce(signal, admin, object_type="system", probe=signal.name)
    db.session.flush()
    written = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "system")).all()
    assert sorted(e.action for e in written) == sorted(s.name for s in events.ALL)
    assert all(e.details == {"probe": e.action} for e in written)
    assert len({s.name for s in events.ALL}) == len(events.ALL)


def test_an_event_rolled_back_leaves_no_audit_row(app, admin):
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    with db.session.begin_nested() as savepoint:
        events.announce(events.site_created, admin, object_type="sites", code="GONE")
        db.session.flush()
        savepoint.rollback()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_log_lists_newest_first_with_actor_and_details(browser, history):
    page = Page(browser.get("/admin/audit/"))
    assert actions(page) == ALL
    by_action = {row[2]: row for row in rows(page)}
    assert by_action["user.login"][1] == "Judge Ito"
    assert by_action["user.login_failed"][1] == "(system)"
    assert by_action["user.login_failed"][3] == "users"  # no object id
    assert by_action["site.created"][3] == f"sites #{history['site'].id}"
    assert "code : OSAKA" in by_action["site.created"][4]


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"action": "user."}, ["user.login", "user.login_failed", "user.updated", "user.created"]),
        ({"action": "user.log"}, ["user.login", "user.login_failed"]),
        ({"action": "user_"}, []),  # '_' is not a wildcard
        ({"action": "%"}, []),
        ({"action": "site"}, ["site.created"]),
        ({"object_type": "sites"}, ["usersite.odd", "site.created"]),
        ({"object_type": "not-a-type"}, ALL),
        ({"object_type": "users", "action": "user.login"}, ["user.login", "user.login_failed"]),
    ],
)
def test_log_filters(browser, history, query, expected):
    page = Page(browser.get("/admin/audit/", query_string=query))
    assert actions(page) == expected
    if not expected:
        assert "No events match." in page.main_text


def test_log_filters_by_object_id(browser, history):
    user = history["user"]
    page = Page(browser.get("/admin/audit/", query_string={"object_type": "users", "object_id": user.id}))
    assert actions(page) == ["user.login", "user.updated", "user.created"]
    assert page.input_value("object_id") == str(user.id)
    assert page.selected_value("object_type") == "users"
    # A non-number is ignored rather than an error.
    assert len(actions(Page(browser.get("/admin/audit/", query_string={"object_id": "abc"})))) == 6


def test_log_escapes_details(browser, admin):
    record_event(admin, "site.updated", None, object_type="sites", name="<script>alert(1)</script>")
    html = browser.get("/admin/audit/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_log_times_are_in_the_viewers_time_zone(browser, admin):
    event = record_event(admin, "site.created", None, object_type="sites")
    event.created_at = datetime(2024, 3, 31, 16, 0, tzinfo=timezone.utc)
    db.session.flush()
    assert rows(Page(browser.get("/admin/audit/")))[0][0] == "Apr 1, 2024, 1:00 AM JST"  # Tokyo is UTC+9
    browser.post("/account", data={"name": admin.name, "locale": "ja", "timezone": "Asia/Tokyo"})
    assert rows(Page(browser.get("/admin/audit/")))[0][0] == "2024年4月1日 1:00 JST"
    browser.post("/account", data={"name": admin.name, "locale": "en", "timezone": "Europe/London"})
    assert normalise_spaces(rows(Page(browser.get("/admin/audit/")))[0][0]) == "Mar 31, 2024, 5:00 PM BST"


def test_log_paginates_by_hundred_keeping_filters(browser, admin):
    for n in range(150):
        record_event(admin, "site.updated", None, object_type="sites", n=n)
    record_event(admin, "user.login", admin)
    db.session.flush()
    first = Page(browser.get("/admin/audit/", query_string={"action": "site."}))
    assert len(rows(first)) == 100
    assert "n : 149" in rows(first)[0][4]
    next_link = [a.get("href") for a in first.find_all("a", class_="page-link") if a.text == "2"][0]
    assert "action=site." in next_link and "page=2" in next_link
    second = Page(browser.get(next_link))
    assert len(rows(second)) == 50
    assert set(actions(second)) == {"site.updated"}
    assert "n : 0" in rows(second)[-1][4]
    # Past the end: an empty page, not an error.
    past = browser.get("/admin/audit/", query_string={"page": 9})
    assert past.status_code == 200 and rows(Page(past)) == []


def test_log_query_count_does_not_grow_with_events(browser, admin, make_user, count_queries):
    def add(count):
        for _ in range(count):
            actor = make_user("judge")
            record_event(actor, "user.login", actor)
        db.session.flush()

    def count():
        db.session.expire_all()
        with count_queries() as statements:
            assert browser.get("/admin/audit/").status_code == 200
        return len(statements)

    add(2)
    few = count()
    add(40)
    assert few == count()


def test_list_events_query_combines_filters(admin, make_site):
    site = make_site()
    record_event(admin, "site.created", site)
    record_event(admin, "site.updated", site)
    record_event(admin, "site.updated", make_site())
    db.session.flush()
    found = db.session.scalars(list_events_query("site.up", "sites", site.id)).all()
    assert [(e.action, e.object_id) for e in found] == [("site.updated", site.id)]


def test_audit_log_is_for_admins_only(client, login, make_user):
    for user in (make_user("judge"), make_user("submitter"), make_user("judge", "submitter")):
        response = login(user).get("/admin/audit/")
        assert response.status_code == 403
        assert "user.login" not in response.get_data(as_text=True)
    login(None)
    response = client.get("/admin/audit/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_log_filters_by_every_kind_of_object_events_are_about(browser, admin, make_cycle, make_site, make_user,
                                                              make_nomination, make_assignment, make_sheet):
    cycle = make_cycle()
    nomination = make_nomination(cycle, make_site())
    sheet = make_sheet(make_assignment(nomination, make_user("judge")), [3, 3, 3])
    events.announce(events.sheet_reopened, admin, sheet, nomination_id=nomination.id, reason="Typo")
    db.session.flush()
    page = Page(browser.get("/admin/audit/", query_string={"object_type": "score_sheets"}))
    assert actions(page) == ["sheet.reopened"]
    assert page.selected_value("object_type") == "score_sheets"
    assert rows(page)[0][3] == f"score_sheets #{sheet.id}"
