"""The outbox: write a message in the caller's transaction; send it after the commit, once.

Writing (`queue_message`) renders the subject and both bodies in the recipient's language and
time zone and inserts the row unless one with the same idempotency key exists (INSERT … ON
CONFLICT DO NOTHING: no error, no rolled-back change, whatever runs at the same time). After the
commit the job queue's task `send_notification` sends it.

Sending (`send_queued`) first claims the row with one conditional UPDATE (still queued, due, not
claimed by a live consumer) and commits the claim; only the consumer whose UPDATE changed the row
talks to the mail server, so two consumers, a retry and the sweep never send it twice. A failure
the server may get over (it is down, or answered 4xx) is tried again after 1 min, 5 min, 30 min
and 2 h, then the message is `failed`; a refusal (5xx) fails it at once, with the server's answer.
A consumer that dies between the claim and the result leaves a claim that lapses after `LEASE`,
and the message is tried again (it may then arrive twice: the one case, and the Message-ID is the
same both times so a mail client can tell).
"""
from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from awards_app.core import events, tokens
from awards_app.core.exceptions import DomainError
from awards_app.core.i18n import format_datetime_for, make_locale
from awards_app.core.logs import get_logger
from awards_app.core.mail import MailError, build_message, deliver
from awards_app.core.models import utcnow
from awards_app.core.transactions import after_commit
from awards_app.extensions import db
from awards_app.notifications.models import Notification, NotificationState

log = get_logger(__name__)


class OutboxError(DomainError):
    """A refused outbox action; the message is shown to the admin."""


BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = len(BACKOFF) + 1
LEASE = timedelta(minutes=5)
SUBJECT_LENGTH = 150
# Where a secret link's token goes in a stored body: a private-use character that `clean` removes
# from every value a person typed, so only the template can put it there.
TOKEN_MARK = "\ue000"

# Why a message was not sent, shown on the outbox page (translated there).
REASON_DEACTIVATED = "deactivated"
REASON_NO_ADDRESS = "no_address"
REASON_NO_MAIL_SERVER = "no_mail_server"
REASON_REFUSED = "refused"
REASON_GAVE_UP = "gave_up"
REASON_CANCELLED = "cancelled"

# C0 controls but line break and tab, DEL, C1 controls, the bidi embeddings, overrides and
# isolates (which could reorder what follows them), and the token mark.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ue000]")
_LINE_BREAKS = re.compile(r"[\s\u2028\u2029]+")


def clean(text: str | None) -> str:
    """Text a person typed, safe for either body: no control or bidi-override characters (the
    HTML body is escaped by Jinja; the line structure of a summary is kept)."""
    return _UNSAFE.sub("", text or "")


def clean_header(text: str) -> str:
    """One line for the Subject header: every line break or run of spaces one space, at most
    SUBJECT_LENGTH characters. Headers cannot be split or added through it."""
    line = _LINE_BREAKS.sub(" ", clean(text)).strip()
    return line if len(line) <= SUBJECT_LENGTH else line[: SUBJECT_LENGTH - 1] + "…"


def local_time(value: datetime, user) -> str:
    """`value` as the recipient reads it: their language, their time zone (named)."""
    zone = ZoneInfo(user.timezone or "UTC")
    return format_datetime_for(value, "long", make_locale(user.locale or "en", user.region or ""), zone) + f" ({zone.key})"


def undeliverable_reason(user) -> str | None:
    if not user.active:
        return REASON_DEACTIVATED
    if not (user.email or "").strip():
        return REASON_NO_ADDRESS
    return None


def queue_message(kind: str, recipient, key: str, *, subject, template: str, cycle_id: int | None = None,
                  secret: str | None = None, now: datetime | None = None, **context) -> int | None:
    """Write the message `key` for `recipient` unless it was written before; → its id if new.

    `subject` is a lazy string (its placeholders filled), rendered with the templates
    `emails/<template>.txt` and `.html` in the recipient's language. Values a person typed must be
    passed through `clean`. A recipient who cannot receive mail still gets the row, `cancelled`,
    with the reason. `secret` ("purpose:nonce") makes the sender put the link's token where the
    body holds `TOKEN_MARK`."""
    now = now or utcnow()
    with force_locale(recipient.locale or "en"):
        context.update(user=recipient, local_time=lambda value: local_time(value, recipient),
                       token_mark=TOKEN_MARK)
        rendered_subject = clean_header(str(subject))
        # Jinja directly, not Flask's render_template: a message needs none of the request's context
        # processors (the current user, CSRF, the page's navigation), which cost more than the message.
        environment = current_app.jinja_env
        text = environment.get_template(f"emails/{template}.txt").render(**context)
        html = environment.get_template(f"emails/{template}.html").render(subject=rendered_subject, **context)
    reason = undeliverable_reason(recipient)
    values = dict(
        kind=kind, idempotency_key=key[:200], recipient_id=recipient.id, cycle_id=cycle_id,
        email=recipient.email or "", locale=recipient.locale or "en", subject=rendered_subject,
        body_text=text, body_html=html, secret=secret, attempts=0, last_error="", reason=reason,
        state=NotificationState.CANCELLED if reason else NotificationState.QUEUED,
        next_attempt_at=None if reason else now, created_at=now,
    )
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (dialect.insert(Notification).values(**values)
                 .on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(Notification.id))
    notification_id = db.session.scalar(statement)
    if notification_id is not None and not reason:
        after_commit(lambda: enqueue(notification_id))
    return notification_id


