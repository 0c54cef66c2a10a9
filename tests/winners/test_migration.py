"""0002_winners on a database with data: existing cycles' winners' pages are not public, existing
decisions show no photo; downgrading keeps the rows."""
from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from awards_app import PROJECT_ROOT, create_app
from awards_app.extensions import db
from tests.conftest import scratch_database

BEFORE = "0002_ranking"


@pytest.fixture
def database_url(tmp_path):
    with scratch_database(tmp_path, "winners_migration") as url:
        yield url


def test_upgrade_keeps_pages_private_and_downgrade_keeps_the_rows(database_url, tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "UPLOAD_FOLDER": str(tmp_path / "u")})
    directory = str(PROJECT_ROOT / "migrations")
    with app.app_context():
        upgrade(directory=directory, revision=BEFORE)
        engine = create_engine(database_url)
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO cycles (fiscal_year, phase, nomination_deadline, judging_deadline, scale_min, scale_max, "
                "judges_per_nomination, disagreement_threshold, minimum_reviews, ranking_method, "
                "judging_closed_reason, share_comments_with_sites, signatory_name_en, signatory_name_ja, "
                "signatory_title_en, signatory_title_ja, nomination_reminder_days, judging_reminder_days, created_at, "
                "updated_at) VALUES (2013, 'finalised', '2013-01-31', '2013-02-28', 1, 5, 3, 2, 2, 'weighted', '', "
                ":yes, '', '', '', '', '7,1', '7,2,1', '2012-04-01', '2012-04-01')"), {"yes": True})
        upgrade(directory=directory)
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT fiscal_year, winners_public FROM cycles")).all()
        assert [tuple(row) for row in rows] == [(2013, False)]
        downgrade(directory=directory, revision=BEFORE)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT fiscal_year FROM cycles")).scalars().all() == [2013]
            columns = connection.execute(text("SELECT * FROM award_decisions")).keys()
        assert "photo_id" not in columns
        engine.dispose()
        db.engine.dispose()
