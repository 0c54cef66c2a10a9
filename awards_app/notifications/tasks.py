"""The job queue's tasks for notifications (run by `flask worker`, or at once under HUEY_IMMEDIATE)."""
from __future__ import annotations

from huey import crontab

from awards_app.core.logs import get_logger
from awards_app.core.models import utcnow
from awards_app.core.queue import huey, in_app_context
from awards_app.notifications import outbox

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
