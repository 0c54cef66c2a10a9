"""Every e-mail the application writes, written to a Japanese reader, holds no English of the
interface: the rule of the Japanese pages (tests.core.support.english_ui_strings), applied to the
subject, the text and the HTML body of each template in templates/emails/, each of its branches."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from flask_babel import LazyString

from awards_app.config import PROJECT_ROOT
from awards_app.extensions import db
from awards_app.notifications.models import Notification
from awards_app.notifications.outbox import queue_message
from awards_app.notifications.services import KINDS
from tests.core.support import english_ui_in, english_ui_strings

TEMPLATES = sorted(path.stem for path in (PROJECT_ROOT / "templates" / "emails").glob("*.txt")
                   if not path.name.startswith("_"))

# What the services pass, as a Japanese reader's message holds it: the people's and the
# programme's data in Japanese, links as links.
VALUES = dict(
    name="佐藤 愛子", cycle="2012年度", title="南三陸町「福興市」運営支援", site_ja="東北支社", site_en="Tohoku Branch",
    summary="震災からの復興を目指す市場の運営を支援しました。", reason="対象年度外の活動です。",
    link="http://localhost/nominations/1", verify_link="http://localhost/verify/abc", serial="FY2013-0001",
    award="大賞（国内）", award_ja="大賞（国内）", award_en="Grand Award (Japan)", days=7, count=2, done=3,
    total=9, judges=3, judges_waiting=2, drafts=2, submitted=1,
    when=datetime(2026, 12, 3, 5, 35, tzinfo=timezone.utc), deadline=datetime(2027, 1, 15, 8, 0, tzinfo=timezone.utc),
    items=[("南三陸町「福興市」運営支援", "http://localhost/judging/1")],
    body_ja="年度末の審査についてのお知らせです。", body_en="About the judging.", round_name="最終審査",
    rounds=[{"title": "第2次審査", "deadline": datetime(2027, 2, 15, 8, 0, tzinfo=timezone.utc), "done": 3, "total": 9,
             "judges": 3, "judges_waiting": 2}], several=True,
)
# The other side of each {% if %}: no award won, no draft left, no reason given, an unnamed round, one round.
BRANCHES = [{}, {"award_ja": "", "award_en": "", "drafts": 0, "reason": "", "round_name": "", "several": False}]


@pytest.mark.parametrize("template", TEMPLATES)
def test_each_email_to_a_japanese_reader_is_all_japanese(make_user, template):
    assert english_ui_strings(), "the catalog gave no English to look for"
    reader = make_user("submitter", locale="ja", name=VALUES["name"])
    for number, branch in enumerate(BRANCHES):
        values = VALUES | branch
        subject = KINDS.get(template)
        queued = queue_message(
            template, reader, f"languages:{template}:{number}", template=template, **values,
            subject=LazyString(lambda subject=subject, values=values: str(subject) % values if subject else "MDD"),
        )
        message = db.session.get(Notification, queued)
        assert message.locale == "ja"
        for part, text in (("subject", message.subject), ("text", message.body_text), ("html", message.body_html)):
            assert english_ui_in(text) == [], (template, branch, part)
        assert VALUES["name"] in message.body_text


def test_the_check_finds_the_english_of_an_english_reader(make_user):
    reader = make_user("submitter", locale="en")
    queued = queue_message("nomination_submitted", reader, "languages:english", template="nomination_submitted",
                           subject="Nomination received", **VALUES)
    assert english_ui_in(db.session.get(Notification, queued).body_text)
