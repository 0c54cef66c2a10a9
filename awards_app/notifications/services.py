"""Which domain events become which messages, to whom.

Each receiver runs inside the service's transaction (awards_app.core.events), reads what its
message needs and writes it to the outbox (`outbox.queue_message`); the job queue sends it after
the commit. Every message kind is listed in KINDS, with its subject.
"""
from __future__ import annotations

from contextlib import contextmanager

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from awards_app.accounts.models import User
from awards_app.awards.queries import list_final_awards
from awards_app.certificates.models import Certificate
from awards_app.core import events
from awards_app.core.enums import AssignmentStatus, NominationStatus, SheetStatus
from awards_app.core.models import utcnow
from awards_app.core.urls import external_url
from awards_app.cycles.fiscal import lazy_fiscal_year_label
from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from awards_app.judging.models import Assignment, DiscussionMessage, JudgingRound, ScoreSheet
from awards_app.nominations.models import Nomination
from awards_app.notifications.outbox import TOKEN_MARK, clean, queue_message
from awards_app.sites.models import Site, user_sites

# kind → subject (lazy, its placeholders filled from the message's values). The templates are
# templates/emails/<kind>.txt and .html.
KINDS = {
    "invitation": _l("Your MDD Awards account"),
    "password_changed": _l("Your MDD Awards password was changed"),
    "password_reset": _l("Set a new MDD Awards password"),
    "nomination_submitted": _l("Nomination received: %(title)s"),
    "nomination_withdrawn": _l("Nomination withdrawn: %(title)s"),
    "nomination_ineligible": _l("Nomination not eligible: %(title)s"),
    "nomination_restored": _l("Nomination eligible again: %(title)s"),
    "sheet_reopened": _l("A score sheet was reopened: %(title)s"),
    "discussion_posted": _l("A new message in the panel's discussion: %(title)s"),
    "results_published": _l("The %(cycle)s results are published"),
    "certificate_issued": _l("Your certificate is ready: %(award)s"),
    "shortlisted": _l("Shortlisted: %(title)s"),
}


def _queue(kind: str, recipient: User, key: str, *, values: dict | None = None, **kwargs) -> int | None:
    return queue_message(kind, recipient, key, subject=_LazySubject(kind, values or {}), template=kind, **kwargs)


class _LazySubject:
    """The subject, translated when str() is called (inside the recipient's locale)."""

    def __init__(self, kind: str, values: dict):
        self.kind, self.values = kind, values

    def __str__(self) -> str:
        return str(KINDS[self.kind]) % self.values if self.values else str(KINDS[self.kind])


def _site_submitters(site_id: int) -> list[User]:
    return list(db.session.scalars(
        select(User).join(user_sites, user_sites.c.user_id == User.id)
        .where(user_sites.c.site_id == site_id, User.is_submitter.is_(True)).order_by(User.id)
    ))


def _nomination_link(nomination_id: int) -> str:
    return external_url("nominations.view_nomination", nomination_id=nomination_id)


# --- everyone -----------------------------------------------------------------------------------


def _on_invited(actor, *, object_id: int, expires_in_days: int = 7, _link_nonce: str = "", **_details) -> None:
    if not _link_nonce:
        return
    user = db.session.get(User, object_id)
    # The link's token is the last path segment; the sender puts it where TOKEN_MARK is.
    link = external_url("accounts.accept_invitation", token="x")[:-1] + TOKEN_MARK
    _queue("invitation", user, f"invitation:{user.id}:{_link_nonce}", secret=f"invitation:{_link_nonce}",
           name=clean(user.name), link=link, days=expires_in_days)


def _on_password_reset_requested(actor, *, object_id: int, _link_nonce: str = "", **_details) -> None:
    if not _link_nonce:
        return
    user = db.session.get(User, object_id)
    link = external_url("accounts.reset_password", token="x")[:-1] + TOKEN_MARK
    _queue("password_reset", user, f"password_reset:{user.id}:{_link_nonce}", secret=f"password-reset:{_link_nonce}",
           name=clean(user.name), link=link)


def _on_password_changed(actor, *, object_id: int, **_details) -> None:
    user = db.session.get(User, object_id)
    now = utcnow()
    _queue("password_changed", user, f"password_changed:{user.id}:{now.isoformat()}", name=clean(user.name),
           when=now, link=external_url("accounts.edit_profile"))


