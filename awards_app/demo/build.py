"""Builds the demo from `data.py` by calling the services an admin, a site's submitter and a judge
call through the pages: sites and accounts, three finalised past cycles (FY2011–FY2013) with their
nominations, judging, Grand Awards and certificates, and the current cycle open for nominations.

Every change goes through a service, so the demo holds only states the rules allow and its audit
log tells its history. Each action is taken at the moment it happened (the services' `now=`),
in the order it happened, so that deadlines hold. Idempotent: sites and people are added by code
and e-mail, a cycle only when its fiscal year has none.
"""
from __future__ import annotations

import io
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import NamedTuple

from flask import current_app
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import selectinload

from awards_app.accounts import services as accounts
from awards_app.activities import services as activities
from awards_app.accounts.models import User
from awards_app.audit.models import AuditEvent
from awards_app.awards import services as awards
from awards_app.awards.queries import list_decisions
from awards_app.certificates import services as certificates
from awards_app.core.enums import Deliberation, Language, Phase, Region, Theme
from awards_app.core.models import utcnow
from awards_app.cycles import services as cycles
from awards_app.cycles.fiscal import calendar_year, fiscal_year_bounds, fiscal_year_of
from awards_app.cycles.models import Cycle
from awards_app.cycles.queries import get_cycle_by_fiscal_year
from awards_app.demo.photos import activity_photo
from awards_app.demo.data import (
    ACTIVITIES,
    ACTIVITIES_PER_YEAR,
    CURRENT_ACTIVITIES,
    EVERYDAY_ACTIVITIES,
    FINAL_PANEL,
    FINAL_ROUND_DAYS,
    FINAL_ROUND_DELIBERATION,
    FINAL_ROUND_JUDGES_PER_NOMINATION,
    FIRST_ROUND_DAYS,
    NOMINATED_SCALE,
    REPORTING_SITES,
    CURRENT_SIGNATORY,
    DEMO_PASSWORD,
    HISTORY,
    JUDGE_COMMENTS,
    NOMINATIONS,
    PANELS,
    PEOPLE,
    SITES,
    WINNER_COMMENTS,
    Activity,
    PastCycle,
)
from awards_app.extensions import db
from awards_app.judging import services as judging
from awards_app.judging.models import Assignment, ScoreSheet
from awards_app.nominations import services as nominations
from awards_app.nominations import storage
from awards_app.nominations.models import Nomination
from awards_app.notifications import services as notifications
from awards_app.sites import services as sites_services
from awards_app.sites.models import Site
from awards_app.winners import services as winners

# 17:00 in Tokyo (08:00 UTC), when the programme office sets its deadlines and does its work.
OFFICE_HOUR = time(8, 0)

# What a site fills in when it starts a nomination; the rest it adds before submitting.
FIRST_FIELDS = ("language", "title", "title_other", "theme", "biodiversity", "summary", "partners")

ADMIN_EMAIL = "admin@example.com"


def _at(day: date) -> datetime:
    return datetime.combine(day, OFFICE_HOUR, timezone.utc)


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split `total` into whole parts proportional to `weights` that add up to exactly `total`
    (largest remainder method: round down, then give the units left to the largest remainders)."""
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (exact[i] - parts[i], -i), reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


# --- the clock of the history ----------------------------------------------------------------------


class _AuditClock:
    """Dates the audit events written during a step of the demo to the moment the step happened.

    The audit log stamps an event with the time it is written, and the demo writes years of
    history in one go: without this the log would say that FY2011 was judged today. While the
    clock is set, every audit event added to the session gets its moment instead.
    """

    def __init__(self) -> None:
        self.moment: datetime | None = None

    def _on_attach(self, _session, instance) -> None:
        if isinstance(instance, AuditEvent) and self.moment is not None:
            instance.created_at = self.moment

    @contextmanager
    def running(self) -> Iterator[_AuditClock]:
        session = db.session()
        event.listen(session, "after_attach", self._on_attach)
        try:
            yield self
        finally:
            event.remove(session, "after_attach", self._on_attach)
            self.moment = None


class _Schedule:
    """Steps to take at given moments, taken in the order of those moments (steps at the same
    moment in the order they were planned), each one's audit events dated to its moment."""

    def __init__(self, clock: _AuditClock) -> None:
        self.clock = clock
        self.steps: list[tuple[datetime, int, Callable[[datetime], object]]] = []

    def at(self, when: datetime, step: Callable[[datetime], object]) -> None:
        self.steps.append((when, len(self.steps), step))

    def run(self) -> None:
        steps, self.steps = sorted(self.steps, key=lambda s: s[:2]), []
        for when, _order, step in steps:
            self.clock.moment = when
            step(when)
        self.clock.moment = None