def enqueue(notification_id: int) -> None:
    """Hand the message to the job queue. If the queue cannot take it now, the sweep will."""
    from awards_app.notifications.tasks import send_notification

    try:
        send_notification(notification_id)
    except Exception:  # noqa: BLE001 — the row is stored; the periodic sweep sends it
        log.exception("could not enqueue notification %s; the sweep will send it", notification_id)


def _claim(notification_id: int, now: datetime) -> bool:
    """Take the message for this consumer (one conditional UPDATE, committed); False if it is not
    due, not queued any more, or another consumer holds it."""
    claimed = db.session.execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.state == NotificationState.QUEUED,
            or_(Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now),
            or_(Notification.claimed_until.is_(None), Notification.claimed_until <= now),
        )
        .values(claimed_until=now + LEASE, attempts=Notification.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


def message_id(notification: Notification) -> str:
    digest = hashlib.sha256(notification.idempotency_key.encode()).hexdigest()[:16]
    return f"<notification-{notification.id}.{digest}@mdd-awards>"


def _with_link(body: str, notification: Notification) -> str:
    if not notification.secret:
        return body
    purpose, nonce = notification.secret.split(":", 1)
    return body.replace(TOKEN_MARK, tokens.link_token(purpose, nonce))


def send_queued(notification_id: int, *, now: datetime | None = None) -> NotificationState | None:
    """Send the message if it is due and nobody else is sending it; → its state after, or None
    when this call did not claim it.

    No transaction stays open while the mail server is talked to, and each write starts its own
    transaction with the write (on SQLite a transaction that read first could not write after
    another writer committed)."""
    now = now or utcnow()
    if not _claim(notification_id, now):
        return None
    notification = db.session.get(Notification, notification_id)
    config = current_app.config
    if not config.get("MAIL_SERVER") and "MAIL_OUTBOX" not in config:
        db.session.rollback()
        return _finish(notification_id, NotificationState.CANCELLED, reason=REASON_NO_MAIL_SERVER)
    attempts = notification.attempts
    message = build_message(
        notification.email, notification.subject, _with_link(notification.body_text, notification),
        _with_link(notification.body_html, notification), message_id=message_id(notification),
        language=notification.locale,
    )
    db.session.rollback()  # ends the read: nothing is held while the server answers
    try:
        deliver(message)
    except MailError as error:
        answer = error.answer[:2000]
        if error.permanent:
            return _finish(notification_id, NotificationState.FAILED, reason=REASON_REFUSED, last_error=answer)
        if attempts >= MAX_ATTEMPTS:
            return _finish(notification_id, NotificationState.FAILED, reason=REASON_GAVE_UP, last_error=answer)
        next_attempt_at = now + BACKOFF[attempts - 1]
        _write(notification_id, last_error=answer, next_attempt_at=next_attempt_at, claimed_until=None)
        log.warning("notification %s not sent (attempt %s), next at %s: %s", notification_id, attempts,
                    next_attempt_at.isoformat(), answer)
        _schedule_retry(notification_id, next_attempt_at)
        return NotificationState.QUEUED
    return _finish(notification_id, NotificationState.SENT, sent_at=utcnow())


def _finish(notification_id: int, state: NotificationState, *, reason: str | None = None, **values) -> NotificationState:
    _write(notification_id, state=state, reason=reason, claimed_until=None, next_attempt_at=None, **values)
    return state


def _write(notification_id: int, **values) -> None:
    db.session.execute(update(Notification).where(Notification.id == notification_id).values(**values)
                       .execution_options(synchronize_session=False))
    db.session.commit()


def _schedule_retry(notification_id: int, when: datetime) -> None:
    from awards_app.notifications.tasks import send_notification

    try:
        send_notification.schedule((notification_id,), eta=when)
    except Exception:  # noqa: BLE001 — the sweep sends it when it is due
        log.exception("could not schedule the retry of notification %s", notification_id)


def due_ids(now: datetime, *, limit: int = 1000) -> list[int]:
    """Queued messages whose moment has come and that no live consumer holds (the sweep's work):
    retries, and messages whose enqueue after the commit was lost."""
    return list(db.session.scalars(
        select(Notification.id)
        .where(
            Notification.state == NotificationState.QUEUED,
            or_(Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now),
            or_(Notification.claimed_until.is_(None), Notification.claimed_until <= now),
        )
        .order_by(Notification.id)
        .limit(limit)
    ))


def retry(actor, notification: Notification) -> None:
    """Queue a failed message again (admin), with its attempts counted afresh."""
    if notification.state != NotificationState.FAILED:
        raise OutboxError(_l("Only a failed message can be sent again."))
    events.announce(events.notification_retried, actor, notification, kind=notification.kind)
    notification.state = NotificationState.QUEUED
    notification.reason = None
    notification.attempts = 0
    notification.next_attempt_at = utcnow()
    notification_id = notification.id
    after_commit(lambda: enqueue(notification_id))


def cancel(actor, notification: Notification) -> None:
    """Take a queued message out of the queue (admin). One being sent now is not stopped."""
    if notification.state != NotificationState.QUEUED:
        raise OutboxError(_l("Only a queued message can be cancelled."))
    events.announce(events.notification_cancelled, actor, notification, kind=notification.kind)
    notification.state = NotificationState.CANCELLED
    notification.reason = REASON_CANCELLED
    notification.next_attempt_at = None

