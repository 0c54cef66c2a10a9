"""Migrations build exactly the schema the models describe, and can be undone."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from awards_app import PROJECT_ROOT, create_app
from awards_app.extensions import db
from tests.conftest import scratch_database


@pytest.fixture
def empty_database_url(tmp_path):
    """A URL to a new, empty database of the engine under test (SQLite file or PostgreSQL)."""
    with scratch_database(tmp_path, "migrations") as url:
        yield url


def test_upgrade_matches_models_and_downgrade_empties(empty_database_url, tmp_path):
    url = empty_database_url
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_FOLDER": str(tmp_path / "u")})
    directory = str(PROJECT_ROOT / "migrations")
    with app.app_context():
        upgrade(directory=directory)
        engine = create_engine(url)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        downgrade(directory=directory, revision="base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        engine.dispose()
        db.engine.dispose()


def test_migrations_do_not_import_the_app():
    for path in (PROJECT_ROOT / "migrations" / "versions").glob("*.py"):
        assert "awards_app" not in path.read_text(), path.name


def test_existing_cycles_keep_the_weighted_mean_and_get_a_minimum_they_can_meet(empty_database_url, tmp_path):
    """0002_ranking on a database with cycles: they keep the method they were decided with (the
    weighted mean) and a minimum of reviews no larger than their judges per nomination."""
    from sqlalchemy import text

    url = empty_database_url
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_FOLDER": str(tmp_path / "u")})
    directory = str(PROJECT_ROOT / "migrations")
    with app.app_context():
        upgrade(directory=directory, revision="bb4cd1cc61bf")
        engine = create_engine(url)
        with engine.begin() as connection:
            for year, judges in ((2012, 3), (2013, 1)):
                connection.execute(text(
                    "INSERT INTO cycles (fiscal_year, phase, nomination_deadline, judging_deadline, scale_min, "
                    "scale_max, judges_per_nomination, disagreement_threshold, share_comments_with_sites, "
                    "signatory_name_en, signatory_name_ja, signatory_title_en, signatory_title_ja, created_at, "
                    "updated_at) VALUES (:year, 'finalised', '2013-01-31', '2013-02-28', 1, 5, :judges, 2, "
                    ":yes, '', '', '', '', '2012-04-01', '2012-04-01')"), {"year": year, "judges": judges, "yes": True})
        upgrade(directory=directory)
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT fiscal_year, minimum_reviews, ranking_method, judging_closed_at FROM cycles "
                "ORDER BY fiscal_year")).all()
        assert [tuple(row) for row in rows] == [(2012, 2, "weighted", None), (2013, 1, "weighted", None)]
        downgrade(directory=directory, revision="bb4cd1cc61bf")
        engine.dispose()
        db.engine.dispose()
