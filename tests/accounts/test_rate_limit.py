"""Login rate limiting: per client address and per account, failed attempts only."""
from __future__ import annotations

import pytest

from awards_app.extensions import limiter
from core.support import Page
from tests.conftest import PASSWORD, forget_login_attempts

LOCKOUT_EN = "Too many login attempts. Please wait"


def _attempt(client, email, password="wrong password", address="10.0.0.1"):
    return client.post(
        "/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


@pytest.fixture
def judge(make_user):
    return make_user("judge", email="judge@example.com")


def test_the_limiter_is_on_in_testing(app):
    assert app.testing
    assert limiter.enabled
    assert app.config["LOGIN_RATE_LIMIT_ADDRESS"] == "10 per minute"
    assert app.config["LOGIN_RATE_LIMIT_ACCOUNT"] == "5 per 15 minutes"
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_an_account_is_locked_after_five_failures_from_different_addresses(client, judge):
    for n in range(5):
        assert _attempt(client, judge.email, address=f"10.0.1.{n}").status_code == 200
    locked = _attempt(client, judge.email, address="10.0.1.99")
    assert locked.status_code == 429
    # Even the right password is refused while the account is locked.
    assert _attempt(client, judge.email, PASSWORD, address="10.0.1.100").status_code == 429


def test_the_account_key_ignores_case_and_spaces(client, judge):
    for n, typed in enumerate(["judge@example.com", "JUDGE@example.com", " Judge@Example.COM ", "judge@EXAMPLE.com", "Judge@example.com"]):
        assert _attempt(client, typed, address=f"10.0.2.{n}").status_code == 200
    assert _attempt(client, "judge@example.com", PASSWORD, address="10.0.2.9").status_code == 429


def test_a_locked_account_does_not_lock_others_from_the_same_address(client, judge, make_user):
    other = make_user("submitter", email="other@example.com")
    for _ in range(5):
        _attempt(client, judge.email)
    assert _attempt(client, judge.email).status_code == 429
    assert _attempt(client, other.email, PASSWORD).status_code == 302


def test_an_address_is_locked_after_ten_failures_across_accounts(client, judge, new_client):
    for n in range(10):
        assert _attempt(client, f"nobody{n}@example.com", address="10.0.3.1").status_code == 200
    assert _attempt(client, "nobody99@example.com", address="10.0.3.1").status_code == 429
    # The right password from that address is refused too; another address is not.
    assert _attempt(client, judge.email, PASSWORD, address="10.0.3.1").status_code == 429
    assert _attempt(new_client(), judge.email, PASSWORD, address="10.0.3.2").status_code == 302


def test_successful_logins_are_not_counted(judge, new_client):
    for _ in range(12):
        browser = new_client()
        assert _attempt(browser, judge.email, PASSWORD).status_code == 302
    assert _attempt(new_client(), judge.email).status_code == 200


def test_refused_attempts_while_locked_do_not_count_against_the_address(client, judge):
    for _ in range(5):
        _attempt(client, judge.email, address="10.0.4.1")
    for _ in range(10):
        assert _attempt(client, judge.email, address="10.0.4.1").status_code == 429
    # The address still has 5 of its 10 failures left, for other accounts.
    assert _attempt(client, "someone@example.com", address="10.0.4.1").status_code == 200


def test_the_lockout_page_is_the_login_form_with_a_clear_message(client, judge):
    for _ in range(5):
        _attempt(client, judge.email)
    response = _attempt(client, judge.email)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Too many login attempts. Please wait 15 minutes and try again." in page
    assert page.count(LOCKOUT_EN) == 1
    assert 'name="password"' in page
    assert 'value="judge@example.com"' in page


def test_the_lockout_message_is_translated(client, judge):
    client.post("/language", data={"locale": "ja"})
    for _ in range(5):
        _attempt(client, judge.email)
    response = _attempt(client, judge.email)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert LOCKOUT_EN not in page
    assert "ログイン" in page


def test_a_lock_from_the_address_limit_tells_to_wait_a_minute(client):
    for n in range(10):
        _attempt(client, f"nobody{n}@example.com", address="10.0.5.1")
    page = _attempt(client, "nobody99@example.com", address="10.0.5.1").get_data(as_text=True)
    assert "Please wait 1 minutes and try again." in page


def test_get_is_never_limited(client, judge):
    for _ in range(6):
        _attempt(client, judge.email)
    assert _attempt(client, judge.email).status_code == 429
    response = client.get("/login")
    assert response.status_code == 200
    page = Page(response)
    assert page.find("input", name="password") is not None  # the form, not the lockout message
    assert LOCKOUT_EN not in page.html


def test_limits_follow_the_configuration(app, client, judge, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT_ACCOUNT", "2 per hour")
    for _ in range(2):
        assert _attempt(client, judge.email).status_code == 200
    response = _attempt(client, judge.email)
    assert response.status_code == 429
    assert "Please wait 60 minutes" in response.get_data(as_text=True)


def test_counts_start_fresh_in_each_test(request, client, judge):
    # Every test starts with the autouse fixture that forgets the attempts …
    assert "_fresh_rate_limits" in request.fixturenames
    for _ in range(5):
        _attempt(client, judge.email)
    assert _attempt(client, judge.email, PASSWORD).status_code == 429
    # … and what it does lifts a lock left by an earlier test.
    forget_login_attempts()
    assert _attempt(client, judge.email, PASSWORD).status_code == 302


# --- device cookies: other clients' failures never lock out a browser the owner used before -------
# (issue "Sessions that end", finding 2: five wrong passwords from anywhere locked the owner out.)


def _lock_out_untrusted_clients(client, judge):
    for n in range(5):
        _attempt(client, judge.email, address=f"10.0.6.{n}")
    assert _attempt(client, judge.email, PASSWORD, address="10.0.6.99").status_code == 429


def _owners_browser(new_client, judge):
    """A browser in which the judge logged in before (then logged out)."""
    browser = new_client()
    response = _attempt(browser, judge.email, PASSWORD, address="192.0.2.50")
    assert response.status_code == 302
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("mdd_device=")]
    assert "HttpOnly" in cookie and "Path=/login" in cookie and "SameSite=Lax" in cookie
    browser.post("/logout")
    return browser


def test_the_owners_browser_logs_in_while_others_are_locked_out(client, judge, new_client):
    owner = _owners_browser(new_client, judge)
    _lock_out_untrusted_clients(client, judge)
    assert _attempt(owner, judge.email, PASSWORD, address="192.0.2.50").status_code == 302
    # Even from another address (the owner's laptop moved to another network), with a typo first.
    owner.post("/logout")
    assert _attempt(owner, judge.email, address="203.0.113.5").status_code == 200
    assert _attempt(owner, judge.email, PASSWORD, address="203.0.113.5").status_code == 302


def test_a_device_cookie_counts_only_for_its_own_account(client, judge, make_user, new_client):
    other = make_user("judge", email="other@example.com")
    browser = _owners_browser(new_client, other)  # trusted for other@, not for judge@
    _lock_out_untrusted_clients(client, judge)
    assert _attempt(browser, judge.email, PASSWORD).status_code == 429


def test_a_forged_or_altered_device_cookie_is_not_trusted(client, judge, new_client):
    owner = _owners_browser(new_client, judge)
    _lock_out_untrusted_clients(client, judge)
    value = owner.get_cookie("mdd_device", path="/login").value
    forger = new_client()
    forger.set_cookie("mdd_device", value[:-2] + ("AA" if not value.endswith("AA") else "BB"), path="/login")
    assert _attempt(forger, judge.email, PASSWORD).status_code == 429


def test_a_trusted_browser_has_its_own_limit(judge, new_client, app):
    owner = _owners_browser(new_client, judge)
    limit = int(app.config["LOGIN_RATE_LIMIT_DEVICE"].split()[0])
    for _ in range(limit):
        assert _attempt(owner, judge.email).status_code == 200
    assert _attempt(owner, judge.email, PASSWORD).status_code == 429
    # Its failures did not lock the account for others.
    assert _attempt(new_client(), judge.email, PASSWORD, address="10.0.7.1").status_code == 302