# --- sites and people ----------------------------------------------------------------------------


def _people() -> dict[str, User]:
    return {user.email: user for user in db.session.scalars(select(User).options(selectinload(User.sites)))}


def _add_sites_and_people(schedule: _Schedule, when: datetime) -> int:
    """The admin (created by the operator, as `flask create-user` does), then the sites and the
    other accounts, created by the admin. Returns the number of accounts added."""
    people = _people()
    created = 0

    def add_user(actor, email, name, locale, roles, codes) -> User:
        nonlocal created
        site_ids = list(db.session.scalars(select(Site.id).where(Site.code.in_(codes)))) if codes else []
        user = accounts.create_user(actor, email=email, name=name, roles=list(roles), site_ids=site_ids,
                                    locale=locale, password=DEMO_PASSWORD)
        created += 1
        return user

    def setup(_now: datetime) -> None:
        admin = people.get(ADMIN_EMAIL)
        if admin is None:
            _email, name, locale, roles, codes = next(p for p in PEOPLE if p[0] == ADMIN_EMAIL)
            admin = add_user(None, ADMIN_EMAIL, name, locale, roles, codes)
        existing = set(db.session.scalars(select(Site.code)))
        for code, name_en, name_ja, country in [s[:4] for s in SITES] + [s[:4] for s in REPORTING_SITES]:
            if code not in existing:
                sites_services.create_site(admin, {"code": code, "name_en": name_en, "name_ja": name_ja,
                                                   "country": country, "active": True})
        others = [p for p in PEOPLE if p[0] != ADMIN_EMAIL] + [
            (f"submitter.{login}@example.com", coordinator, "ja" if country == "JP" else "en", ("submitter",), (code,))
            for code, _name_en, _name_ja, country, login, coordinator in SITES
        ]
        for email, name, locale, roles, codes in others:
            if email not in people:
                add_user(admin, email, name, locale, roles, codes)

    schedule.at(when, setup)
    schedule.run()
    return created


# --- nominations -----------------------------------------------------------------------------------


class _Entry(NamedTuple):
    """What a site enters for a nomination, in the shape the nomination services take."""

    first: dict  # what it fills in when it starts the nomination
    rest: dict  # what it adds later, before submitting


def _entry(cycle: Cycle, *, language: str, title: str, title_other: str, theme: str, biodiversity: bool,
           summary: str, description: str, start: date | None, end: date | None, participants: int | None,
           hours: Decimal | str | None, partners: str, outcomes: str, statements: tuple[str, ...]) -> _Entry:
    values = {
        "language": Language(language), "title": title, "title_other": title_other,
        "theme": Theme(theme) if theme else None, "biodiversity": biodiversity, "summary": summary,
        "description": description, "start_date": start, "end_date": end, "participants": participants,
        "volunteer_hours": Decimal(hours) if hours is not None else None, "partners": partners,
        "outcomes": outcomes,
        "statements": {c.id: text for c, text in zip(cycle.criteria, statements, strict=True)},
    }
    return _Entry({k: v for k, v in values.items() if k in FIRST_FIELDS},
                  {k: v for k, v in values.items() if k not in FIRST_FIELDS})


