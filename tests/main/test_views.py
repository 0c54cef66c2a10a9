"""Home page and health check."""
from core.support import Page, is_layout_page, separate_app


def test_health_check_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


# --- home page ------------------------------------------------------------------------------------


def test_home_page_for_anonymous_offers_login(client):
    page = Page(client.get("/"))
    assert is_layout_page(page)
    assert page.find("a", href="/login", class_="btn") is not None


def test_home_sends_each_role_to_its_start_page(client, login, make_user, make_site):
    expectations = [
        (make_user("admin"), "/admin/cycles/"),
        (make_user("submitter", sites=[make_site()]), "/nominations"),
        (make_user("admin", "submitter"), "/admin/cycles/"),
        (make_user("judge"), "/judging"),
        (make_user("judge", "submitter", sites=[make_site()]), "/nominations"),
    ]
    for user, location in expectations:
        login(user)
        response = client.get("/")
        assert (response.status_code, response.headers["Location"]) == (302, location)
        client.post("/logout")

    login(make_user())
    assert "Your account has no role yet." in Page(client.get("/")).main_text


# --- health check ---------------------------------------------------------------------------------


def test_health_check_is_json_and_not_cached(client):
    response = client.get("/healthz")
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"


def test_health_check_fails_when_the_database_is_unreachable(tmp_path, monkeypatch):
    with separate_app(tmp_path, monkeypatch, own_session=True,
                      SQLALCHEMY_DATABASE_URI="sqlite:////nonexistent/dir/x.db") as other:
        response = other.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unreachable"}


def test_health_check_with_its_own_session_reaches_a_real_database(tmp_path, monkeypatch):
    """The same set-up as above answers 200 on a reachable database, so the 503 is the database's."""
    with separate_app(tmp_path, monkeypatch, own_session=True,
                      SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'fresh.db'}") as other:
        response = other.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
