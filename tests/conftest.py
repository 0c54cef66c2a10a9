"""Shared fixtures: the app, a client, a login helper, factories, and a query counter.

Each test runs inside a transaction that is rolled back at the end, so tests never see each
other's data. Views still call commit(): that releases a SAVEPOINT inside the outer transaction.
The factories commit too, so that an error handler's rollback during a request (as after a 403
or 404) does not take the test's data with it.
"""
from __future__ import annotations

import io
import os
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from PIL import Image
from flask import current_app, g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import scoped_session, sessionmaker
from werkzeug.security import generate_password_hash

from awards_app import create_app
from awards_app.accounts.models import User
from awards_app.activities.models import Activity
from awards_app.awards.models import AwardDecision
from awards_app.core.enums import AssignmentStatus, Language, NominationStatus, Phase, SheetStatus, Theme
from awards_app.cycles.defaults import default_award_categories, default_criteria
from awards_app.cycles.fiscal import fiscal_year_of
from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from awards_app.judging.models import Assignment, Score, ScoreSheet
from awards_app.nominations.models import Nomination, NominationStatement
from awards_app.sites.models import Site

PASSWORD = "correct horse battery staple"
_PASSWORD_HASH = generate_password_hash(PASSWORD)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A real Redis for this run: TEST_REDIS_URL when CI gives one, else a throw-away redis-server."""
    if os.environ.get("TEST_REDIS_URL"):
        yield os.environ["TEST_REDIS_URL"]
        return
    from tests.servers import redis_server

    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@contextmanager
def scratch_database(folder, name: str):
    """The URL of a database of its own, for tests that need real commits or another process (the
    race tests, the browser tests' server): on the PostgreSQL server of TEST_DATABASE_URL a new
    database, dropped afterwards; otherwise an SQLite file in `folder`."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{folder / f'{name}.sqlite3'}"
        return
    url = make_url(base)
    database = f"{url.database}_{name}"
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    drop = f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'
    try:
        with server.connect() as connection:
            connection.exec_driver_sql(drop)
            connection.exec_driver_sql(f'CREATE DATABASE "{database}"')
        yield url.set(database=database).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.exec_driver_sql(drop)
        server.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    root = tmp_path_factory.mktemp("app")
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{root / 'test.sqlite3'}"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": url,
            "UPLOAD_FOLDER": str(root / "uploads"),
            "WTF_CSRF_ENABLED": False,
            "MAIL_OUTBOX": [],
            "HUEY_IMMEDIATE": True,  # tasks run at once, in the test's transaction
            "SERVER_NAME": "localhost",
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@contextmanager
def rolled_back_transaction(app):
    """An app context whose `db.session` works inside one transaction, rolled back at the end."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
            scopefunc=original.registry.scopefunc,
        )
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture(autouse=True)
def _transaction(app):
    """Run the test in an app context and a transaction rolled back afterwards."""
    with rolled_back_transaction(app):
        app.config["MAIL_OUTBOX"].clear()
        yield


@pytest.fixture(autouse=True)
def _fresh_rate_limits(app):
    """Start every test with no login attempts counted: the limiter stays on in tests, and its
    counts would otherwise carry over from one test to the next (all come from 127.0.0.1)."""
    forget_login_attempts()
    yield


def forget_login_attempts() -> None:
    from awards_app.extensions import limiter

    limiter.reset()


class IsolatedClient(FlaskClient):
    """A test client whose every request starts with an empty `g`, as a real request does.

    The `_transaction` fixture keeps one app context open for the whole test, and Flask reuses an
    open app context for requests, so `g` would otherwise carry Flask-Login's user, Flask-Babel's
    locale and time zone and Flask-WTF's CSRF token from one request (or one browser) to the next.
    """

    def open(self, *args, **kwargs):
        if has_app_context() and current_app._get_current_object() is self.application:
            g.__dict__.clear()
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    return IsolatedClient(app, app.response_class, use_cookies=True)


@pytest.fixture
def new_client(app):
    """new_client() is another browser: its own cookies and session."""
    return lambda: IsolatedClient(app, app.response_class, use_cookies=True)


@pytest.fixture
def upload_folder(app, tmp_path):
    """A fresh upload folder per test (attachments are files on disk), so that file assertions do
    not see other tests' files."""
    previous = app.config["UPLOAD_FOLDER"]
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    yield tmp_path / "uploads"
    app.config["UPLOAD_FOLDER"] = previous


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app):
    return app.config["MAIL_OUTBOX"]


