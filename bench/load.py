"""Load test: gunicorn + PostgreSQL + the generated data set, driven over HTTP by threads.

Starts a throw-away PostgreSQL (`.ci/postgres start`, unless --database-url is given: it must
point at an EMPTY database), creates the schema, fills it with `bench.generate` (2,000
nominations, 60 judges, 3 judges each; the cycle is in judging with the deadline ahead), starts
gunicorn on 127.0.0.1 (`-c gunicorn.conf.py`, WEB_CONCURRENCY workers), logs every client in
through the login form, and then, for a bounded time (the timed phase), drives it with:

* 20 judge clients, each looping: open the queue, pick an unfinished assignment, open the scoring
  screen, save a draft (and follow the redirect back to the scoring screen, which carries the new
  version), submit;
* 1 admin client reloading the ranking (Japan);
* 1 client on the trivial route (/healthz), measured in the same run.

Two models of "20 judges working at once": by default nobody pauses (a stress test: 22 clients
always waiting for an answer); with `--think LOW-HIGH` the judges and the admin pause a random
LOW to HIGH seconds between steps (e.g. 0.5-1, far faster than a person reads a nomination), and
the trivial-route client sends a request every 50 ms.

It reports requests per second, p50/p95/p99 per page, the number of HTTP 5xx and the CPU time
gunicorn, PostgreSQL and this script spent per request (from /proc: robust when other work shares
the machine, unlike latency), then checks the database: every submit a client saw succeed (302
away from the scoring screen) is there once as a submitted sheet, and the number of submitted
sheets grew by exactly the number of successes.

Targets (issue 5): p99 ≤ 100 ms for the judge pages at 20 users on 2 cores; 0 lost, 0 duplicated,
0 HTTP 500. `--check` exits with status 1 when any of them is missed in the model run.

    .venv/bin/python -m bench.load [--seconds 30] [--judges 20] [--workers 4] [--think 0.5-1] [--check]
"""
from __future__ import annotations

import argparse
import http.client
import math
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import unescape
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # the only target this script ever talks to
P99_TARGET_MS = 100.0
JUDGE_PAGES = ("queue", "scoring", "save", "submit")
PAGE_LABELS = {
    "queue": "judge queue (GET /judging)", "scoring": "scoring screen (GET /judging/<id>)",
    "save": "save draft (POST action=save)", "submit": "submit (POST action=submit)",
    "ranking": "ranking Japan (admin)", "healthz": "trivial route (/healthz)",
    "login": "login (GET+POST), untimed",
}
LOAD_SHEET_MIX = (0.33, 0.10)
MAX_ITERATIONS = 100_000  # per client: a second bound besides the time
TRIVIAL_PACE = (0.05, 0.05)  # seconds between the trivial route's requests when the others think
SECRET_KEY = "load-test-secret-key-not-for-production"


# --- HTTP client -----------------------------------------------------------------------------------


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    errors: list[str] = field(default_factory=list)
    submitted: list[int] = field(default_factory=list)  # assignment ids whose submit succeeded
    submit_refused: int = 0
    out_of_work: int = 0  # judge clients that submitted everything before the time was up
    timed: int = 0  # requests in the timed phase (every one but the logins before it)

    def record(self, page: str, seconds: float, status: int) -> None:
        with self.lock:
            self.samples[page].append(seconds)
            self.statuses[status] += 1
            self.timed += page != "login"

    def error(self, message: str) -> None:
        with self.lock:
            if len(self.errors) < 200:
                self.errors.append(message)


