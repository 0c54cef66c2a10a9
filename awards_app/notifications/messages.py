"""Messages an admin writes to a group (through the outbox, like every other message)."""
from __future__ import annotations

from flask_babel import get_locale
from sqlalchemy import select

from awards_app.accounts.models import User
from awards_app.awards.models import AwardDecision
from awards_app.core import events, tokens
from awards_app.core.enums import NominationStatus
from awards_app.core.urls import external_url
from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from awards_app.nominations.models import Nomination
from awards_app.notifications.outbox import clean, queue_message
from awards_app.notifications.reminders import _unfinished
from awards_app.sites.models import Site, user_sites


def _submitters_of(site_ids) -> list[User]:
    if not site_ids:
        return []
    return list(db.session.scalars(
        select(User).join(user_sites, user_sites.c.user_id == User.id)
        .where(user_sites.c.site_id.in_(list(site_ids)), User.is_submitter.is_(True)).distinct().order_by(User.name)
    ))


def list_recipients(cycle: Cycle, group: str) -> list[User]:
    """The people of `group` in `cycle`, active ones only, by name."""
    if group == "judges_unfinished":
        judge_ids = {judge_id for judge_id, _a in _unfinished(cycle.id)}
        users = list(db.session.scalars(select(User).where(User.id.in_(judge_ids)).order_by(User.name))) if judge_ids else []
    elif group == "submitters_without_submission":
        submitted = set(db.session.scalars(select(Nomination.site_id).where(
            Nomination.cycle_id == cycle.id, Nomination.status == NominationStatus.SUBMITTED)))
        sites = set(db.session.scalars(select(Site.id).where(Site.active.is_(True)))) - submitted
        users = _submitters_of(sites)
    elif group == "winners":
        sites = set(db.session.scalars(select(Nomination.site_id).join(
            AwardDecision, AwardDecision.nomination_id == Nomination.id).where(AwardDecision.cycle_id == cycle.id)))
        users = _submitters_of(sites)
    elif group == "all_judges":
        users = list(db.session.scalars(select(User).where(User.is_judge.is_(True)).order_by(User.name)))
    else:
        raise ValueError(group)
    return [user for user in users if user.active]


class _BySubjectLanguage:
    """The subject in the language the recipient's message is rendered in."""

    def __init__(self, en: str, ja: str):
        self.en, self.ja = en, ja

    def __str__(self) -> str:
        return self.ja if str(get_locale()) == "ja" else self.en


def send_admin_message(actor, cycle: Cycle, group: str, *, subject_en: str, subject_ja: str, body_en: str,
                       body_ja: str) -> int:
    """Write the message to every recipient of `group` (each in their language); → how many."""
    batch = tokens.new_nonce()
    recipients = list_recipients(cycle, group)
    for user in recipients:
        queue_message("admin_message", user, f"admin_message:{batch}:{user.id}",
                      subject=_BySubjectLanguage(clean(subject_en), clean(subject_ja)), template="admin_message",
                      cycle_id=cycle.id, name=clean(user.name), body_en=clean(body_en), body_ja=clean(body_ja),
                      link=external_url("main.index"))
    events.announce(events.admin_message_sent, actor, cycle, group=group, recipients=len(recipients),
                    subject_en=subject_en[:150])
    return len(recipients)
