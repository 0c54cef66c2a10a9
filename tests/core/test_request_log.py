"""One structured log line per request, without query strings, cookies or form data."""
import json
import logging

import pytest

from awards_app.core.request_log import format_line
from tests.conftest import PASSWORD

LOGGER = "awards_app.request"


@pytest.fixture
def request_lines(app, caplog, monkeypatch):
    monkeypatch.setitem(app.config, "LOG_REQUESTS", True)
    caplog.set_level(logging.INFO, logger=LOGGER)

    def lines():
        return [r.getMessage() for r in caplog.records if r.name == LOGGER]

    return lines


def test_one_key_value_line_per_request_without_query_string(client, request_lines):
    response = client.get("/healthz?token=very-secret-token", headers={"Cookie": "session=cookie-value"})
    assert response.status_code == 200
    [line] = request_lines()
    assert line.startswith("method=GET path=/healthz status=200 duration_ms=")
    assert line.endswith(" user=- remote_addr=127.0.0.1")
    assert "very-secret-token" not in line and "cookie-value" not in line


def test_logs_the_user_id_and_no_form_data(client, make_user, request_lines):
    user = make_user("admin", email="logged@example.com")
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    client.get("/")
    client.get("/healthz")
    login_line, page_line, health_line = request_lines()
    assert "path=/login status=302" in login_line and f"user={user.id} " in login_line
    assert PASSWORD.split()[0] not in login_line and "logged@example.com" not in login_line
    assert "path=/ " in page_line and f"user={user.id} " in page_line
    # A route that never looks at the user is logged without one rather than paying a query.
    assert "user=- " in health_line


def test_json_format_and_error_statuses(client, app, request_lines, monkeypatch):
    monkeypatch.setitem(app.config, "LOG_FORMAT", "json")
    client.get("/no-such-page")
    [line] = request_lines()
    record = json.loads(line)
    assert record["method"] == "GET" and record["path"] == "/no-such-page" and record["status"] == 404
    assert isinstance(record["duration_ms"], float) and record["user"] == "-"
    assert set(record) == {"method", "path", "status", "duration_ms", "user", "remote_addr"}


def test_silent_unless_configured(client, app, caplog):
    assert app.config["LOG_REQUESTS"] is False
    caplog.set_level(logging.INFO, logger=LOGGER)
    client.get("/healthz")
    assert [r for r in caplog.records if r.name == LOGGER] == []


def test_odd_values_are_quoted_so_a_path_cannot_forge_fields():
    line = format_line({"path": "/a b\nstatus=200", "status": 404})
    assert line == 'path="/a b\\nstatus=200" status=404'
    assert "\n" not in line