class Client:
    """A browser-like client: one cookie jar, a new connection per request (gunicorn's sync
    workers close the connection after each response), no redirect following."""

    def __init__(self, port: int, stats: Stats):
        self.port, self.stats, self.cookies = port, stats, {}

    def request(self, page: str | None, method: str, path: str, form: dict | list | None = None):
        body = urlencode(form).encode() if form is not None else None
        headers = {"Host": f"{HOST}:{self.port}", "User-Agent": "mdd-load-test"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        elapsed = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        if page is not None:
            self.stats.record(page, elapsed, response.status)
        if response.status >= 500:
            self.stats.error(f"{method} {path} → {response.status}")
        return response.status, response.headers.get("Location", ""), text

    def log_in(self, email: str, password: str) -> None:
        _, _, page = self.request("login", "GET", "/login")
        token = _CSRF.search(page)
        form = {"email": email, "password": password, "csrf_token": token.group(1) if token else ""}
        status, _, _ = self.request("login", "POST", "/login", form)
        if status != 302:
            raise RuntimeError(f"login of {email} failed ({status})")


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


# The client extracts the few values it needs with compiled regular expressions instead of a full
# HTML parser: html.parser cost 3–4 ms of Python per page, in threads that share the GIL and the
# same 2 cores with the server under test, which made the tool itself a part of the load.
_QUEUE_TOKENS = re.compile(r'<h2\b[^>]*\bid="h-([\w-]+)"|<a\b[^>]*\bhref="/judging/(\d+)"')
_FORM_TAGS = re.compile(r"<(form|input|button)\b([^>]*)>|</form>")
_ATTRIBUTE = re.compile(r'([^\s=/]+)(?:="([^"]*)")?')


def queue_links(html: str) -> list[int]:
    """Links to the scoring screen under the "to do" and "in progress" headings of the queue."""
    section, links = None, []
    for match in _QUEUE_TOKENS.finditer(html):
        if match.group(1) is not None:
            section = match.group(1)
        elif section in ("todo", "in_progress"):
            links.append(int(match.group(2)))
    return links


@dataclass
class ScoreForm:
    """The scoring form's hidden fields, radio choices per score field, and its action buttons."""

    hidden: dict[str, str] = field(default_factory=dict)
    radios: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    actions: set[str] = field(default_factory=set)


def parse_score_form(html: str) -> ScoreForm:
    """Read the main form (method post, no action) of the scoring screen: only <form>, <input>
    and <button> tags are looked at, with their attributes unescaped as a browser would."""
    form, in_main_form = ScoreForm(), False
    for match in _FORM_TAGS.finditer(html):
        tag = match.group(1)
        if tag is None:  # </form>
            in_main_form = False
            continue
        attrs = {name: unescape(value or "") for name, value in _ATTRIBUTE.findall(match.group(2))}
        if tag == "form":
            in_main_form = attrs.get("method") == "post" and not attrs.get("action")
        elif not in_main_form:
            continue
        elif tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            form.hidden[attrs["name"]] = attrs.get("value", "")
        elif tag == "input" and attrs.get("type") == "radio" and attrs.get("name", "").startswith("score_"):
            form.radios[attrs["name"]].append(attrs.get("value"))
        elif tag == "button" and attrs.get("name") == "action":
            form.actions.add(attrs.get("value"))
    return form


# --- the simulated users ---------------------------------------------------------------------------


class Clock:
    """Every client logs in first, and the timed phase starts once all have. A login is slow on
    purpose (scrypt): 22 of them at the start of the timed phase put every judge's first request
    (the queue) in a line behind them, which measured the logins, not the judging pages."""

    def __init__(self, clients: int):
        self.ready = threading.Barrier(clients + 1)  # the clients and run()
        self.go = threading.Event()
        self.deadline = 0.0

    def all_logged_in(self) -> None:
        self.ready.wait(timeout=300)

    def start(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.go.set()

    def wait_for_start(self, client: Client, login: tuple[str, str] | None) -> bool:
        """Log in (when `login` is given), then wait for the timed phase; False if the login failed."""
        logged_in = True
        try:
            if login:
                client.log_in(*login)
        except Exception as error:  # noqa: BLE001 - reported, and counted as a failure
            client.stats.error(f"{login[0]}: {type(error).__name__}: {error}")
            logged_in = False
        self.ready.wait(timeout=300)
        self.go.wait()
        return logged_in


class Pause:
    """Think time: a random pause drawn uniformly from [low, high] seconds, never past the end of
    the run. (0, 0) is the stress model: no pause at all."""

    def __init__(self, low: float, high: float, clock: Clock, rng: random.Random):
        self.low, self.high, self.clock, self.rng = low, high, clock, rng

    def __call__(self, low: float | None = None) -> None:
        if self.high > 0:
            left = self.clock.deadline - time.monotonic()
            time.sleep(max(0.0, min(self.rng.uniform(self.low if low is None else low, self.high), left)))

    def stagger(self) -> None:
        """Before the first request: people who think do not all click at the same instant
        (without this, every client's first request arrives in the same millisecond)."""
        self(low=0.0)


def judge_loop(port: int, email: str, password: str, clock: Clock, stats: Stats, seed: int,
               think: tuple[float, float] = (0.0, 0.0)) -> None:
    rng = random.Random(seed)
    pause = Pause(*think, clock, rng)
    client = Client(port, stats)
    if not clock.wait_for_start(client, (email, password)):
        return
    pause.stagger()
    try:
        for _ in range(MAX_ITERATIONS):
            if time.monotonic() >= clock.deadline:
                return
            status, _, html = client.request("queue", "GET", "/judging")
            if status != 200:
                stats.error(f"{email}: queue answered {status}")
                return
            open_links = queue_links(html)
            if not open_links:
                with stats.lock:
                    stats.out_of_work += 1
                return  # everything submitted
            pause()  # picks a nomination
            assignment_id = rng.choice(open_links)
            path = f"/judging/{assignment_id}"
            status, _, html = client.request("scoring", "GET", path)
            form = parse_score_form(html)
            if status != 200 or "submit" not in form.actions:
                stats.error(f"{email}: {path} answered {status}, actions {sorted(form.actions)}")
                continue
            pause()  # reads and scores
            scores = {name: rng.choice(values) for name, values in form.radios.items()}
            status, location, _ = client.request("save", "POST", path, {**form.hidden, **scores, "action": "save"})
            if status != 302:
                stats.error(f"{email}: save {path} answered {status}")
                continue
            # A browser follows the redirect back to the screen at once: no pause before this GET.
            status, _, html = client.request("scoring", "GET", urlsplit(location).path or path)
            form = parse_score_form(html)
            if status != 200 or "submit" not in form.actions:
                stats.error(f"{email}: {path} after save answered {status}")
                continue
            pause()  # checks the draft, decides to submit
            status, location, _ = client.request("submit", "POST", path, {**form.hidden, **scores, "action": "submit"})
            pause()  # the submit's redirect is not followed; the next loop opens the queue
            if status == 302 and urlsplit(location).path != path:
                with stats.lock:
                    stats.submitted.append(assignment_id)
            else:
                with stats.lock:
                    stats.submit_refused += 1
                stats.error(f"{email}: submit {path} answered {status} → {location or '(no redirect)'}")
    except Exception as error:  # noqa: BLE001 - reported, and counted as a failure
        stats.error(f"{email}: {type(error).__name__}: {error}")


def page_loop(port: int, page: str, path: str, clock: Clock, stats: Stats, login: tuple[str, str] | None,
              think: tuple[float, float] = (0.0, 0.0), seed: int = 0) -> None:
    client = Client(port, stats)
    pause = Pause(*think, clock, random.Random(seed))
    if not clock.wait_for_start(client, login):
        return
    pause.stagger()
    try:
        for _ in range(MAX_ITERATIONS):
            if time.monotonic() >= clock.deadline:
                return
            status, _, _ = client.request(page, "GET", path)
            if status != 200:
                stats.error(f"{path} answered {status}")
            pause()
    except Exception as error:  # noqa: BLE001
        stats.error(f"{path}: {type(error).__name__}: {error}")


# --- servers ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_postgres() -> tuple[str, str]:
    folder = subprocess.run([str(ROOT / ".ci" / "postgres"), "start"], check=True, capture_output=True,
                            text=True).stdout.strip().splitlines()[-1]
    port = Path(folder, "port").read_text().strip()
    return folder, f"postgresql+psycopg://postgres@127.0.0.1:{port}/awards_test"


def stop_postgres(folder: str) -> None:
    subprocess.run([str(ROOT / ".ci" / "postgres"), "stop", folder], check=False, capture_output=True)


def prepare_database(database_url: str, instance: Path, nominations: int, judges: int, per_nomination: int):
    from awards_app import create_app
    from awards_app.extensions import db
    from bench.generate import generate

    os.environ["INSTANCE_PATH"] = str(instance)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET_KEY,
                      "UPLOAD_FOLDER": str(instance / "uploads")})
    with app.app_context():
        db.create_all()
        # Early in the judging (a third of the sheets submitted, a tenth drafts): each judge has about
        # 60 unfinished assignments, so that no client runs out of work within a run, even a long
        # one without pauses (with bench.judging's mix, 65 % submitted, they did within 20 s).
        data = generate(db.session, nominations=nominations, judges=judges, per_nomination=per_nomination,
                        sheet_mix=LOAD_SHEET_MIX)
        db.session.commit()
        db.session.remove()
    return app, data


