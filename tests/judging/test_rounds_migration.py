"""0002_rounds on a database with data: every cycle gets one round carrying its closing of
judging, every panel seat and assignment (with its sheet) is attached to it; downgrading keeps
round 1's rows and drops later rounds' (a judge and a nomination could then clash)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from awards_app import PROJECT_ROOT, create_app
from awards_app.accounts.models import User
from awards_app.core.enums import NominationStatus, Phase, Region, SheetStatus
from awards_app.cycles.defaults import default_award_categories, default_criteria
from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from awards_app.judging.models import Assignment, JudgingRound, PanelMember, ScoreSheet
from awards_app.nominations.models import Nomination
from awards_app.sites.models import Site
from tests.conftest import complete_nomination_fields, scratch_database

BEFORE = "0002_japanese"


@pytest.fixture
def database_url(tmp_path):
    with scratch_database(tmp_path, "rounds_migration") as url:
        yield url


def _rows(engine, sql: str) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql)).all()]


def test_existing_cycles_get_one_round_and_keep_their_judging(database_url, tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "UPLOAD_FOLDER": str(tmp_path / "u")})
    directory = str(PROJECT_ROOT / "migrations")
    with app.app_context():
        upgrade(directory=directory)
        engine = create_engine(database_url)
        # Data as the application makes it (the tests' own session is bound to the test database),
        # in two cycles; the first judged in two rounds.
        closed = datetime(2013, 2, 20, tzinfo=timezone.utc)
        with Session(engine) as session:
            site = Site(code="SITE-A", name_en="Tokyo Works", name_ja="東京事業所", country="JP")
            judge = User(email="judge@example.com", name="Jiro Judge", password_hash="x", is_judge=True)
            cycles = [Cycle(fiscal_year=year, phase=Phase.JUDGING, nomination_deadline=closed - timedelta(days=30),
                            judging_deadline=closed + timedelta(days=5), criteria=default_criteria(),
                            award_categories=default_award_categories()) for year in (2013, 2014)]
            cycles[0].judging_closed_at, cycles[0].judging_closed_reason = closed, "Board meets early"
            session.add_all([site, judge, *cycles])
            session.flush()
            nomination = Nomination(cycle=cycles[0], site=site, status=NominationStatus.SUBMITTED,
                                    **complete_nomination_fields(cycles[0]))
            round2 = JudgingRound(cycle_id=cycles[0].id, number=2)
            session.add_all([nomination, round2])
            session.flush()
            round1 = session.scalars(select(JudgingRound).where(JudgingRound.cycle_id == cycles[0].id,
                                                                JudgingRound.number == 1)).one()
            assignments = []
            for each in (round1, round2):
                session.add(PanelMember(cycle_id=cycles[0].id, round_id=each.id, region=Region.JAPAN, judge_id=judge.id))
                assignments.append(Assignment(cycle_id=cycles[0].id, round_id=each.id, nomination_id=nomination.id,
                                              judge_id=judge.id))
            assignments[0].sheet = ScoreSheet(status=SheetStatus.SUBMITTED)
            session.add_all(assignments)
            session.commit()
            ids = (cycles[0].id, cycles[1].id, assignments[0].id, nomination.id, judge.id)

        downgrade(directory=directory, revision=BEFORE)
        assert _rows(engine, "SELECT id, nomination_id, judge_id FROM assignments") == [(ids[2], ids[3], ids[4])]
        assert _rows(engine, "SELECT COUNT(*) FROM panel_members") == [(1,)]
        assert _rows(engine, "SELECT assignment_id FROM score_sheets") == [(ids[2],)]

        upgrade(directory=directory)
        rounds = _rows(engine, "SELECT cycle_id, number, name, closed_reason, judges_per_nomination, ranking_method "
                               "FROM judging_rounds ORDER BY cycle_id")
        assert rounds == [(ids[0], 1, "", "Board meets early", None, None), (ids[1], 1, "", "", None, None)]
        [(round_id,)] = _rows(engine, f"SELECT id FROM judging_rounds WHERE cycle_id = {ids[0]}")
        assert _rows(engine, "SELECT id, round_id FROM assignments") == [(ids[2], round_id)]
        assert _rows(engine, "SELECT round_id FROM panel_members") == [(round_id,)]
        assert _rows(engine, "SELECT assignment_id FROM score_sheets") == [(ids[2],)]
        # The application reads it as a cycle judged in one round, closed as before.
        with Session(engine) as session:
            judged = session.get(JudgingRound, round_id)
            assert judged.is_closed and judged.closed_at == closed and judged.judges_needed == 3
        downgrade(directory=directory, revision=BEFORE)
        engine.dispose()
        db.engine.dispose()