def _attach_photos(schedule: _Schedule, work: _Nominating, key: str, theme: str, when: datetime) -> None:
    """The site adds two photos of the activity to its nomination at `when` (before the deadline)."""
    def step(now):
        for variant in (1, 2):
            checked = storage.check_upload(io.BytesIO(activity_photo(key, theme, variant)),
                                           current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024)
            nominations.add_attachment(work.submitter, work.nomination, checked, f"{key}-{variant}.jpg",
                                       folder=current_app.config["UPLOAD_FOLDER"],
                                       max_attachments=current_app.config["MAX_ATTACHMENTS"], now=now)
    schedule.at(when, step)


class _Nominating:
    """A site's submitter working on one nomination: starts it, completes it (and submits it,
    unless it stays a draft), perhaps withdraws it. `nomination` exists once started."""

    def __init__(self, schedule: _Schedule, submitter: User, cycle: Cycle, site: Site, entry: _Entry,
                 activity: dict | None = None) -> None:
        self.schedule, self.submitter, self.cycle, self.site, self.entry = schedule, submitter, cycle, site, entry
        self.activity_values = activity  # the activity the site records first, then nominates
        self.activity = None
        self.nomination: Nomination | None = None
        self.last_change: datetime | None = None

    def start(self, when: datetime) -> _Nominating:
        def record(now):
            self.activity = activities.create_activity(self.submitter, self.site, self.cycle.fiscal_year,
                                                       self.activity_values, now=now)

        def step(now):
            self.nomination = nominations.create_nomination(
                self.submitter, self.cycle, self.site, self.entry.first, now=now,
                activity=self.activity if self.activity_values else None)
            self.last_change = now
        if self.activity_values:
            self.schedule.at(when - timedelta(days=1), record)
        self.schedule.at(when, step)
        return self

    def complete(self, when: datetime, *, submit: bool) -> _Nominating:
        def step(now):
            nominations.update_nomination(self.submitter, self.nomination, self.entry.rest,
                                          expected_version=self.nomination.version, submit=submit, now=now)
            self.last_change = now
        self.schedule.at(when, step)
        return self

    def withdraw(self, when: datetime, reason: str) -> _Nominating:
        def step(now):
            nominations.withdraw_nomination(self.submitter, self.nomination, reason, now=now)
            self.last_change = now
        self.schedule.at(when, step)
        return self


def _submitter(people: dict[str, User], site_code: str) -> User:
    login = next(login for code, _en, _ja, _country, login, _coordinator in SITES if code == site_code)
    return people[f"submitter.{login}@example.com"]


def _create_cycle(admin: User, fiscal_year: int, nomination_deadline: datetime, judging_deadline: datetime,
                  signatory: tuple[str, str, str, str]) -> Cycle:
    """A cycle in setup with the programme's default criteria and award categories, and who signs
    its certificates (set up front, as the cycle's settings page allows)."""
    cycle = cycles.create_cycle(admin, fiscal_year=fiscal_year, nomination_deadline=nomination_deadline,
                                judging_deadline=judging_deadline)
    name_en, name_ja, title_en, title_ja = signatory
    cycles.update_cycle(admin, cycle, results={
        "signatory_name_en": name_en, "signatory_name_ja": name_ja,
        "signatory_title_en": title_en, "signatory_title_ja": title_ja,
    })
    return cycle


def _set_panels(admin: User, cycle: Cycle, people: dict[str, User]) -> None:
    for region, emails in PANELS.items():
        judging.set_panel(admin, cycle, region, [people[email].id for email in emails])


# --- history: three finalised past cycles ------------------------------------------------------------


class _Timeline(NamedTuple):
    """When things happened in a past cycle (17:00 in Tokyo each time)."""

    created: datetime
    opened: datetime
    nomination_deadline: datetime
    judging_started: datetime
    assigned: datetime
    judging_deadline: datetime
    decided: datetime
    finalised: datetime
    issued: datetime

    @classmethod
    def of(cls, fiscal_year: int) -> _Timeline:
        start, _end = fiscal_year_bounds(fiscal_year)
        return cls(
            created=_at(start - timedelta(days=7)), opened=_at(start),
            nomination_deadline=_at(date(fiscal_year, 1, 31)), judging_started=_at(date(fiscal_year, 2, 1)),
            assigned=_at(date(fiscal_year, 2, 2)), judging_deadline=_at(date(fiscal_year, 2, 28)),
            decided=_at(date(fiscal_year, 3, 8)), finalised=_at(date(fiscal_year, 3, 12)),
            issued=_at(date(fiscal_year, 3, 19)),
        )


