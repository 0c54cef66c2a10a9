"""Fixtures for the winners' page tests.

`world`: FY2013, finalised, its two Grand Awards decided (Tokyo Works for Japan, with two photos
and a PDF; Berlin Office overseas, with none) and their certificates issued; a photo of another
nomination (a loser's); FY2014, still in judging, with one decision; a submitter of the Japanese
site, a judge and an admin. Decisions use the shared `make_decision` factory.
"""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from awards_app.certificates import services as certificates
from awards_app.core.enums import Language, NominationStatus, Phase
from awards_app.core.models import utcnow
from awards_app.extensions import db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(make_site, make_user, make_cycle, make_nomination, make_decision, make_attachment):
    now = utcnow()
    site_a = make_site("SITE-A", country="JP", name_en="Tokyo Works", name_ja="東京事業所")
    site_b = make_site("SITE-B", country="DE", name_en="Berlin Office", name_ja="ベルリン事業所")
    admin = make_user("admin", name="Ada Admin")
    # Opened for nominations (files are attached then), finalised once they are.
    cycle = make_cycle(
        fiscal_year=2013, phase=Phase.NOMINATIONS_OPEN,
        nomination_deadline=now + timedelta(days=1), judging_deadline=now + timedelta(days=30),
        signatory_name_en="Taro Yamada", signatory_name_ja="山田 太郎",
    )
    japan = make_nomination(
        cycle, site_a, NominationStatus.SUBMITTED,
        title="地元の学校と海岸清掃", title_other="Beach clean-up with local schools",
        summary="児童と一緒に海岸を清掃しました。", language=Language.JA,
    )
    overseas = make_nomination(cycle, site_b, NominationStatus.SUBMITTED, title="Tree planting along the Spree",
                               title_other="", language=Language.EN, summary="Staff and families planted 200 trees.")
    loser = make_nomination(cycle, site_b, NominationStatus.SUBMITTED, title="Runner-up", language=Language.EN)
    open_cycle = make_cycle(
        fiscal_year=2014, phase=Phase.NOMINATIONS_OPEN,
        nomination_deadline=now + timedelta(days=1), judging_deadline=now + timedelta(days=30),
    )
    pending = make_nomination(open_cycle, site_a, NominationStatus.SUBMITTED, title="River watch")
    w = SimpleNamespace(
        site_a=site_a, site_b=site_b, cycle=cycle, japan=japan, overseas=overseas, open_cycle=open_cycle,
        submitter=make_user("submitter", sites=[site_a], name="Aiko Submitter"),
        judge=make_user("judge", name="Jiro Judge"),
        admin=admin,
    )
    w.photo = make_attachment(japan, admin, "beach.png")
    w.second_photo = make_attachment(japan, admin, "children.png")
    w.pdf = make_attachment(japan, admin, "report.pdf", data=PDF)
    w.loser_photo = make_attachment(loser, admin, "other.png")
    w.pending_photo = make_attachment(pending, admin, "river.png")
    cycle.phase, cycle.finalised_at, cycle.finalised_by_id = Phase.FINALISED, now, admin.id
    cycle.nomination_deadline, cycle.judging_deadline = now - timedelta(days=90), now - timedelta(days=30)
    open_cycle.phase, open_cycle.nomination_deadline = Phase.JUDGING, now - timedelta(days=10)
    db.session.commit()
    w.japan_decision = make_decision(cycle, "grand_japan", japan, admin)
    w.overseas_decision = make_decision(cycle, "grand_overseas", overseas, admin)
    w.open_decision = make_decision(open_cycle, "grand_japan", pending, admin)
    w.certificates = certificates.issue_certificates(admin, cycle)
    db.session.commit()
    return w


@pytest.fixture
def choose(world):
    """choose(photo) → the Japanese award shows `photo`, committed (as the service does it)."""
    from awards_app.winners import services

    def do_choose(photo, decision=None):
        services.choose_winner_photo(world.admin, decision or world.japan_decision, photo)
        db.session.commit()

    return do_choose
