"""Races (issue 5): two people doing the same thing at the same moment. Exactly one wins, the
other gets a clear answer (a DomainError the views turn into a message), nothing is duplicated.

The shared fixtures run every test in one rolled-back transaction on one connection, which cannot
show concurrency. These tests use their own database with real commits and drive the real
services from two threads, each with its own app context, session and connection.

On PostgreSQL the overlap is forced, not left to luck: each thread is held at a barrier just before
its first write or row lock (``INSERT``/``UPDATE``/``DELETE``/``FOR [NO KEY] UPDATE``), so both have read
everything they decide on before either changes anything. SQLite has one writer at a time, and a
transaction that has read and then tries to write after another one committed fails with "database
is locked" (SQLITE_BUSY_SNAPSHOT), so on SQLite the two transactions start together but run one
after the other; the test then asserts the same outcome (one winner, no duplicates).
"""
from __future__ import annotations

import io
import itertools
import re
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import event, inspect, select
from werkzeug.datastructures import FileStorage
from werkzeug.security import generate_password_hash
from werkzeug.test import encode_multipart

from awards_app import create_app
from awards_app.accounts.models import User
from awards_app.audit.models import AuditEvent
from awards_app.awards import services as award_services
from awards_app.awards.models import AwardDecision
from awards_app.core.enums import (
    AssignmentStatus,
    NominationStatus,
    Phase,
    Region,
    SheetStatus,
)
from awards_app.core.exceptions import DomainError
from awards_app.core.models import utcnow
from awards_app.cycles.defaults import default_award_categories, default_criteria
from awards_app.cycles.models import AwardCategory, Cycle
from awards_app.extensions import db, limiter
from awards_app.judging import services as judging_services
from awards_app.judging.models import Assignment, PanelMember, Score, ScoreSheet
from awards_app.judging.queries import get_round
from awards_app.nominations import services as nomination_services
from awards_app.nominations import storage
from awards_app.nominations.models import Attachment, Nomination, NominationStatement
from awards_app.sites.models import Site
from tests.conftest import PASSWORD, IsolatedClient, complete_nomination_fields, scratch_database
from tests.nominations.support import png_bytes

REPEAT = 5
WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE")
LOCKING = re.compile(r"\bFOR (NO KEY )?UPDATE\b")


# The shared autouse fixtures would bind `db.session` to the main test database's rolled-back
# connection (in every thread); these tests need the real sessions of their own app instead.
@pytest.fixture(autouse=True)
def _transaction():
    yield


@pytest.fixture(autouse=True)
def _fresh_rate_limits(race_app):
    with race_app.app_context():
        limiter.reset()
    yield


@pytest.fixture(scope="module")
def race_database_url(tmp_path_factory):
    with scratch_database(tmp_path_factory.mktemp("races"), "races") as url:
        yield url


@pytest.fixture(scope="module")
def race_app(race_database_url, tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "race-secret",
        "SQLALCHEMY_DATABASE_URI": race_database_url,
        "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("race-uploads")),
        "WTF_CSRF_ENABLED": False,
        "MAIL_OUTBOX": [],
        # Messages the races cause wait in a queue of this test's own (no consumer runs here).
        "HUEY_URL": f"sqlite:///{tmp_path_factory.mktemp('race-queue') / 'queue.sqlite3'}",
    })
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(scope="module")
def people(race_app):
    """Sites and users shared by every race (each race makes its own cycle)."""
    password_hash = generate_password_hash(PASSWORD)
    with race_app.app_context():
        sites = {
            "tokyo": Site(code="R-TOKYO", name_en="Tokyo Works", name_ja="東京事業所", country="JP", active=True),
            "osaka": Site(code="R-OSAKA", name_en="Osaka Plant", name_ja="大阪工場", country="JP", active=True),
            "nagoya": Site(code="R-NAGOYA", name_en="Nagoya Lab", name_ja="名古屋研究所", country="JP", active=True),
        }
        db.session.add_all(sites.values())

        def user(name: str, role: str, user_sites=()) -> User:
            person = User(email=f"{name.lower()}@race.example.com", name=name, password_hash=password_hash, locale="en",
                          timezone="Asia/Tokyo", active=True, **{f"is_{role}": True})
            person.sites = list(user_sites)
            db.session.add(person)
            return person

        users = {
            "admin1": user("Ada", "admin"), "admin2": user("Bob", "admin"),
            "judge1": user("Jiro", "judge"), "judge2": user("Kana", "judge"), "judge3": user("Lena", "judge"),
            "judge_tokyo": user("Taro", "judge", [sites["tokyo"]]),
        }
        db.session.commit()
        ids = SimpleNamespace(**{k: v.id for k, v in sites.items()}, **{k: v.id for k, v in users.items()})
        db.session.remove()
    return ids


