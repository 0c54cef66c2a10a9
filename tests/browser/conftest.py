"""The real app under gunicorn on 127.0.0.1, a fresh demo database, and the system Chromium.

The server runs exactly as in production (`gunicorn -c gunicorn.conf.py`, CSRF on, two workers) on
a database made for this run: SQLite in a temporary folder, or, when the suite runs on PostgreSQL
(TEST_DATABASE_URL), a scratch database on that server. `flask db upgrade` and `flask seed-demo`
fill it, as `make run` does.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from browser.support import AXE_SCRIPT, Report, Visitor, validate_html
from tests.conftest import scratch_database
from tests.servers import flask, free_port, gunicorn

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "mdd-demo-password"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(autouse=True)
def _transaction():
    """The browser tests talk to their own server and database, not the suite's transaction."""
    yield


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    yield


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    with scratch_database(folder, "browser") as database_url:
        port = free_port()
        env = {
            "INSTANCE_PATH": str(folder / "instance"),
            "DATABASE_URL": database_url,
            "SECRET_KEY": "browser-tests-secret-key",
            "UPLOAD_FOLDER": str(folder / "uploads"),
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            "PORT": str(port),
            "WEB_CONCURRENCY": "2",
        }
        flask(env, "db", "upgrade")
        flask(env, "seed-demo")
        with gunicorn(env, folder / "gunicorn.log") as base_url:
            yield base_url


@pytest.fixture(scope="session")
def browser():
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    assert executable, "the browser tests need Chromium from the system packages (.ci/run installs it)"
    assert AXE_SCRIPT.exists(), f"{AXE_SCRIPT} is missing: run `make test`, which installs it with npm"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def report(tmp_path_factory):
    return Report(tmp_path_factory.mktemp("pages"))


@pytest.fixture
def visitor(browser, live_server, report, tmp_path):
    """visitor(email) is a person logged in through the login form, in a browser of their own."""
    contexts = []
    visitors = []

    def open_browser(email: str | None = None, locale: str = "en-GB") -> Visitor:
        context = browser.new_context(locale=locale, accept_downloads=True)
        context.add_init_script(path=str(AXE_SCRIPT))
        context.set_default_timeout(10_000)
        contexts.append(context)
        person = Visitor(context.new_page(), live_server, report)
        visitors.append(person)
        if email:
            person.goto("/login")
            person.page.locator("#email").fill(email)
            person.page.locator("#password").fill(DEMO_PASSWORD)
            with person.navigation():
                person.page.locator("#password").press("Enter")
        return person

    yield open_browser
    for number, person in enumerate(visitors, 1):  # the last screen of each person, to look at
        person.page.screenshot(path=tmp_path / f"last-page-{number}.png", full_page=True)
    for person in visitors:
        person.assert_all_checked()
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def html_errors(report):
    """The Nu HTML checker's errors over every page the journeys visited."""
    return lambda: validate_html(report)