def log_in(client, user: User, password: str = PASSWORD) -> FlaskClient:
    """Log `client` (any test client) in as `user` through the login form; → the client.

    A client already logged in is logged out first (the login page would only send it home)."""
    with client.session_transaction() as session:
        logged_in = "_user_id" in session
    if logged_in:
        client.post("/logout")
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, "login failed"
    return client


@pytest.fixture
def login(client):
    """login(user) → the test client, logged in as `user` (login(None): anonymous).

    login(user, browser) logs another client (one from `new_client()`) in instead."""

    def do_login(user: User | None, browser: FlaskClient | None = None, password: str = PASSWORD):
        browser = browser or client
        if user is None:
            browser.post("/logout")
            return browser
        return log_in(browser, user, password)

    return do_login


# --- factories ---------------------------------------------------------------------------------


@pytest.fixture
def make_site():
    counter = iter(range(1, 10_000))

    def factory(code: str | None = None, country: str = "JP", **fields) -> Site:
        n = next(counter)
        site = Site(
            code=code or f"SITE-{n}",
            name_en=fields.pop("name_en", f"Site {n}"),
            name_ja=fields.pop("name_ja", f"拠点{n}"),
            country=country,
            active=fields.pop("active", True),
        )
        db.session.add(site)
        db.session.commit()
        return site

    return factory


@pytest.fixture
def make_user():
    counter = iter(range(1, 10_000))

    def factory(*roles: str, sites: list[Site] | None = None, **fields) -> User:
        n = next(counter)
        user = User(
            email=fields.pop("email", f"user{n}@example.com"),
            name=fields.pop("name", f"User {n}"),
            password_hash=fields.pop("password_hash", _PASSWORD_HASH),
            locale=fields.pop("locale", "en"),
            timezone=fields.pop("timezone", "Asia/Tokyo"),
            active=fields.pop("active", True),
            **{f"is_{role}": True for role in roles},
        )
        user.sites = list(sites or [])
        db.session.add(user)
        db.session.commit()
        return user

    return factory


def today_fiscal_year() -> int:
    return fiscal_year_of(date.today())


@pytest.fixture
def make_cycle():
    def factory(fiscal_year: int | None = None, phase: Phase = Phase.NOMINATIONS_OPEN, **fields) -> Cycle:
        now = datetime.now(timezone.utc)
        cycle = Cycle(
            fiscal_year=fiscal_year or today_fiscal_year(),
            phase=phase,
            nomination_deadline=fields.pop("nomination_deadline", now + timedelta(days=30)),
            judging_deadline=fields.pop("judging_deadline", now + timedelta(days=60)),
            scale_min=1,
            scale_max=5,
            **fields,
        )
        cycle.criteria = default_criteria()
        cycle.award_categories = default_award_categories()
        db.session.add(cycle)
        db.session.commit()
        return cycle

    return factory


def complete_nomination_fields(cycle: Cycle) -> dict:
    start = cycle.start_date + timedelta(days=30)
    return {
        "language": Language.EN,
        "title": "Beach clean-up with local schools",
        "title_other": "地元の学校と海岸清掃",
        "theme": Theme.NATURE,
        "biodiversity": True,
        "summary": "Employees and pupils cleaned the beach.",
        "description": "A long description of the activity.",
        "start_date": start,
        "end_date": start + timedelta(days=1),
        "participants": 120,
        "volunteer_hours": Decimal("360.5"),
        "partners": "City of Example; Ocean NPO",
        "outcomes": "2 tonnes of litter collected.",
    }


@pytest.fixture
def make_nomination():
    def factory(cycle: Cycle, site: Site, status: NominationStatus = NominationStatus.DRAFT, **fields) -> Nomination:
        values = complete_nomination_fields(cycle)
        values.update(fields)
        nomination = Nomination(cycle=cycle, site=site, status=status, **values)
        if status == NominationStatus.SUBMITTED:
            nomination.submitted_at = datetime.now(timezone.utc)
        nomination.statements = [
            NominationStatement(criterion=criterion, text=f"Statement on {criterion.name_en}.")
            for criterion in cycle.criteria
        ]
        db.session.add(nomination)
        db.session.commit()
        return nomination

    return factory