def _spreadsheets_day(fiscal_year: int) -> date:
    """When the programme office imports a past year's activity lists (after the certificates,
    before the next cycle is created)."""
    return date(fiscal_year, 3, 21)


def _nominated_figures(plan: PastCycle) -> dict[str, tuple[int, Decimal]]:
    """Participants and volunteer hours of each nominated activity: realistic figures (a share of
    the rough participants of data.py), hours in half-hour units."""
    weights = dict(plan.submitted)
    figures = {}
    keys = [key for key, _weight in plan.submitted] + [key for key, _status, _reason in plan.not_counted]
    for index, key in enumerate(keys):
        participants = max(20, round(weights[key] * NOMINATED_SCALE)) if key in weights else max(20, 40 * (index % 7))
        halves = max(2, round(participants * ACTIVITIES[key].hours_ratio * 1.6))
        figures[key] = (participants, Decimal(halves) / 2)
    return figures


def _everyday_activities(plan: PastCycle, nominated: dict[str, tuple[int, Decimal]]) -> list[dict]:
    """The year's other activities, one a row of the sites' spreadsheets, so that the whole year
    adds up to the published participants and hours exactly (and to the published biodiversity
    participants where there is a figure). Seeded by the fiscal year: the same demo every time."""
    rng = random.Random(plan.fiscal_year)
    first, _last = fiscal_year_bounds(plan.fiscal_year)
    # The sites send their lists in by the year-end close (SPREADSHEETS_DAY), before the next cycle
    # starts: the demo's audit log then reads in the order things happened.
    days_in_year = (_spreadsheets_day(plan.fiscal_year) - timedelta(days=1) - first).days + 1
    japan = [code for code, *_rest in SITES if _rest[2] == "JP"]
    overseas = [code for code, *_rest in SITES if _rest[2] != "JP"] + [
        code for code, _en, _ja, _country, since in REPORTING_SITES if since <= plan.fiscal_year]
    # Every site takes part; Japan's many plants and branches report most of the activities.
    sites = japan + overseas + rng.choices(japan + overseas, weights=[4] * len(japan) + [1] * len(overseas),
                                           k=ACTIVITIES_PER_YEAR - len(japan) - len(overseas))
    rows = []
    for index, code in enumerate(sites):
        theme, biodiversity, title_ja, title_en, days = rng.choice(EVERYDAY_ACTIVITIES)
        start = first + timedelta(days=rng.randrange(days_in_year - days + 1))
        in_japan = code in japan
        rows.append({"site": code, "reference": f"{code}-{plan.fiscal_year % 100:02d}{index:03d}",
                     "title": title_ja if in_japan else title_en, "title_other": title_en if in_japan else title_ja,
                     "theme": Theme(theme), "biodiversity": biodiversity, "start_date": start,
                     "end_date": start + timedelta(days=days - 1), "partners": "", "description": "",
                     "weight": rng.lognormvariate(0, 0.8) * (3 if in_japan else 1)})
    participants = plan.participants - sum(p for p, _h in nominated.values())
    groups = [rows]
    if plan.biodiversity_participants is not None:
        in_nature = sum(nominated[key][0] for key in nominated if ACTIVITIES[key].biodiversity)
        groups = [[r for r in rows if r["biodiversity"]], [r for r in rows if not r["biodiversity"]]]
        totals = [plan.biodiversity_participants - in_nature, participants - plan.biodiversity_participants + in_nature]
    else:
        totals = [participants]
    for group, total in zip(groups, totals, strict=True):
        for row, share in zip(group, allocate(total - len(group), [r["weight"] for r in group]), strict=True):
            row["participants"] = share + 1
    halves_left = plan.hours * 2 - sum(int(h * 2) for _p, h in nominated.values())
    spread = allocate(halves_left - len(rows), [r["participants"] * rng.uniform(0.5, 1.5) for r in rows])
    for row, halves in zip(rows, spread, strict=True):
        row["volunteer_hours"] = Decimal(halves + 1) / 2
        del row["weight"]
    return rows


