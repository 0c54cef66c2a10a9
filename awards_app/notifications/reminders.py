"""What the periodic tasks write: reminders before deadlines, the judges' assignment digests and the
admins' daily progress digest.

Each run looks at the present and writes what is due under an idempotency key (recipient, kind,
object and offset, or day): a second run, a second consumer or a restart writes nothing twice. A
reminder whose moment passed while no consumer ran goes once when one is back, unless the deadline
itself has passed; of several offsets passed together only the latest goes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select

from awards_app.accounts.models import User
from awards_app.core import events
from awards_app.core.enums import AssignmentStatus, NominationStatus, Phase, SheetStatus
from awards_app.core.exceptions import DomainError
from awards_app.core.models import utcnow
from awards_app.core.urls import external_url
from awards_app.cycles.fiscal import lazy_fiscal_year_label
from awards_app.cycles.models import Cycle
from awards_app.cycles.rules import parse_reminder_days
from awards_app.extensions import db
from awards_app.judging.models import Assignment, JudgingRound, ScoreSheet
from awards_app.judging.queries import get_round, list_rounds
from awards_app.nominations.models import Nomination
from awards_app.notifications.models import Notification
from awards_app.notifications.outbox import clean, local_time, queue_message
from awards_app.sites.models import Site, user_sites

ASSIGNMENT_DIGEST_INTERVAL = timedelta(hours=1)

SUBJECTS = {
    "nomination_reminder": _l("Reminder: nominations close on %(deadline)s"),
    "judging_reminder": _l("Reminder: %(count)d score sheets to finish by %(deadline)s"),
    "assignments": _l("Nominations to score: %(count)d new"),
    "admin_digest": _l("Judging progress, %(cycle)s: %(done)d of %(total)d sheets submitted"),
}


class _Subject:
    """A subject translated when str() is called, with values that may need the recipient (dates)."""

    def __init__(self, kind: str, values):
        self.kind, self.values = kind, values

    def __str__(self) -> str:
        values = self.values() if callable(self.values) else self.values
        return str(SUBJECTS[self.kind]) % values


def due_offset(deadline: datetime, days: list[int], now: datetime) -> int | None:
    """The offset (days before `deadline`) whose reminder is due at `now`: the smallest one whose
    moment has come, while the deadline is still ahead; None when none is due."""
    if now >= deadline:
        return None
    due = [day for day in days if now >= deadline - timedelta(days=day)]
    return min(due) if due else None


def _offsets(text: str) -> list[int]:
    try:
        return parse_reminder_days(text)
    except ValueError:
        return []


def _reminded(users):
    return [user for user in users if user.active and user.receive_reminders]


def _cycles(phase: Phase) -> list[Cycle]:
    return list(db.session.scalars(select(Cycle).where(Cycle.phase == phase).order_by(Cycle.id)))


# --- site submitters ----------------------------------------------------------------------------


def nomination_reminders(now: datetime) -> int:
    """Sites with a draft, or with nothing submitted, before the nomination deadline."""
    written = 0
    for cycle in _cycles(Phase.NOMINATIONS_OPEN):
        day = due_offset(cycle.nomination_deadline, _offsets(cycle.nomination_reminder_days), now)
        if day is None:
            continue
        counts = dict(((site_id, status), count) for site_id, status, count in db.session.execute(
            select(Nomination.site_id, Nomination.status, func.count())
            .where(Nomination.cycle_id == cycle.id).group_by(Nomination.site_id, Nomination.status)
        ))
        sites = db.session.scalars(select(Site).where(Site.active.is_(True)).order_by(Site.id)).all()
        submitters = _submitters_by_site([site.id for site in sites])
        for site in sites:
            drafts = counts.get((site.id, NominationStatus.DRAFT), 0)
            submitted = counts.get((site.id, NominationStatus.SUBMITTED), 0)
            if submitted and not drafts:
                continue
            for user in _reminded(submitters.get(site.id, [])):
                key = f"nomination_reminder:{cycle.id}:{site.id}:{user.id}:{day}"
                written += _write("nomination_reminder", user, key, cycle, now, cycle.nomination_deadline,
                                  site_en=clean(site.name_en), site_ja=clean(site.name_ja), drafts=drafts,
                                  submitted=submitted, link=external_url("nominations.dashboard"))
    return written


def _submitters_by_site(site_ids: list[int]) -> dict[int, list[User]]:
    found: dict[int, list[User]] = {}
    if not site_ids:
        return found
    for site_id, user in db.session.execute(
        select(user_sites.c.site_id, User).join(User, User.id == user_sites.c.user_id)
        .where(user_sites.c.site_id.in_(site_ids), User.is_submitter.is_(True)).order_by(User.id)
    ):
        found.setdefault(site_id, []).append(user)
    return found


def _write(kind: str, user: User, key: str, cycle: Cycle, now: datetime, deadline: datetime, *,
           subject_values: dict | None = None, **context) -> int:
    """Write one message (unless its key was written before); → 1 if written."""
    values = subject_values or {}
    subject = _Subject(kind, lambda: {"deadline": local_time(deadline, user), **values})
    written = queue_message(kind, user, key, subject=subject, template=kind, cycle_id=cycle.id, now=now,
                            name=clean(user.name), cycle=lazy_fiscal_year_label(cycle.fiscal_year), deadline=deadline, **context)
    return 1 if written else 0


# --- judges -------------------------------------------------------------------------------------


def _unfinished(cycle_id: int):
    """(judge id, assignment) of every active assignment of the cycle whose sheet is not submitted,
    in the rounds still open (a closed round's sheets no longer change: nobody is reminded of them)."""
    return db.session.execute(
        select(Assignment.judge_id, Assignment)
        .join(JudgingRound, JudgingRound.id == Assignment.round_id)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Assignment.cycle_id == cycle_id, Assignment.status == AssignmentStatus.ACTIVE,
               JudgingRound.closed_at.is_(None),
               (ScoreSheet.id.is_(None)) | (ScoreSheet.status != SheetStatus.SUBMITTED))
        .order_by(Assignment.id)
    ).all()


