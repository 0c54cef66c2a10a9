"""The interface language: the browser's before login, the switcher, the account's after.

These tests check `<html lang>`, locale-formatted dates and Japanese words on the page.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from core.support import Page


@pytest.mark.parametrize(
    "accept, lang",
    [
        ("ja", "ja"),
        ("ja-JP,ja;q=0.9,en;q=0.8", "ja"),
        ("en-US,en;q=0.9", "en"),
        ("en;q=0.5,ja;q=0.8", "ja"),
        ("fr-FR,fr;q=0.9", "en"),  # neither: the default
        ("", "en"),
    ],
)
def test_accept_language_decides_before_login(client, accept, lang):
    page = Page(client.get("/", headers={"Accept-Language": accept}))
    assert page.lang == lang
    assert page.find("h1").text == {"ja": "MDDアワード", "en": "MDD Awards"}[lang]


def test_japanese_pages_show_japanese_time_zone_by_default(client):
    page = Page(client.get("/", headers={"Accept-Language": "ja"}))
    assert "Asia/Tokyo" in page.find("footer").text
    page = Page(client.get("/", headers={"Accept-Language": "en"}))
    assert "UTC" in page.find("footer").text


def test_switcher_is_on_every_page_and_marks_the_current_language(client, make_user):
    for path in ("/", "/login"):
        page = Page(client.get(path, headers={"Accept-Language": "ja"}))
        form = page.find("form", action="/language")
        assert form is not None and form.get("method") == "post"
        pressed = [b.get("value") for b in page.find_all("button", name="locale") if b.get("aria-pressed") == "true"]
        assert pressed == ["ja"]
        assert page.find("input", name="next").get("value").startswith(path)


def test_switcher_sets_the_language_for_an_anonymous_visitor(client):
    response = client.post("/language", data={"locale": "ja", "next": "/login"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    with client.session_transaction() as session:
        assert session["locale"] == "ja"
    # The choice beats the browser's Accept-Language from now on.
    assert Page(client.get("/login", headers={"Accept-Language": "en"})).lang == "ja"
    client.post("/language", data={"locale": "en"})
    assert Page(client.get("/login", headers={"Accept-Language": "ja"})).lang == "en"


def test_switcher_ignores_unknown_languages_and_foreign_next(client):
    response = client.post("/language", data={"locale": "fr", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    with client.session_transaction() as session:
        assert "locale" not in session
    assert Page(client.get("/", headers={"Accept-Language": "en"})).lang == "en"


def test_switcher_saves_the_language_on_the_account(client, login, new_client, make_user):
    user = make_user("judge", locale="en")
    login(user)
    assert Page(client.get("/account")).lang == "en"
    client.post("/language", data={"locale": "ja", "next": "/account"})
    assert user.locale == "ja"
    assert Page(client.get("/account", headers={"Accept-Language": "en"})).lang == "ja"
    # Saved on the account: another browser gets it after logging in, whatever it asks for.
    other = login(user, new_client())
    assert Page(other.get("/account", headers={"Accept-Language": "en"})).lang == "ja"


def test_account_language_beats_browser_and_earlier_choice(client, login, make_user):
    user = make_user("judge", locale="ja")
    client.post("/language", data={"locale": "en"})
    login(user)
    assert Page(client.get("/account", headers={"Accept-Language": "en"})).lang == "ja"


def test_dates_follow_the_interface_language(client, login, make_user):
    admin = make_user("admin", locale="en", timezone="Asia/Tokyo")
    other = make_user("judge")
    other.last_login_at = datetime(2013, 3, 31, 15, 0, tzinfo=timezone.utc)  # 1 April 2013, 00:00 in Tokyo
    login(admin)

    def users_row():
        page = Page(client.get("/admin/users"))
        return next(row for row in page.table_rows() if row and row[0] == other.name)

    # Medium dates in lists (never 4/1/13, which London reads as 4 January), and the zone written
    # the same way in both languages.
    assert users_row()[5] == "Apr 1, 2013, 12:00 AM JST"
    client.post("/language", data={"locale": "ja"})
    assert users_row()[5] == "2013年4月1日 0:00 JST"
    assert "最終ログイン" in Page(client.get("/admin/users")).main_text


def test_form_errors_are_in_japanese_in_the_japanese_interface(client, login, make_user):
    """The summary above a form (templates/_macros, which pybabel once skipped as a folder named
    _*) and WTForms' own messages (its Japanese catalog, through Flask-WTF) are translated."""
    user = make_user("judge", locale="ja")
    login(user)
    page = Page(client.post("/account", data={"name": " ", "locale": "ja", "timezone": "Asia/Tokyo"}))
    assert page.lang == "ja"
    text = page.main_text
    assert "下に示した項目を修正してください" in text and "Please correct" not in text
    assert page.field_error("name") == "このフィールドは必須です。"