def submitted_sheets(app) -> tuple[int, dict[int, int], dict[int, int]]:
    """(number of submitted sheets, assignment id → submitted sheets, assignment id → all sheets)."""
    from sqlalchemy import func, select

    from awards_app.core.enums import SheetStatus
    from awards_app.extensions import db
    from awards_app.judging.models import ScoreSheet

    with app.app_context():
        submitted = dict(db.session.execute(
            select(ScoreSheet.assignment_id, func.count()).where(ScoreSheet.status == SheetStatus.SUBMITTED)
            .group_by(ScoreSheet.assignment_id)).all())
        every = dict(db.session.execute(
            select(ScoreSheet.assignment_id, func.count()).group_by(ScoreSheet.assignment_id)).all())
        db.session.remove()
    return sum(submitted.values()), submitted, every


def start_gunicorn(port: int, database_url: str, instance: Path, workers: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "INSTANCE_PATH": str(instance), "SECRET_KEY": SECRET_KEY,
           "UPLOAD_FOLDER": str(instance / "uploads"), "WEB_CONCURRENCY": str(workers),
           "GUNICORN_BIND": f"{HOST}:{port}", "LOGIN_RATE_LIMIT_ADDRESS": "10000 per minute",
           "LOGIN_RATE_LIMIT_ACCOUNT": "10000 per minute", "LOG_REQUESTS": "0"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with log.open("wb") as out:
        process = subprocess.Popen([str(gunicorn), "-c", "gunicorn.conf.py", "awards_app:create_app()"],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    limit = time.monotonic() + 60
    while time.monotonic() < limit:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    stop_gunicorn(process)
    raise RuntimeError(f"gunicorn did not answer /healthz within 60 s:\n{log.read_text()[-3000:]}")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=35)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- CPU accounting --------------------------------------------------------------------------------
# Latency on a shared machine depends on whatever else runs; the CPU time each party spends per
# request hardly does. Read from /proc (Linux): a process's own time, what its reaped children
# used, and its live children's (gunicorn's workers, PostgreSQL's backends).

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # the fields after "pid (comm) "


def tree_cpu_seconds(pid: int | None) -> float | None:
    """CPU seconds used so far by process `pid` and its children (live or reaped), or None."""
    if pid is None or _proc_stat(pid) is None:
        return None
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _proc_stat(int(entry.name))
        if fields and (int(entry.name) == pid or int(fields[1]) == pid):
            total += sum(int(value) for value in fields[11:15]) / _TICKS  # utime stime cutime cstime
    return total


def postgres_pid(folder: str | None) -> int | None:
    try:
        return int(Path(folder, "data", "postmaster.pid").read_text().split()[0]) if folder else None
    except (OSError, ValueError, IndexError):
        return None


def cpu_snapshot(gunicorn_pid: int, pg_pid: int | None) -> dict[str, float | None]:
    return {"gunicorn": tree_cpu_seconds(gunicorn_pid), "postgres": tree_cpu_seconds(pg_pid),
            "client": time.process_time()}


# --- report ----------------------------------------------------------------------------------------


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))] * 1000