def _judging_deadline(cycle: Cycle) -> datetime:
    """The deadline judges work to now: the current round's (the cycle's, in a cycle of one round)."""
    return get_round(cycle).deadline


def judging_reminders(now: datetime) -> int:
    """Judges with unfinished sheets before the judging deadline."""
    written = 0
    for cycle in _cycles(Phase.JUDGING):
        deadline = _judging_deadline(cycle)
        day = due_offset(deadline, _offsets(cycle.judging_reminder_days), now)
        if day is None:
            continue
        counts: dict[int, int] = {}
        for judge_id, _assignment in _unfinished(cycle.id):
            counts[judge_id] = counts.get(judge_id, 0) + 1
        judges = db.session.scalars(select(User).where(User.id.in_(list(counts)))).all() if counts else []
        for judge in _reminded(judges):
            key = f"judging_reminder:{cycle.id}:{judge.id}:{day}"
            written += _write("judging_reminder", judge, key, cycle, now, deadline,
                              count=counts[judge.id], subject_values={"count": counts[judge.id]},
                              link=external_url("judging.show_queue", cycle=cycle.id))
    return written


@dataclass
class _Digest:
    last_id: int = 0
    last_at: datetime | None = None


def assignment_digests(now: datetime) -> int:
    """Each judge's new assignments in one message: the first when judging has opened and they
    have any, then what was added since, at most once an hour (ASSIGNMENT_DIGEST_INTERVAL).
    Transactional: it goes whatever the judge's reminder setting."""
    written = 0
    for cycle in _cycles(Phase.JUDGING):
        unfinished = _unfinished(cycle.id)
        if not unfinished:
            continue
        previous: dict[int, _Digest] = {}
        for recipient_id, key, created_at in db.session.execute(
            select(Notification.recipient_id, Notification.idempotency_key, Notification.created_at)
            .where(Notification.kind == "assignments", Notification.cycle_id == cycle.id)
        ):
            digest = previous.setdefault(recipient_id, _Digest())
            digest.last_id = max(digest.last_id, int(key.rsplit(":", 1)[1]))
            digest.last_at = max(filter(None, (digest.last_at, created_at)))
        by_judge: dict[int, list[Assignment]] = {}
        for judge_id, assignment in unfinished:
            by_judge.setdefault(judge_id, []).append(assignment)
        judges = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(list(by_judge))))}
        deadline = _judging_deadline(cycle)
        for judge_id, assignments in by_judge.items():
            digest = previous.get(judge_id, _Digest())
            if digest.last_at is not None and now - digest.last_at < ASSIGNMENT_DIGEST_INTERVAL:
                continue
            new = [a for a in assignments if a.id > digest.last_id]
            if not new:
                continue
            judge = judges[judge_id]
            titles = dict(db.session.execute(
                select(Nomination.id, Nomination.title).where(Nomination.id.in_([a.nomination_id for a in new]))
            ).all())
            items = [(clean(titles[a.nomination_id]), external_url("judging.score_nomination", assignment_id=a.id))
                     for a in new]
            key = f"assignments:{cycle.id}:{judge.id}:{max(a.id for a in new)}"
            written += _write("assignments", judge, key, cycle, now, deadline, items=items,
                              total=len(assignments), subject_values={"count": len(new)},
                              link=external_url("judging.show_queue", cycle=cycle.id))
    return written