def _activity_period(activity: Activity, fiscal_year: int, index: int) -> tuple[date, date]:
    """A year-round programme runs April to mid-January (before the nomination deadline);
    a one-off activity takes a day or a few in its month, or the days its text says it took."""
    start, _end = fiscal_year_bounds(fiscal_year)
    if activity.month is None:
        return start, date(fiscal_year, 1, 15)
    first = date(calendar_year(fiscal_year, activity.month), activity.month, 3 + (index * 5) % 20)
    if activity.days is not None:
        return first, min(first + timedelta(days=activity.days - 1), date(fiscal_year, 1, 15))
    return first, first + timedelta(days=index % 3)


class _Planned(NamedTuple):
    status: str  # where the nomination ends: submitted, draft, withdrawn or ineligible
    reason: str
    work: _Nominating


def _past_nominations(schedule: _Schedule, cycle: Cycle, plan: PastCycle, when: _Timeline,
                      people: dict[str, User]) -> dict[str, _Planned]:
    """Plan the sites' work on the cycle's nominations, by activity.
    The submitted ones carry the published figures; the others (a draft left at the deadline, a
    withdrawn, an ineligible one) carry figures too, which the statistics must leave out."""
    figures = _nominated_figures(plan)
    sites = {site.code: site for site in db.session.scalars(select(Site))}
    rows = [(key, "submitted", "") for key, _weight in plan.submitted] + list(plan.not_counted)
    planned = {}
    for index, (key, status, reason) in enumerate(rows):
        activity = ACTIVITIES[key]
        site = sites[activity.site]
        start, end = _activity_period(activity, plan.fiscal_year, index)
        participants, hours = figures[key]
        entry = _entry(
            cycle, language="ja" if site.region == Region.JAPAN else "en", title=activity.title,
            title_other=activity.title_other, theme=activity.theme, biodiversity=activity.biodiversity,
            summary=activity.summary, description=activity.description, start=start, end=end,
            participants=participants, hours=hours, partners=activity.partners, outcomes=activity.outcomes,
            statements=activity.statements,
        )
        completed = when.nomination_deadline - timedelta(days=1 + (index * 7) % 40, hours=index % 9)
        recorded = {"reference": f"NOM-{plan.fiscal_year}-{key}", "title": activity.title,
                    "title_other": activity.title_other, "theme": Theme(activity.theme),
                    "biodiversity": activity.biodiversity, "start_date": start, "end_date": end,
                    "participants": participants, "volunteer_hours": hours, "partners": activity.partners,
                    "description": activity.summary}
        work = _Nominating(schedule, _submitter(people, activity.site), cycle, site, entry, recorded)
        work.start(completed - timedelta(days=20)).complete(completed, submit=status != "draft")
        if status == "withdrawn":
            work.withdraw(completed + (when.nomination_deadline - completed) / 2, reason)
        planned[key] = _Planned(status, reason, work)
    return planned


