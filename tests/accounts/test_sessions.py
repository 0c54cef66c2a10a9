"""Server-side sessions: they end everywhere at once (logout, password change, deactivation, the
account page), "keep me logged in" is revocable too, and the account page lists them.

Each of the first tests failed before sessions moved to the server: a copied cookie outlived
logout (issue "Sessions that end", finding 1)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from awards_app.accounts import queries
from awards_app.accounts.models import UserSession
from awards_app.audit.models import AuditEvent
from awards_app.core.models import utcnow
from awards_app.extensions import db
from core.support import PASSWORD, Page
from tests.accounts.test_login import logged_in_email

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")


@pytest.fixture
def judge(make_user):
    return make_user("judge", email="judge@example.com")


def log_in(browser, user, *, remember=False, agent=FIREFOX, address="198.51.100.7", headers=None):
    data = {"email": user.email, "password": PASSWORD} | ({"remember": "y"} if remember else {})
    response = browser.post("/login", data=data, environ_base={"REMOTE_ADDR": address},
                            headers={"User-Agent": agent} | (headers or {}))
    assert response.status_code == 302, response.text
    return browser


def copy_cookies(source, target, *names):
    for name in names:
        cookie = source.get_cookie(name)
        target.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    return target


def test_a_copied_session_cookie_stops_working_at_logout(client, new_client, judge):
    log_in(client, judge)
    thief = copy_cookies(client, new_client(), "session")
    assert logged_in_email(thief) == "judge@example.com"
    client.post("/logout")
    assert logged_in_email(thief) is None


def test_a_copied_remember_cookie_stops_working_at_logout(client, new_client, judge):
    log_in(client, judge, remember=True)
    thief = copy_cookies(client, new_client(), "remember_token")
    assert logged_in_email(thief) == "judge@example.com"  # the cookie alone opens a session …
    later_thief = copy_cookies(client, new_client(), "remember_token")
    client.post("/logout")
    assert logged_in_email(thief) is None  # … until the login it belongs to has ended
    assert logged_in_email(later_thief) is None
    assert db.session.scalar(select(UserSession).where(UserSession.user_id == judge.id)).ended_at is not None


def test_logout_ends_only_that_browsers_session(client, new_client, judge):
    log_in(client, judge)
    other = log_in(new_client(), judge, agent=IPHONE)
    client.post("/logout")
    assert logged_in_email(other) == "judge@example.com"
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.logout"))
    assert (event.actor_id, event.object_id) == (judge.id, judge.id)


def test_the_account_page_lists_the_sessions_with_browser_address_and_times(client, new_client, judge):
    log_in(client, judge, agent=FIREFOX, address="198.51.100.7")
    log_in(new_client(), judge, agent=IPHONE, address="203.0.113.9", remember=True)
    page = Page(client.get("/account"))
    rows = [row.text for row in page.find_all("tr")[1:]]  # the only table: the sessions
    assert len(rows) == 2
    iphone, firefox = rows  # the most recently used first
    assert "Mobile Safari on iOS" in iphone and "203.0.113.9" in iphone and "kept logged in" in iphone
    assert "Firefox on Windows" in firefox and "198.51.100.7" in firefox and "This browser" in firefox


def test_a_user_ends_another_of_their_sessions(client, new_client, judge):
    log_in(client, judge)
    phone = log_in(new_client(), judge, agent=IPHONE)
    [other] = [s for s in queries.live_sessions_of(judge) if s.user_agent == IPHONE]
    response = client.post(f"/account/sessions/{other.id}/end")
    assert response.status_code == 302
    assert "The session has been ended." in Page(client.get("/account")).alerts()
    assert logged_in_email(phone) is None
    assert logged_in_email(client) == "judge@example.com"


def test_log_out_my_other_sessions_keeps_this_one(client, new_client, judge):
    log_in(client, judge)
    others = [log_in(new_client(), judge, agent=IPHONE), log_in(new_client(), judge, remember=True)]
    client.post("/account/sessions/end-others")
    assert [logged_in_email(b) for b in others] == [None, None]
    assert logged_in_email(client) == "judge@example.com"
    assert len(queries.live_sessions_of(judge)) == 1


def test_nobody_ends_another_users_session(client, new_client, judge, make_user):
    log_in(client, judge)
    [victim] = queries.live_sessions_of(judge)
    attacker = log_in(new_client(), make_user("admin", email="admin@example.com"))
    assert attacker.post(f"/account/sessions/{victim.id}/end").status_code == 404
    assert attacker.post("/account/sessions/999999/end").status_code == 404
    assert logged_in_email(client) == "judge@example.com"


def test_ending_sessions_needs_a_login_and_a_csrf_token(client, app, new_client, judge):
    assert client.post("/account/sessions/end-others").headers["Location"].startswith("/login")
    log_in(client, judge)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/account/sessions/end-others").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_an_unused_session_ends_after_its_lifetime_and_use_pushes_it_ahead(client, judge, app):
    log_in(client, judge)
    [login] = queries.live_sessions_of(judge)
    assert login.expires_at - login.created_at == timedelta(hours=app.config["SESSION_IDLE_HOURS"])
    # Used ten minutes later: "last seen" and the end move.
    login.last_seen_at = login.expires_at = utcnow() - timedelta(minutes=10) + timedelta(hours=1)
    login.last_seen_at = utcnow() - timedelta(minutes=10)
    db.session.commit()
    assert logged_in_email(client) == "judge@example.com"
    db.session.refresh(login)
    assert utcnow() - login.last_seen_at < timedelta(minutes=1)
    assert login.expires_at > utcnow() + timedelta(hours=app.config["SESSION_IDLE_HOURS"] - 1)
    # Not used for longer than its lifetime: ended.
    login.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert logged_in_email(client) is None


def test_a_remembered_session_lasts_days(client, judge, app):
    log_in(client, judge, remember=True)
    [login] = queries.live_sessions_of(judge)
    assert login.remember and login.expires_at - login.created_at == timedelta(days=app.config["REMEMBER_DAYS"])


def test_a_forwarded_address_is_not_trusted_without_a_proxy(client, judge, app):
    # PROXY_FIX=0 (no proxy in front): X-Forwarded-For is the client's own writing.
    assert app.config["PROXY_FIX"] == 0
    log_in(client, judge, address="198.51.100.7", headers={"X-Forwarded-For": "10.9.9.9"})
    [login] = queries.live_sessions_of(judge)
    assert login.address == "198.51.100.7"
    # Nor does a changed header end or move the session (Flask-Login's "strong" protection did).
    response = client.get("/account", environ_base={"REMOTE_ADDR": "198.51.100.7"}, headers={"X-Forwarded-For": "1.2.3.4"})
    assert response.status_code == 200
