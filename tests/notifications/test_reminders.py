"""The periodic tasks: reminders before deadlines, judges' assignment digests, admins' daily digest.
Idempotent: a second run (or a second consumer) writes nothing twice."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from awards_app.core.enums import NominationStatus, Phase
from awards_app.core.models import utcnow
from awards_app.cycles.rules import parse_reminder_days
from awards_app.extensions import db
from awards_app.notifications import reminders, tasks
from awards_app.notifications.models import Notification
from tests.notifications.support import plain
from tests.notifications.test_outbox import JAPANESE

DEADLINE = datetime(2030, 6, 30, 15, 0, tzinfo=timezone.utc)


def test_due_offset_is_the_latest_moment_passed_before_the_deadline():
    days = [7, 1]
    assert reminders.due_offset(DEADLINE, days, DEADLINE - timedelta(days=8)) is None
    assert reminders.due_offset(DEADLINE, days, DEADLINE - timedelta(days=7)) == 7
    assert reminders.due_offset(DEADLINE, days, DEADLINE - timedelta(days=2)) == 7
    # The consumer was down for both moments: only the latest goes.
    assert reminders.due_offset(DEADLINE, days, DEADLINE - timedelta(hours=3)) == 1
    assert reminders.due_offset(DEADLINE, days, DEADLINE) is None
    assert reminders.due_offset(DEADLINE, [], DEADLINE - timedelta(days=1)) is None


@pytest.mark.parametrize("text, days", [("7,1", [7, 1]), (" 1, 7 ", [7, 1]), ("", []), ("2", [2])])
def test_reminder_days_are_parsed(text, days):
    assert parse_reminder_days(text) == days


@pytest.mark.parametrize("text", ["7,x", "0", "91", "1,2,3,4,5,6", "-1", "1.5", "7;1"])
def test_bad_reminder_days_are_refused(text):
    with pytest.raises(ValueError):
        parse_reminder_days(text)


def messages(kind: str) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.kind == kind).order_by(Notification.id)))


@pytest.fixture
def sites(make_site, make_user):
    drafting = make_site("DRAFTING")
    silent = make_site("SILENT")
    done = make_site("DONE")
    users = {
        "drafting": make_user("submitter", sites=[drafting], email="drafting@example.com", locale="ja"),
        "silent": make_user("submitter", sites=[silent], email="silent@example.com"),
        "done": make_user("submitter", sites=[done], email="done@example.com"),
        "quiet": make_user("submitter", sites=[silent], email="quiet@example.com"),
    }
    users["quiet"].receive_reminders = False
    db.session.commit()
    return drafting, silent, done, users


def test_nomination_reminders_go_to_sites_with_a_draft_or_nothing_submitted_once(
        sites, make_cycle, make_nomination, smtp):
    drafting, silent, done, users = sites
    cycle = make_cycle(nomination_deadline=DEADLINE, judging_deadline=DEADLINE + timedelta(days=30))
    make_nomination(cycle, drafting)
    make_nomination(cycle, done, status=NominationStatus.SUBMITTED)
    assert reminders.nomination_reminders(DEADLINE - timedelta(days=8)) == 0
    now = DEADLINE - timedelta(days=6)
    assert reminders.nomination_reminders(now) == 2
    assert reminders.nomination_reminders(now) == 0  # a second run, or a second consumer
    assert reminders.nomination_reminders(now + timedelta(days=1)) == 0  # the 7-day one was sent
    assert {m.email for m in messages("nomination_reminder")} == {"drafting@example.com", "silent@example.com"}
    assert reminders.nomination_reminders(DEADLINE - timedelta(hours=20)) == 2  # the 1-day one
    assert reminders.nomination_reminders(DEADLINE + timedelta(minutes=1)) == 0
    japanese = next(m for m in messages("nomination_reminder") if m.email == "drafting@example.com")
    assert JAPANESE.search(japanese.subject) and "1" in japanese.body_text


def test_the_periodic_task_sends_them(sites, make_cycle, smtp, monkeypatch):
    cycle = make_cycle(nomination_deadline=utcnow() + timedelta(hours=5))
    tasks.send_reminders()
    tasks.send_reminders()
    assert sorted(m["To"] for m in smtp.messages) == ["done@example.com", "drafting@example.com",
                                                       "silent@example.com"]
    assert "Reminder: nominations close on" in smtp.to("silent@example.com")[0]["Subject"]
    assert cycle.label in plain(smtp.to("silent@example.com")[0])


@pytest.fixture
def judging(make_site, make_user, make_cycle, make_nomination, make_assignment, make_sheet):
    site = make_site()
    cycle = make_cycle(phase=Phase.JUDGING, nomination_deadline=DEADLINE - timedelta(days=30),
                       judging_deadline=DEADLINE)
    nominations = [make_nomination(cycle, site, status=NominationStatus.SUBMITTED, title=f"Activity {n}")
                   for n in range(3)]
    busy = make_user("judge", email="busy@example.com")
    finished = make_user("judge", email="finished@example.com")
    for nomination in nominations[:2]:
        make_assignment(nomination, busy)
    make_sheet(make_assignment(nominations[0], finished), [3, 3, 3])
    return cycle, nominations, busy, finished


def test_judging_reminders_go_to_judges_with_unfinished_sheets(judging):
    cycle, nominations, busy, finished = judging
    assert reminders.judging_reminders(DEADLINE - timedelta(days=7)) == 1
    assert reminders.judging_reminders(DEADLINE - timedelta(days=6)) == 0
    assert reminders.judging_reminders(DEADLINE - timedelta(days=2)) == 1
    [first, second] = messages("judging_reminder")
    assert first.email == "busy@example.com" and "2 score sheets" in first.subject
    busy.receive_reminders = False
    assert reminders.judging_reminders(DEADLINE - timedelta(hours=1)) == 0


def test_assignments_are_batched_at_most_once_an_hour(judging, make_assignment):
    cycle, nominations, busy, finished = judging
    now = DEADLINE - timedelta(days=20)
    assert reminders.assignment_digests(now) == 1
    [digest] = messages("assignments")
    assert "Activity 0" in digest.body_text and "Activity 1" in digest.body_text and "2 new" in digest.subject
    make_assignment(nominations[2], busy)
    assert reminders.assignment_digests(now + timedelta(minutes=30)) == 0
    assert reminders.assignment_digests(now + timedelta(minutes=61)) == 1
    latest = messages("assignments")[-1]
    assert "Activity 2" in latest.body_text and "Activity 0" not in latest.body_text
    assert reminders.assignment_digests(now + timedelta(hours=3)) == 0


def test_admins_get_one_progress_digest_a_day_unless_they_switch_it_off(judging, make_user):
    make_user("admin", email="admin@example.com")
    make_user("admin", email="quiet-admin@example.com").receive_digest = False
    day = DEADLINE - timedelta(days=5)
    assert reminders.admin_digests(day) == 1
    assert reminders.admin_digests(day + timedelta(minutes=15)) == 0
    assert reminders.admin_digests(day + timedelta(days=1)) == 1
    digest = messages("admin_digest")[0]
    assert digest.email == "admin@example.com" and "1 of 3 sheets submitted" in digest.subject


# --- settings through the pages -----------------------------------------------------------------


def test_a_user_switches_reminders_off_on_the_account_page(login, make_user, client):
    user = make_user("judge")
    login(user)
    page = client.get("/account").get_data(as_text=True)
    assert 'name="receive_reminders"' in page and 'name="receive_digest"' not in page
    response = client.post("/account", data={"name": user.name, "locale": "en", "timezone": "UTC"})
    assert response.status_code == 302
    db.session.expire_all()
    assert user.receive_reminders is False


def test_an_admin_switches_the_digest_off(login, make_user, client):
    admin = make_user("admin")
    login(admin)
    response = client.post("/account", data={"name": admin.name, "locale": "en", "timezone": "UTC",
                                              "receive_reminders": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (admin.receive_reminders, admin.receive_digest) == (True, False)


def _settings(cycle, **changes):
    data = {
        "nomination_deadline": "2030-06-01T12:00", "judging_deadline": "2030-07-01T12:00",
        "scale_min": "1", "scale_max": "5", "judges_per_nomination": "3", "disagreement_threshold": "2",
        "minimum_reviews": "2", "ranking_method": "adjusted",
        "nomination_reminder_days": "7, 1", "judging_reminder_days": "7, 2, 1",
        "share_comments_with_sites": "y",
    }
    data.update(changes)
    return data


def test_reminder_offsets_are_cycle_settings(login, make_user, make_cycle, client):
    cycle = make_cycle(phase=Phase.SETUP)
    login(make_user("admin"))
    page = client.get(f"/admin/cycles/{cycle.id}/settings").get_data(as_text=True)
    assert 'value="7, 1"' in page and 'value="7, 2, 1"' in page
    response = client.post(f"/admin/cycles/{cycle.id}/settings",
                           data=_settings(cycle, nomination_reminder_days="1, 14", judging_reminder_days=""))
    assert response.status_code == 302
    db.session.expire_all()
    assert (cycle.nomination_reminder_days, cycle.judging_reminder_days) == ("14,1", "")


def test_bad_reminder_offsets_are_refused_beside_the_field_and_kept(login, make_user, make_cycle, client):
    cycle = make_cycle(phase=Phase.SETUP)
    login(make_user("admin"))
    response = client.post(f"/admin/cycles/{cycle.id}/settings",
                           data=_settings(cycle, judging_reminder_days="7, soon"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "separated by commas" in page and 'value="7, soon"' in page
    db.session.expire_all()
    assert cycle.judging_reminder_days == "7,2,1"
