"""Error pages: our layout, the right status, and a rolled-back database session."""
from __future__ import annotations

import pytest
from flask import abort
from sqlalchemy import select

from awards_app.extensions import db
from awards_app.sites.models import Site
from core.support import Page, is_layout_page, separate_app


def error_page(response, status: int, heading: str) -> Page:
    assert response.status_code == status
    assert response.mimetype == "text/html"
    page = Page(response)
    assert is_layout_page(page)
    assert page.find("p", class_="display-6").text == str(status)
    assert page.find("h1").text == heading
    assert page.find("a", href="/", class_="btn") is not None  # a way back
    return page


def test_unknown_url_is_our_404_page(client):
    error_page(client.get("/no/such/page"), 404, "Not found")


def test_unknown_url_is_our_404_page_in_japanese(client):
    page = error_page(client.get("/no/such/page", headers={"Accept-Language": "ja"}), 404, "見つかりません")
    assert page.lang == "ja"


@pytest.mark.parametrize("path", ["/admin/users/999999", "/admin/sites/999999", "/admin/users/0"])
def test_unknown_object_ids_are_404(client, login, make_user, path):
    login(make_user('admin'))
    error_page(client.get(path), 404, "Not found")


def test_non_admin_on_admin_page_gets_403_page(client, login, make_user):
    login(make_user('judge', 'submitter'))
    page = error_page(client.get("/admin/users"), 403, "Not allowed")
    assert "You do not have permission to see this page." in page.main_text


def test_get_on_post_only_route_is_405_with_allow_header(client, login, make_user):
    login(make_user('judge'))
    response = client.get("/logout")
    error_page(response, 405, "Not allowed")
    allowed = set(response.headers["Allow"].split(", "))  # RFC 9110: a 405 says what is allowed
    assert "POST" in allowed and "GET" not in allowed


def test_request_larger_than_the_limit_is_413(client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit == (app.config["MAX_UPLOAD_MB"] + 1) * 1024 * 1024
    body = b"email=a%40example.com&password=" + b"x" * limit
    response = client.post("/login", data=body, content_type="application/x-www-form-urlencoded")
    page = error_page(response, 413, "File too large")
    assert "larger than the server accepts" in page.main_text


def test_request_just_under_the_limit_is_accepted(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    body = b"email=a%40example.com&password=" + b"x" * 2000
    assert client.post("/login", data=body, content_type="application/x-www-form-urlencoded").status_code == 200
    body = b"email=a%40example.com&password=" + b"x" * 5000
    assert client.post("/login", data=body, content_type="application/x-www-form-urlencoded").status_code == 413


@pytest.fixture
def failing_app(tmp_path, monkeypatch):
    """A separate app with a route that writes to the database and then fails."""
    with separate_app(tmp_path, monkeypatch, PROPAGATE_TEST_ERRORS=False) as other:
        seen = {}

        @other.get("/boom")
        @other.get("/boom/<int:status>")
        def boom(status: int = 500):
            db.session.add(Site(code="BOOM", name_en="Boom", name_ja="爆発", country="JP"))
            db.session.flush()
            if status != 500:
                abort(status)
            raise RuntimeError("something broke")

        @other.teardown_request
        def look_at_session(exc):
            # Still inside the failed request, before the session is removed at the end of it.
            seen["site_visible"] = db.session.scalar(select(Site).where(Site.code == "BOOM")) is not None

        other.seen = seen
        yield other


def test_unexpected_error_is_our_500_page_and_rolls_back(failing_app, caplog):
    response = failing_app.test_client().get("/boom")
    page = error_page(response, 500, "Something went wrong")
    assert "something broke" not in page.html  # no details leak to the visitor
    assert failing_app.seen == {"site_visible": False}
    assert db.session.scalar(select(Site).where(Site.code == "BOOM")) is None
    assert "unhandled error on GET /boom" in caplog.text


@pytest.mark.parametrize(
    "status, heading", [(400, "Bad request"), (403, "Not allowed"), (404, "Not found"), (413, "File too large")]
)
def test_refusals_roll_back_too(failing_app, status, heading):
    response = failing_app.test_client().get(f"/boom/{status}")
    error_page(response, status, heading)
    assert failing_app.seen == {"site_visible": False}


def test_500_page_speaks_the_visitors_language(failing_app):
    response = failing_app.test_client().get("/boom", headers={"Accept-Language": "ja"})
    assert Page(response).lang == "ja"
    assert Page(response).find("h1").text == "問題が発生しました"


def test_errors_propagate_in_tests_unless_switched_off(tmp_path, monkeypatch):
    with separate_app(tmp_path, monkeypatch) as other:
        @other.get("/boom")
        def boom():
            raise RuntimeError("something broke")

        with pytest.raises(RuntimeError):
            other.test_client().get("/boom")
