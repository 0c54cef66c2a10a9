"""UTCDateTime: stores UTC, refuses naive values, always returns aware UTC."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError

from awards_app.accounts.models import User
from awards_app.core.models import NAMING_CONVENTION, UTCDateTime, utcnow
from awards_app.extensions import db


@pytest.fixture
def column_type():
    return UTCDateTime()


def test_bind_refuses_naive_datetimes(column_type):
    with pytest.raises(ValueError, match="naive"):
        column_type.process_bind_param(datetime(2013, 4, 1, 9, 0), db.engine.dialect)


def test_bind_converts_to_utc(column_type):
    tokyo = datetime(2013, 4, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    bound = column_type.process_bind_param(tokyo, db.engine.dialect)
    assert bound == datetime(2013, 4, 1, 0, 0, tzinfo=timezone.utc)
    assert bound.utcoffset() == timedelta(0)
    assert column_type.process_bind_param(None, db.engine.dialect) is None


def test_result_is_aware_utc(column_type):
    naive = column_type.process_result_value(datetime(2013, 4, 1, 0, 0), db.engine.dialect)
    assert naive == datetime(2013, 4, 1, 0, 0, tzinfo=timezone.utc) and naive.tzinfo == timezone.utc
    other = column_type.process_result_value(datetime(2013, 4, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo")), db.engine.dialect)
    assert other.tzinfo == timezone.utc and other.hour == 0
    assert column_type.process_result_value(None, db.engine.dialect) is None


def test_round_trip_through_the_database(make_user):
    user = make_user()
    user.last_login_at = datetime(2013, 4, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    db.session.flush()
    db.session.expire(user)
    loaded = db.session.scalar(select(User.last_login_at).where(User.id == user.id))
    assert loaded == datetime(2013, 4, 1, 0, 0, tzinfo=timezone.utc)
    assert loaded.tzinfo == timezone.utc
    assert user.last_login_at.utcoffset() == timedelta(0)
    # Stored as the UTC wall-clock time.
    raw = db.session.execute(text("SELECT last_login_at FROM users WHERE id = :id"), {"id": user.id}).scalar()
    if isinstance(raw, datetime):  # PostgreSQL: a real timestamp with time zone
        assert raw == datetime(2013, 4, 1, 0, 0, tzinfo=timezone.utc)
    else:  # SQLite: text
        assert raw.startswith("2013-04-01 00:00:00")


def test_flushing_a_naive_datetime_fails(make_user):
    user = make_user()
    user.last_login_at = datetime(2013, 4, 1, 9, 0)
    with pytest.raises(StatementError, match="naive"):
        db.session.flush()
    db.session.rollback()


def test_timestamps_are_set_in_utc(make_user):
    before = utcnow()
    user = make_user()
    assert before <= user.created_at <= utcnow()
    assert user.created_at.tzinfo == timezone.utc


def test_constraint_names_follow_the_convention():
    assert NAMING_CONVENTION["fk"] == "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"
    names = {c.name for c in db.metadata.tables["sites"].constraints}
    assert {"pk_sites", "uq_sites_code", "ck_sites_country_is_iso2"} <= names
