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