_fiscal_years = itertools.count(1990)


def _new_cycle(**fields) -> Cycle:
    now = utcnow()
    cycle = Cycle(fiscal_year=next(_fiscal_years), phase=Phase.JUDGING,
                  nomination_deadline=now - timedelta(days=1), judging_deadline=now + timedelta(days=30),
                  scale_min=1, scale_max=5, **fields)
    cycle.criteria = default_criteria()
    cycle.award_categories = default_award_categories()
    db.session.add(cycle)
    db.session.flush()
    return cycle


def _nomination(cycle: Cycle, site_id: int, title: str) -> Nomination:
    values = complete_nomination_fields(cycle)
    values["title"] = title
    nomination = Nomination(cycle=cycle, site_id=site_id, status=NominationStatus.SUBMITTED,
                            submitted_at=utcnow(), **values)
    nomination.statements = [NominationStatement(criterion=c, text="Statement.") for c in cycle.criteria]
    db.session.add(nomination)
    db.session.flush()
    return nomination


# --- the race harness ----------------------------------------------------------------------------


@dataclass
class Outcome:
    value: object = None
    error: BaseException | None = None

    @property
    def won(self) -> bool:
        return self.error is None


class Race:
    """Run two operations at the same moment, each in its own thread, app context and session.

    PostgreSQL: each thread waits at `barrier` before its first write or row lock, so both have
    read before either writes. SQLite: the two transactions start together and run one after the
    other (`_one_writer`), which is what SQLite allows.
    """

    def __init__(self, app, parties: int = 2, *, one_writer_on_sqlite: bool = True):
        self.app = app
        self.parties = parties
        self.concurrent = not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
        # False: on SQLite too the operations run at the same moment, and SQLite's own locking
        # (busy_timeout, BEGIN IMMEDIATE for writing requests) has to serialise them.
        self.serialised = not self.concurrent and one_writer_on_sqlite
        self.barrier = threading.Barrier(parties)
        self.local = threading.local()
        self._one_writer = threading.Lock()
        self.held: list[str] = []  # statements at which a thread was held before writing

    def _before_execute(self, conn, cursor, statement, parameters, context, executemany):
        if not getattr(self.local, "armed", False):
            return
        text = statement.lstrip().upper()
        if text.startswith(WRITE_STATEMENTS) or LOCKING.search(text):
            self.local.armed = False
            self.held.append(text[:40])
            self.barrier.wait(timeout=10)

    def _run(self, operation, results: list, index: int, start: threading.Barrier) -> None:
        outcome = Outcome()
        try:
            start.wait(timeout=10)
            with self.app.app_context():
                lock = self._one_writer if self.serialised else threading.Lock()
                with lock:
                    self.local.armed = self.concurrent
                    try:
                        outcome.value = operation()
                        db.session.commit()
                    except Exception as error:  # noqa: BLE001 - any failure is the test's finding
                        outcome.error = error
                        db.session.rollback()
                    finally:
                        db.session.remove()
                        if self.local.armed:  # refused before writing: let the other thread go on
                            self.local.armed = False
                            self.barrier.wait(timeout=10)
        except Exception as error:  # noqa: BLE001 - a broken barrier, reported below
            outcome.error = error
        results[index] = outcome

    def run(self, *operations) -> list[Outcome]:
        assert len(operations) == self.parties
        results: list = [None] * self.parties
        start = threading.Barrier(self.parties)
        engine = self._engine()
        event.listen(engine, "before_cursor_execute", self._before_execute)
        try:
            threads = [threading.Thread(target=self._run, args=(operation, results, index, start))
                       for index, operation in enumerate(operations)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
            assert not any(thread.is_alive() for thread in threads), "a racer hung"
        finally:
            event.remove(engine, "before_cursor_execute", self._before_execute)
        unexpected = [o.error for o in results if o.error is not None and not isinstance(o.error, DomainError)]
        assert not unexpected, f"a racer failed with something else than a clear refusal: {unexpected!r}"
        if self.concurrent:
            assert len(self.held) == self.parties, f"the threads did not overlap: {self.held}"
        return results

    def _engine(self):
        with self.app.app_context():
            return db.engine


def _one_winner(results: list[Outcome]) -> tuple[Outcome, Outcome]:
    winners = [o for o in results if o.won]
    losers = [o for o in results if not o.won]
    assert len(winners) == 1 and len(losers) == 1, results
    message = str(losers[0].error)
    assert message and "IntegrityError" not in message and "SQL" not in message
    return winners[0], losers[0]


def _events(action: str, **details) -> list[AuditEvent]:
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()
    return [row for row in rows if all(row.details.get(k) == v for k, v in details.items())]


@pytest.fixture
def race(race_app):
    return lambda *args, **options: Race(race_app, *args, **options)


@pytest.fixture
def in_race_app(race_app):
    """Set-up and checks in the race database, in an app context of their own."""
    with race_app.app_context():
        yield
        db.session.remove()


# --- 1. two tabs submit the same score sheet -----------------------------------------------------


def _sheet_values(cycle_id: int, value: int) -> dict[int, tuple[int, str]]:
    criteria = db.session.get(Cycle, cycle_id).criteria
    return {criterion.id: (value, f"comment {value}") for criterion in criteria}


def _submit(assignment_id: int, judge_id: int, version: int, value: int):
    def operation():
        assignment = db.session.get(Assignment, assignment_id)
        return judging_services.save_sheet(
            db.session.get(User, judge_id), assignment, expected_version=version,
            scores=_sheet_values(assignment.cycle_id, value), overall_comment=f"tab {value}",
            abstain=False, abstain_reason="", submit=True,
        ).id
    return operation


@pytest.mark.parametrize("with_draft", [False, True], ids=["first-save", "saved-draft"])
def test_two_tabs_submitting_the_same_sheet_submit_it_once(race, in_race_app, people, with_draft):
    for _ in range(REPEAT):
        cycle = _new_cycle()
        nomination = _nomination(cycle, people.tokyo, "Beach clean-up")
        assignment = Assignment(cycle_id=cycle.id, round_id=get_round(cycle).id, nomination_id=nomination.id, judge_id=people.judge1)
        if with_draft:
            assignment.sheet = ScoreSheet(status=SheetStatus.DRAFT, scores=[
                Score(criterion_id=c.id, value=None, comment="") for c in cycle.criteria])
        db.session.add(assignment)
        db.session.commit()
        version = judging_services.sheet_version(assignment)
        ids = SimpleNamespace(assignment=assignment.id, criteria=len(cycle.criteria))
        db.session.remove()

        racing = race()
        results = racing.run(_submit(ids.assignment, people.judge1, version, 4),
                             _submit(ids.assignment, people.judge1, version, 2))

        winner, loser = _one_winner(results)
        if racing.concurrent:  # caught by the version check, or by the one-sheet constraint
            assert isinstance(loser.error, judging_services.SheetConflict)
        else:  # the second came after the first
            assert isinstance(loser.error, judging_services.ScoringClosed)
        db.session.expire_all()
        [sheet] = db.session.scalars(select(ScoreSheet).where(ScoreSheet.assignment_id == ids.assignment)).all()
        assert sheet.id == winner.value and sheet.status == SheetStatus.SUBMITTED
        kept = 4 if results[0].won else 2
        assert sheet.overall_comment == f"tab {kept}"
        scores = db.session.scalars(select(Score).where(Score.sheet_id == sheet.id)).all()
        assert len(scores) == ids.criteria == len({s.criterion_id for s in scores})
        assert {s.value for s in scores} == {kept}
        assert len([e for e in _events("sheet.submitted") if e.object_id == sheet.id]) == 1
        db.session.remove()


def test_two_tabs_submitting_over_http_get_one_success_and_one_clear_page(race, race_app, in_race_app, people):
    """The same race through the scoring page: one redirect, and for the other tab a page that
    says why and keeps the input (409 when the two overlapped; 403 "submitted" when the second
    came after the first) — never a 500."""
    for _ in range(REPEAT):
        cycle = _new_cycle()
        nomination = _nomination(cycle, people.osaka, "Forest school")
        assignment = Assignment(cycle_id=cycle.id, round_id=get_round(cycle).id, nomination_id=nomination.id, judge_id=people.judge2)
        db.session.add(assignment)
        db.session.commit()
        url = f"/judging/{assignment.id}"
        form = {"version": "0", "action": "submit", "overall_comment": "", "abstain_reason": ""}
        for criterion in cycle.criteria:
            form[f"score_{criterion.id}"] = "3"
            form[f"comment_{criterion.id}"] = ""
        ids = SimpleNamespace(assignment=assignment.id)
        db.session.remove()
        tabs = []
        for _tab in range(2):
            tab = IsolatedClient(race_app, race_app.response_class, use_cookies=True)
            response = tab.post("/login", data={"email": "kana@race.example.com", "password": PASSWORD})
            assert response.status_code == 302
            tabs.append(tab)

        def submit(tab, url=url, form=form):
            return lambda: tab.post(url, data=form)

        racing = race()
        results = racing.run(submit(tabs[0]), submit(tabs[1]))

        assert all(o.won for o in results), results
        statuses = sorted(o.value.status_code for o in results)
        assert statuses == ([302, 409] if racing.concurrent else [302, 403]), statuses
        refused = max(results, key=lambda o: o.value.status_code).value
        if refused.status_code == 409:
            assert "This sheet was changed elsewhere" in refused.text
            assert "Your input has NOT been saved" in refused.text
        else:
            assert "This sheet has been submitted and can no longer be changed." in refused.text
        db.session.expire_all()
        [sheet] = db.session.scalars(select(ScoreSheet).where(ScoreSheet.assignment_id == ids.assignment)).all()
        assert sheet.status == SheetStatus.SUBMITTED
        assert len([e for e in _events("sheet.submitted") if e.object_id == sheet.id]) == 1
        db.session.remove()


# --- 2. two admins assign automatically at once --------------------------------------------------


def _assign_automatically(admin_id: int, cycle_id: int):
    def operation():
        plan = judging_services.assign_automatically(db.session.get(User, admin_id), db.session.get(Cycle, cycle_id))
        return len(plan.new)
    return operation


def _assignment_cycle(people, per_nomination: int = 2) -> SimpleNamespace:
    """Three Japanese nominations, a Japanese panel of four (one of them from Tokyo)."""
    cycle = _new_cycle(judges_per_nomination=per_nomination)
    nominations = [_nomination(cycle, site, f"Entry {i}")
                   for i, site in enumerate((people.tokyo, people.osaka, people.nagoya))]
    for judge_id in (people.judge1, people.judge2, people.judge3, people.judge_tokyo):
        db.session.add(PanelMember(cycle_id=cycle.id, round_id=get_round(cycle).id, region=Region.JAPAN, judge_id=judge_id))
    db.session.commit()
    return SimpleNamespace(cycle=cycle.id, nominations=[n.id for n in nominations])


def _check_assignments(setup, per_nomination: int) -> list[tuple[int, int]]:
    db.session.expire_all()
    rows = db.session.execute(
        select(Assignment.nomination_id, Assignment.judge_id).where(Assignment.cycle_id == setup.cycle)).all()
    assert len(rows) == len(set(rows)), "duplicate assignment rows"
    per = Counter(nomination_id for nomination_id, _ in rows)
    assert per == {nomination_id: per_nomination for nomination_id in setup.nominations}
    return rows


def test_two_admins_assigning_automatically_fill_the_gaps_once(race, in_race_app, people):
    for _ in range(REPEAT):
        setup = _assignment_cycle(people)
        db.session.remove()

        results = race().run(_assign_automatically(people.admin1, setup.cycle),
                             _assign_automatically(people.admin2, setup.cycle))

        # Both runs succeed: the second waits for the first (the cycle row is locked while its
        # assignments change) and then finds nothing left to fill.
        assert all(o.won for o in results), results
        assert sorted(o.value for o in results) == [0, 6]
        _check_assignments(setup, 2)
        runs = [e for e in _events("assignment.auto") if e.object_id == setup.cycle]
        assert sorted(e.details["created"] for e in runs) == [0, 6]
        db.session.remove()


def test_assigning_by_hand_while_assigning_automatically_makes_no_duplicate(race, in_race_app, people):
    for _ in range(REPEAT):
        setup = _assignment_cycle(people, per_nomination=3)
        db.session.remove()

        def by_hand(setup=setup):
            # Judge 1 is the least loaded judge, so the automatic run picks them for Osaka too.
            nomination = db.session.get(Nomination, setup.nominations[1])
            return judging_services.add_assignment(db.session.get(User, people.admin2), nomination,
                                                   db.session.get(User, people.judge1)).id

        results = race().run(_assign_automatically(people.admin1, setup.cycle), by_hand)

        automatic, manual = results
        assert automatic.won
        if manual.won:  # by hand first: the automatic run assigned around it
            assert automatic.value == 8
        else:  # automatically first: judge 1 was already on Osaka
            assert automatic.value == 9
            assert isinstance(manual.error, judging_services.JudgingError)
            assert str(manual.error) == "This judge is already assigned to this nomination."
        _check_assignments(setup, 3)
        db.session.remove()


def test_declaring_a_conflict_while_assigning_automatically_makes_no_duplicate(race, in_race_app, people):
    for _ in range(REPEAT):
        # One nomination with one judge of two; that judge declares a conflict while the admin fills
        # the gap. Both would give the place to the same judge (judge 2, the first of the free ones).
        cycle = _new_cycle(judges_per_nomination=2)
        osaka = _nomination(cycle, people.osaka, "Forest school")
        for judge_id in (people.judge1, people.judge2, people.judge3):
            db.session.add(PanelMember(cycle_id=cycle.id, round_id=get_round(cycle).id, region=Region.JAPAN, judge_id=judge_id))
        assignment = Assignment(cycle_id=cycle.id, round_id=get_round(cycle).id, nomination_id=osaka.id, judge_id=people.judge1)
        db.session.add(assignment)
        db.session.commit()
        setup = SimpleNamespace(cycle=cycle.id, nominations=[osaka.id])
        conflicted = assignment.id
        db.session.remove()

        def declare(conflicted=conflicted):
            replacement = judging_services.declare_conflict(
                db.session.get(User, people.judge1), db.session.get(Assignment, conflicted), "My cousin runs it")
            return replacement is not None

        results = race().run(_assign_automatically(people.admin1, setup.cycle), declare)

        assert all(o.won for o in results), results
        db.session.expire_all()
        rows = db.session.execute(select(Assignment.nomination_id, Assignment.judge_id, Assignment.status)
                                  .where(Assignment.cycle_id == setup.cycle)).all()
        assert len(rows) == len({(n, j) for n, j, _ in rows}), "duplicate assignment rows"
        active = Counter(n for n, _, status in rows if status == AssignmentStatus.ACTIVE)
        assert active == {nomination_id: 2 for nomination_id in setup.nominations}
        assert (setup.nominations[0], people.judge1, AssignmentStatus.CONFLICT) in rows
        db.session.remove()


# --- 3. two admins decide the awards at once -----------------------------------------------------


def _decide(admin_id: int, category_id: int, nomination_id: int, reason: str, seen_winner_id: int | None = None):
    """The decision an admin sends from the awards page, which showed `seen_winner_id` as the winner."""
    def operation():
        category = db.session.get(AwardCategory, category_id)
        nomination = db.session.get(Nomination, nomination_id)
        return award_services.decide_award(db.session.get(User, admin_id), category, nomination,
                                           reason=reason, seen_winner_id=seen_winner_id).nomination_id
    return operation


def test_two_admins_choosing_different_winners_of_one_award(race, in_race_app, people):
    for _ in range(REPEAT):
        cycle = _new_cycle()
        tokyo = _nomination(cycle, people.tokyo, "Tokyo bay clean-up")
        osaka = _nomination(cycle, people.osaka, "Osaka forest school")
        japan = cycle.award_categories[0]
        db.session.commit()
        ids = SimpleNamespace(cycle=cycle.id, japan=japan.id, tokyo=tokyo.id, osaka=osaka.id)
        db.session.remove()

        # Nothing is scored yet, so either choice needs a reason.
        racing = race()
        results = racing.run(_decide(people.admin1, ids.japan, ids.tokyo, "Best outreach"),
                             _decide(people.admin2, ids.japan, ids.osaka, "Longest running"))

        db.session.expire_all()
        decisions = db.session.scalars(select(AwardDecision).where(AwardDecision.category_id == ids.japan)).all()
        assert len(decisions) == 1
        events = [e for e in _events("award.decided") if e.details["category_id"] == ids.japan]
        # Concurrently, the unique constraint refuses the second first decision; one after the
        # other (SQLite), the second sees a winner its page did not show. Either way: refused.
        winner, loser = _one_winner(results)
        assert isinstance(loser.error, award_services.AwardError)
        assert "Someone else decided this in the meantime" in str(loser.error)
        assert decisions[0].nomination_id == winner.value
        [event] = events
        assert event.details["chosen"] == winner.value and event.details["previous"] is None
        db.session.remove()


def test_two_admins_changing_the_same_winner_at_once(race, in_race_app, people):
    """Both pages show Tokyo as the winner; one admin picks Osaka, the other Nagoya."""
    for _ in range(REPEAT):
        cycle = _new_cycle()
        tokyo = _nomination(cycle, people.tokyo, "Tokyo bay clean-up")
        osaka = _nomination(cycle, people.osaka, "Osaka forest school")
        nagoya = _nomination(cycle, people.osaka, "Nagoya river watch")
        japan = cycle.award_categories[0]
        db.session.add(AwardDecision(cycle_id=cycle.id, category_id=japan.id, nomination_id=tokyo.id,
                                     reason="First choice", decided_by_id=people.admin1, decided_at=utcnow()))
        db.session.commit()
        ids = SimpleNamespace(japan=japan.id, tokyo=tokyo.id, osaka=osaka.id, nagoya=nagoya.id)
        db.session.remove()

        results = race().run(_decide(people.admin1, ids.japan, ids.osaka, "Better outreach", ids.tokyo),
                             _decide(people.admin2, ids.japan, ids.nagoya, "Longer running", ids.tokyo))

        winner, loser = _one_winner(results)
        assert "Someone else decided this in the meantime" in str(loser.error)
        db.session.expire_all()
        [decision] = db.session.scalars(select(AwardDecision).where(AwardDecision.category_id == ids.japan)).all()
        assert decision.nomination_id == winner.value
        [event] = [e for e in _events("award.decided") if e.details["category_id"] == ids.japan]
        assert event.details["previous"]["nomination_id"] == ids.tokyo
        db.session.remove()


def test_one_nomination_chosen_for_two_awards_at_once_wins_one(race, in_race_app, people):
    for _ in range(REPEAT):
        cycle = _new_cycle()
        special = AwardCategory(key="special_japan", name_en="Special Award (Japan)", name_ja="特別賞（日本）",
                                region=Region.JAPAN, position=2)
        cycle.award_categories.append(special)
        tokyo = _nomination(cycle, people.tokyo, "Tokyo bay clean-up")
        db.session.commit()
        ids = SimpleNamespace(cycle=cycle.id, grand=cycle.award_categories[0].id, special=special.id, tokyo=tokyo.id)
        db.session.remove()

        results = race().run(_decide(people.admin1, ids.grand, ids.tokyo, "Best outreach"),
                             _decide(people.admin2, ids.special, ids.tokyo, "Most novel"))

        _, loser = _one_winner(results)
        assert isinstance(loser.error, award_services.AwardError)
        assert "has already won the" in str(loser.error)
        db.session.expire_all()
        decisions = db.session.scalars(select(AwardDecision).where(AwardDecision.cycle_id == ids.cycle)).all()
        assert [d.nomination_id for d in decisions] == [ids.tokyo]
        events = [e for e in _events("award.decided") if e.details["cycle_id"] == ids.cycle]
        assert [e.details["category_id"] for e in events] == [decisions[0].category_id]
        db.session.remove()


def test_constraints_that_back_these_races_exist(in_race_app):
    """The database itself refuses duplicates, whatever a service does."""
    inspector = inspect(db.engine)

    def unique(table: str) -> set[tuple[str, ...]]:
        found = {tuple(c["column_names"]) for c in inspector.get_unique_constraints(table)}
        return found | {tuple(i["column_names"]) for i in inspector.get_indexes(table) if i["unique"]}

    assert ("assignment_id",) in unique("score_sheets")
    assert ("sheet_id", "criterion_id") in unique("scores")
    assert ("round_id", "nomination_id", "judge_id") in unique("assignments")  # one per judge and nomination in a round
    assert ("category_id",) in unique("award_decisions")
    assert ("nomination_id",) in unique("award_decisions")
    assert ScoreSheet.__mapper__.version_id_col is not None
    assert Nomination.__mapper__.version_id_col is not None


# --- 6. five uploads at once to a nomination with room for two ------------------------------------


def test_concurrent_uploads_respect_the_attachment_limit_and_leave_no_stray_file(race, race_app, in_race_app, people):
    """8 files, room for 2 (MAX_ATTACHMENTS = 10), 5 uploads at once: 2 are added, 3 refused with
    the limit's message, none answers 500, and the files on disk are exactly the rows' files.
    Here SQLite is not serialised by the test: its own locking must make the uploads wait."""
    folder = race_app.config["UPLOAD_FOLDER"]
    limit = race_app.config["MAX_ATTACHMENTS"]
    assert limit == 10
    uploads = 5
    for _ in range(2):
        cycle = _new_cycle()
        nomination = _nomination(cycle, people.tokyo, "Photo wall")
        admin = db.session.get(User, people.admin1)
        checked = storage.check_upload(io.BytesIO(png_bytes()), 1024 * 1024)
        for n in range(limit - 2):
            nomination_services.add_attachment(admin, nomination, checked, f"{n}.png", folder=folder,
                                               max_attachments=limit)
        db.session.commit()
        nomination_id = nomination.id
        db.session.remove()
        tabs = []
        for _tab in range(uploads):
            tab = IsolatedClient(race_app, race_app.response_class, use_cookies=True)
            response = tab.post("/login", data={"email": "ada@race.example.com", "password": PASSWORD})
            assert response.status_code == 302
            tabs.append(tab)

        def upload(tab, n):
            boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(png_bytes(color=(n, 0, 0))),
                                                                   filename=f"new {n}.png")})
            return lambda: tab.post(f"/nominations/{nomination_id}/attachments", data=body,
                                    content_type=f"multipart/form-data; boundary={boundary}")

        racing = race(uploads, one_writer_on_sqlite=False)
        results = racing.run(*(upload(tab, n) for n, tab in enumerate(tabs)))

        assert all(o.won for o in results), results
        statuses = sorted(o.value.status_code for o in results)
        assert statuses == [200] * 3 + [302] * 2, statuses
        for refused in (o.value for o in results if o.value.status_code == 200):
            assert "A nomination can have at most 10 files. Delete one to add another." in refused.text
        db.session.expire_all()
        rows = db.session.scalars(select(Attachment.stored_name).where(Attachment.nomination_id == nomination_id)).all()
        assert len(rows) == limit
        on_disk = {path.name[:32] for path in Path(folder).rglob("*") if path.is_file()}
        every_row = set(db.session.scalars(select(Attachment.stored_name)).all())
        assert on_disk == every_row, "a file on disk without a row, or a row without its file"
        for name in rows:
            assert storage.file_path(folder, name).is_file() and storage.thumbnail_path(folder, name).is_file()
        db.session.remove()
