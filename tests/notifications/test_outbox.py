"""The outbox, against a real SMTP server in the test process: messages written with the change,
sent after the commit in the recipient's language, retried with back-off, never sent twice."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from awards_app.core import transactions
from awards_app.core.enums import NominationStatus, Phase
from awards_app.core.models import utcnow
from awards_app.extensions import db
from awards_app.judging import services as judging_services
from awards_app.nominations import services as nomination_services
from awards_app.notifications import outbox, tasks
from awards_app.notifications.models import Notification, NotificationState
from tests.notifications.support import html, plain

JAPANESE = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture
def world(make_site, make_user, make_cycle, make_nomination):
    site = make_site("TOKYO", "JP", name_en="Tokyo HQ", name_ja="東京本社")
    ja = make_user("submitter", sites=[site], email="ja@example.com", name="山田", locale="ja",
                   timezone="Asia/Tokyo")
    en = make_user("submitter", sites=[site], email="en@example.com", name="Ann", locale="en", timezone="UTC")
    admin = make_user("admin", email="admin@example.com")
    cycle = make_cycle()
    nomination = make_nomination(cycle, site, title="Beach clean-up")
    return site, ja, en, admin, cycle, nomination


def submit(world):
    site, ja, en, admin, cycle, nomination = world
    nomination_services.submit_nomination(ja, nomination, expected_version=nomination.version)
    transactions.commit()


def rows(kind: str | None = None) -> list[Notification]:
    query = select(Notification).order_by(Notification.id)
    if kind:
        query = query.where(Notification.kind == kind)
    db.session.expire_all()
    return list(db.session.scalars(query))


def test_a_submission_mails_a_receipt_to_each_submitter_of_the_site_in_their_language(world, smtp):
    submit(world)
    assert {m["To"] for m in smtp.messages} == {"ja@example.com", "en@example.com"}
    [japanese] = smtp.to("ja@example.com")
    [english] = smtp.to("en@example.com")
    assert english["Subject"] == "Nomination received: Beach clean-up"
    assert JAPANESE.search(japanese["Subject"]) and "Beach clean-up" in japanese["Subject"]
    # Each names the fiscal year by its own language's convention (FY2027 is 2026年度).
    fy = world[4].fiscal_year
    for message, site_name, fiscal_year in ((japanese, "東京本社", f"{fy - 1}年度"), (english, "Tokyo HQ", f"FY{fy}")):
        for body in (plain(message), html(message)):
            assert site_name in body and fiscal_year in body
            assert "Employees and pupils cleaned the beach." in body  # the summary
            assert "http://localhost/nominations/" in body
    # Dates in the recipient's time zone, named.
    assert "(Asia/Tokyo)" in plain(japanese) and "(UTC)" in plain(english)
    assert "Hello Ann," in plain(english) and "Hello" not in plain(japanese)
    assert japanese["Content-Language"] == "ja" and english["Message-ID"].startswith("<notification-")
    receipts = rows("nomination_submitted")
    assert [(r.state, r.attempts, r.reason) for r in receipts] == [(NotificationState.SENT, 1, None)] * 2
    assert all(r.sent_at is not None and r.cycle_id == world[4].id for r in receipts)


def test_nothing_is_written_when_the_change_is_rolled_back(world, smtp):
    site, ja, en, admin, cycle, nomination = world
    nomination_services.submit_nomination(ja, nomination, expected_version=nomination.version)
    db.session.rollback()
    assert rows() == [] and smtp.messages == []


def test_withdrawal_ineligibility_and_restoring_are_told_with_the_reason(world, smtp):
    site, ja, en, admin, cycle, nomination = world
    submit(world)
    judging_services.mark_ineligible(admin, nomination, "Outside the fiscal year")
    transactions.commit()
    judging_services.restore_eligibility(admin, nomination)
    transactions.commit()
    nomination_services.withdraw_nomination(ja, nomination, "We merged it with another one")
    transactions.commit()
    kinds = [r.kind for r in rows() if r.email == "en@example.com"]
    assert kinds == ["nomination_submitted", "nomination_ineligible", "nomination_restored", "nomination_withdrawn"]
    by_subject = {m["Subject"]: m for m in smtp.to("en@example.com")}
    assert "Outside the fiscal year" in plain(by_subject["Nomination not eligible: Beach clean-up"])
    assert "We merged it with another one" in html(by_subject["Nomination withdrawn: Beach clean-up"])
    assert "Nomination eligible again: Beach clean-up" in by_subject
    assert all(JAPANESE.search(m["Subject"]) for m in smtp.to("ja@example.com"))


def test_a_reopened_sheet_tells_its_judge_why(world, smtp, make_user, make_assignment, make_sheet):
    site, ja, en, admin, cycle, nomination = world
    cycle.phase = Phase.JUDGING
    nomination.status = NominationStatus.SUBMITTED
    judge = make_user("judge", email="judge@example.com", locale="ja")
    sheet = make_sheet(make_assignment(nomination, judge), [3, 4, 5])
    judging_services.reopen_sheet(admin, sheet, "Please look at the second criterion again")
    transactions.commit()
    [message] = smtp.to("judge@example.com")
    assert JAPANESE.search(message["Subject"]) and "Beach clean-up" in message["Subject"]
    assert "Please look at the second criterion again" in plain(message)
    assert f"http://localhost/judging/{sheet.assignment_id}" in plain(message)


def test_a_discussion_message_tells_the_panel_judges_who_can_read_it(world, smtp, make_user, make_assignment,
                                                                     make_sheet):
    from awards_app.core.enums import Deliberation
    from awards_app.judging import queries as judging_queries

    site, ja, en, admin, cycle, nomination = world
    cycle.phase = Phase.JUDGING
    nomination.status = NominationStatus.SUBMITTED
    judging_queries.get_round(cycle).deliberation = Deliberation.ALL
    author, reader, drafting = (make_user("judge", email=f"{who}@example.com", locale="ja", name=who.title())
                                for who in ("author", "reader", "drafting"))
    mine = make_assignment(nomination, author)
    make_sheet(mine, [3, 4, 5])
    reading = make_assignment(nomination, reader)
    make_sheet(reading, [4, 4, 4])
    make_sheet(make_assignment(nomination, drafting), [2], submitted=False)
    judging_services.post_message(author, judging_queries.get_assignment_for_scoring(mine.id), "The <b>secret</b> view")
    transactions.commit()
    [message] = smtp.to("reader@example.com")
    assert JAPANESE.search(message["Subject"]) and "Beach clean-up" in message["Subject"]
    assert f"http://localhost/judging/{reading.id}#discussion" in plain(message)
    # Neither the author's name nor the message: the round may hide names, and the page shows it.
    assert "Author" not in plain(message) and "secret" not in plain(message)
    assert smtp.to("author@example.com") == [] and smtp.to("drafting@example.com") == []


def test_results_tell_each_site_its_outcome(world, smtp, make_decision):
    site, ja, en, admin, cycle, nomination = world
    nomination.status = NominationStatus.SUBMITTED
    make_decision(cycle, "grand_japan", nomination, admin)
    cycle.phase = Phase.FINALISED
    from awards_app.core import events

    events.announce(events.results_finalised, admin, cycle)
    transactions.commit()
    [message] = smtp.to("en@example.com")
    assert message["Subject"] == f"The {cycle.label} results are published"
    assert "won the Grand Award (Japan)" in plain(message)
    assert JAPANESE.search(plain(smtp.to("ja@example.com")[0]))


# --- bad input ----------------------------------------------------------------------------------

NASTY_TITLE = "Clean-up\r\nBcc: victim@example.com\r\n<script>alert(1)</script> \u202eevil\u202c"


def test_names_and_titles_cannot_add_headers_or_markup(world, smtp, make_user):
    site, ja, en, admin, cycle, nomination = world
    nomination.title = NASTY_TITLE
    nomination.summary = "<script>alert('x')</script>\u2067" + "長い" * 2500  # 5,000 characters and more
    en.name = "Eve\r\nX-Injected: yes <b>bold</b>"
    db.session.commit()
    submit(world)
    [message] = smtp.to("en@example.com")
    assert message["Bcc"] is None and message["X-Injected"] is None
    assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
    assert len(message["Subject"]) <= outbox.SUBJECT_LENGTH
    assert message["Subject"].startswith("Nomination received: Clean-up Bcc: victim@example.com <script>")
    body = html(message)
    assert "<script>" not in body and "&lt;script&gt;" in body and "<b>bold</b>" not in body
    for text in (body, plain(message), message["Subject"]):
        assert "\u202e" not in text and "\u2067" not in text
    assert plain(message).count("長い") == 2500
    assert [m["To"] for m in smtp.messages if m["To"] not in ("ja@example.com", "en@example.com")] == []


def test_an_address_the_server_refuses_fails_with_its_answer_and_the_others_go(world, smtp):
    smtp.refuse.add("ja@example.com")
    submit(world)
    assert [m["To"] for m in smtp.messages] == ["en@example.com"]
    failed = next(r for r in rows() if r.email == "ja@example.com")
    assert (failed.state, failed.reason, failed.attempts) == (NotificationState.FAILED, "refused", 1)
    assert failed.last_error.startswith("550 5.1.1 <ja@example.com>: Recipient address rejected")


def test_a_deactivated_user_or_one_without_an_address_gets_nothing_and_the_outbox_says_why(world, smtp):
    site, ja, en, admin, cycle, nomination = world
    ja.active = False
    en.email = ""
    db.session.commit()
    submit(world)
    assert smtp.messages == []
    reasons = {r.recipient_id: (r.state, r.reason, r.attempts) for r in rows()}
    assert reasons == {ja.id: (NotificationState.CANCELLED, "deactivated", 0),
                       en.id: (NotificationState.CANCELLED, "no_address", 0)}


# --- outage, back-off, never twice -----------------------------------------------------------


def test_an_outage_loses_nothing_and_the_message_goes_once_when_the_server_is_back(world, smtp, smtp_server):
    smtp_server.stop()
    submit(world)
    queued = rows()
    assert [(r.state, r.attempts) for r in queued] == [(NotificationState.QUEUED, 1)] * 2
    first = queued[0]
    assert first.last_error and timedelta(seconds=50) < first.next_attempt_at - utcnow() <= timedelta(minutes=1)
    assert outbox.send_queued(first.id) is None  # not due yet: nobody sends it
    smtp_server.start()
    later = utcnow() + timedelta(minutes=1, seconds=1)
    assert outbox.due_ids(utcnow()) == []
    assert sorted(outbox.due_ids(later)) == sorted(r.id for r in queued)
    for notification in queued:
        assert outbox.send_queued(notification.id, now=later) == NotificationState.SENT
        assert outbox.send_queued(notification.id, now=later) is None
    assert sorted(m["To"] for m in smtp.messages) == ["en@example.com", "ja@example.com"]
    assert [(r.state, r.attempts) for r in rows()] == [(NotificationState.SENT, 2)] * 2


def test_the_back_off_is_one_five_thirty_minutes_two_hours_then_failed(world, smtp, smtp_server):
    smtp_server.stop()
    submit(world)
    notification = rows()[0]
    moment = utcnow()
    waits = []
    for _ in range(4):
        db.session.expire_all()
        waits.append(round((notification.next_attempt_at - moment).total_seconds() / 60))
        moment = notification.next_attempt_at
        outbox.send_queued(notification.id, now=moment)
    db.session.expire_all()
    assert waits == [1, 5, 30, 120]
    assert (notification.state, notification.reason, notification.attempts) == (NotificationState.FAILED, "gave_up", 5)
    assert notification.next_attempt_at is None and "Connection refused" in notification.last_error


def test_a_claimed_message_is_not_claimed_again_until_its_lease_lapses(world, smtp, monkeypatch):
    monkeypatch.setattr(outbox, "enqueue", lambda notification_id: None)  # the enqueue is lost
    submit(world)
    first = rows()[0]
    now = utcnow()
    assert outbox._claim(first.id, now) is True
    assert outbox._claim(first.id, now) is False
    assert outbox.send_queued(first.id, now=now) is None
    assert outbox.due_ids(now + outbox.LEASE) == [r.id for r in rows()]


def test_the_sweep_sends_what_a_lost_enqueue_left_behind(world, smtp, monkeypatch):
    monkeypatch.setattr(outbox, "enqueue", lambda notification_id: None)
    submit(world)
    assert smtp.messages == [] and len(rows()) == 2
    tasks.sweep_outbox()
    assert len(smtp.messages) == 2
    tasks.sweep_outbox()
    assert len(smtp.messages) == 2


def test_the_same_key_is_written_once(world, smtp):
    site, ja, en, admin, cycle, nomination = world
    kwargs = dict(subject="Hello", template="password_changed", name="x", when=utcnow(), link="http://localhost/")
    assert outbox.queue_message("password_changed", en, "the-key", **kwargs) is not None
    assert outbox.queue_message("password_changed", en, "the-key", **kwargs) is None
    transactions.commit()
    assert len(rows()) == 1 and len(smtp.messages) == 1


def test_the_invitation_link_is_not_stored_in_the_outbox(app, smtp, make_user):
    from awards_app.accounts import services as account_services
    from awards_app.core.urls import external_url

    admin = make_user("admin")
    user = make_user("judge", email="new@example.com", password_hash=None)
    token = account_services.issue_invitation(admin, user, 7)
    transactions.commit()
    [row] = rows("invitation")
    assert token not in row.body_text and token not in row.body_html and token not in (row.secret or "")
    [message] = smtp.messages
    assert external_url("accounts.accept_invitation", token=token) in plain(message)
    assert external_url("accounts.accept_invitation", token=token) in html(message)


def test_a_winning_site_is_told_its_certificate_is_issued_in_its_language(world, smtp, make_decision):
    from awards_app.certificates import services as certificate_services

    site, ja, en, admin, cycle, nomination = world
    nomination.status = NominationStatus.SUBMITTED
    cycle.phase = Phase.FINALISED
    cycle.finalised_at = utcnow()
    cycle.nomination_deadline = utcnow() - timedelta(days=60)
    cycle.judging_deadline = utcnow() - timedelta(days=30)
    cycle.signatory_name_en, cycle.signatory_name_ja = "Taro Yamada", "山田 太郎"
    db.session.commit()
    make_decision(cycle, "grand_japan", nomination, admin)
    [certificate] = certificate_services.issue_certificates(admin, cycle)
    transactions.commit()
    [english] = smtp.to("en@example.com")
    [japanese] = smtp.to("ja@example.com")
    assert english["Subject"] == "Your certificate is ready: Grand Award (Japan)"
    assert JAPANESE.search(japanese["Subject"]) and JAPANESE.search(plain(japanese))
    for message in (english, japanese):
        assert f"http://localhost/verify/{certificate.code}" in plain(message)
        assert certificate.serial in html(message)


def test_the_demo_history_mails_nobody(world, smtp, events):
    """seed-demo builds its history inside silenced(): audited, never mailed."""
    from awards_app.notifications.services import silenced

    with silenced():
        submit(world)
    assert rows() == [] and smtp.messages == []
    assert len(events("nomination.submitted")) == 1
