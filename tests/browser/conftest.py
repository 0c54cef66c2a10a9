"""The real app under gunicorn on 127.0.0.1, a fresh demo database, and the system Chromium.

The server runs exactly as in production (`gunicorn -c gunicorn.conf.py`, CSRF on, two workers) on
a database made for this run: SQLite in a temporary folder, or, when the suite runs on PostgreSQL
(TEST_DATABASE_URL), a scratch database on that server. `flask db upgrade` and `flask seed-demo`
fill it, as `make run` does.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from browser.support import AXE_SCRIPT, Report, Visitor, validate_html
from tests.conftest import scratch_database

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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(base_url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at startup:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within 30 s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    with scratch_database(folder, "browser") as database_url:
        port = _free_port()
        env = {
            **os.environ,
            "FLASK_APP": "awards_app",
            "INSTANCE_PATH": str(folder / "instance"),
            "DATABASE_URL": database_url,
            "SECRET_KEY": "browser-tests-secret-key",
            "UPLOAD_FOLDER": str(folder / "uploads"),
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            "PORT": str(port),
            "WEB_CONCURRENCY": "2",
        }
        for command in (["db", "upgrade"], ["seed-demo"]):
            subprocess.run([sys.executable, "-m", "flask", *command], env=env, cwd=ROOT, check=True,
                           capture_output=True)
        log = folder / "gunicorn.log"
        with log.open("wb") as output:
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "awards_app:create_app()"],
                env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
            )
        base_url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base_url, server, log)
            yield base_url
        finally:
            server.terminate()
            server.wait(timeout=30)
        assert "Traceback" not in log.read_text(), f"the server logged an error:\n{log.read_text()}"


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
