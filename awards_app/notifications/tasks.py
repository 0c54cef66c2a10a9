"""The job queue's tasks for notifications (run by `flask worker`, or at once under HUEY_IMMEDIATE)."""
from __future__ import annotations

import time

from huey import crontab
from sqlalchemy.exc import OperationalError

from awards_app.core import transactions
from awards_app.core.logs import get_logger
from awards_app.core.models import utcnow
from awards_app.core.queue import huey, in_app_context
from awards_app.extensions import db
from awards_app.notifications import outbox, reminders

log = get_logger(__name__)


@huey.task(name="notifications.send")
@in_app_context
def send_notification(notification_id: int) -> None:
    """Send one outbox message (a no-op if another consumer has it or it was sent already)."""
    outbox.send_queued(notification_id)


@huey.periodic_task(crontab(minute="*"), name="notifications.sweep")
@in_app_context
def sweep_outbox() -> None:
    """Every minute: queue again the messages whose moment has come (retries after a failure, and
    any whose enqueue after the commit was lost). Sending twice is impossible: each is claimed."""
    due = outbox.due_ids(utcnow())
    for notification_id in due:
        send_notification(notification_id)
    if due:
        log.info("outbox sweep queued %d message(s)", len(due))


def _retrying(run, attempts: int = 3) -> None:
    """Run `run` (idempotent) again if SQLite's single writer was busy: a periodic task reads, then
    writes, and on SQLite a writer that committed in between makes that write fail at once."""
    for attempt in range(1, attempts + 1):
        try:
            run()
            transactions.commit()
            return
        except OperationalError:
            db.session.rollback()
            if attempt == attempts:
                raise
            time.sleep(0.5 * attempt)


@huey.periodic_task(crontab(minute="*/15"), name="notifications.reminders")
@in_app_context
def send_reminders() -> None:
    """Every 15 minutes: reminders before the deadlines, and the admins' daily digest."""

    def run() -> None:
        now = utcnow()
        written = (reminders.nomination_reminders(now) + reminders.judging_reminders(now)
                   + reminders.admin_digests(now))
        if written:
            log.info("reminders: %d message(s) written", written)

    _retrying(run)


@huey.periodic_task(crontab(minute="*/5"), name="notifications.assignment_digests")
@in_app_context
def send_assignment_digests() -> None:
    """Every 5 minutes: each judge's new assignments, batched (at most one message an hour)."""
    _retrying(lambda: reminders.assignment_digests(utcnow()))
