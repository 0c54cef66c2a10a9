"""A user's own account: password change, name, language and time zone."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from awards_app.accounts import queries
from awards_app.audit.models import AuditEvent
from awards_app.extensions import db
from core.support import PASSWORD, Page, normalise_spaces

NEW_PASSWORD = "a much better passphrase"


@pytest.fixture
def user(make_user):
    return make_user("judge", email="judge@example.com", name="Hanako Judge")


@pytest.fixture
def browser(login, user):
    return login(user)


def change(browser, current=PASSWORD, password=NEW_PASSWORD, confirm=None):
    return browser.post(
        "/account/password",
        data={"current": current, "password": password, "confirm": password if confirm is None else confirm},
    )


# --- password -------------------------------------------------------------------------------------


def test_wrong_current_password_is_a_field_error(browser, user):
    old_hash = user.password_hash
    response = change(browser, current="not my password at all")
    assert response.status_code == 200
    page = Page(response)
    assert page.field_error("current") == "This is not your current password."
    assert page.field_error("password") is None
    assert user.password_hash == old_hash


@pytest.mark.parametrize(
    "password, message",
    [
        ("short", "Use at least 12 characters."),
        ("elevenchars", "Use at least 12 characters."),
        ("password1234", "This password is too common. Please choose another."),
        ("Password1234", "This password is too common. Please choose another."),
        ("aaaaaaaaaaaaaaaa", "This password is too common. Please choose another."),
        ("mdd-demo-password", "This is the demo's published password. Please choose another."),
    ],
)
def test_weak_new_password_is_a_field_error(browser, user, password, message):
    old_hash = user.password_hash
    response = change(browser, password=password)
    assert response.status_code == 200
    assert Page(response).field_error("password") == message
    assert user.password_hash == old_hash


def test_confirmation_must_match(browser, user):
    old_hash = user.password_hash
    response = change(browser, confirm="a much better passphrasE")
    assert Page(response).field_error("confirm") == "The two passwords do not match."
    assert user.password_hash == old_hash


def test_password_change_succeeds_and_keeps_this_session(browser, user, client):
    old_hash = user.password_hash
    response = change(browser)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    assert user.password_hash != old_hash
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)
    assert [login.user_id for login in queries.live_sessions_of(user)] == [user.id]  # this one only

    page = Page(browser.get("/account"))
    assert page.response.status_code == 200
    assert "Your password has been changed. Your other sessions have been ended." in page.alerts()

    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.password_changed"))
    assert (event.actor_id, event.object_id) == (user.id, user.id)

    # The new password works for a new login, the old one does not.
    client.post("/logout")
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 200
    assert client.post("/login", data={"email": user.email, "password": NEW_PASSWORD}).status_code == 302


# --- profile: name, language, time zone -----------------------------------------------------------


def test_profile_page_shows_current_settings(browser, user):
    user.locale, user.timezone = "en", "Europe/London"
    page = Page(browser.get("/account"))
    assert page.input_value("name") == "Hanako Judge"
    assert page.selected_value("locale") == "en"
    assert page.selected_value("timezone") == "Europe/London"


def test_profile_changes_language_and_time_zone(browser, user):
    response = browser.post("/account", data={"name": "Hanako J.", "locale": "ja", "timezone": "America/New_York"})
    assert response.status_code == 302
    assert (user.name, user.locale, user.timezone) == ("Hanako J.", "ja", "America/New_York")

    page = Page(browser.get("/account", headers={"Accept-Language": "en"}))
    assert page.lang == "ja"  # the account's language wins over the browser's
    assert "America/New_York" in page.find("footer").text


def test_profile_refuses_unknown_time_zone_and_language(browser, user):
    response = browser.post("/account", data={"name": "Hanako", "locale": "fr", "timezone": "Mars/Olympus_Mons"})
    assert response.status_code == 200
    page = Page(response)
    assert page.field_error("locale")
    assert page.field_error("timezone")
    assert (user.name, user.locale, user.timezone) == ("Hanako Judge", "en", "Asia/Tokyo")


def test_profile_name_is_required_and_keeps_other_input(browser, user):
    response = browser.post("/account", data={"name": "   ", "locale": "ja", "timezone": "Europe/Paris"})
    page = Page(response)
    assert page.field_error("name") == "This field is required."
    assert page.selected_value("timezone") == "Europe/Paris"
    assert user.timezone == "Asia/Tokyo"


def test_times_render_in_the_users_time_zone_and_locale(client, login, make_user):
    admin = make_user("admin", locale="en", timezone="Asia/Tokyo")
    other = make_user("judge", name="Someone")
    other.last_login_at = datetime(2024, 1, 1, 15, 30, tzinfo=timezone.utc)
    login(admin)

    def last_login_shown():
        page = Page(client.get(f"/admin/users/{other.id}"))
        facts = page.find("dl", class_="facts").text
        return normalise_spaces(facts)

    assert "Last login Jan 2, 2024, 12:30 AM JST" in last_login_shown()  # 15:30 UTC is 00:30 next day in Tokyo

    client.post("/account", data={"name": admin.name, "locale": "en", "timezone": "America/New_York"})
    assert "Last login Jan 1, 2024, 10:30 AM EST" in last_login_shown()

    # The region decides how the date reads; the zone is written the same way in every language.
    client.post("/account", data={"name": admin.name, "locale": "en", "timezone": "Asia/Tokyo", "region": "GB"})
    assert "Last login 2 Jan 2024, 00:30 JST" in last_login_shown()

    client.post("/account", data={"name": admin.name, "locale": "ja", "timezone": "Asia/Tokyo", "region": "JP"})
    assert "2024年1月2日 0:30 JST" in last_login_shown()


def test_the_region_follows_the_browser_until_the_user_picks_one(client, login, make_user):
    admin = make_user("admin", locale="en", timezone="Europe/London")
    other = make_user("judge", name="Someone")
    other.last_login_at = datetime(2026, 12, 3, 14, 35, tzinfo=timezone.utc)
    login(admin)

    def shown(accept):
        page = Page(client.get(f"/admin/users/{other.id}", headers={"Accept-Language": accept}))
        return normalise_spaces(page.find("dl", class_="facts").text)

    assert "3 Dec 2026, 14:35 GMT" in shown("en-GB,en;q=0.9")
    assert "Dec 3, 2026, 2:35 PM GMT" in shown("en-US,en;q=0.9")
    assert "Dec 3, 2026, 2:35 PM GMT" in shown("fr-FR")  # no English region: English's own
    page = Page(client.get("/account"))
    assert page.selected_value("region") == ""
    client.post("/account", data={"name": admin.name, "locale": "en", "timezone": "Europe/London", "region": "GB"})
    assert admin.region == "GB"
    assert "3 Dec 2026, 14:35 GMT" in shown("en-US,en;q=0.9")  # the profile wins over the browser


def test_the_region_must_be_one_offered(browser, user):
    response = browser.post("/account", data={"name": "Hanako", "locale": "en", "timezone": "Asia/Tokyo",
                                              "region": "XX"})
    page = Page(response)
    assert page.field_error("region")
    assert page.selected_value("timezone") == "Asia/Tokyo"
    assert user.region == ""
