"""Fixtures for the statistics tests.

`stats_world`: FY2013 with hand-made nominations whose figures are worked out below, a draft, a
withdrawn and an ineligible nomination that must not count, FY2012 with one nomination that must
not leak into FY2013; an admin, a judge, a submitter and a judge who is also a submitter.

FY2013, submitted only:
    site      country  theme      biodiversity  participants  hours
    Tokyo     JP       nature     yes           1,100         250.5
    Tokyo     JP       education  no               40          80
    Osaka     JP       community  no               60         120
    Berlin    DE       nature     yes              30          45.5
totals: 4 nominations, 1,230 participants, 496 hours; Japan 3 / 1,200 / 450.5; overseas
1 / 30 / 45.5; nature 2 / 1,130 / 296; biodiversity 2 / 1,130 / 296 (91.9% of participants).
"""
from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from awards_app.core.enums import NominationStatus, Phase, Theme

S = NominationStatus


@pytest.fixture
def stats_world(make_site, make_user, make_cycle, make_nomination):
    tokyo = make_site("TOKYO", country="JP", name_en="Tokyo Works", name_ja="東京事業所")
    osaka = make_site("OSAKA", country="JP", name_en="Osaka Plant", name_ja="大阪工場")
    berlin = make_site("BERLIN", country="DE", name_en="Berlin Office", name_ja="ベルリン事業所")
    austin = make_site("AUSTIN", country="US", name_en="Austin Lab", name_ja="オースティン研究所")
    fy2012 = make_cycle(2012, phase=Phase.FINALISED)
    fy2013 = make_cycle(2013, phase=Phase.JUDGING)

    def nominate(cycle, site, status, theme, biodiversity, participants, hours):
        return make_nomination(cycle, site, status, theme=theme, biodiversity=biodiversity,
                               participants=participants, volunteer_hours=Decimal(hours))

    nominate(fy2013, tokyo, S.SUBMITTED, Theme.NATURE, True, 1100, "250.5")
    nominate(fy2013, tokyo, S.SUBMITTED, Theme.EDUCATION, False, 40, "80")
    nominate(fy2013, osaka, S.SUBMITTED, Theme.COMMUNITY, False, 60, "120")
    nominate(fy2013, berlin, S.SUBMITTED, Theme.NATURE, True, 30, "45.5")
    # Not counted: a draft, a withdrawn and an ineligible nomination, and another year's.
    nominate(fy2013, berlin, S.DRAFT, Theme.NATURE, True, 5000, "5000")
    nominate(fy2013, osaka, S.WITHDRAWN, Theme.COMMUNITY, False, 7000, "7000")
    nominate(fy2013, austin, S.INELIGIBLE, Theme.EDUCATION, False, 9000, "9000")
    nominate(fy2012, austin, S.SUBMITTED, Theme.COMMUNITY, False, 10, "20")
    return SimpleNamespace(
        tokyo=tokyo, osaka=osaka, berlin=berlin, austin=austin, fy2012=fy2012, fy2013=fy2013,
        admin=make_user("admin", name="Ada Admin"),
        judge=make_user("judge", name="Jiro Judge"),
        submitter=make_user("submitter", sites=[tokyo], name="Sumi Submitter"),
        judge_submitter=make_user("judge", "submitter", sites=[osaka], name="Both Roles"),
    )
