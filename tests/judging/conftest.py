"""Fixtures for the judging service and request tests.

`world`: a cycle in judging, two Japanese sites (A, C) and an overseas one (B), a submitter of
A and of B, a judge without assignments, a judge who belongs to site A, an admin.
Helpers (as fixtures): `assign`, `give_sheet`, `events`, `score_data`, `reload`.
"""
from __future__ import annotations

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from awards_app.audit.models import AuditEvent
from awards_app.core.enums import AssignmentStatus, NominationStatus, Phase, Region, SheetStatus
from awards_app.core.models import utcnow
from awards_app.extensions import db
from awards_app.judging.models import Assignment, PanelMember, Score, ScoreSheet
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
def assign():
    """assign(nomination, judge) → an active assignment (committed)."""

    def factory(nomination: Nomination, judge, status: AssignmentStatus = AssignmentStatus.ACTIVE,
                reason: str = "") -> Assignment:
        assignment = Assignment(cycle_id=nomination.cycle_id, nomination_id=nomination.id, judge_id=judge.id,
                                status=status, conflict_reason=reason)
        db.session.add(assignment)
        db.session.commit()
        return assignment

    return factory


@pytest.fixture
def give_sheet():
    """give_sheet(assignment, [3, 4, 5]) → a sheet with those scores (criteria in order), committed.

    `values` may hold None for an unscored criterion; `comments` likewise, by position."""

    def factory(assignment: Assignment, values=(), *, submitted: bool = True, abstained: bool = False,
                reason: str = "", overall: str = "", comments=()) -> ScoreSheet:
        criteria = db.session.get(Nomination, assignment.nomination_id).cycle.criteria
        values = list(values) + [None] * (len(criteria) - len(values))
        comments = list(comments) + [""] * (len(criteria) - len(comments))
        sheet = ScoreSheet(
            assignment=assignment,
            status=SheetStatus.SUBMITTED if submitted else SheetStatus.DRAFT,
            abstained=abstained,
            abstain_reason=reason,
            overall_comment=overall,
            submitted_at=utcnow() if submitted else None,
            scores=[Score(criterion_id=c.id, value=v, comment=text) for c, v, text in zip(criteria, values, comments)],
        )
        db.session.add(sheet)
        db.session.commit()
        return sheet

    return factory


@pytest.fixture
def events():
    """events("sheet.reopened") → the audit events of that action, oldest first."""

    def find(action: str | None = None) -> list[AuditEvent]:
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        return list(db.session.scalars(query))

    return find


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


def fresh(model, ident):
    """The row as the database now holds it (not the copy in the session's identity map)."""
    db.session.expire_all()
    return db.session.get(model, ident)


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
def reload():
    """reload(Model, id) → the row as the database now holds it."""
    return fresh


@pytest.fixture
def panel():
    """panel(cycle, Region.JAPAN, judge, ...) puts judges on a region's panel (committed)."""

    def put(cycle, region: Region, *judges) -> None:
        for judge in judges:
            db.session.add(PanelMember(cycle_id=cycle.id, region=region, judge_id=judge.id))
        db.session.commit()

    return put


@pytest.fixture
def attach(upload_folder):
    """attach(nomination, admin) → a PNG attachment stored like an upload (committed)."""
    from awards_app.nominations import services, storage

    def factory(nomination: Nomination, actor, name: str = "photo.png"):
        checked = storage.check_upload(io.BytesIO(png_bytes()), 10 * 1024 * 1024)
        attachment = services.add_attachment(actor, nomination, checked, name, folder=str(upload_folder),
                                             max_attachments=10)
        db.session.commit()
        return attachment

    return factory


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()
