"""Password reset end to end: the link from the mail the SMTP server received, a new password set
through the same path as a password change, every other session ended."""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from awards_app.accounts.models import PasswordReset
from awards_app.core.models import utcnow
from awards_app.extensions import db
from awards_app.notifications.models import Notification
from core.support import Page
from tests.notifications.support import html, plain

NEW_PASSWORD = "a brand new passphrase"
SAME_ANSWER = "If an account uses this address, a link to set a new password is on its way."


@pytest.fixture
def judge(make_user):
    return make_user("judge", email="judge@example.com", name="Judge Ito")


def ask(client, email: str, address: str = "10.1.0.1"):
    return client.post("/password/forgot", data={"email": email}, environ_base={"REMOTE_ADDR": address})


def link_in(message) -> str:
    [link] = re.findall(r"http://localhost/password/reset/\S+", plain(message))
    assert link in html(message)
    return urlsplit(link).path


def test_the_login_page_links_to_the_form(client):
    assert 'href="/password/forgot"' in client.get("/login").get_data(as_text=True)
    assert Page(client.get("/password/forgot")).response.status_code == 200


def test_forgot_password_end_to_end(client, new_client, login, judge, smtp):
    elsewhere = login(judge, new_client())  # a session on another computer
    assert elsewhere.get("/account").status_code == 200

    response = ask(client, "Judge@Example.com ")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert SAME_ANSWER in Page(client.get("/login")).main_text
    [message] = smtp.messages
    assert message["To"] == "judge@example.com" and message["Subject"] == "Set a new MDD Awards password"
    path = link_in(message)

    page = Page(client.get(path))
    assert page.response.status_code == 200 and "judge@example.com" in page.main_text
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/login"

    # The other session has ended; the old password no longer works; the new one does.
    assert elsewhere.get("/account").status_code == 302
    assert client.post("/login", data={"email": judge.email, "password": "correct horse battery staple"}).status_code == 200
    assert client.post("/login", data={"email": judge.email, "password": NEW_PASSWORD}).status_code == 302
    # The link works once; and the account's owner is told the password changed.
    assert new_client().get(path).status_code == 404
    assert [m["Subject"] for m in smtp.messages][-1] == "Your MDD Awards password was changed"
    [changed] = db.session.scalars(select(Notification).where(Notification.kind == "password_changed"))
    assert changed.recipient_id == judge.id


def test_an_unknown_or_deactivated_address_gets_the_same_answer_and_nothing_is_sent(client, make_user, smtp):
    make_user("judge", email="gone@example.com", active=False)
    answers = []
    for email in ("nobody@example.com", "gone@example.com"):
        response = ask(client, email)
        answers.append((response.status_code, response.headers["Location"]))
        assert SAME_ANSWER in Page(client.get("/login")).main_text
    assert answers == [(302, "/login")] * 2
    assert smtp.messages == [] and db.session.scalars(select(PasswordReset)).all() == []


def test_only_a_hash_of_the_token_is_stored_and_the_link_expires_after_an_hour(client, judge, smtp, app):
    ask(client, judge.email)
    path = link_in(smtp.messages[0])
    token = path.rsplit("/", 1)[1]
    [reset] = db.session.scalars(select(PasswordReset))
    [row] = db.session.scalars(select(Notification).where(Notification.kind == "password_reset"))
    assert token not in reset.token_hash and token not in row.body_text + row.body_html + (row.secret or "")
    assert timedelta(minutes=59) < reset.expires_at - utcnow() <= timedelta(hours=1)
    reset.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get(path)
    assert response.status_code == 404 and "not valid" in Page(response).main_text


def test_a_new_request_makes_the_earlier_link_stop_working(client, judge, smtp):
    ask(client, judge.email)
    ask(client, judge.email)
    first, second = (link_in(message) for message in smtp.messages)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_the_new_password_follows_the_password_rules_and_the_link_stays_usable(client, judge, smtp):
    ask(client, judge.email)
    path = link_in(smtp.messages[0])
    response = client.post(path, data={"password": "short", "confirm": "short"})
    assert response.status_code == 200 and Page(response).field_error("password") == "Use at least 12 characters."
    assert client.get(path).status_code == 200


def test_requests_are_limited_per_account_from_any_address(client, judge, smtp):
    for n in range(3):
        assert ask(client, judge.email, address=f"10.2.0.{n}").status_code == 302
    refused = ask(client, judge.email, address="10.2.0.99")
    assert refused.status_code == 429
    page = Page(refused)
    assert "Too many requests for a password reset" in page.main_text
    assert page.input_value("email") == judge.email
    assert len(smtp.messages) == 3
    # An unknown address is limited the same way: the answer says nothing about the account.
    for n in range(3):
        ask(client, "nobody@example.com", address=f"10.3.0.{n}")
    assert ask(client, "nobody@example.com", address="10.3.0.99").status_code == 429


def test_requests_are_limited_per_client_address(client, smtp):
    for n in range(10):
        assert ask(client, f"someone{n}@example.com", address="10.4.0.1").status_code == 302
    assert ask(client, "someone-else@example.com", address="10.4.0.1").status_code == 429
    assert ask(client, "someone-else@example.com", address="10.4.0.2").status_code == 302


@pytest.mark.parametrize("email, error", [("", "This field is required."), ("a\u0007b@example.com", None)])
def test_bad_input_is_refused_beside_the_field(client, smtp, email, error):
    response = client.post("/password/forgot", data={"email": email})
    assert response.status_code == 200
    page = Page(response)
    assert page.field_error("email")
    if error:
        assert page.field_error("email") == error
    assert page.input_value("email") == email.strip()
    assert smtp.messages == []
