"""More than one machine: two app servers (gunicorn, two workers each) on one database, one Redis
and one upload folder, spoken to over real HTTP, as behind a load balancer (docs/deploy.md).

Sessions live in the database and login limits in Redis, so what one server knows, the other
does: a login on A is valid on B, a logout on A ends the session on B, failed logins count across
both, and a file uploaded through A downloads through B. Each of these failed with signed-cookie
sessions and per-process limits (issue "Sessions that end", findings 1 and 3)."""
from __future__ import annotations

import io
import re
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
import requests
from PIL import Image
from werkzeug.security import generate_password_hash

from awards_app import create_app
from awards_app.accounts.models import User
from awards_app.core.enums import NominationStatus, Phase
from awards_app.core.models import utcnow
from awards_app.cycles.defaults import default_award_categories, default_criteria
from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from awards_app.nominations.models import Nomination
from awards_app.sites.models import Site
from tests.conftest import PASSWORD, complete_nomination_fields, scratch_database, today_fiscal_year
from tests.nominations.support import png_bytes
from tests.notifications.support import SmtpServer
from tests.servers import flask, flask_workers, free_port, gunicorn

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture(autouse=True)
def _transaction():
    """These tests talk to their own servers and database, not the suite's transaction."""
    yield


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    yield


def _people(database_url: str, uploads: str) -> SimpleNamespace:
    """A site, its submitter, a judge, and the site's draft nomination in a cycle open for nominations."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x" * 32, "UPLOAD_FOLDER": uploads})
    with app.app_context():
        site = Site(code="MN-TOKYO", name_en="Tokyo Works", name_ja="東京事業所", country="JP", active=True)
        hashed = generate_password_hash(PASSWORD)
        submitter = User(email="submitter@multi.example.com", name="Sato", password_hash=hashed, locale="en",
                         timezone="Asia/Tokyo", active=True, is_submitter=True, sites=[site])
        judge = User(email="judge@multi.example.com", name="Jiro", password_hash=hashed, locale="en",
                     timezone="Asia/Tokyo", active=True, is_judge=True)
        owner = User(email="owner@multi.example.com", name="Oda", password_hash=hashed, locale="en",
                     timezone="Asia/Tokyo", active=True, is_judge=True)
        cycle = Cycle(fiscal_year=today_fiscal_year(), phase=Phase.NOMINATIONS_OPEN, scale_min=1, scale_max=5,
                      nomination_deadline=utcnow() + timedelta(days=30), judging_deadline=utcnow() + timedelta(days=60))
        cycle.criteria, cycle.award_categories = default_criteria(), default_award_categories()
        nomination = Nomination(cycle=cycle, site=site, status=NominationStatus.DRAFT, **complete_nomination_fields(cycle))
        db.session.add_all([site, submitter, judge, owner, cycle, nomination])
        db.session.commit()
        ids = SimpleNamespace(nomination=nomination.id, submitter=submitter.email, judge=judge.email, owner=owner.email)
        db.session.remove()
        db.engine.dispose()
    return ids


@pytest.fixture(scope="module")
def servers(tmp_path_factory, redis_url):
    folder = tmp_path_factory.mktemp("multi-node")
    uploads = folder / "shared-uploads"
    uploads.mkdir()
    with SmtpServer() as smtp, scratch_database(folder, "multinode") as database_url:
        common = {
            # The job queue in Redis (its own database number), mail to the SMTP server of this test.
            "HUEY_URL": redis_url.rsplit("/", 1)[0] + "/3",
            **{name: str(value) for name, value in smtp.config.items()},
            "DATABASE_URL": database_url,
            "SECRET_KEY": "multi-node-secret-key-shared-by-all",
            "UPLOAD_FOLDER": str(uploads),
            "RATELIMIT_STORAGE_URI": redis_url,
            "WEB_CONCURRENCY": "2",
            # Every request comes from 127.0.0.1 here: the per-address limit stays out of the way.
            "LOGIN_RATE_LIMIT_ADDRESS": "1000 per minute",
        }
        flask({**common, "INSTANCE_PATH": str(folder / "a")}, "db", "upgrade")
        people = _people(database_url, str(uploads))
        ports = free_port(), free_port()
        envs = [{**common, "PORT": str(port), "INSTANCE_PATH": str(folder / name),
                 "PUBLIC_BASE_URL": f"http://127.0.0.1:{ports[0]}"} for name, port in zip("ab", ports)]
        with gunicorn(envs[0], folder / "a.log") as a, gunicorn(envs[1], folder / "b.log") as b, \
                flask_workers(envs, folder):
            yield SimpleNamespace(a=a, b=b, people=people, inbox=smtp.inbox)


def _csrf(browser: requests.Session, url: str) -> str:
    response = browser.get(url, allow_redirects=False)
    assert response.status_code == 200, (url, response.status_code)
    return CSRF.search(response.text).group(1)


def _log_in(browser: requests.Session, server: str, email: str, password: str = PASSWORD) -> requests.Response:
    token = _csrf(browser, f"{server}/login")
    return browser.post(f"{server}/login", data={"csrf_token": token, "email": email, "password": password},
                        allow_redirects=False)


def _who(browser: requests.Session, server: str) -> str | None:
    response = browser.get(f"{server}/account", allow_redirects=False)
    if response.status_code == 302:
        assert "/login" in response.headers["Location"]
        return None
    assert response.status_code == 200
    return re.search(r'<p class="text-muted">([^ <]+) ·', response.text).group(1)


def _log_out(browser: requests.Session, server: str) -> None:
    token = _csrf(browser, f"{server}/account")
    assert browser.post(f"{server}/logout", data={"csrf_token": token}, allow_redirects=False).status_code == 302


def _copy(browser: requests.Session) -> requests.Session:
    other = requests.Session()
    for cookie in browser.cookies:
        other.cookies.set_cookie(cookie)
    return other


def test_a_login_on_a_is_valid_on_b_and_a_logout_on_a_ends_it_on_b(servers):
    browser = requests.Session()
    assert _log_in(browser, servers.a, servers.people.judge).status_code == 302
    assert _who(browser, servers.b) == servers.people.judge
    stolen = _copy(browser)
    assert _who(stolen, servers.b) == servers.people.judge
    _log_out(browser, servers.a)
    assert _who(stolen, servers.b) is None
    assert _who(stolen, servers.a) is None


def test_failed_logins_count_across_both_servers_and_all_workers(servers):
    email = "nobody-here@multi.example.com"
    for attempt in range(5):  # 5 per 15 minutes per account, spread over 2 servers × 2 workers
        server = (servers.a, servers.b)[attempt % 2]
        assert _log_in(requests.Session(), server, email, "wrong password").status_code == 200
    assert _log_in(requests.Session(), servers.a, email, "wrong password").status_code == 429
    assert _log_in(requests.Session(), servers.b, email, "wrong password").status_code == 429


def test_the_owners_browser_still_logs_in_while_the_account_is_attacked(servers):
    owner = requests.Session()
    assert _log_in(owner, servers.a, servers.people.owner).status_code == 302
    _log_out(owner, servers.a)
    for attempt in range(6):
        _log_in(requests.Session(), (servers.a, servers.b)[attempt % 2], servers.people.owner, "guess")
    assert _log_in(requests.Session(), servers.b, servers.people.owner).status_code == 429  # locked for others
    assert _log_in(owner, servers.b, servers.people.owner).status_code == 302  # not for its owner


def test_a_file_uploaded_through_a_downloads_through_b(servers):
    browser = requests.Session()
    assert _log_in(browser, servers.a, servers.people.submitter).status_code == 302
    page = f"{servers.a}/nominations/{servers.people.nomination}"
    token = _csrf(browser, page)
    photo = png_bytes()
    response = browser.post(f"{servers.a}/nominations/{servers.people.nomination}/attachments",
                            data={"csrf_token": token}, files={"file": ("bay.png", photo, "image/png")},
                            allow_redirects=False)
    assert response.status_code == 302, response.text
    listing = browser.get(f"{servers.b}/nominations/{servers.people.nomination}").text
    [attachment_id] = set(re.findall(r"/nominations/attachments/(\d+)\"", listing))
    download = browser.get(f"{servers.b}/nominations/attachments/{attachment_id}")
    assert download.status_code == 200 and download.headers["Content-Type"] == "image/png"
    # Stored re-encoded (metadata stripped), the same picture.
    assert Image.open(io.BytesIO(download.content)).size == Image.open(io.BytesIO(photo)).size


def test_a_message_queued_through_a_is_sent_once(servers):
    """A password reset asked on A: the outbox row and its task go to the shared database and Redis
    queue; two consumers (one per machine) race for it; the mail server gets it exactly once."""
    browser = requests.Session()
    token = _csrf(browser, f"{servers.a}/password/forgot")
    response = browser.post(f"{servers.a}/password/forgot", data={"csrf_token": token, "email": servers.people.judge},
                            allow_redirects=False)
    assert response.status_code == 302
    [message] = [m for m in servers.inbox.wait_for(1, timeout=60) if m["To"] == servers.people.judge]
    time.sleep(3)  # long enough for a second copy to arrive, were there one
    assert len(servers.inbox.to(servers.people.judge)) == 1
    assert "password" in message["Subject"].lower()
