"""The 0002_japanese migration upgrades a database with data: a certificate issued before it keeps
the names it printed (2013年度 / FY2013), a user gets an empty region; downgrade works."""
from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from awards_app import PROJECT_ROOT, create_app
from awards_app.extensions import db
from tests.conftest import scratch_database

BEFORE = "0002_ranking"  # the revision before this one


def test_existing_certificates_keep_their_labels_and_users_get_no_region(tmp_path):
    with scratch_database(tmp_path, "japanese_migration") as url:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_FOLDER": str(tmp_path / "u")})
        directory = str(PROJECT_ROOT / "migrations")
        with app.app_context():
            upgrade(directory=directory, revision=BEFORE)
            engine = create_engine(url)
            stamp = "'2014-03-31 00:00:00+00:00'"
            statements = [
                "INSERT INTO users (id, email, name, active, is_admin, is_judge, is_submitter, locale, timezone, "
                f"receive_reminders, receive_digest, created_at, updated_at) VALUES (1, 'a@example.com', 'A', true, "
                f"true, false, false, 'ja', 'Asia/Tokyo', true, true, {stamp}, {stamp})",
                "INSERT INTO sites (id, code, name_en, name_ja, country, active, created_at, updated_at) "
                f"VALUES (1, 'TOKYO', 'Tokyo', '東京', 'JP', true, {stamp}, {stamp})",
                "INSERT INTO cycles (id, fiscal_year, phase, nomination_deadline, judging_deadline, scale_min, "
                "scale_max, judges_per_nomination, disagreement_threshold, share_comments_with_sites, "
                "signatory_name_en, signatory_name_ja, signatory_title_en, signatory_title_ja, minimum_reviews, "
                f"ranking_method, judging_closed_reason, created_at, updated_at) VALUES (1, 2013, 'finalised', {stamp}, {stamp}, 1, 5, 3, 2, "
                f"true, '', '', '', '', 2, 'weighted', '', {stamp}, {stamp})",
                "INSERT INTO nominations (id, cycle_id, site_id, status, language, title, title_other, theme, "
                "biodiversity, summary, description, partners, outcomes, status_reason, version, created_at, "
                f"updated_at) VALUES (1, 1, 1, 'submitted', 'en', 'Bay clean-up', '', 'nature', true, '', 'Litter', "
                f"'City', '', '', 1, {stamp}, {stamp})",
                "INSERT INTO award_categories (id, cycle_id, key, name_en, name_ja, region, position) "
                "VALUES (1, 1, 'grand_japan', 'Grand Award (Japan)', '大賞（国内）', 'japan', 1)",
                "INSERT INTO award_decisions (id, cycle_id, category_id, nomination_id, reason, decided_at) "
                f"VALUES (1, 1, 1, 1, '', {stamp})",
                "INSERT INTO certificates (id, cycle_id, decision_id, serial_number, code, fiscal_year, "
                "award_name_en, award_name_ja, site_name_en, site_name_ja, title, title_other, signatory_name_en, "
                "signatory_name_ja, signatory_title_en, signatory_title_ja, issued_at, revoked_reason) VALUES "
                "(1, 1, 1, 1, 'CODE', 2013, 'Grand Award (Japan)', '大賞（国内）', 'Tokyo', '東京', 'Bay clean-up', "
                f"'', '', '', '', '', {stamp}, '')",
            ]
            with engine.begin() as connection:
                for statement in statements:
                    connection.execute(text(statement))
            upgrade(directory=directory)
            with engine.connect() as connection:
                labels = connection.execute(text(
                    "SELECT fiscal_year_label_ja, fiscal_year_label_en FROM certificates")).all()
                regions = connection.execute(text("SELECT region FROM users")).scalars().all()
            assert [tuple(row) for row in labels] == [("2013年度", "FY2013")]  # what it printed then
            assert regions == [""]
            downgrade(directory=directory, revision=BEFORE)
            with engine.connect() as connection:
                assert connection.execute(text("SELECT count(*) FROM certificates")).scalar() == 1
            engine.dispose()
            db.engine.dispose()
