"""Hostile text at the edges of a request: control characters in the URL and headers, log lines
that a request could forge, and secret tokens that must never reach a log.

Run on SQLite and, in CI, on PostgreSQL (TEST_DATABASE_URL), where a text column cannot even be
compared with a value holding NUL: `GET /verify/%00` used to be a 500 there.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

import awards_app
from awards_app.accounts import services as account_services
from core.support import separate_app

REQUEST_LOGGER = "awards_app.request"


@pytest.mark.parametrize("url", [
    "/verify/%00",
    "/verify/ABC%00DEF",
    "/verify/a%0Ab",
    "/verify/%7F",
    "/verify/%C2%85",  # NEL, a C1 control
    "/invitations/%00",
    "/no/such%00page",
    "/admin/users/1%09",
])
def test_control_characters_in_the_path_are_not_found(client, url):
    """No path names anything with a control character in it: a 404 before any route runs."""
    response = client.get(url)
    assert response.status_code == 404
    assert "There is nothing here" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", [
    "/healthz?x=%00",
    "/healthz?%00=x",
    "/login?next=%0D%0Ax",
    "/nominations?q=%00",
    "/admin/audit/?action=%00",
    "/admin/users?q=%1B%5B31m",
])
def test_control_characters_in_the_query_string_are_a_bad_request(client, url):
    assert client.get(url).status_code == 400


@pytest.mark.parametrize("url, status", [("/verify/%00", 404), ("/healthz?x=%00", 400), ("/login?x=%00", 400)])
def test_control_characters_are_refused_for_every_visitor(client, login, make_user, url, status):
    login(make_user("admin"))
    assert client.get(url).status_code == status
    assert client.post(url, data={}).status_code in (status, 405)


@pytest.mark.parametrize("header", ["X-Anything", "Accept-Language", "Referer", "Cookie"])
def test_control_characters_in_a_header_are_a_bad_request(app, header):
    client = app.test_client(use_cookies=False)  # a cookie jar would write its own Cookie header
    assert client.get("/healthz", headers={header: "en\x00x"}).status_code == 400


def test_ordinary_text_still_passes(client):
    assert client.get("/verify/NO-SUCH-CODE").status_code == 404
    assert client.get("/verify/%E6%97%A5%E6%9C%AC").status_code == 404  # 日本
    assert client.get("/healthz?q=a+b&r=%E2%80%AE").status_code == 200  # bidi: dropped by text_arg
    # Header values arrive as latin-1: UTF-8 bytes of "é" look like C1 characters and are fine,
    # as is a tab (RFC 9110 allows both in a field value).
    assert client.get("/healthz", headers={"X-Name": "é".encode().decode("latin-1") + "\tx"}).status_code == 200


# --- log lines -----------------------------------------------------------------------------------


def _log_text(caplog) -> str:
    formatter = logging.Formatter("%(levelname)s %(name)s %(message)s")
    return "\n".join(formatter.format(record) for record in caplog.records)


@pytest.fixture
def failing_app(tmp_path, monkeypatch):
    with separate_app(tmp_path, monkeypatch, PROPAGATE_TEST_ERRORS=False) as other:
        @other.get("/boom/<word>")
        def boom(word: str):
            raise RuntimeError(f"no {word}\nCRITICAL awards_app forged\x1b[2J")

        @other.get("/boom-secret/<secret:token>")
        def boom_secret(token: str):
            raise RuntimeError("secret route broke")

        yield other


def test_error_log_escapes_control_characters(failing_app, caplog):
    caplog.set_level(logging.ERROR)
    response = failing_app.test_client().get("/boom/a%E2%80%AEb")  # a bidi override in the path
    assert response.status_code == 500
    text = _log_text(caplog)
    assert "unhandled error on GET /boom/a\\u202eb" in text
    assert "\u202e" not in text and "\x1b" not in text
    # The exception's own message cannot start a line of its own either.
    assert not [line for line in text.splitlines() if line.startswith("CRITICAL")]
    assert "no a\\u202eb\\nCRITICAL awards_app forged\\x1b[2J" in text


def test_every_log_line_escapes_control_characters(caplog):
    from awards_app.core.logs import get_logger

    caplog.set_level(logging.INFO)
    get_logger("awards_app.anything").warning("value %s and %r", "a\nb\x00", "c\rd")
    [record] = caplog.records
    assert record.getMessage() == "value a\\nb\\x00 and 'c\\rd'"


def test_the_app_logs_only_through_the_escaping_loggers():
    """A module that called logging.getLogger itself would write unescaped lines."""
    root = Path(awards_app.__file__).parent
    offenders = [
        str(path.relative_to(root)) for path in root.rglob("*.py")
        if path.name != "logs.py" and re.search(r"logging\.getLogger\(", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


# --- secret tokens -------------------------------------------------------------------------------


@pytest.fixture
def request_lines(app, caplog, monkeypatch):
    monkeypatch.setitem(app.config, "LOG_REQUESTS", True)
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)
    return lambda: [r.getMessage() for r in caplog.records if r.name == REQUEST_LOGGER]


def test_invitation_tokens_never_reach_the_request_log(client, make_user, request_lines):
    token = account_services.issue_invitation(None, make_user("judge"), days=7)
    assert client.get(f"/invitations/{token}").status_code == 200
    client.post(f"/invitations/{token}", data={})
    assert client.get("/invitations/not-a-real-token").status_code == 404
    lines = request_lines()
    assert len(lines) == 3
    assert all('path="/invitations/[redacted]"' in line or "path=/invitations/[redacted] " in line for line in lines)
    assert not [line for line in lines if token in line or "not-a-real-token" in line]


def test_secret_route_parts_never_reach_the_error_log(failing_app, caplog):
    caplog.set_level(logging.ERROR)
    assert failing_app.test_client().get("/boom-secret/TOPSECRET123").status_code == 500
    text = _log_text(caplog)
    assert "unhandled error on GET /boom-secret/[redacted]" in text
    assert "TOPSECRET123" not in text


def test_the_invitation_route_is_marked_secret(app):
    [rule] = [rule for rule in app.url_map.iter_rules() if rule.endpoint == "accounts.accept_invitation"]
    assert rule.rule == "/invitations/<secret:token>"