@pytest.fixture
def make_assignment():
    def factory(nomination: Nomination, judge: User, status: AssignmentStatus = AssignmentStatus.ACTIVE,
                reason: str = "", judging_round=None) -> Assignment:
        """An assignment of `judge` to `nomination` (`reason`: the conflict a judge declared) in
        `judging_round` (default: the cycle's current round)."""
        from awards_app.judging.queries import get_round

        judging_round = judging_round or get_round(nomination.cycle)
        assignment = Assignment(cycle_id=nomination.cycle_id, round_id=judging_round.id, nomination_id=nomination.id,
                                judge_id=judge.id, status=status, conflict_reason=reason)
        db.session.add(assignment)
        db.session.commit()
        return assignment

    return factory


@pytest.fixture
def make_sheet():
    def factory(assignment: Assignment, values=(), *, submitted: bool = True, abstained: bool = False,
                reason: str = "", overall: str = "", comments=()) -> ScoreSheet:
        """The assignment's score sheet: `values` and `comments` by criterion, in the cycle's order
        (None or missing: not scored), submitted unless `submitted=False` (a draft)."""
        criteria = db.session.get(Cycle, assignment.cycle_id).criteria
        values = list(values) + [None] * (len(criteria) - len(values))
        comments = list(comments) + [""] * (len(criteria) - len(comments))
        sheet = ScoreSheet(
            assignment=assignment,
            status=SheetStatus.SUBMITTED if submitted else SheetStatus.DRAFT,
            abstained=abstained,
            abstain_reason=reason,
            overall_comment=overall,
            submitted_at=datetime.now(timezone.utc) if submitted else None,
            scores=[Score(criterion_id=c.id, value=v, comment=text)
                    for c, v, text in zip(criteria, values, comments, strict=True)],
        )
        db.session.add(sheet)
        db.session.commit()
        return sheet

    return factory


@pytest.fixture
def make_attachment(upload_folder):
    def factory(nomination: Nomination, actor: User, name: str = "photo.png", data: bytes | None = None):
        """A photo (a PNG unless `data`) attached to `nomination` by `actor`, stored like an upload."""
        from awards_app.nominations import services, storage

        checked = storage.check_upload(io.BytesIO(data or png_bytes()), 10 * 1024 * 1024)
        attachment = services.add_attachment(actor, nomination, checked, name, folder=str(upload_folder),
                                             max_attachments=10)
        db.session.commit()
        return attachment

    return factory


@pytest.fixture
def make_decision():
    def factory(cycle: Cycle, category_key: str, nomination: Nomination, admin: User, **fields) -> AwardDecision:
        """The award of the category `category_key` given to `nomination`, recorded directly (not
        through the deciding service)."""
        category = next(c for c in cycle.award_categories if c.key == category_key)
        decision = AwardDecision(
            cycle_id=cycle.id, category_id=category.id, nomination_id=nomination.id,
            proposed_nomination_id=fields.pop("proposed_nomination_id", nomination.id), decided_by_id=admin.id,
            **fields,
        )
        db.session.add(decision)
        db.session.commit()
        return decision

    return factory


@pytest.fixture
def events():
    """events("sheet.reopened") → the audit events of that action (all without one), oldest first."""
    from awards_app.audit.models import AuditEvent

    def find(action: str | None = None) -> list:
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        return list(db.session.scalars(query))

    return find


def fresh(model, ident):
    """The row as the database now holds it (not the copy in the session's identity map)."""
    db.session.expire_all()
    return db.session.get(model, ident)


@pytest.fixture
def reload():
    """reload(Model, id) → the row as the database now holds it."""
    return fresh


# --- helpers -----------------------------------------------------------------------------------


@contextmanager
def _counting(engine):
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


@pytest.fixture
def count_queries():
    """with count_queries() as statements: ...  → len(statements) SQL statements were run."""
    return lambda: _counting(db.engine)


def png_bytes(size=(64, 48), color=(30, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def make_activity():
    counter = iter(range(1, 100_000))

    def factory(site: Site, fiscal_year: int | None = None, **fields) -> Activity:
        """An activity of `site` in `fiscal_year` (default: the current one), 10 days in May."""
        n = next(counter)
        fiscal_year = fiscal_year or today_fiscal_year()
        start = date(fiscal_year - 1, 5, 1) + timedelta(days=n % 200)
        values = {
            "reference": f"A-{n}", "title": f"Activity {n}", "title_other": "", "theme": Theme.NATURE,
            "biodiversity": False, "start_date": start, "end_date": start + timedelta(days=1),
            "participants": 10, "volunteer_hours": Decimal("25.0"), "partners": "", "description": "",
        }
        values.update(fields)
        activity = Activity(site_id=site.id, fiscal_year=fiscal_year, **values)
        db.session.add(activity)
        db.session.commit()
        return activity

    return factory