def _plan_sheets(schedule: _Schedule, cycle: Cycle, plan: PastCycle, when: _Timeline,
                 planned: dict[str, _Planned], people_by_id: dict[int, User]) -> None:
    """Each judge scores each nomination assigned to them and submits the sheet before the judging
    deadline. The Grand Award winners lead their rankings: every judge scores them at least 5, 5, 4
    and every other nomination at most 4 on every criterion. Some comments."""
    rng = random.Random(f"mdd-demo-{plan.fiscal_year}")  # the same scores on every run
    winners = set(plan.winners.values())
    assignments = db.session.scalars(
        select(Assignment).where(Assignment.cycle_id == cycle.id)
        .options(selectinload(Assignment.sheet)).order_by(Assignment.nomination_id, Assignment.judge_id)
    ).all()
    by_nomination: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        by_nomination.setdefault(assignment.nomination_id, []).append(assignment)
    for key, _weight in plan.submitted:
        nomination = planned[key].work.nomination
        quality = rng.choice((2, 3, 3, 4, 4))
        for assignment in by_nomination[nomination.id]:
            judge = people_by_id[assignment.judge_id]
            submitted_at = when.judging_deadline - timedelta(days=rng.randint(2, 20), hours=rng.randint(0, 8))
            scores = {}
            for position, criterion in enumerate(cycle.criteria):
                if key in winners:
                    value = 5 if position < 2 or rng.random() < 0.6 else 4
                else:
                    value = min(4, max(1, quality + rng.choice((-1, 0, 0, 1))))
                comment = rng.choice(JUDGE_COMMENTS[judge.locale]) if rng.random() < 0.2 else ""
                scores[criterion.id] = (value, comment)
            if key in winners:
                overall = WINNER_COMMENTS[judge.locale]
            elif rng.random() < 0.5:
                overall = rng.choice(JUDGE_COMMENTS[judge.locale])
            else:
                overall = ""

            def step(now, judge=judge, assignment=assignment, scores=scores, overall=overall):
                judging.save_sheet(judge, assignment, expected_version=judging.sheet_version(assignment),
                                   scores=scores, overall_comment=overall, abstain=False, abstain_reason="",
                                   submit=True, now=now)
            schedule.at(submitted_at, step)


def _past_cycle(clock: _AuditClock, plan: PastCycle, people: dict[str, User]) -> Cycle:
    """One past cycle, from its creation to its certificates."""
    when = _Timeline.of(plan.fiscal_year)
    admin = people[ADMIN_EMAIL]
    schedule = _Schedule(clock)
    created: dict[str, Cycle] = {}

    def create(_now):
        created["cycle"] = _create_cycle(admin, plan.fiscal_year, when.nomination_deadline, when.judging_deadline,
                                         plan.signatory)
    schedule.at(when.created, create)
    schedule.at(when.opened, lambda now: cycles.change_phase(admin, created["cycle"], Phase.NOMINATIONS_OPEN, now=now))
    schedule.run()
    cycle = created["cycle"]

    planned = _past_nominations(schedule, cycle, plan, when, people)
    for key in plan.winners.values():  # the winners' sites sent photos with their nominations
        _attach_photos(schedule, planned[key].work, key, ACTIVITIES[key].theme,
                       when.nomination_deadline - timedelta(days=1))
    schedule.run()

    def start_judging(now):
        _set_panels(admin, cycle, people)
        cycles.change_phase(admin, cycle, Phase.JUDGING, now=now)
        for planned_one in planned.values():
            if planned_one.status == "ineligible":
                judging.mark_ineligible(admin, planned_one.work.nomination, planned_one.reason)
                planned_one.work.last_change = now
    schedule.at(when.judging_started, start_judging)
    schedule.at(when.assigned, lambda now: judging.assign_automatically(admin, cycle))
    schedule.run()

    _plan_sheets(schedule, cycle, plan, when, planned, {user.id: user for user in people.values()})
    schedule.run()

    def decide(now):
        for category in cycle.award_categories:
            winner = planned[plan.winners[category.key]].work.nomination
            awards.decide_award(admin, category, winner, seen_winner_id=None, now=now)
    schedule.at(when.decided, decide)
    schedule.at(when.finalised, lambda now: awards.finalise_cycle(admin, cycle, now=now))
    schedule.at(when.issued, lambda now: certificates.issue_certificates(admin, cycle, now=now))

    def publish_winners(_now):
        """The programme office picks a photo for each award and opens the winners' page to all."""
        for category in cycle.award_categories:
            decision = list_decisions(cycle)[category.id]
            photos = [a for a in planned[plan.winners[category.key]].work.nomination.attachments if a.is_image]
            winners.choose_winner_photo(admin, decision, photos[0] if photos else None)
        winners.set_winners_public(admin, cycle, True)
    schedule.at(when.issued + timedelta(days=1), publish_winners)
    schedule.run()

    def import_spreadsheets(now):
        """The sites e-mailed their activity lists; the programme office imports them in one go."""
        sites = {site.code: site for site in db.session.scalars(select(Site))}
        rows = [activities.PlannedRow(row=index + 2, site_id=sites[row["site"]].id, site_code=row["site"],
                                      fiscal_year=plan.fiscal_year,
                                      values={k: v for k, v in row.items() if k != "site"})
                for index, row in enumerate(_everyday_activities(plan, _nominated_figures(plan)))]
        activities.import_activities(admin, rows, filename=f"mdd-activities-FY{plan.fiscal_year}.xlsx", now=now)
    schedule.at(_at(_spreadsheets_day(plan.fiscal_year)), import_spreadsheets)
    schedule.run()

    _date_rows(cycle, when, {p.work.nomination.id: p.work.last_change for p in planned.values()})
    return cycle


