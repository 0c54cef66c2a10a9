"""The shared fixtures themselves (tests/conftest.py): each test's transaction and the login helper."""
from sqlalchemy import func, select

from awards_app.extensions import db
from awards_app.sites.models import Site
from tests.conftest import rolled_back_transaction


def isolated_sites() -> int:
    return db.session.scalar(select(func.count()).select_from(Site).where(Site.code == "ISOLATED"))


def test_what_a_test_commits_is_gone_for_the_next_test(app, make_site):
    # Two test transactions in a row, as `_transaction` runs them for two tests.
    with rolled_back_transaction(app):
        make_site(code="ISOLATED")  # commits, as the factories and the views do
        assert isolated_sites() == 1
    with rolled_back_transaction(app):
        assert isolated_sites() == 0
        make_site(code="ISOLATED")  # the unique code is free again
        assert isolated_sites() == 1


def test_login_logs_the_client_in_as_the_user(client, login, make_user):
    admin = make_user("admin", name="Ada Admin")
    assert login(admin) is client
    response = client.get("/admin/sites/")
    assert response.status_code == 200
    assert "Ada Admin" in response.get_data(as_text=True)


def test_login_switches_user_and_logs_out(client, login, make_user):
    login(make_user("admin"))
    login(make_user("judge"))  # a logged-in client is logged out first
    assert client.get("/admin/sites/").status_code == 403
    login(None)
    assert client.get("/admin/sites/").status_code == 302


def test_login_another_browser(client, login, new_client, make_user):
    browser = login(make_user("admin"), new_client())
    assert browser is not client
    assert browser.get("/admin/sites/").status_code == 200
    assert client.get("/admin/sites/").status_code == 302
