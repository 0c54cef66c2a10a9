"""Inviting users: the account, the single-use expiring link, the e-mail."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from awards_app.accounts.models import Invitation, User
from awards_app.audit.models import AuditEvent
from awards_app.core.models import utcnow
from awards_app.extensions import db
from core.support import Page

NEW_PASSWORD = "my own long passphrase"


@pytest.fixture
def admin(make_user):
    return make_user("admin", name="Admin Person")


@pytest.fixture
def admin_browser(login, admin):
    return login(admin)


@pytest.fixture
def sites(make_site):
    return make_site("TOKYO", "JP"), make_site("LONDON", "GB")


def invite(browser, **fields):
    data = {"email": "new.person@example.com", "name": "New Person", "locale": "ja", "roles": ["submitter"]}
    data.update(fields)
    return browser.post("/admin/users/new", data=data)


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def invitation_path(page: Page) -> str:
    link = page.input_value("invitation-link")
    assert link, "no invitation link on the page"
    return urlsplit(link).path


def test_invite_creates_user_without_password_and_shows_the_link_once(admin_browser, sites, outbox, admin):
    tokyo, london = sites
    response = invite(admin_browser, roles=["submitter", "judge"], sites=[str(tokyo.id), str(london.id)])
    assert response.status_code == 302
    user = user_by_email("new.person@example.com")
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    assert user.name == "New Person"
    assert user.password_hash is None
    assert user.active is True
    assert (user.is_submitter, user.is_judge, user.is_admin) == (True, True, False)
    assert user.site_ids == {tokyo.id, london.id}
    assert (user.locale, user.timezone) == ("ja", "Asia/Tokyo")

    page = Page(admin_browser.get(response.headers["Location"]))
    path = invitation_path(page)
    assert path.startswith("/invitations/")
    assert "Invited, password not set yet" in page.find("dl", class_="facts").text
    # Shown once: a reload no longer shows it.
    assert Page(admin_browser.get(f"/admin/users/{user.id}")).by_id("invitation-link") is None

    # Only a hash of the token is stored.
    [invitation] = db.session.scalars(select(Invitation).where(Invitation.user_id == user.id))
    token = path.rsplit("/", 1)[1]
    assert token not in invitation.token_hash
    assert invitation.created_by_id == admin.id
    assert timedelta(days=6, hours=23) < invitation.expires_at - utcnow() <= timedelta(days=7)

    created = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.created"))
    assert created.actor_id == admin.id and created.object_id == user.id
    assert created.details["roles"] == ["judge", "submitter"]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.invited")).object_id == user.id


def test_invitation_is_mailed_with_the_link(admin_browser, sites, outbox):
    invite(admin_browser, sites=[str(sites[0].id)])
    assert len(outbox) == 1
    message = outbox[0]
    assert message["To"] == "new.person@example.com"
    assert message["Subject"] == "MDDアワードのアカウント"  # the invitee's language (ja)
    body = message.get_body(("plain",)).get_content()
    user = user_by_email("new.person@example.com")
    page = Page(admin_browser.get(f"/admin/users/{user.id}"))
    assert "The invitation has been e-mailed." in page.main_text
    link = page.input_value("invitation-link")
    assert link in body
    assert "7日後に期限切れ" in body


def test_a_forged_host_header_does_not_reach_the_invitation_link(admin_browser, sites, outbox, monkeypatch, app):
    """With PUBLIC_BASE_URL set, the link shown to the admin and mailed to the invitee is on the
    configured address, whatever Host the request that made it claimed."""
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://awards.example.com/mdd/")
    monkeypatch.setitem(app.config, "SERVER_NAME", None)  # as in production: absolute URLs follow Host
    # A request to evil.example (its Host header); the test client sends a cookie only to the host
    # that set it, so the session is handed over.
    session_cookie = admin_browser.get_cookie(app.config["SESSION_COOKIE_NAME"])
    admin_browser.set_cookie(session_cookie.key, session_cookie.value, domain="evil.example")
    response = admin_browser.post(
        "/admin/users/new", base_url="http://evil.example",
        data={"email": "new.person@example.com", "name": "New Person", "locale": "en", "roles": ["submitter"],
              "sites": [str(sites[0].id)]},
    )
    assert response.status_code == 302 and response.headers["Location"].startswith("/admin/users/")
    user = user_by_email("new.person@example.com")
    link = Page(admin_browser.get(f"/admin/users/{user.id}", base_url="http://evil.example")).input_value("invitation-link")
    assert link.startswith("https://awards.example.com/mdd/invitations/"), link
    [message] = outbox
    body = message.get_body(("plain",)).get_content()
    assert link in body and "evil.example" not in body


def test_without_a_public_address_the_invitation_link_follows_the_request(admin_browser, sites, outbox, app):
    assert not app.config.get("PUBLIC_BASE_URL")  # development and the demo: the address in use
    invite(admin_browser, sites=[str(sites[0].id)])
    assert "http://localhost/invitations/" in outbox[0].get_body(("plain",)).get_content()


def test_invitation_mail_is_written_in_the_invitees_language(admin_browser, sites, outbox):
    """An English-speaking admin inviting a Japanese user sends a Japanese e-mail, and vice versa."""
    invite(admin_browser, email="ja@example.com", locale="ja", sites=[str(sites[0].id)])
    invite(admin_browser, email="en@example.com", locale="en", sites=[str(sites[0].id)])
    subjects = {message["To"]: message["Subject"] for message in outbox}
    assert subjects == {"ja@example.com": "MDDアワードのアカウント", "en@example.com": "Your MDD Awards account"}
    bodies = {message["To"]: message.get_body(("plain",)).get_content() for message in outbox}
    assert "パスワードを設定" in bodies["ja@example.com"]
    assert "expires in 7 days" in bodies["en@example.com"]
    # ... and the admin's own pages stay in the admin's language.
    assert Page(admin_browser.get("/admin/users")).lang == "en"


def test_without_mail_the_page_says_to_send_the_link(admin_browser, sites, app, monkeypatch):
    monkeypatch.delitem(app.config, "MAIL_OUTBOX")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    response = invite(admin_browser, sites=[str(sites[0].id)])
    page = Page(admin_browser.get(response.headers["Location"]))
    assert "Send this single-use link to the user:" in page.main_text
    assert page.input_value("invitation-link")


def test_the_link_sets_the_password_and_logs_in(admin_browser, sites, new_client):
    response = invite(admin_browser, sites=[str(sites[0].id)])
    path = invitation_path(Page(admin_browser.get(response.headers["Location"])))
    user = user_by_email("new.person@example.com")

    invitee = new_client()
    page = Page(invitee.get(path))
    assert page.response.status_code == 200
    assert "new.person@example.com" in page.main_text

    response = invitee.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert user.check_password(NEW_PASSWORD)
    invitation = db.session.scalar(select(Invitation).where(Invitation.user_id == user.id))
    assert invitation.used_at is not None
    # Logged in as the invitee: the account page is theirs.
    account = Page(invitee.get("/account"))
    assert account.response.status_code == 200
    assert account.input_value("name") == "New Person"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.invitation_accepted")).actor_id == user.id


def test_the_link_is_single_use(admin_browser, sites, new_client):
    response = invite(admin_browser, sites=[str(sites[0].id)])
    path = invitation_path(Page(admin_browser.get(response.headers["Location"])))
    first = new_client()
    assert first.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302

    second = new_client()
    attempt = {"password": "attacker passphrase!", "confirm": "attacker passphrase!"}
    for response in (second.get(path), second.post(path, data=attempt)):
        assert response.status_code == 404
        assert "This invitation link is not valid" in Page(response).main_text
    assert user_by_email("new.person@example.com").check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    "password, message",
    [
        ("short", "Use at least 12 characters."),
        ("mdd-demo-password", "This is the demo's published password. Please choose another."),
    ],
)
def test_the_link_checks_password_rules(admin_browser, sites, new_client, password, message):
    response = invite(admin_browser, sites=[str(sites[0].id)])
    path = invitation_path(Page(admin_browser.get(response.headers["Location"])))
    response = new_client().post(path, data={"password": password, "confirm": password})
    assert response.status_code == 200
    assert Page(response).field_error("password") == message
    user = user_by_email("new.person@example.com")
    assert user.password_hash is None
    assert db.session.scalar(select(Invitation).where(Invitation.user_id == user.id)).used_at is None


def test_an_expired_link_is_invalid(admin_browser, sites, new_client):
    response = invite(admin_browser, sites=[str(sites[0].id)])
    path = invitation_path(Page(admin_browser.get(response.headers["Location"])))
    user = user_by_email("new.person@example.com")
    invitation = db.session.scalar(select(Invitation).where(Invitation.user_id == user.id))
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    db.session.flush()

    invitee = new_client()
    response = invitee.get(path)
    assert response.status_code == 404
    assert "This invitation link is not valid" in Page(response).main_text
    assert invitee.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 404
    assert user.password_hash is None


def test_a_garbage_token_is_invalid(client):
    for token in ("garbage", "x" * 43, "%E6%8B%9B%E5%BE%85"):
        response = client.get(f"/invitations/{token}")
        assert response.status_code == 404
        assert "This invitation link is not valid" in Page(response).main_text
    # A control character in a path is refused before any route (core/urls.py): a plain 404.
    assert client.get("/invitations/%00").status_code == 404


def test_a_link_for_a_deactivated_user_is_invalid(admin_browser, sites, new_client):
    response = invite(admin_browser, sites=[str(sites[0].id)])
    path = invitation_path(Page(admin_browser.get(response.headers["Location"])))
    user = user_by_email("new.person@example.com")
    admin_browser.post(f"/admin/users/{user.id}/active", data={"active": "0"})
    assert new_client().get(path).status_code == 404


def test_a_new_invitation_invalidates_earlier_ones(admin_browser, sites, new_client, outbox):
    response = invite(admin_browser, sites=[str(sites[0].id)])
    first = invitation_path(Page(admin_browser.get(response.headers["Location"])))
    user = user_by_email("new.person@example.com")

    response = admin_browser.post(f"/admin/users/{user.id}/invitation")
    assert response.status_code == 302
    page = Page(admin_browser.get(response.headers["Location"]))
    assert "A new invitation link has been created. Earlier links no longer work." in page.alerts()
    second = invitation_path(page)
    assert second != first
    assert len(outbox) == 2 and second in outbox[1].get_body(("plain",)).get_content()

    invitee = new_client()
    assert invitee.get(first).status_code == 404
    assert invitee.get(second).status_code == 200
    assert invitee.post(second, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302


def test_no_new_invitation_for_a_deactivated_user(admin_browser, make_user):
    user = make_user("judge", active=False)
    response = admin_browser.post(f"/admin/users/{user.id}/invitation")
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_duplicate_email_is_a_field_error_and_keeps_the_input(admin_browser, sites, make_user, outbox):
    make_user("judge", email="taken@example.com")
    london = sites[1]
    response = invite(
        admin_browser, email="Taken@Example.com", name="Second Person", locale="en",
        roles=["submitter", "judge"], sites=[str(london.id)],
    )
    assert response.status_code == 200
    page = Page(response)
    assert page.field_error("email") == "An account with this e-mail address already exists."
    assert page.input_value("email") == "Taken@Example.com"
    assert page.input_value("name") == "Second Person"
    assert page.selected_value("locale") == "en"
    assert page.checked_values("roles") == {"submitter", "judge"}
    assert page.checked_values("sites") == {str(london.id)}
    assert db.session.scalar(select(func.count()).select_from(User).where(User.name == "Second Person")) == 0
    assert outbox == []


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"email": "not-an-email"}, "email", "Enter a valid e-mail address."),
        ({"email": ""}, "email", "This field is required."),
        ({"name": ""}, "name", "This field is required."),
        ({"name": "bad\x00name"}, "name", "This field contains characters that are not allowed."),
        ({"roles": ["emperor"]}, "roles", None),
        ({"roles": ["submitter"], "sites": []}, "sites", "A site submitter needs at least one site."),
        ({"roles": ["judge"], "sites": ["999999"]}, "sites", None),
    ],
)
def test_invalid_invitation_input_is_a_field_error(admin_browser, sites, fields, field, message):
    response = invite(admin_browser, **({"sites": [str(sites[0].id)]} | fields))
    assert response.status_code == 200
    error = Page(response).field_error(field)
    assert error if message is None else error == message
    assert db.session.scalar(select(func.count()).select_from(User)) == 1  # only the admin


def test_invite_form_offers_sites_japan_first_with_escaped_names(admin_browser, make_site):
    make_site("ZZ-OSAKA", "JP", name_en="Osaka")
    make_site("AA-PARIS", "FR", name_en="<script>alert(1)</script>")
    make_site("MM-TOKYO", "JP", name_en="Tokyo")
    response = admin_browser.get("/admin/users/new")
    page = Page(response)
    labels = [e.text for e in page.find_all("label") if e.get("for", "").startswith("sites-")]
    assert [label.split(" — ")[0] for label in labels] == ["MM-TOKYO", "ZZ-OSAKA", "AA-PARIS"]
    assert "<script>alert(1)</script>" not in page.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.html
    assert page.selected_value("locale") == "ja"


def test_no_mail_and_no_link_when_the_invitation_is_rolled_back(admin_browser, sites, outbox, monkeypatch):
    """The e-mail goes out after the commit: a refusal later in the same transaction sends nothing."""
    from awards_app.accounts import services

    issue = services.issue_invitation

    def issue_then_refuse(*args, **kwargs):
        issue(*args, **kwargs)
        raise services.AccountError("Refused after the invitation was issued.")

    monkeypatch.setattr(services, "issue_invitation", issue_then_refuse)
    response = invite(admin_browser, sites=[str(sites[0].id)])
    assert response.status_code == 200
    assert "Refused after the invitation was issued." in Page(response).alerts()
    assert outbox == []
    assert user_by_email("new.person@example.com") is None
    with admin_browser.session_transaction() as session:
        assert "invitation_link" not in session
