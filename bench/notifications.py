"""Benchmark of the notifications: reminders for 2,000 people through the outbox and the job queue,
and what the outbox costs the request that submits a nomination.

1. Delivery. A fresh SQLite database holds 1,000 sites (one submitter each, nothing submitted) in
   a cycle whose nominations close in 12 hours, and 1,000 judges (one unfinished sheet each) in a
   cycle whose judging closes in 12 hours. The reminders' periodic run writes 2,000 messages and
   enqueues them on a SQLite queue; then 1 (and, in a second round on a fresh copy, 2) `flask
   worker` processes with 2 threads each send them to an SMTP server in this process (aiosmtpd).
   Reported: the time to write and enqueue, the time from the first consumer's start to the last
   message received, and messages per second.
2. The submit request. `POST /nominations/<id>/submit` through the test client, timed in-process
   (median of N), with the notification receivers connected and disconnected in the same run; the
   difference is the outbox's cost (render two bodies for the site's submitter, one INSERT).

    .venv/bin/python -m bench.notifications [--people 2000] [--requests 200]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from aiosmtpd.controller import Controller

FLASK = str(Path(sys.executable).with_name("flask"))
ROOT = Path(__file__).resolve().parent.parent


class Counter:
    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
        return "250 OK"


def _env(folder: Path, port: int) -> dict:
    return {**os.environ, "INSTANCE_PATH": str(folder), "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
            "HUEY_URL": f"sqlite:///{folder}/queue.sqlite3", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port),
            "MAIL_USE_TLS": "false", "PUBLIC_BASE_URL": "https://awards.example.com", "SECRET_KEY": "bench-secret-key"}


def _fill(people: int) -> None:
    """Bulk inserts: people/2 sites with a submitter each, people/2 judges with an unfinished sheet."""
    from werkzeug.security import generate_password_hash

    from awards_app.accounts.models import User
    from awards_app.core.enums import AssignmentStatus, Language, NominationStatus, Phase, Theme
    from awards_app.core.models import utcnow
    from awards_app.cycles.defaults import default_award_categories, default_criteria
    from awards_app.cycles.models import Cycle
    from awards_app.extensions import db
    from awards_app.judging.models import Assignment
    from awards_app.nominations.models import Nomination
    from awards_app.sites.models import Site, user_sites

    now = utcnow()
    half = people // 2
    password = generate_password_hash("bench password", method="pbkdf2:sha256:1")
    open_cycle = Cycle(fiscal_year=2040, phase=Phase.NOMINATIONS_OPEN, nomination_deadline=now + timedelta(hours=12),
                       judging_deadline=now + timedelta(days=30))
    judging = Cycle(fiscal_year=2039, phase=Phase.JUDGING, nomination_deadline=now - timedelta(days=30),
                    judging_deadline=now + timedelta(hours=12))
    for cycle in (open_cycle, judging):
        cycle.criteria = default_criteria()
        cycle.award_categories = default_award_categories()
    db.session.add_all([open_cycle, judging])
    db.session.flush()
    db.session.execute(Site.__table__.insert(), [
        {"code": f"B{n:05d}", "name_en": f"Site {n}", "name_ja": f"拠点{n}", "country": "JP", "active": True,
         "created_at": now, "updated_at": now} for n in range(half + 1)])
    site_ids = [row[0] for row in db.session.execute(Site.__table__.select().with_only_columns(Site.id).order_by(Site.id))]
    users = [{"email": f"person{n}@example.com", "name": f"Person {n}", "password_hash": password,
              "locale": "ja" if n % 2 else "en", "timezone": "Asia/Tokyo", "active": True,
              "is_submitter": n < half, "is_judge": n >= half, "is_admin": False, "session_version": 1,
              "receive_reminders": True, "receive_digest": True, "created_at": now, "updated_at": now}
             for n in range(people)]
    db.session.execute(User.__table__.insert(), users)
    user_ids = [row[0] for row in db.session.execute(User.__table__.select().with_only_columns(User.id).order_by(User.id))]
    db.session.execute(user_sites.insert(), [{"user_id": user_ids[n], "site_id": site_ids[n]} for n in range(half)])
    fields = {"language": Language.EN, "title": "Beach clean-up", "title_other": "", "theme": Theme.NATURE,
              "biodiversity": False, "summary": "Summary.", "description": "Description.", "partners": "",
              "outcomes": "", "participants": 10, "volunteer_hours": 20}
    nomination = Nomination(cycle=judging, site_id=site_ids[-1], status=NominationStatus.SUBMITTED,
                            submitted_at=now, **fields)
    db.session.add(nomination)
    db.session.flush()
    db.session.execute(Assignment.__table__.insert(), [
        {"cycle_id": judging.id, "nomination_id": nomination.id, "judge_id": user_ids[n],
         "status": AssignmentStatus.ACTIVE.value, "conflict_reason": "", "created_at": now}
        for n in range(half, people)])
    db.session.commit()


def delivery(people: int, consumers: int) -> dict:
    counter = Counter()
    port = _free_port()
    smtp = Controller(counter, hostname="127.0.0.1", port=port)
    smtp.start()
    folder = Path(tempfile.mkdtemp(prefix="bench-notifications-"))
    env = _env(folder, port)
    try:
        subprocess.run([FLASK, "--app", "awards_app", "db", "upgrade"], env=env, check=True, capture_output=True)
        code = ("from awards_app import create_app\n"
                "from bench.notifications import _fill, _write_reminders\n"
                f"app = create_app()\nwith app.app_context():\n    _fill({people})\n    _write_reminders()\n")
        started = time.perf_counter()
        written = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True,
                                 text=True)
        write_seconds = float(written.stdout.strip().splitlines()[-1])
        setup = time.perf_counter() - started
        processes = [subprocess.Popen([FLASK, "--app", "awards_app", "worker", "--workers", "2", "--no-periodic"],
                                      env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                     for _ in range(consumers)]
        started = time.perf_counter()
        while counter.count < people and time.perf_counter() - started < 600:
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        time.sleep(1)
        received = counter.count
        for process in processes:
            process.send_signal(2)
        for process in processes:
            process.wait(timeout=60)
        return {"consumers": consumers, "write": write_seconds, "setup": setup, "deliver": elapsed,
                "received": received, "rate": received / elapsed}
    finally:
        smtp.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _write_reminders() -> None:
    """In the data-filling process: the reminders' periodic run (writing and enqueueing), timed."""
    from awards_app.core import transactions
    from awards_app.core.models import utcnow
    from awards_app.notifications import reminders

    started = time.perf_counter()
    now = utcnow()
    written = reminders.nomination_reminders(now) + reminders.judging_reminders(now)
    transactions.commit()  # the enqueues run after the commit
    print(f"written {written}", file=sys.stderr)
    print(f"{time.perf_counter() - started:.3f}")


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def submit_request(requests: int) -> dict:
    """Median ms of the submit POST with and without the notification receivers, alternating."""
    from awards_app import create_app
    from awards_app.extensions import db
    from awards_app.nominations.models import Nomination, NominationStatement
    from awards_app.notifications import services as notification_services

    folder = Path(tempfile.mkdtemp(prefix="bench-submit-"))
    os.environ.update(_env(folder, 1))
    app = create_app({"MAIL_OUTBOX": [], "WTF_CSRF_ENABLED": False})
    timings = {"with": [], "without": []}
    try:
        with app.app_context():
            db.create_all()
            _fill(4)
            from awards_app.accounts.models import User
            from awards_app.cycles.models import Cycle

            submitter = db.session.scalar(db.select(User).where(User.is_submitter.is_(True)))
            site = submitter.sites[0]
            cycle = db.session.scalar(db.select(Cycle).where(Cycle.fiscal_year == 2040))
            ids = []
            from tests.conftest import complete_nomination_fields

            for _ in range(2 * requests + 10):
                nomination = Nomination(cycle=cycle, site=site, **complete_nomination_fields(cycle))
                nomination.statements = [NominationStatement(criterion=c, text="Why.") for c in cycle.criteria]
                db.session.add(nomination)
                db.session.flush()
                ids.append((nomination.id, nomination.version))
            db.session.commit()
            user_email = submitter.email
        client = app.test_client()
        client.post("/login", data={"email": user_email, "password": "bench password"})
        receivers = notification_services._CONNECTED
        for n, (nomination_id, version) in enumerate(ids):
            connected = n % 2 == 0
            for signal, receiver in receivers:
                (signal.connect(receiver, weak=False) if connected else signal.disconnect(receiver))
            started = time.perf_counter()
            response = client.post(f"/nominations/{nomination_id}/submit", data={"version": version})
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 302, response.status_code
            if n >= 10:
                timings["with" if connected else "without"].append(elapsed)
        for signal, receiver in receivers:
            signal.connect(receiver, weak=False)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {name: statistics.median(values) for name, values in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    for consumers in (1, 2):
        result = delivery(args.people, consumers)
        print(f"{consumers} consumer(s) × 2 threads: {result['received']} of {args.people} delivered in "
              f"{result['deliver']:.1f} s ({result['rate']:.0f} messages/s); writing and enqueueing "
              f"{result['write']:.1f} s")
    medians = submit_request(args.requests)
    print(f"submit request, median: {medians['with']:.2f} ms with notifications, {medians['without']:.2f} ms "
          f"without (+{medians['with'] - medians['without']:.2f} ms: one receipt written)")


if __name__ == "__main__":
    main()
