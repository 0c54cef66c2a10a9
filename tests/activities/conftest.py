"""Fixtures for the activity tests: two sites, one user per role, an open and a closed year."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from awards_app.audit.models import AuditEvent
from awards_app.extensions import db
from tests.conftest import today_fiscal_year

# A year whose reporting deadline (30 April after it) has passed.
CLOSED_FY = 2020


@pytest.fixture
def world(make_site, make_user):
    site_a = make_site("SITE-A", country="JP", name_en="Tokyo Works", name_ja="東京事業所")
    site_b = make_site("SITE-B", country="DE", name_en="Berlin Office", name_ja="ベルリン事業所")
    people = SimpleNamespace(
        site_a=site_a, site_b=site_b, fy=today_fiscal_year(), closed_fy=CLOSED_FY,
        submitter_a=make_user("submitter", sites=[site_a], name="Aiko A"),
        submitter_b=make_user("submitter", sites=[site_b], name="Bernd B"),
        judge=make_user("judge", name="Jun Judge"),
        admin=make_user("admin", name="Ada Admin"),
    )
    db.session.commit()
    return people


def events(action: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))
