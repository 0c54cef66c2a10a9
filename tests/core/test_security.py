"""Response headers, cookie flags and CSRF protection."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from awards_app.extensions import db
from awards_app.sites.models import Site
from core.support import PASSWORD, Page


@pytest.mark.parametrize("path", ["/", "/login", "/healthz", "/no-such-page", "/admin/users"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = {part.strip().split(" ", 1)[0]: part.strip() for part in response.headers["Content-Security-Policy"].split(";")}
    assert csp["script-src"] == "script-src 'self'"
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert csp["object-src"] == "object-src 'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_are_not_cached_but_static_files_may_be(client):
    assert client.get("/login").headers["Cache-Control"] == "no-store"
    static = client.get("/static/css/app.css")
    assert static.status_code == 200
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()


def test_pages_have_no_inline_scripts(client, login, make_user):
    login(make_user('admin'))
    for path in ("/", "/login", "/admin/users", "/admin/sites/", "/admin/audit/", "/account"):
        page = Page(client.get(path, follow_redirects=True))
        for script in page.find_all("script"):
            assert script.get("src", "").startswith("/static/"), (path, script)
            assert script.text == ""
        assert " onclick=" not in page.html and " onsubmit=" not in page.html


def cookies(response) -> dict[str, str]:
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


def test_session_cookie_is_httponly_and_samesite_lax(client, make_user):
    user = make_user("judge")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    session_cookie = cookies(response)["session"]
    assert "HttpOnly" in session_cookie
    assert "SameSite=Lax" in session_cookie
    remember_cookie = cookies(response)["remember_token"]
    assert "HttpOnly" in remember_cookie
    assert "SameSite=Lax" in remember_cookie
    assert "Secure" not in session_cookie and "Secure" not in remember_cookie  # plain HTTP: `make run`


def test_cookies_are_secure_over_https(client, make_user):
    user = make_user("judge")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"},
                           base_url="https://localhost")
    assert response.status_code == 302
    for name in ("session", "remember_token"):
        flags = [flag.strip() for flag in cookies(response)[name].split(";")]
        assert flags.count("Secure") == 1, (name, flags)
        assert "HttpOnly" in flags


def test_cookies_are_secure_behind_a_proxy_that_terminates_https(app, client, make_user, monkeypatch):
    from werkzeug.middleware.proxy_fix import ProxyFix

    monkeypatch.setattr(app, "wsgi_app", ProxyFix(app.wsgi_app, x_proto=1))
    user = make_user("judge")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD},
                           headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in cookies(response)["session"]


# --- CSRF -------------------------------------------------------------------------------------------


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def refused(response) -> bool:
    page = Page(response)
    return (
        response.status_code == 400
        and "Your form expired or was sent from elsewhere." in page.main_text
        and page.find("nav", class_="navbar") is not None
    )


def test_login_without_token_is_refused(client, make_user, csrf_on):
    user = make_user("judge")
    db.session.commit()  # the refusal rolls back the request's session, which is also the test's
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert refused(response)
    assert user.last_login_at is None
    # With the page's token it works: the refusal was about the token.
    token = Page(client.get("/login")).csrf_token()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_token_from_another_browser_is_refused(client, new_client, make_user, csrf_on):
    user = make_user("judge")
    db.session.commit()
    token = Page(new_client().get("/login")).csrf_token()
    assert refused(client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}))


def test_language_switch_without_token_is_refused(client, csrf_on):
    assert refused(client.post("/language", data={"locale": "ja"}))
    with client.session_transaction() as session:
        assert "locale" not in session
    token = Page(client.get("/")).csrf_token()
    assert client.post("/language", data={"locale": "ja", "csrf_token": token}).status_code == 302
    with client.session_transaction() as session:
        assert session["locale"] == "ja"


def test_logout_without_token_is_refused(client, login, make_user, app, monkeypatch):
    login(make_user('judge'))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert refused(client.post("/logout"))
    assert client.get("/account").status_code == 200  # still logged in


def test_admin_form_without_token_is_refused(client, login, make_user, app, monkeypatch):
    login(make_user('admin'))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    data = {"code": "CSRF", "name_en": "Forged", "name_ja": "偽造", "country": "JP", "active": "y"}
    assert refused(client.post("/admin/sites/new", data=data))
    assert db.session.scalar(select(func.count()).select_from(Site)) == 0

    token = Page(client.get("/admin/sites/new")).csrf_token()
    assert client.post("/admin/sites/new", data=data | {"csrf_token": token}).status_code == 302
    assert db.session.scalar(select(Site.code)) == "CSRF"


def test_admin_post_button_without_token_is_refused(client, login, make_user, app, monkeypatch):
    target = make_user("judge")
    login(make_user('admin'))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert refused(client.post(f"/admin/users/{target.id}/active", data={"active": "0"}))
    assert target.active is True
    page = Page(client.get(f"/admin/users/{target.id}"))
    data = {"active": "0", "csrf_token": page.csrf_token()}
    assert client.post(f"/admin/users/{target.id}/active", data=data).status_code == 302
    assert target.active is False