# --- site submitters ----------------------------------------------------------------------------


def _nomination_message(kind: str, nomination_id: int, *, reason: str = "") -> None:
    nomination = db.session.get(Nomination, nomination_id)
    site = db.session.get(Site, nomination.site_id)
    cycle = db.session.get(Cycle, nomination.cycle_id)
    now = utcnow()
    title = clean(nomination.title)
    for user in _site_submitters(site.id):
        _queue(kind, user, f"{kind}:{nomination.id}:{user.id}:{now.isoformat()}", values={"title": title},
               cycle_id=cycle.id, name=clean(user.name), title=title, cycle=lazy_fiscal_year_label(cycle.fiscal_year),
               site_en=clean(site.name_en), site_ja=clean(site.name_ja), summary=clean(nomination.summary),
               reason=clean(reason), when=now, link=_nomination_link(nomination.id))


def _on_submitted(actor, *, object_id: int, **_details) -> None:
    _nomination_message("nomination_submitted", object_id)


def _on_withdrawn(actor, *, object_id: int, reason: str = "", **_details) -> None:
    _nomination_message("nomination_withdrawn", object_id, reason=reason)


def _on_ineligible(actor, *, object_id: int, reason: str = "", **_details) -> None:
    _nomination_message("nomination_ineligible", object_id, reason=reason)


def _on_restored(actor, *, object_id: int, **_details) -> None:
    _nomination_message("nomination_restored", object_id)


def _on_finalised(actor, *, object_id: int, **_details) -> None:
    _results_published(object_id)


def _results_published(cycle_id: int) -> None:
    """Each site with a nomination in the cycle: the results are out, its outcome, a link."""
    cycle = db.session.get(Cycle, cycle_id)
    nominations = list(db.session.scalars(
        select(Nomination).where(Nomination.cycle_id == cycle_id).order_by(Nomination.id)
    ))
    won = list_final_awards([n.id for n in nominations]) if nominations else {}
    for nomination in nominations:
        if nomination.status not in (NominationStatus.SUBMITTED, NominationStatus.INELIGIBLE):
            continue
        award = won.get(nomination.id)
        title = clean(nomination.title)
        for user in _site_submitters(nomination.site_id):
            _queue("results_published", user, f"results_published:{cycle.id}:{nomination.id}:{user.id}",
                   values={"cycle": lazy_fiscal_year_label(cycle.fiscal_year)}, cycle_id=cycle.id, name=clean(user.name), title=title,
                   cycle=lazy_fiscal_year_label(cycle.fiscal_year), award_en=award.name_en if award else "", award_ja=award.name_ja if award else "",
                   link=_nomination_link(nomination.id))


def _on_certificate_issued(actor, *, object_id: int, **_details) -> None:
    certificate = db.session.get(Certificate, object_id)
    nomination_id = certificate.decision.nomination_id
    nomination = db.session.get(Nomination, nomination_id)
    for user in _site_submitters(nomination.site_id):
        award = localized_pair(certificate.award_name_en, certificate.award_name_ja, user.locale)
        _queue("certificate_issued", user, f"certificate_issued:{certificate.id}:{user.id}",
               values={"award": clean(award)}, cycle_id=certificate.cycle_id, name=clean(user.name),
               award=clean(award), title=clean(certificate.title), serial=certificate.serial,
               link=_nomination_link(nomination.id),
               verify_link=external_url("certificates.verify_certificate", code=certificate.code))


def _shortlisted(judging_round_id: int, nomination_ids) -> None:
    """Each site's submitters: their nomination is on the shortlist published (once per round)."""
    judging_round = db.session.get(JudgingRound, judging_round_id)
    if judging_round is None or not judging_round.shortlist_published or not nomination_ids:
        return
    cycle = db.session.get(Cycle, judging_round.cycle_id)
    for nomination in db.session.scalars(
        select(Nomination).where(Nomination.id.in_(list(nomination_ids)),
                                 Nomination.status == NominationStatus.SUBMITTED).order_by(Nomination.id)
    ):
        title = clean(nomination.title)
        for user in _site_submitters(nomination.site_id):
            _queue("shortlisted", user, f"shortlisted:{judging_round.id}:{nomination.id}:{user.id}",
                   values={"title": title}, cycle_id=cycle.id, name=clean(user.name), title=title,
                   cycle=lazy_fiscal_year_label(cycle.fiscal_year), round_name=clean(judging_round.name),
                   link=_nomination_link(nomination.id))


