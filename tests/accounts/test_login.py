"""Logging in and out: generic errors, sessions that end, safe redirects, audit events."""
from __future__ import annotations

import pytest
from core.support import PASSWORD, Page
from sqlalchemy import select

from awards_app.accounts import services
from awards_app.accounts.models import UserSession
from awards_app.audit.models import AuditEvent
from awards_app.core import tokens
from awards_app.extensions import db

GENERIC = "The e-mail address or password is not correct."


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def logged_in_email(client) -> str | None:
    """Whose session this is, read from the account page (None when it redirects to login)."""
    response = client.get("/account")
    if response.status_code != 200:
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
        return None
    return Page(response).find("p", class_="text-muted").text.split(" · ")[0]


def test_login_page_shows_the_form(client):
    page = Page(client.get("/login"))
    assert page.find("input", name="email") is not None
    assert page.find("input", name="password", type="password") is not None


def test_login_succeeds_and_redirects_home(client, make_user):
    user = make_user("judge", email="judge@example.com")
    response = client.post("/login", data={"email": "judge@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert logged_in_email(client) == "judge@example.com"
    assert user.last_login_at is not None


def test_login_ignores_case_and_spaces_in_the_email(client, make_user):
    make_user("judge", email="judge@example.com")
    response = client.post("/login", data={"email": "  Judge@Example.COM ", "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_email(client) == "judge@example.com"


def _failed_login_page(client, email, password):
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 200
    return Page(response)


def test_wrong_password_and_unknown_email_get_the_same_generic_message(client, make_user):
    make_user("judge", email="judge@example.com")
    wrong_password = _failed_login_page(client, "judge@example.com", "not the password at all")
    unknown_email = _failed_login_page(client, "nobody@example.com", PASSWORD)
    assert wrong_password.alerts() == [GENERIC]
    assert unknown_email.alerts() == [GENERIC]
    # Nothing else on the page tells the two cases apart.
    assert wrong_password.main_text == unknown_email.main_text.replace("nobody@example.com", "judge@example.com")
    assert logged_in_email(client) is None


def test_failed_login_keeps_the_typed_email_but_not_the_password(client):
    page = _failed_login_page(client, "someone@example.com", "a secret password")
    assert page.input_value("email") == "someone@example.com"
    assert page.input_value("password") in (None, "")
    assert "a secret password" not in page.html


def test_deactivated_user_cannot_log_in(client, make_user):
    make_user("judge", email="gone@example.com", active=False)
    page = _failed_login_page(client, "gone@example.com", PASSWORD)
    assert page.alerts() == [GENERIC]
    assert logged_in_email(client) is None


def test_invited_user_without_password_cannot_log_in(client, make_user):
    make_user("judge", email="invited@example.com", password_hash=None)
    page = _failed_login_page(client, "invited@example.com", "anything at all here")
    assert page.alerts() == [GENERIC]
    assert logged_in_email(client) is None


def test_every_failed_login_checks_a_password_hash(monkeypatch, make_user):
    """Unknown, deactivated and password-less accounts take as long as a wrong password."""
    make_user("judge", email="gone@example.com", active=False)
    make_user("judge", email="invited@example.com", password_hash=None)
    make_user("judge", email="judge@example.com")
    calls = []
    real = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash", lambda *a: calls.append(a) or real(*a))
    for email in ("nobody@example.com", "gone@example.com", "invited@example.com", "judge@example.com"):
        assert services.authenticate(email, "wrong password here") is None
    assert len(calls) == 4
    assert services.authenticate("judge@example.com", PASSWORD) is not None
    assert services.authenticate("gone@example.com", PASSWORD) is None


def test_login_writes_audit_events(client, login, make_user):
    user = make_user("judge", email="judge@example.com")
    client.post("/login", data={"email": "judge@example.com", "password": "wrong password"})
    client.post("/login", data={"email": "nobody@example.com", "password": "wrong password"})
    failed = events("user.login_failed")
    assert [e.details["email"] for e in failed] == ["judge@example.com", "nobody@example.com"]
    assert all(e.actor_id is None for e in failed)
    assert "password" not in str([e.details for e in failed])
    assert events("user.login") == []

    login(user)
    [login] = events("user.login")
    assert (login.actor_id, login.object_type, login.object_id) == (user.id, "users", user.id)
    assert login.details["ip"] == "127.0.0.1"


def test_session_is_renewed_at_login(client, login, make_user):
    user = make_user("judge")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(user)
    with client.session_transaction() as session:
        assert "planted" not in session
        token = session["_user_id"]
    # The session holds a random token of a server-side session, not the user's id.
    [login] = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id))
    assert login.token_hash == tokens.hash_token(token) and len(token) >= 40


def test_logout_is_post_only(client, login, make_user):
    user = make_user("judge", email="judge@example.com")
    login(user)
    assert client.get("/logout").status_code == 405
    assert logged_in_email(client) == "judge@example.com"
    response = client.post("/logout")
    assert response.status_code == 302
    assert logged_in_email(client) is None


def test_logout_clears_the_session(client, login, make_user):
    login(make_user('judge'))
    client.post("/logout")
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_logged_in_user_visiting_login_goes_home(client, login, make_user):
    login(make_user('judge'))
    response = client.get("/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_deactivation_ends_an_existing_session(client, login, new_client, make_user):
    user = make_user("judge", email="judge@example.com")
    login(user)
    assert logged_in_email(client) == "judge@example.com"

    admin_browser = login(make_user('admin'), new_client())
    response = admin_browser.post(f"/admin/users/{user.id}/active", data={"active": "0"})
    assert response.status_code == 302
    assert user.active is False

    assert logged_in_email(client) is None


def test_session_of_a_user_deactivated_by_hand_stops_working(client, login, make_user):
    """Even when the sessions were not ended (an operator changed the row directly)."""
    user = make_user("judge", email="judge@example.com")
    login(user)
    user.active = False
    db.session.commit()
    assert logged_in_email(client) is None


def test_password_change_elsewhere_ends_other_sessions(client, login, new_client, make_user):
    user = make_user("judge", email="judge@example.com")
    login(user)
    other = login(user, new_client())
    response = other.post(
        "/account/password",
        data={"current": PASSWORD, "password": "a brand new passphrase", "confirm": "a brand new passphrase"},
    )
    assert response.status_code == 302
    assert logged_in_email(other) == "judge@example.com"  # the browser that changed it stays in
    assert logged_in_email(client) is None  # every other session has ended


def test_remember_cookie_stops_working_after_password_change(client, new_client, make_user):
    user = make_user("judge", email="judge@example.com")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert any(c.startswith("remember_token=") for c in response.headers.getlist("Set-Cookie"))
    with client.session_transaction() as session:  # the browser was closed: only the cookie is left
        session.clear()
    assert logged_in_email(client) == "judge@example.com"

    services.change_password(user, "another long passphrase")
    db.session.commit()
    with client.session_transaction() as session:
        session.clear()
    assert logged_in_email(client) is None


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/account", "/account"),
        ("/admin/sites/?page=2", "/admin/sites/?page=2"),
        ("//evil.example", "/"),
        ("http://evil.example", "/"),
        ("https://evil.example/account", "/"),
        ("/\\evil.example", "/"),
        ("\\\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("evil.example", "/"),
    ],
)
def test_next_is_followed_only_for_our_own_paths(client, make_user, target, expected):
    user = make_user("judge")
    response = client.post("/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == expected


@pytest.mark.parametrize("target", ["/\t/evil.example", "/account\r\nSet-Cookie: x=1"])
def test_next_with_control_characters_is_a_bad_request(client, make_user, target):
    # Refused before the login runs, as any query string holding one (core/urls.py); safe_next
    # refuses them too (tests/core/test_urls.py).
    user = make_user("judge")
    response = client.post("/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Location" not in response.headers


def test_login_required_page_sends_back_after_login(client, make_user):
    user = make_user("judge")
    response = client.get("/account/password")
    assert response.status_code == 302
    login_url = response.headers["Location"]
    assert login_url == "/login?next=%2Faccount%2Fpassword"
    response = client.post(login_url, data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/account/password"


def test_logout_ends_a_remembered_login_too(client, make_user):
    user = make_user("judge", email="judge@example.com")
    client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert client.get_cookie("remember_token") is not None
    response = client.post("/logout")
    assert any(c.startswith("remember_token=;") for c in response.headers.getlist("Set-Cookie"))
    assert client.get_cookie("remember_token") is None
    assert logged_in_email(client) is None