def machine() -> str:
    import sqlalchemy

    return (f"{os.cpu_count()} cores, {platform.system()} {platform.machine()}, Python {platform.python_version()}, "
            f"SQLAlchemy {sqlalchemy.__version__}")


def run(args) -> bool:
    began = time.perf_counter()
    print(f"MDD Awards load test · {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {machine()}")
    workdir = Path(tempfile.mkdtemp(prefix="mdd-load-"))
    instance = workdir / "instance"
    pg_folder, gunicorn, app = None, None, None
    try:
        if args.database_url:
            database_url = args.database_url
        else:
            pg_folder, database_url = start_postgres()
        started = time.perf_counter()
        app, data = prepare_database(database_url, instance, args.nominations, args.judge_accounts, args.per_nomination)
        c = data.counts
        print(f"data: {c['nominations']} nominations, {c['judges']} judges, {c['assignments']} assignments, "
              f"{c['sheets_submitted']} submitted and {c['sheets_draft']} draft sheets; generated in "
              f"{time.perf_counter() - started:.1f} s")
        before, _, _ = submitted_sheets(app)

        port = free_port()
        gunicorn = start_gunicorn(port, database_url, instance, args.workers, workdir / "gunicorn.log")
        from sqlalchemy import select

        from awards_app.accounts.models import User
        from awards_app.extensions import db

        with app.app_context():
            emails = list(db.session.scalars(select(User.email).where(User.is_judge.is_(True)).order_by(User.id)))
            db.session.remove()
        stats = Stats()
        judge_emails = emails[:args.judges]
        clock = Clock(len(judge_emails) + 2)
        think = args.think
        threads = [threading.Thread(target=judge_loop, args=(port, email, data.password, clock, stats, i, think))
                   for i, email in enumerate(judge_emails)]
        ranking = f"/admin/cycles/{data.cycle_id}/ranking?region=japan"
        threads.append(threading.Thread(target=page_loop, args=(port, "ranking", ranking, clock, stats,
                                                                (data.admin_email, data.password), think, -1)))
        # The trivial route's client is paced when the others think: unpaced, against a server
        # that is mostly idle, it would send hundreds of requests a second and be the main load.
        probe = TRIVIAL_PACE if think[1] > 0 else (0.0, 0.0)
        threads.append(threading.Thread(target=page_loop, args=(port, "healthz", "/healthz", clock, stats, None,
                                                                probe, -2)))
        pg_pid = postgres_pid(pg_folder)
        for thread in threads:
            thread.start()
        clock.all_logged_in()
        cpu_before = cpu_snapshot(gunicorn.pid, pg_pid)
        load_started = time.monotonic()
        clock.start(args.seconds)
        for thread in threads:
            thread.join(timeout=args.seconds + 120)
        load_seconds = time.monotonic() - load_started
        cpu_after = cpu_snapshot(gunicorn.pid, pg_pid)
        load_average = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
        stop_gunicorn(gunicorn)
        gunicorn = None

        after, submitted_by_assignment, sheets_by_assignment = submitted_sheets(app)
        successes = stats.submitted
        lost = [a for a in successes if submitted_by_assignment.get(a, 0) == 0]
        duplicated = sorted({a for a in successes if successes.count(a) > 1
                             or submitted_by_assignment.get(a, 0) > 1 or sheets_by_assignment.get(a, 0) > 1})
        unexpected = (after - before) - len(set(successes))
        five_xx = sum(n for status, n in stats.statuses.items() if status >= 500)
        total = stats.timed
    finally:
        if gunicorn is not None:
            stop_gunicorn(gunicorn)
        if app is not None:
            from awards_app.extensions import db

            with app.app_context():
                db.engine.dispose()
        if pg_folder:
            stop_postgres(pg_folder)
        shutil.rmtree(workdir, ignore_errors=True)

    model = (f"think time {args.think[0]:g}–{args.think[1]:g} s between steps (judges and admin), trivial "
             f"route every {TRIVIAL_PACE[0] * 1000:.0f} ms" if args.think[1] > 0 else "no pause between requests (stress)")
    print(f"load: {args.judges} judges + 1 admin (ranking) + 1 trivial-route client for {args.seconds:.0f} s "
          f"against gunicorn ({args.workers} sync workers) on {HOST}; client threads in this process\n"
          f"model: {model}\n")
    columns = ("page", "requests", "p50 ms", "p95 ms", "p99 ms", "max ms", "target", "result")
    rows, all_met = [], True
    for page in (*JUDGE_PAGES, "ranking", "healthz", "login"):
        samples = stats.samples.get(page, [])
        if not samples:
            rows.append((PAGE_LABELS[page], "0", "—", "—", "—", "—", "", "no requests"))
            if page in JUDGE_PAGES:
                all_met = False
            continue
        p99 = percentile(samples, 0.99)
        if page in JUDGE_PAGES:
            met = p99 <= P99_TARGET_MS
            all_met = all_met and met
            target, result = f"p99 ≤ {P99_TARGET_MS:.0f} ms", "met" if met else "MISSED"
        else:
            target, result = "—", "—"
        rows.append((PAGE_LABELS[page], str(len(samples)), f"{percentile(samples, 0.50):.1f}",
                     f"{percentile(samples, 0.95):.1f}", f"{p99:.1f}", f"{max(samples) * 1000:.1f}", target, result))
    widths = [max(len(r[i]) for r in [columns, *rows]) for i in range(len(columns))]

    def fmt(row):
        return "  ".join(cell.rjust(w) if 1 <= i <= 5 else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths)))

    print(fmt(columns).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(fmt(row).rstrip())
    integrity_met = not lost and not duplicated and unexpected == 0 and five_xx == 0
    all_met = all_met and integrity_met
    print(f"\nthroughput: {total} requests in {load_seconds:.1f} s = {total / load_seconds:.0f} requests/s overall "
          f"(the logins came before the timed phase)")
    used = {who: cpu_after[who] - cpu_before[who] for who in cpu_before
            if cpu_before[who] is not None and cpu_after[who] is not None}
    if total and used:
        cores = os.cpu_count() or 1
        parts = " + ".join(f"{who} {seconds / total * 1000:.2f}" for who, seconds in used.items())
        busy = sum(used.values()) / load_seconds
        shared = f", load average {load_average:.1f} (other work on the machine counts too)" if load_average else ""
        print(f"CPU per request (all pages): {parts} = {sum(used.values()) / total * 1000:.2f} ms; "
              f"these used {busy:.2f} of {cores} cores{shared}")
    print("statuses: " + ", ".join(f"{status}: {n}" for status, n in sorted(stats.statuses.items())))
    print(f"submits seen to succeed: {len(successes)} ({len(set(successes))} distinct); refused: {stats.submit_refused}"
          f"; judges who ran out of work before the end: {stats.out_of_work}")
    print(f"submitted sheets before {before}, after {after}: grew by {after - before}")
    print(f"lost: {len(lost)} · duplicated: {len(duplicated)} · submitted without a seen success: {unexpected} · "
          f"HTTP 5xx: {five_xx}")
    if stats.errors:
        print(f"client-side problems ({len(stats.errors)}, first 10):")
        for message in stats.errors[:10]:
            print(f"  {message}")
    print(f"\nall targets {'met' if all_met else 'NOT met'} · run took {time.perf_counter() - began:.0f} s")
    return all_met


def think_time(text: str) -> tuple[float, float]:
    """"0.5-1" → (0.5, 1.0); "0.75" → (0.75, 0.75); "0" → no pause."""
    low, _, high = text.partition("-")
    try:
        bounds = (float(low), float(high or low))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a think time: {text!r} (use e.g. 0.5-1)") from None
    if not 0 <= bounds[0] <= bounds[1]:
        raise argparse.ArgumentTypeError(f"not a think time: {text!r} (need 0 ≤ LOW ≤ HIGH)")
    return bounds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the load phase (default 30)")
    parser.add_argument("--judges", type=int, default=20, help="concurrent judge clients (default 20)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn WEB_CONCURRENCY (default 4)")
    parser.add_argument("--nominations", type=int, default=2000)
    parser.add_argument("--judge-accounts", type=int, default=60, help="judges generated (default 60)")
    parser.add_argument("--per-nomination", type=int, default=3, help="judges per nomination (default 3)")
    parser.add_argument("--database-url", help="an EMPTY PostgreSQL database to use instead of a throw-away server")
    parser.add_argument("--think", type=think_time, default=(0.0, 0.0), metavar="LOW-HIGH",
                        help="pause between steps, uniformly LOW to HIGH seconds, e.g. 0.5-1 (default 0: no pause)")
    parser.add_argument("--check", action="store_true", help="exit with status 1 when a target is missed")
    args = parser.parse_args(argv)
    met = run(args)
    return 0 if met or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
