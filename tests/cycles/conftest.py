"""Helpers for the cycle tests: an admin, audit look-ups and form payloads."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from awards_app.audit.models import AuditEvent
from awards_app.extensions import db


@pytest.fixture
def admin(make_user):
    return make_user("admin", name="Ada Admin", timezone="Asia/Tokyo")


@pytest.fixture
def admin_client(login, admin):
    return login(admin)


@pytest.fixture
def audit_events():
    """audit_events("cycle.phase_changed") → the matching events, oldest first."""

    def find(action: str, object_id: int | None = None) -> list[AuditEvent]:
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        if object_id is not None:
            query = query.where(AuditEvent.object_id == object_id)
        return list(db.session.scalars(query))

    return find


def cycle_form(**overrides) -> dict:
    data = {
        "fiscal_year": "2031",
        "nomination_deadline": "2031-01-15T17:00",
        "judging_deadline": "2031-02-28T17:00",
        "scale_min": "1",
        "scale_max": "5",
        "judges_per_nomination": "3",
        "disagreement_threshold": "2",
        "minimum_reviews": "2",
        "ranking_method": "adjusted",
    }
    data.update(overrides)
    return data


def criterion_form(scale=range(1, 6), **overrides) -> dict:
    data = {
        "key": "teamwork",
        "name_en": "Teamwork",
        "name_ja": "チームワーク",
        "guidance_en": "How did people work together?",
        "guidance_ja": "どのように協力しましたか。",
        "weight": "1.5",
    }
    for level in scale:
        data[f"rubric_{level}_en"] = ""
        data[f"rubric_{level}_ja"] = ""
    data.update(overrides)
    return data


def category_form(**overrides) -> dict:
    data = {"key": "special_prize", "name_en": "Special Prize", "name_ja": "特別賞", "region": "overseas"}
    data.update(overrides)
    return data


@pytest.fixture
def payloads():
    """Form payloads a browser would send: payloads.cycle(), .criterion(), .category()."""
    from types import SimpleNamespace

    return SimpleNamespace(cycle=cycle_form, criterion=criterion_form, category=category_form)
