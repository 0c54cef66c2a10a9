"""The activities migration upgrades a database with data: every nomination that has what an
activity needs gets one, linked to it; a draft without dates stays as it is; downgrade works."""
from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from awards_app import PROJECT_ROOT, create_app
from awards_app.extensions import db
from tests.conftest import scratch_database

BEFORE = "0002_sessions"  # the revision before activities


def test_existing_nominations_become_activities(tmp_path):
    with scratch_database(tmp_path, "activities_migration") as url:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_FOLDER": str(tmp_path / "u")})
        directory = str(PROJECT_ROOT / "migrations")
        with app.app_context():
            upgrade(directory=directory, revision=BEFORE)
            engine = create_engine(url)
            stamp = "'2012-06-01 00:00:00+00:00'"
            with engine.begin() as connection:
                connection.execute(text(
                    "INSERT INTO sites (id, code, name_en, name_ja, country, active, created_at, updated_at) "
                    f"VALUES (1, 'TOKYO', 'Tokyo', '東京', 'JP', true, {stamp}, {stamp})"))
                connection.execute(text(
                    "INSERT INTO cycles (id, fiscal_year, phase, nomination_deadline, judging_deadline, scale_min, "
                    "scale_max, judges_per_nomination, disagreement_threshold, share_comments_with_sites, "
                    "signatory_name_en, signatory_name_ja, signatory_title_en, signatory_title_ja, created_at, "
                    f"updated_at) VALUES (1, 2013, 'finalised', {stamp}, {stamp}, 1, 5, 3, 2, true, '', '', '', '', "
                    f"{stamp}, {stamp})"))
                for nid, dates in ((1, "'2012-05-03', '2012-05-04', 40, 120.5"), (2, "NULL, NULL, NULL, NULL")):
                    connection.execute(text(
                        "INSERT INTO nominations (id, cycle_id, site_id, status, language, title, title_other, theme, "
                        "biodiversity, summary, description, start_date, end_date, participants, volunteer_hours, "
                        "partners, outcomes, status_reason, version, created_at, updated_at) VALUES "
                        f"({nid}, 1, 1, 'submitted', 'en', 'Bay clean-up {nid}', '', 'nature', true, '', 'Litter', "
                        f"{dates}, 'City', '', '', 1, {stamp}, {stamp})"))
            upgrade(directory=directory)
            with engine.connect() as connection:
                activities = connection.execute(text(
                    "SELECT site_id, fiscal_year, reference, title, participants, volunteer_hours, source "
                    "FROM activities")).all()
                links = connection.execute(text("SELECT id, activity_id FROM nominations ORDER BY id")).all()
            assert [tuple(a[:5]) for a in activities] == [(1, 2013, "NOM-1", "Bay clean-up 1", 40)]
            assert float(activities[0][5]) == 120.5 and activities[0][6] == "form"
            assert links[0][1] is not None and links[1][1] is None
            downgrade(directory=directory, revision=BEFORE)
            engine.dispose()
            db.engine.dispose()
