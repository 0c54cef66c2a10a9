"""Fixtures for the certificate tests.

`world`: FY2013, finalised, with its two Grand Awards decided (Tokyo Works for Japan, Berlin
Office overseas) and a signatory; a submitter of the Japanese site, a judge and an admin; and
FY2014, still in judging, with one decision already recorded. The award decisions are made
with the shared `make_decision` factory (the deciding and finalising services are not what is
tested here). Helpers: `issue` (the service, committed), `pdf_text`.
"""
from __future__ import annotations

import io
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from awards_app.certificates import services
from awards_app.core.enums import NominationStatus, Phase
from awards_app.core.models import utcnow
from awards_app.extensions import db

SIGNATORY = {
    "signatory_name_en": "Taro Yamada",
    "signatory_name_ja": "山田 太郎",
    "signatory_title_en": "Chair, MDD Steering Committee",
    "signatory_title_ja": "MDD運営委員会 委員長",
}


@pytest.fixture
def world(make_site, make_user, make_cycle, make_nomination, make_decision):
    now = utcnow()
    site_a = make_site("SITE-A", country="JP", name_en="Tokyo Works", name_ja="東京事業所")
    site_b = make_site("SITE-B", country="DE", name_en="Berlin Office", name_ja="ベルリン事業所")
    admin = make_user("admin", name="Ada Admin")
    cycle = make_cycle(
        fiscal_year=2013, phase=Phase.FINALISED,
        nomination_deadline=now - timedelta(days=90), judging_deadline=now - timedelta(days=30),
        finalised_at=now - timedelta(days=1), finalised_by_id=admin.id, **SIGNATORY,
    )
    japan = make_nomination(
        cycle, site_a, NominationStatus.SUBMITTED,
        title="地元の学校と海岸清掃", title_other="Beach clean-up with local schools",
    )
    overseas = make_nomination(cycle, site_b, NominationStatus.SUBMITTED, title="Tree planting along the Spree", title_other="")
    open_cycle = make_cycle(
        fiscal_year=2014, phase=Phase.JUDGING,
        nomination_deadline=now - timedelta(days=10), judging_deadline=now + timedelta(days=30), **SIGNATORY,
    )
    pending = make_nomination(open_cycle, site_a, NominationStatus.SUBMITTED, title="River watch")
    people = SimpleNamespace(
        site_a=site_a,
        site_b=site_b,
        cycle=cycle,
        japan=japan,
        overseas=overseas,
        open_cycle=open_cycle,
        submitter=make_user("submitter", sites=[site_a], name="Aiko Submitter"),
        judge=make_user("judge", name="Jiro Judge"),
        admin=admin,
    )
    people.japan_decision = make_decision(cycle, "grand_japan", japan, admin)
    people.overseas_decision = make_decision(cycle, "grand_overseas", overseas, admin)
    people.open_decision = make_decision(open_cycle, "grand_japan", pending, admin)
    return people


@pytest.fixture
def issue(world):
    """issue() → the FY2013 certificates, issued by the admin and committed (Japan first)."""

    def do_issue(cycle=None):
        certificates = services.issue_certificates(world.admin, cycle or world.cycle)
        db.session.commit()
        return certificates

    return do_issue


def pdf_reader(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-"), data[:20]
    return PdfReader(io.BytesIO(data))


def pdf_text(data: bytes) -> str:
    """All the text of the PDF, with runs of white space made single spaces."""
    reader = pdf_reader(data)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def squeeze(text: str) -> str:
    """Text without any white space, to compare text that a line break may split."""
    return re.sub(r"\s+", "", text)
