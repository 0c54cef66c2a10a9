"""The outbox page (filter, read, retry, cancel) and the progress page's "remind" button."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from awards_app.core import transactions
from awards_app.core.enums import NominationStatus, Phase
from awards_app.core.models import utcnow
from awards_app.extensions import db
from awards_app.notifications import outbox, reminders
from awards_app.notifications.models import Notification, NotificationState
from core.support import Page


@pytest.fixture
def admin(make_user):
    return make_user("admin", email="admin@example.com")


def write(user, key: str, **fields) -> Notification:
    notification_id = outbox.queue_message("password_changed", user, key, subject="<b>Hello</b> there",
                                           template="password_changed", name=user.name, when=utcnow(),
                                           link="http://localhost/")
    db.session.flush()
    notification = db.session.get(Notification, notification_id)
    for name, value in fields.items():
        setattr(notification, name, value)
    db.session.commit()
    return notification


def test_the_outbox_lists_filters_and_escapes(login, client, admin, make_user, monkeypatch):
    monkeypatch.setattr(outbox, "enqueue", lambda notification_id: None)
    ann = make_user("judge", email="ann@example.com")
    bob = make_user("judge", email="bob@example.com")
    write(ann, "a", state=NotificationState.FAILED, reason="refused", last_error="550 no such user")
    write(bob, "b")
    login(admin)
    page = Page(client.get("/admin/outbox"))
    text = page.main_text
    assert "ann@example.com" in text and "bob@example.com" in text
    assert "<b>Hello</b> there" in text  # shown as text, not markup
    assert "<b>Hello</b>" not in page.response.get_data(as_text=True)
    failed = Page(client.get("/admin/outbox?state=failed")).main_text
    assert "ann@example.com" in failed and "bob@example.com" not in failed
    assert "The mail server refused the address." in failed
    assert "ann@example.com" not in Page(client.get("/admin/outbox?recipient=BOB")).main_text
    assert Page(client.get("/admin/outbox?state=nonsense&cycle=x&kind=<script>")).response.status_code == 200


def test_read_retry_and_cancel(login, client, admin, make_user, smtp, events, monkeypatch):
    ann = make_user("judge", email="ann@example.com")
    failed = write(ann, "failed", state=NotificationState.FAILED, reason="refused", attempts=1,
                   last_error="550 no such user")
    login(admin)
    page = Page(client.get(f"/admin/outbox/{failed.id}"))
    assert "550 no such user" in page.main_text and "was changed on" in page.main_text
    response = client.post(f"/admin/outbox/{failed.id}/retry")
    assert response.status_code == 302
    db.session.expire_all()
    assert failed.state == NotificationState.SENT and [m["To"] for m in smtp.messages][-1] == "ann@example.com"
    assert events("notification.retried")[0].actor_id == admin.id

    monkeypatch.setattr(outbox, "enqueue", lambda notification_id: None)
    queued = write(ann, "queued")
    assert client.post(f"/admin/outbox/{queued.id}/cancel").status_code == 302
    db.session.expire_all()
    assert (queued.state, queued.reason) == (NotificationState.CANCELLED, "cancelled")
    assert outbox.send_queued(queued.id) is None
    # Cancelling again, or retrying what is not failed, is refused with a message.
    client.post(f"/admin/outbox/{queued.id}/cancel")
    assert "Only a queued message can be cancelled." in Page(client.get(f"/admin/outbox/{queued.id}")).main_text


def test_an_invitation_is_shown_without_its_link(login, client, admin, make_user, smtp):
    from awards_app.accounts import services as account_services

    user = make_user("judge", email="new@example.com", password_hash=None)
    token = account_services.issue_invitation(admin, user, 7)
    transactions.commit()
    [row] = db.session.scalars(select(Notification).where(Notification.kind == "invitation"))
    login(admin)
    text = Page(client.get(f"/admin/outbox/{row.id}")).main_text
    assert "[link hidden]" in text and token not in text


@pytest.fixture
def judging(make_site, make_user, make_cycle, make_nomination, make_assignment):
    site = make_site()
    cycle = make_cycle(phase=Phase.JUDGING)
    nomination = make_nomination(cycle, site, status=NominationStatus.SUBMITTED)
    judge = make_user("judge", email="judge@example.com", name="Judge Ito")
    make_assignment(nomination, judge)
    return cycle, judge


def test_the_progress_page_reminds_a_judge_at_most_once_an_hour(login, client, admin, judging, smtp, events):
    cycle, judge = judging
    login(admin)
    page = Page(client.get(f"/admin/cycles/{cycle.id}/progress"))
    assert f"/admin/cycles/{cycle.id}/judges/{judge.id}/remind" in page.response.get_data(as_text=True)
    response = client.post(f"/admin/cycles/{cycle.id}/judges/{judge.id}/remind")
    assert response.status_code == 302 and response.headers["Location"] == f"/admin/cycles/{cycle.id}/progress"
    assert "A reminder is on its way to Judge Ito." in Page(client.get(response.headers["Location"])).main_text
    [message] = smtp.messages
    assert message["To"] == "judge@example.com" and "1 score sheets to finish" in message["Subject"]
    assert events("notification.judge_reminded")[0].object_id == judge.id

    client.post(f"/admin/cycles/{cycle.id}/judges/{judge.id}/remind")
    assert "Judge Ito was reminded less than an hour ago." in Page(client.get(f"/admin/cycles/{cycle.id}/progress")).main_text
    assert len(smtp.messages) == 1
    # An hour later it may go again.
    assert reminders.remind_judge(admin, cycle, judge, now=utcnow() + timedelta(minutes=61)) == 1
    transactions.commit()
    assert len(list(db.session.scalars(select(Notification).where(Notification.kind == "judging_reminder")))) == 2


def test_a_judge_who_switched_reminders_off_is_not_reminded(login, client, admin, judging, smtp):
    cycle, judge = judging
    judge.receive_reminders = False
    db.session.commit()
    login(admin)
    client.post(f"/admin/cycles/{cycle.id}/judges/{judge.id}/remind")
    assert "Judge Ito has switched reminders off." in Page(client.get(f"/admin/cycles/{cycle.id}/progress")).main_text
    assert smtp.messages == []


def test_remind_refuses_someone_who_is_not_a_judge(login, client, admin, judging, make_user):
    cycle, judge = judging
    login(admin)
    assert client.post(f"/admin/cycles/{cycle.id}/judges/{admin.id}/remind").status_code == 404
    assert client.post(f"/admin/cycles/999999/judges/{judge.id}/remind").status_code == 404
