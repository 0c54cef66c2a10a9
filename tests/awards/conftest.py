"""Fixtures for the awards tests.

`world`: a cycle in judging with the two default Grand Awards; Japanese sites A and C, overseas
sites B (Germany) and D (United States); a submitter of A and of B; two judges (neither belongs
to a site); an admin. `contest`: two scored nominations per region, with a clear top in each.
Helpers: `review` (an assignment with its sheet, from the shared factories), `decide` (a decision
through the service); `events` and `reload` are shared (tests/conftest.py).
"""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from awards_app.audit.models import AuditEvent
from awards_app.awards import services
from awards_app.awards.models import AwardDecision
from awards_app.core.enums import NominationStatus, Phase
from awards_app.core.models import utcnow
from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from awards_app.judging.models import Assignment, Score, ScoreSheet
from awards_app.nominations.models import Nomination

XSS = "<script>alert(1)</script>"
ESCAPED_XSS = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def world(make_site, make_user, make_cycle):
    now = utcnow()
    site_a = make_site("SITE-A", country="JP", name_en="Tokyo Works", name_ja="東京事業所")
    site_b = make_site("SITE-B", country="DE", name_en="Berlin Office", name_ja="ベルリン事業所")
    site_c = make_site("SITE-C", country="JP", name_en="Osaka Plant", name_ja="大阪工場")
    site_d = make_site("SITE-D", country="US", name_en="Boston Lab", name_ja="ボストン研究所")
    cycle = make_cycle(
        phase=Phase.JUDGING,
        nomination_deadline=now - timedelta(days=1),
        judging_deadline=now + timedelta(days=30),
    )
    world = SimpleNamespace(
        now=now, cycle=cycle, site_a=site_a, site_b=site_b, site_c=site_c, site_d=site_d,
        japan=cycle.award_categories[0], overseas=cycle.award_categories[1],
        submitter_a=make_user("submitter", sites=[site_a], name="Aiko A"),
        submitter_b=make_user("submitter", sites=[site_b], name="Bernd B"),
        judge=make_user("judge", name="Jiro Judge"),
        judge2=make_user("judge", name="Kana Critic"),
        admin=make_user("admin", name="Ada Admin"),
    )
    assert world.japan.key == "grand_japan" and world.overseas.key == "grand_overseas"
    return world


@pytest.fixture
def review(make_assignment, make_sheet):
    """review(nomination, judge, [5, 4, 4], comments=[...], overall="...") → a submitted sheet of a new
    assignment (keywords as make_sheet's)."""

    def factory(nomination: Nomination, judge, values=(), **sheet) -> ScoreSheet:
        return make_sheet(make_assignment(nomination, judge), values, **sheet)

    return factory


@pytest.fixture
def entry(world, make_nomination, review):
    """entry(site, title, [scores of judge 1], [scores of judge 2]) → a submitted, reviewed nomination."""

    def factory(site, title: str, *sheets, **fields) -> Nomination:
        nomination = make_nomination(world.cycle, site, NominationStatus.SUBMITTED, title=title, **fields)
        for judge, values in zip((world.judge, world.judge2), sheets, strict=False):
            review(nomination, judge, values)
        return nomination

    return factory


@pytest.fixture
def contest(world, entry):
    """Japan: Tokyo (A) clearly ahead of Osaka (C). Overseas: Berlin (B) ahead of Boston (D)."""
    return SimpleNamespace(
        tokyo=entry(world.site_a, "Tokyo bay clean-up", [5, 5, 4], [5, 4, 4]),
        osaka=entry(world.site_c, "Osaka forest school", [3, 3, 3], [4, 3, 3]),
        berlin=entry(world.site_b, "Berlin river garden", [4, 4, 4], [4, 4, 5]),
        boston=entry(world.site_d, "Boston reading club", [3, 2, 3], [2, 2, 2]),
    )


@pytest.fixture
def decide(world):
    """decide(category, nomination, reason="") through the service, committed."""

    def do(category, nomination, reason: str = "") -> AwardDecision:
        decision = services.decide_award(world.admin, category, nomination, reason=reason)
        db.session.commit()
        return decision

    return do


def decisions() -> dict[str, tuple[int, int | None, str]]:
    """category key → (winner id, proposed id, reason), as the database holds them."""
    db.session.expire_all()
    rows = db.session.scalars(select(AwardDecision)).all()
    return {row.category.key: (row.nomination_id, row.proposed_nomination_id, row.reason) for row in rows}


def state(cycle_id: int) -> dict:
    """Everything the awards feature and its locks protect, to prove that a refusal changed nothing."""
    db.session.expire_all()
    cycle = db.session.get(Cycle, cycle_id)
    return {
        "phase": cycle.phase,
        "finalised_at": cycle.finalised_at,
        "decisions": decisions(),
        "events": db.session.scalar(select(func.count()).select_from(AuditEvent)),
        "assignments": db.session.scalar(select(func.count()).select_from(Assignment)),
        "sheets": sorted(
            (sheet.id, sheet.status.value, sheet.version, sheet.overall_comment)
            for sheet in db.session.scalars(select(ScoreSheet))
        ),
        "scores": sorted(db.session.execute(select(Score.id, Score.value, Score.comment)).all()),
        "nominations": sorted(
            db.session.execute(select(Nomination.id, Nomination.status, Nomination.title, Nomination.version)).all()
        ),
    }


@pytest.fixture
def snapshot():
    return state


@pytest.fixture
def judging_over(world):
    """The judging deadline has passed (finalising waits for it, unless judging is closed)."""
    world.cycle.judging_deadline = world.now - timedelta(minutes=1)
    db.session.commit()
    return world
