"""The world the security tests act in: two sites, a submitter of each, two judges, an admin,
and a cycle in each phase that matters (see `world`). Shared by test_url_map.py, test_fuzz.py and
test_payloads.py so that every check runs against the same objects."""
from __future__ import annotations

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from PIL import Image

from awards_app.awards.models import AwardDecision
from awards_app.certificates import services as certificate_services
from awards_app.core.enums import AssignmentStatus, NominationStatus, Phase, SheetStatus
from awards_app.core.models import utcnow
from awards_app.extensions import db
from awards_app.judging.models import Assignment, Score, ScoreSheet
from tests.conftest import today_fiscal_year


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def world(app, tmp_path, monkeypatch, make_site, make_user, make_cycle, make_nomination):
    from awards_app.nominations import services as nomination_services
    from awards_app.nominations import storage

    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    now = utcnow()
    site_a = make_site("SITE-A", country="JP", name_en="Tokyo Works", name_ja="東京事業所")
    site_b = make_site("SITE-B", country="DE", name_en="Berlin Office", name_ja="ベルリン事業所")
    w = SimpleNamespace(
        site_a=site_a,
        site_b=site_b,
        submitter_a=make_user("submitter", sites=[site_a], name="Aiko A"),
        submitter_b=make_user("submitter", sites=[site_b], name="Bernd B"),
        judge=make_user("judge", name="Jiro Judge"),
        judge_conflict=make_user("judge", sites=[site_a], name="Kenji Conflicted"),
        admin=make_user("admin", name="Ada Admin"),
        other_user=make_user("submitter", sites=[site_b], name="Target"),
    )
    year = today_fiscal_year()
    w.cycle = make_cycle(fiscal_year=year, phase=Phase.JUDGING,
                         nomination_deadline=now - timedelta(days=1), judging_deadline=now + timedelta(days=30))
    w.nomination = make_nomination(w.cycle, site_a, NominationStatus.SUBMITTED, title="Tokyo bay clean-up")
    w.assignment = Assignment(cycle_id=w.cycle.id, nomination_id=w.nomination.id, judge_id=w.judge.id,
                              status=AssignmentStatus.ACTIVE)
    w.sheet = ScoreSheet(
        assignment=w.assignment, status=SheetStatus.DRAFT,
        scores=[Score(criterion_id=c.id, value=4, comment="") for c in w.cycle.criteria],
    )
    db.session.add_all([w.assignment, w.sheet])
    checked = storage.check_upload(io.BytesIO(_png()), 10 * 1024 * 1024)
    w.attachment = nomination_services.add_attachment(
        w.admin, w.nomination, checked, "bay.png", folder=app.config["UPLOAD_FOLDER"], max_attachments=10
    )
    db.session.commit()

    w.open = make_cycle(fiscal_year=year + 1, phase=Phase.NOMINATIONS_OPEN)
    w.draft = make_nomination(w.open, site_a, NominationStatus.DRAFT, title="River watch")

    w.final = make_cycle(fiscal_year=year - 1, phase=Phase.FINALISED,
                         nomination_deadline=now - timedelta(days=300), judging_deadline=now - timedelta(days=200),
                         finalised_at=now - timedelta(days=100), finalised_by_id=w.admin.id,
                         signatory_name_en="Taro Yamada", signatory_name_ja="山田 太郎",
                         signatory_title_en="Chair", signatory_title_ja="委員長")
    winner = make_nomination(w.final, site_a, NominationStatus.SUBMITTED, title="Beach clean-up")
    category = next(c for c in w.final.award_categories if c.key == "grand_japan")
    db.session.add(AwardDecision(cycle_id=w.final.id, category_id=category.id, nomination_id=winner.id,
                                 proposed_nomination_id=winner.id, decided_by_id=w.admin.id))
    db.session.commit()
    (w.certificate,) = certificate_services.issue_certificates(w.admin, w.final)
    db.session.commit()
    return w
