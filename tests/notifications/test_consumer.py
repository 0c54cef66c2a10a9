"""The real thing: `flask worker` consumers in their own processes, on the SQLite queue (always), on
Redis (when TEST_REDIS_URL names a server, as .ci/run does) and on PostgreSQL (when the tests run
on PostgreSQL, TEST_DATABASE_URL), sending to the SMTP server of this test process.

These tests need real commits seen by another process, so they use a database of their own (as the
race tests do) and not the shared rolled-back transaction.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import make_url
from werkzeug.security import generate_password_hash

from awards_app import PROJECT_ROOT, create_app
from awards_app.accounts.models import User
from awards_app.core import transactions
from awards_app.core.enums import Phase
from awards_app.core.models import utcnow
from awards_app.cycles.defaults import default_award_categories, default_criteria
from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from awards_app.nominations import services as nomination_services
from awards_app.nominations.models import Nomination, NominationStatement
from awards_app.notifications.models import Notification, NotificationState
from awards_app.notifications.tasks import send_notification
from awards_app.sites.models import Site
from tests.conftest import complete_nomination_fields, scratch_database, today_fiscal_year
from tests.notifications.support import SmtpServer, plain
from tests.servers import flask_workers

DELIVERY_TIMEOUT = 60


@pytest.fixture(autouse=True)
def _transaction():  # real commits, in this module's own database
    yield


def _queues():
    queues = ["sqlite"]
    if os.environ.get("TEST_REDIS_URL"):
        queues.append("redis")
    if os.environ.get("TEST_DATABASE_URL"):
        queues.append("postgresql")
    return queues


@pytest.fixture(params=_queues())
def queue_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'queue.sqlite3'}"
    if request.param == "redis":
        from redis import Redis

        url = os.environ["TEST_REDIS_URL"]
        Redis.from_url(url).flushdb()
        return url
    url = make_url(os.environ["TEST_DATABASE_URL"]).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


@pytest.fixture
def server():
    with SmtpServer() as smtp:
        yield smtp


@pytest.fixture
def setting(tmp_path, queue_url, server):
    with scratch_database(tmp_path, "consumer") as database_url:
        yield {
            "DATABASE_URL": database_url, "HUEY_URL": queue_url, "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "consumer-test-secret-key", "PUBLIC_BASE_URL": "https://awards.example.com",
            "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(server.port), "MAIL_USE_TLS": "false",
            "MAIL_SENDER": "awards@example.com",
        }


@pytest.fixture
def producer(setting, monkeypatch):
    """The web side: an app on the same database and queue, committing for real."""
    for name, value in setting.items():
        monkeypatch.setenv(name, value)
    app = create_app({"TESTING": True})
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    app.extensions["queue"].close()  # the queue storage's own connection
    if setting["HUEY_URL"].startswith("postgresql"):
        _drop_queue_tables(setting["HUEY_URL"])


def _drop_queue_tables(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        for table in ("huey_kv", "huey_schedule", "huey_task", "huey_counter"):
            connection.execute(f"DROP TABLE IF EXISTS {table}")


def make_world(submitters: int = 2, nominations: int = 1):
    site = Site(code="TOKYO", name_en="Tokyo HQ", name_ja="東京本社", country="JP", active=True)
    users = [User(email=f"person{n}@example.com", name=f"Person {n}", locale="ja" if n % 2 else "en",
                  timezone="Asia/Tokyo", active=True, is_submitter=True,
                  password_hash=generate_password_hash("x")) for n in range(submitters)]
    for user in users:
        user.sites = [site]
    now = utcnow()
    cycle = Cycle(fiscal_year=today_fiscal_year(), nomination_deadline=now + timedelta(days=30),
                  judging_deadline=now + timedelta(days=60), scale_min=1, scale_max=5, phase=Phase.NOMINATIONS_OPEN)
    cycle.criteria = default_criteria()
    cycle.award_categories = default_award_categories()
    db.session.add_all([site, cycle, *users])
    db.session.flush()
    made = []
    for number in range(nominations):
        values = complete_nomination_fields(cycle)
        values["title"] = f"Beach clean-up {number}"
        nomination = Nomination(cycle=cycle, site=site, **values)
        nomination.statements = [NominationStatement(criterion=c, text="Why.") for c in cycle.criteria]
        db.session.add(nomination)
        made.append(nomination)
    db.session.commit()
    return users, made


def submit(nominations, actor) -> None:
    for nomination in nominations:
        nomination_services.submit_nomination(actor, nomination, expected_version=nomination.version)
        transactions.commit()


def states() -> list:
    db.session.rollback()  # a new transaction: what the consumers have committed since
    return [(n.state, n.attempts) for n in db.session.scalars(select(Notification).order_by(Notification.id))]


def last_error() -> str:
    db.session.rollback()
    return db.session.scalar(select(Notification.last_error)) or ""


def test_a_consumer_delivers_the_receipt_of_a_submission(producer, setting, server, tmp_path):
    users, [nomination] = make_world()
    with flask_workers([setting], tmp_path):
        started = time.monotonic()
        submit([nomination], users[0])
        messages = server.inbox.wait_for(2, DELIVERY_TIMEOUT)
        elapsed = time.monotonic() - started
    assert sorted(m["To"] for m in messages) == ["person0@example.com", "person1@example.com"], \
        (tmp_path / "worker-0.log").read_text()
    assert elapsed < DELIVERY_TIMEOUT
    japanese = server.inbox.to("person1@example.com")[0]
    assert "ノミネーションを受け付けました" in japanese["Subject"]
    assert f"https://awards.example.com/nominations/{nomination.id}" in plain(japanese)
    assert states() == [(NotificationState.SENT, 1)] * 2


def test_two_consumers_and_repeated_enqueues_send_each_message_once(producer, setting, server, tmp_path):
    users, nominations = make_world(submitters=3, nominations=10)
    with flask_workers([setting, setting], tmp_path):
        submit(nominations, users[0])
        ids = list(db.session.scalars(select(Notification.id)))
        for notification_id in ids * 3:  # as a double sweep, a retry and a lost-and-found enqueue would
            send_notification(notification_id)
        server.inbox.wait_for(30, DELIVERY_TIMEOUT)
        time.sleep(2)  # anything sent twice would have arrived by now
    assert len(ids) == 30
    assert sorted(m["Message-ID"] for m in server.inbox.messages) == sorted(
        {m["Message-ID"] for m in server.inbox.messages})
    assert len(server.inbox.messages) == 30
    assert states() == [(NotificationState.SENT, 1)] * 30


def test_an_outage_then_one_delivery_when_the_server_is_back(producer, setting, server, tmp_path):
    users, [nomination] = make_world(submitters=1)
    server.stop()
    with flask_workers([setting], tmp_path):
        submit([nomination], users[0])
        deadline = time.monotonic() + DELIVERY_TIMEOUT
        while not last_error() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert states() == [(NotificationState.QUEUED, 1)]
        [row] = db.session.scalars(select(Notification))
        assert row.last_error and row.next_attempt_at > utcnow() and row.claimed_until is None
        server.start()
        # The back-off's minute, shortened: the message is due now, and the sweep's enqueue comes.
        db.session.execute(update(Notification).values(next_attempt_at=utcnow()))
        db.session.commit()
        send_notification(row.id)
        messages = server.inbox.wait_for(1, DELIVERY_TIMEOUT)
        time.sleep(1)
    assert [m["To"] for m in messages] == ["person0@example.com"]
    assert states() == [(NotificationState.SENT, 2)]


def test_flask_worker_names_its_queue(setting, tmp_path):
    env = {**os.environ, **setting, "FLASK_APP": "awards_app"}
    process = subprocess.Popen([sys.executable, "-m", "flask", "worker"], cwd=PROJECT_ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        first = process.stdout.readline().decode()
        # Ctrl-C once the consumer runs. Huey sets its signal handlers just after it lists its
        # tasks; a Ctrl-C before that (the first instants) interrupts the start-up instead.
        for line in iter(process.stdout.readline, b""):
            if b"Periodic tasks are" in line:
                break
        time.sleep(1)
    finally:
        process.send_signal(2)
        output = process.communicate(timeout=20)[0].decode()
    assert process.returncode == 0 and "Consumer exiting." in output  # stopped after its running tasks
    assert first.startswith("job queue: ")
    expected = {"sqlite": "SQLite", "redis": "Redis", "postgresql": "PostgreSQL"}[setting["HUEY_URL"].split(":")[0]]
    assert expected in first and "@" not in first
    assert Path(setting["INSTANCE_PATH"]).exists()