# --- admins -------------------------------------------------------------------------------------


def admin_digests(now: datetime) -> int:
    """Once a day (UTC) while judging runs: each admin who has not switched it off gets the progress
    of each round still open (a closed round's sheets no longer change), with its own deadline."""
    written = 0
    cycles = _cycles(Phase.JUDGING)
    if not cycles:
        return 0
    admins = db.session.scalars(select(User).where(User.is_admin.is_(True), User.active.is_(True),
                                                   User.receive_digest.is_(True)).order_by(User.id)).all()
    for cycle in cycles:
        all_rounds = list_rounds(cycle)
        rounds = _round_progress(cycle, all_rounds)
        if not rounds:
            continue  # every round is closed: nothing is left to progress
        total, done = sum(r["total"] for r in rounds), sum(r["done"] for r in rounds)
        for admin in admins:
            key = f"admin_digest:{cycle.id}:{admin.id}:{now.date().isoformat()}"
            written += _write("admin_digest", admin, key, cycle, now, rounds[0]["deadline"], rounds=rounds,
                              several=len(all_rounds) > 1,
                              subject_values={"cycle": lazy_fiscal_year_label(cycle.fiscal_year), "done": done, "total": total},
                              link=external_url("judging.show_progress", cycle_id=cycle.id))
    return written


def _round_progress(cycle: Cycle, rounds: list[JudgingRound]) -> list[dict]:
    """Each open round of the cycle's `rounds`, in order: its title and deadline, its active
    assignments and submitted sheets, its judges and how many of them still have sheets to finish."""
    open_rounds = [r for r in rounds if not r.is_closed]
    counts = {round_id: (total, done, judges) for round_id, total, done, judges in db.session.execute(
        select(Assignment.round_id, func.count(Assignment.id), func.count(ScoreSheet.id),
               func.count(func.distinct(Assignment.judge_id)))
        .outerjoin(ScoreSheet, and_(ScoreSheet.assignment_id == Assignment.id,
                                    ScoreSheet.status == SheetStatus.SUBMITTED))
        .where(Assignment.cycle_id == cycle.id, Assignment.status == AssignmentStatus.ACTIVE)
        .group_by(Assignment.round_id)
    )}
    waiting: dict[int, set[int]] = {}
    for judge_id, assignment in _unfinished(cycle.id):
        waiting.setdefault(assignment.round_id, set()).add(judge_id)
    rows = []
    for judging_round in open_rounds:
        total, done, judges = counts.get(judging_round.id, (0, 0, 0))
        rows.append({"title": judging_round.title, "deadline": judging_round.deadline, "total": total, "done": done,
                     "judges": judges, "judges_waiting": len(waiting.get(judging_round.id, ()))})
    return rows


# --- the admin's "remind" button ----------------------------------------------------------------

REMIND_INTERVAL = timedelta(hours=1)


class ReminderRefused(DomainError):
    """Why the reminder was not sent; shown to the admin."""


def remind_judge(actor, cycle: Cycle, judge: User, *, now: datetime | None = None) -> int:
    """A reminder to one judge now (the progress page's button), through the outbox like the
    scheduled ones; at most one an hour per judge, and only while they have sheets to finish."""
    now = now or utcnow()
    deadline = _judging_deadline(cycle)
    if cycle.phase != Phase.JUDGING or now >= deadline:
        raise ReminderRefused(_l("Judging is not open in this cycle."))
    count = sum(1 for judge_id, _a in _unfinished(cycle.id) if judge_id == judge.id)
    if not count:
        raise ReminderRefused(_l("%(name)s has no sheets left to finish.", name=judge.name))
    if not judge.receive_reminders or not judge.active:
        raise ReminderRefused(_l("%(name)s has switched reminders off.", name=judge.name))
    latest = db.session.scalar(
        select(func.max(Notification.created_at))
        .where(Notification.recipient_id == judge.id, Notification.kind == "judging_reminder")
    )
    if latest is not None and now - latest < REMIND_INTERVAL:
        raise ReminderRefused(_l("%(name)s was reminded less than an hour ago.", name=judge.name))
    # One key per judge and hour: two clicks at once write one message.
    key = f"judging_reminder:{cycle.id}:{judge.id}:manual:{now.strftime('%Y-%m-%dT%H')}"
    written = _write("judging_reminder", judge, key, cycle, now, deadline, count=count,
                     subject_values={"count": count}, link=external_url("judging.show_queue", cycle=cycle.id))
    if not written:
        raise ReminderRefused(_l("%(name)s was reminded less than an hour ago.", name=judge.name))
    events.announce(events.judge_reminded, actor, judge, cycle_id=cycle.id)
    return written
