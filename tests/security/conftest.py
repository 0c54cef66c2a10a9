"""The world the security tests act in: two sites, a submitter of each, two judges, an admin,
and a cycle in each phase that matters (see `world`). Shared by test_url_map.py, test_fuzz.py and
test_payloads.py so that every check runs against the same objects."""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from awards_app.accounts import queries
from awards_app.accounts import services as account_services
from awards_app.certificates import services as certificate_services
from awards_app.core import tokens
from awards_app.core.enums import NominationStatus, Phase
from awards_app.core.models import utcnow
from awards_app.extensions import db
from tests.conftest import today_fiscal_year


@pytest.fixture
def world(make_site, make_user, make_cycle, make_nomination, make_assignment, make_sheet, make_attachment,
          make_decision, make_activity):
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
    w.assignment = make_assignment(w.nomination, w.judge)
    w.sheet = make_sheet(w.assignment, [4] * len(w.cycle.criteria), submitted=False)
    w.attachment = make_attachment(w.nomination, w.admin, "bay.png")

    w.open = make_cycle(fiscal_year=year + 1, phase=Phase.NOMINATIONS_OPEN)
    w.draft = make_nomination(w.open, site_a, NominationStatus.DRAFT, title="River watch")

    w.final = make_cycle(fiscal_year=year - 1, phase=Phase.FINALISED,
                         nomination_deadline=now - timedelta(days=300), judging_deadline=now - timedelta(days=200),
                         finalised_at=now - timedelta(days=100), finalised_by_id=w.admin.id,
                         signatory_name_en="Taro Yamada", signatory_name_ja="山田 太郎",
                         signatory_title_en="Chair", signatory_title_ja="委員長")
    w.winner = winner = make_nomination(w.final, site_a, NominationStatus.SUBMITTED, title="Beach clean-up")
    make_decision(w.final, "grand_japan", winner, w.admin)
    (w.certificate,) = certificate_services.issue_certificates(w.admin, w.final)
    # A session (login) of the target user, on another browser: nobody else may end it.
    account_services.log_in(w.other_user, tokens.new_token(), remember=False,
                            lifetime=timedelta(hours=1), address="192.0.2.1", user_agent="")
    w.activity = make_activity(site_a, title="Harbour walk")
    db.session.commit()
    [w.other_session] = queries.live_sessions_of(w.other_user)
    return w
