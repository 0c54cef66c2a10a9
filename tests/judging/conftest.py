"""Fixtures for the judging service and request tests.

`world`: a cycle in judging, two Japanese sites (A, C) and an overseas one (B), a submitter of
A and of B, a judge without assignments, a judge who belongs to site A, an admin.
Helpers (as fixtures): `score_data`, `snapshot`, `panel`; assignments, sheets and attachments come
from the shared factories (`make_assignment`, `make_sheet`, `make_attachment` in tests/conftest.py).
"""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from awards_app.audit.models import AuditEvent
from awards_app.core.enums import AssignmentStatus, NominationStatus, Phase, Region, SheetStatus
from awards_app.core.models import utcnow
from awards_app.extensions import db
from awards_app.judging.models import Assignment, PanelMember, Score, ScoreSheet
from awards_app.judging import queries, services
from awards_app.judging.queries import get_round
from awards_app.nominations.models import Nomination

@pytest.fixture
def world(make_site, make_user, make_cycle):
    now = utcnow()
    site_a = make_site("SITE-A", country="JP", name_en="Tokyo Works", name_ja="東京事業所")
    site_b = make_site("SITE-B", country="DE", name_en="Berlin Office", name_ja="ベルリン事業所")
    site_c = make_site("SITE-C", country="JP", name_en="Osaka Plant", name_ja="大阪工場")
    cycle = make_cycle(
        phase=Phase.JUDGING,
        nomination_deadline=now - timedelta(days=1),
        judging_deadline=now + timedelta(days=30),
    )
    people = SimpleNamespace(
        now=now,
        site_a=site_a,
        site_b=site_b,
        site_c=site_c,
        cycle=cycle,
        criteria=list(cycle.criteria),
        submitter_a=make_user("submitter", sites=[site_a], name="Aiko A"),
        submitter_b=make_user("submitter", sites=[site_b], name="Bernd B"),
        judge=make_user("judge", name="Jiro Judge"),
        judge_site_a=make_user("judge", sites=[site_a], name="Kenji Conflicted"),
        admin=make_user("admin", name="Ada Admin"),
    )
    db.session.commit()
    return people


@pytest.fixture
def score_data():
    """score_data(cycle, version, [3, None, 5], action="save") → the scoring form's POST data."""

    def build(cycle, version: int, values=(), *, action: str = "save", comments=(), overall: str = "",
              abstain: bool = False, abstain_reason: str = "") -> dict:
        data = {"version": str(version), "action": action, "overall_comment": overall,
                "abstain_reason": abstain_reason}
        if abstain:
            data["abstain"] = "y"
        for index, criterion in enumerate(cycle.criteria):
            value = values[index] if index < len(values) else None
            if value is not None:
                data[f"score_{criterion.id}"] = str(value)
            data[f"comment_{criterion.id}"] = comments[index] if index < len(comments) else ""
        return data

    return build


def counts() -> dict[str, int]:
    """Row counts of everything judging writes, to prove a refused request changed nothing."""
    db.session.expire_all()
    return {
        "assignments": db.session.scalar(select(func.count()).select_from(Assignment)),
        "active": db.session.scalar(
            select(func.count()).select_from(Assignment).where(Assignment.status == AssignmentStatus.ACTIVE)),
        "sheets": db.session.scalar(select(func.count()).select_from(ScoreSheet)),
        "submitted": db.session.scalar(
            select(func.count()).select_from(ScoreSheet).where(ScoreSheet.status == SheetStatus.SUBMITTED)),
        "versions": db.session.scalar(select(func.coalesce(func.sum(ScoreSheet.version), 0))),
        "scores": db.session.scalar(select(func.count()).select_from(Score).where(Score.value.is_not(None))),
        "panel": db.session.scalar(select(func.count()).select_from(PanelMember)),
        "events": db.session.scalar(select(func.count()).select_from(AuditEvent)),
        "submitted_nominations": db.session.scalar(
            select(func.count()).select_from(Nomination).where(Nomination.status == NominationStatus.SUBMITTED)),
    }


@pytest.fixture
def snapshot():
    """snapshot() → row counts of everything judging writes."""
    return counts


@pytest.fixture
def panel():
    """panel(cycle, Region.JAPAN, judge, ...) puts judges on a region's panel (committed)."""

    def put(cycle, region: Region, *judges) -> None:
        for judge in judges:
            db.session.add(PanelMember(cycle_id=cycle.id, round_id=get_round(cycle).id, region=region, judge_id=judge.id))
        db.session.commit()

    return put


@pytest.fixture
def two_rounds(world, make_site, make_user, make_nomination, make_assignment, make_sheet):
    """Round 1 of the world's cycle judged: three Japanese nominations (totals 5 > 4 > 2 from one
    judge each, one review enough) and one overseas (3); round 2 added, named "Final panel"."""
    site_d = make_site("SITE-D", country="US", name_en="Boston Lab", name_ja="ボストン研究所")
    world.cycle.minimum_reviews = 1
    japan = [make_nomination(world.cycle, site, NominationStatus.SUBMITTED, title=title)
             for site, title in ((world.site_a, "Bay clean-up"), (world.site_c, "Forest school"),
                                 (world.site_a, "River watch"))]
    overseas = make_nomination(world.cycle, site_d, NominationStatus.SUBMITTED, title="Harbour walk")
    for nomination, value in zip([*japan, overseas], (5, 4, 2, 3), strict=True):
        make_sheet(make_assignment(nomination, world.judge), [value] * len(world.criteria))
    first = queries.get_round(world.cycle)
    second = services.add_round(world.admin, world.cycle, name="Final panel",
                                judging_deadline=world.cycle.judging_deadline + timedelta(days=20),
                                judges_per_nomination=1, minimum_reviews=1)
    db.session.commit()
    return type("Two", (), {"first": first, "second": second, "japan": japan, "overseas": overseas})