def _date_rows(cycle: Cycle, when: _Timeline, nominations_changed: dict[int, datetime]) -> None:
    """Date the rows of a past cycle that the services stamp with the clock rather than their
    `now` (when a row was created or last changed), as `_AuditClock` does for the audit log:
    otherwise a FY2011 nomination would show "last change" today. Nothing else is altered."""
    db.session.flush()
    nomination_table = Nomination.__table__
    for nomination_id, changed in nominations_changed.items():
        db.session.execute(update(nomination_table).where(nomination_table.c.id == nomination_id)
                           .values(updated_at=changed))
    db.session.execute(update(Assignment.__table__).where(Assignment.__table__.c.cycle_id == cycle.id)
                       .values(created_at=when.assigned))
    sheets = ScoreSheet.__table__
    db.session.execute(
        update(sheets)
        .where(sheets.c.assignment_id.in_(select(Assignment.id).where(Assignment.cycle_id == cycle.id)))
        .values(created_at=sheets.c.updated_at, updated_at=sheets.c.updated_at)
    )
    db.session.execute(update(Cycle.__table__).where(Cycle.__table__.c.id == cycle.id)
                       .values(created_at=when.created, updated_at=when.finalised))
    db.session.expire_all()


def _add_history(clock: _AuditClock) -> list[str]:
    """Add the past cycles that are missing; returns their labels."""
    existing = set(db.session.scalars(select(Cycle.fiscal_year).where(
        Cycle.fiscal_year.in_([plan.fiscal_year for plan in HISTORY]))))
    missing = [plan for plan in HISTORY if plan.fiscal_year not in existing]
    labels = []
    for plan in missing:
        labels.append(_past_cycle(clock, plan, _people()).label)
    return labels


# --- the current cycle -----------------------------------------------------------------------------


def _nomination_dates(fiscal_year: int, period: tuple[tuple[int, int], tuple[int, int]],
                      last_day: date) -> tuple[date, date]:
    """The days a current nomination's activity ran (data.CurrentNomination.period), ending no
    later than `last_day` (the activity cannot have gone on after it was nominated)."""
    (first_month, first_day), (end_month, end_day) = period
    start = date(calendar_year(fiscal_year, first_month), first_month, first_day)
    end = min(date(calendar_year(fiscal_year, end_month), end_month, end_day), last_day)
    return min(start, end), end