def _on_shortlist_published(actor, *, object_id: int, nominations=(), **_details) -> None:
    _shortlisted(object_id, nominations)


def _on_shortlist_entry_added(actor, *, object_id: int, nomination_id: int, **_details) -> None:
    _shortlisted(object_id, [nomination_id])  # told only while the shortlist is published


def localized_pair(en: str, ja: str, locale: str) -> str:
    return (ja or en) if locale == "ja" else (en or ja)


# --- judges -------------------------------------------------------------------------------------


def _on_sheet_reopened(actor, *, object_id: int, reason: str = "", **_details) -> None:
    sheet = db.session.get(ScoreSheet, object_id)
    judge = db.session.get(User, sheet.assignment.judge_id)
    nomination = db.session.get(Nomination, sheet.assignment.nomination_id)
    now = utcnow()
    title = clean(nomination.title)
    _queue("sheet_reopened", judge, f"sheet_reopened:{sheet.id}:{now.isoformat()}", values={"title": title},
           cycle_id=nomination.cycle_id, name=clean(judge.name), title=title, reason=clean(reason),
           link=external_url("judging.score_nomination", assignment_id=sheet.assignment_id))


def _on_discussion_posted(actor, *, object_id: int, **_details) -> None:
    """The other judges of the nomination's panel who can read the discussion (their own sheet
    submitted with scores) hear of a new message; the author is not named (a round may hide the
    judges' names) and the message is read on the scoring page."""
    message = db.session.get(DiscussionMessage, object_id)
    nomination = db.session.get(Nomination, message.nomination_id)
    title = clean(nomination.title)
    readers = db.session.execute(
        select(User, Assignment.id).join(Assignment, Assignment.judge_id == User.id)
        .join(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Assignment.round_id == message.round_id, Assignment.nomination_id == message.nomination_id,
               Assignment.status == AssignmentStatus.ACTIVE, ScoreSheet.status == SheetStatus.SUBMITTED,
               ScoreSheet.abstained.is_(False), User.id != message.author_id, User.active.is_(True))
        .order_by(User.id)
    ).all()
    for judge, assignment_id in readers:
        _queue("discussion_posted", judge, f"discussion_posted:{message.id}:{judge.id}", values={"title": title},
               cycle_id=nomination.cycle_id, name=clean(judge.name), title=title,
               link=external_url("judging.score_nomination", assignment_id=assignment_id, _anchor="discussion"))


_RECEIVERS = [
    (events.user_invited, _on_invited),
    (events.user_password_changed, _on_password_changed),
    (events.user_password_reset_requested, _on_password_reset_requested),
    (events.nomination_submitted, _on_submitted),
    (events.nomination_withdrawn, _on_withdrawn),
    (events.nomination_marked_ineligible, _on_ineligible),
    (events.nomination_restored, _on_restored),
    (events.results_finalised, _on_finalised),
    (events.certificate_issued, _on_certificate_issued),
    (events.sheet_reopened, _on_sheet_reopened),
    (events.shortlist_published, _on_shortlist_published),
    (events.shortlist_entry_added, _on_shortlist_entry_added),
    (events.discussion_posted, _on_discussion_posted),
]


_silenced = False


@contextmanager
def silenced():
    """No messages for the events inside (the demo's made-up history: nobody is to be mailed
    receipts for FY2011). The audit log still records them."""
    global _silenced
    previous, _silenced = _silenced, True
    try:
        yield
    finally:
        _silenced = previous


def _about_an_object(receiver):
    """An event about no object (a system-wide one) has no recipients."""

    def receive(actor, *, object_id: int | None = None, **details) -> None:
        if object_id is not None and not _silenced:
            receiver(actor, object_id=object_id, **details)

    return receive


# Built once: blinker keeps receivers by identity, so subscribing again (one app per test) is a no-op.
_CONNECTED = [(signal, _about_an_object(receiver)) for signal, receiver in _RECEIVERS]


def subscribe() -> None:
    """Write the messages the domain events call for (called by create_app)."""
    from awards_app.notifications import tasks  # noqa: F401 — the queue's tasks, for the consumer

    for signal, receiver in _CONNECTED:
        signal.connect(receiver, weak=False)