def _current_cycle(clock: _AuditClock, now: datetime) -> tuple[Cycle, bool]:
    """The cycle of the fiscal year holding `now`, open for nominations with its deadline 45 days
    ahead and both panels set, with the sites' nominations of the last two weeks. Returns the
    cycle and whether it was created now (its nominations are added only then)."""
    fiscal_year = fiscal_year_of(now.date())
    cycle = get_cycle_by_fiscal_year(fiscal_year)
    if cycle is not None:
        return cycle, False
    people = _people()
    admin = people[ADMIN_EMAIL]
    schedule = _Schedule(clock)
    deadline = _at(now.date() + timedelta(days=45))
    created: dict[str, Cycle] = {}

    # The activities the sites have recorded so far this year.
    sites = {site.code: site for site in db.session.scalars(select(Site))}
    for index, (code, month, which, participants, hours) in enumerate(CURRENT_ACTIVITIES):
        day = date(calendar_year(fiscal_year, month), month, 5 + index % 20)
        recorded = _at(day + timedelta(days=3))
        if recorded >= now - timedelta(days=15):  # recorded before the cycle below is created
            continue
        theme, biodiversity, title_ja, title_en, days = EVERYDAY_ACTIVITIES[which]
        in_japan = sites[code].country == "JP"
        values = {"reference": f"{code}-{fiscal_year % 100:02d}{index:03d}", "title": title_ja if in_japan else title_en,
                  "title_other": title_en if in_japan else title_ja, "theme": Theme(theme), "biodiversity": biodiversity,
                  "start_date": day, "end_date": day + timedelta(days=days - 1),
                  "participants": participants, "volunteer_hours": Decimal(hours), "partners": "", "description": ""}
        schedule.at(recorded, lambda when, code=code, values=values: activities.create_activity(
                        _submitter(people, code), sites[code], fiscal_year, values, now=when))
    schedule.run()

    def create(_now):
        # The cycle's judging deadline is its first round's; the final round ends later.
        created["cycle"] = _create_cycle(admin, fiscal_year, deadline, deadline + timedelta(days=FIRST_ROUND_DAYS),
                                         CURRENT_SIGNATORY)

    def open_(now):
        cycle = created["cycle"]
        cycles.change_phase(admin, cycle, Phase.NOMINATIONS_OPEN, now=now)
        _set_panels(admin, cycle, people)
        final = judging.add_round(admin, cycle, judging_deadline=deadline + timedelta(days=FINAL_ROUND_DAYS),
                                  judges_per_nomination=FINAL_ROUND_JUDGES_PER_NOMINATION,
                                  deliberation=Deliberation(FINAL_ROUND_DELIBERATION))
        for region in PANELS:
            judging.set_panel(admin, cycle, region, [people[email].id for email in FINAL_PANEL], final)
    schedule.at(now - timedelta(days=15), create)
    schedule.at(now - timedelta(days=14), open_)
    schedule.run()
    cycle = created["cycle"]

    sites = {site.code: site for site in db.session.scalars(select(Site))}
    for index, row in enumerate(NOMINATIONS):
        completed = now - timedelta(days=index, hours=1)
        start, end = _nomination_dates(cycle.fiscal_year, row.period,
                                       max((completed - timedelta(days=1)).date(), fiscal_year_bounds(fiscal_year)[0]))
        entry = _entry(
            cycle, language=row.language, title=row.title, title_other=row.title_other, theme=row.theme,
            biodiversity=row.biodiversity, summary=row.summary, description=row.description,
            start=start if row.description else None, end=end if row.description else None,
            participants=row.participants, hours=row.hours, partners=row.partners, outcomes=row.outcomes,
            statements=row.statements,
        )
        work = _Nominating(schedule, _submitter(people, row.site), cycle, sites[row.site], entry)
        # The withdrawn one lacks what a submission needs: the site gave it up as a draft.
        work.start(completed - timedelta(days=1)).complete(completed, submit=row.status == "submitted")
        if row.status == "withdrawn":
            work.withdraw(now - timedelta(minutes=30), "")
    schedule.run()
    return cycle, True


def seed_demo(now: datetime | None = None) -> str:
    """Add whatever part of the demo data is missing; returns a one-line summary. The caller commits."""
    now = now or utcnow()
    # The programme's accounts date from before its first cycle: the history's people acted then.
    programme_set_up = _Timeline.of(HISTORY[0].fiscal_year).created - timedelta(days=7)
    # The demo's people are made up (…@example.com) and its history long past: no mail for them.
    with _AuditClock().running() as clock, notifications.silenced():
        people = _add_sites_and_people(_Schedule(clock), programme_set_up)
        history = _add_history(clock)
        cycle, created = _current_cycle(clock, now)
    site_count = db.session.scalar(select(func.count(Site.id)))
    return (
        f"demo data: {site_count} sites, {people} new users, cycle {cycle.label} "
        f"({'created' if created else 'already there'}), {len(NOMINATIONS) if created else 0} new nominations, "
        f"past cycles added: {', '.join(history) or 'none'}"
    )
