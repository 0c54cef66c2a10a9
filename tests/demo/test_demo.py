"""`flask seed-demo`: what the demo holds, that it was built through the services (its audit log
tells the history of the past cycles), and that loading it twice adds nothing."""
import re
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from awards_app.accounts.models import User
from awards_app.activities.models import Activity
from awards_app.audit.models import AuditEvent
from awards_app.awards.models import AwardDecision
from awards_app.certificates import services as certificate_services
from awards_app.certificates.models import Certificate
from awards_app.core.enums import AssignmentStatus, Deliberation, NominationStatus, Phase, SheetStatus
from awards_app.cycles.fiscal import fiscal_year_of
from awards_app.cycles.models import AwardCategory, Cycle
from awards_app.demo import DEMO_PASSWORD
from awards_app.demo.data import PANELS, SITES
from awards_app.extensions import db
from awards_app.judging.models import Assignment, PanelMember, Score, ScoreSheet
from awards_app.judging.queries import get_ranking
from awards_app.nominations.models import Nomination
from awards_app.sites.models import Site

# The programme's published figures (FY2013 report): participants and volunteer hours per year.
PUBLISHED = {2011: (174_478, 153_871), 2012: (132_075, 128_783), 2013: (127_407, 124_861)}
SIGNATORY = ("signatory_name_en", "signatory_name_ja", "signatory_title_en", "signatory_title_ja")


def count_rows():
    models = (Site, User, Cycle, Nomination, PanelMember, Assignment, ScoreSheet, Score, AwardDecision, Certificate,
              AuditEvent)
    return {model.__name__: db.session.scalar(select(func.count(model.id))) for model in models}


def test_seed_demo_is_idempotent_and_realistic(runner):
    # How long it takes is measured by bench/seed.py, not here.
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "admin@example.com" in first.output and DEMO_PASSWORD in first.output
    assert "past cycles added: FY2011, FY2012, FY2013" in first.output
    after_first = count_rows()
    assert after_first["Cycle"] == 4 and after_first["Certificate"] == 6
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert "past cycles added: none" in second.output
    assert count_rows() == after_first

    sites = db.session.scalars(select(Site)).all()
    assert sum(s.country == "JP" for s in sites) >= 8 and sum(s.country != "JP" for s in sites) >= 8
    cycle = db.session.scalar(select(Cycle).where(Cycle.fiscal_year == fiscal_year_of(date.today())))
    assert cycle.phase == Phase.NOMINATIONS_OPEN
    assert [c.key for c in cycle.criteria] == ["business_relevance", "sustainability", "novelty"]
    nominations = db.session.scalars(select(Nomination).where(Nomination.cycle_id == cycle.id)).all()
    statuses = {n.status for n in nominations}
    assert {NominationStatus.DRAFT, NominationStatus.SUBMITTED} <= statuses
    assert {n.language.value for n in nominations} == {"ja", "en"}
    for n in nominations:
        if n.start_date:
            assert cycle.start_date <= n.start_date <= n.end_date <= cycle.end_date
    submitter = db.session.scalar(select(User).where(User.email == "submitter.tokyo@example.com"))
    assert submitter.check_password(DEMO_PASSWORD) and submitter.is_submitter and submitter.sites[0].code == "TOKYO-HQ"


def past_cycles() -> dict[int, Cycle]:
    cycles = db.session.scalars(select(Cycle).where(Cycle.fiscal_year.in_(list(PUBLISHED)))).all()
    return {cycle.fiscal_year: cycle for cycle in cycles}


def test_seed_demo_history_matches_the_published_figures(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    cycles = past_cycles()
    assert sorted(cycles) == [2011, 2012, 2013]
    admin = db.session.scalar(select(User).where(User.email == "admin@example.com"))
    demo_sites = {code for code, *_rest in SITES}
    for fiscal_year, (participants, hours) in PUBLISHED.items():
        cycle = cycles[fiscal_year]
        assert cycle.phase == Phase.FINALISED and cycle.finalised_by_id == admin.id
        assert cycle.start_date < cycle.finalised_at.date() <= cycle.end_date
        assert cycle.nomination_deadline < cycle.judging_deadline < cycle.finalised_at
        submitted = Nomination.status == NominationStatus.SUBMITTED
        # The programme's figures are every activity's: a few hundred a year, the nominated among them.
        totals = db.session.execute(
            select(func.count(Activity.id), func.sum(Activity.participants), func.sum(Activity.volunteer_hours))
            .where(Activity.fiscal_year == fiscal_year)
        ).one()
        assert totals[0] >= 300
        assert (totals[1], float(totals[2])) == (participants, hours)
        nominated = db.session.execute(
            select(func.count(Nomination.id), func.max(Nomination.participants))
            .where(Nomination.cycle_id == cycle.id, submitted)).one()
        assert nominated[0] >= 20 and nominated[1] < 5_000, "nominations carry realistic figures"
        assert db.session.scalar(select(func.count(Nomination.id)).where(
            Nomination.cycle_id == cycle.id, Nomination.activity_id.is_(None))) == 0
        # Drafts, withdrawn and ineligible nominations are there too, and carry figures that would
        # spoil the published totals if they were counted.
        others = db.session.scalars(select(Nomination).where(Nomination.cycle_id == cycle.id, ~submitted)).all()
        assert {n.status for n in others} >= {NominationStatus.DRAFT, NominationStatus.WITHDRAWN}
        assert all(n.participants for n in others)
        nominations = db.session.scalars(
            select(Nomination).where(Nomination.cycle_id == cycle.id).options(selectinload(Nomination.statements))
        ).all()
        assert {n.site.code for n in nominations} <= demo_sites
        assert {n.site.region.value for n in nominations} == {"japan", "overseas"}
        assert {n.language.value for n in nominations} == {"ja", "en"}
        for n in nominations:
            assert n.title and n.title_other and n.title != n.title_other
            assert cycle.start_date <= n.start_date <= n.end_date <= cycle.end_date
            assert len(n.statements) == 3 and all(statement.text for statement in n.statements)
            if n.status == NominationStatus.SUBMITTED:
                assert n.submitted_at < cycle.nomination_deadline
    # The report's other figures: 8,425 participants in biodiversity preservation in FY2013, and 17
    # participating countries.
    assert db.session.scalar(select(func.sum(Activity.participants)).where(
        Activity.fiscal_year == 2013, Activity.biodiversity.is_(True))) == 8_425
    assert db.session.scalar(select(func.count(func.distinct(Site.country))).join(
        Activity, Activity.site_id == Site.id).where(Activity.fiscal_year == 2013)) == 17
    titles = set(db.session.scalars(select(Nomination.title).where(Nomination.cycle_id == cycles[2013].id)))
    assert "南三陸町「福興市」運営支援" in titles and "小学生向け科学教室「ガリレオクラブ」" in titles


def test_seed_demo_history_is_judged_awarded_and_certified(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    judges = {u.email: u for u in db.session.scalars(select(User).where(User.is_judge.is_(True)))}
    comments = 0
    for fiscal_year, cycle in past_cycles().items():
        panels = {
            (member.region, member.judge_id)
            for member in db.session.scalars(select(PanelMember).where(PanelMember.cycle_id == cycle.id))
        }
        assert panels == {(region, judges[email].id) for region, emails in PANELS.items() for email in emails}
        assignments = db.session.scalars(
            select(Assignment).where(Assignment.cycle_id == cycle.id)
            .options(selectinload(Assignment.sheet).selectinload(ScoreSheet.scores))
        ).all()
        by_nomination: dict[int, list[Assignment]] = {}
        for assignment in assignments:
            by_nomination.setdefault(assignment.nomination_id, []).append(assignment)
        submitted = db.session.scalars(
            select(Nomination).where(Nomination.cycle_id == cycle.id, Nomination.status == NominationStatus.SUBMITTED)
        ).all()
        assert set(by_nomination) == {n.id for n in submitted}
        criteria = {c.id for c in cycle.criteria}
        for nomination in submitted:
            own = by_nomination[nomination.id]
            assert len(own) == cycle.judges_per_nomination
            for assignment in own:
                assert assignment.status == AssignmentStatus.ACTIVE
                assert (nomination.site.region, assignment.judge_id) in panels
                # Conflict of interest: never a judge from the nominating site.
                assert nomination.site_id not in assignment.judge.site_ids
                sheet = assignment.sheet
                assert sheet.status == SheetStatus.SUBMITTED and cycle.nomination_deadline < sheet.submitted_at
                assert {score.criterion_id for score in sheet.scores} == criteria
                assert all(cycle.scale_min <= score.value <= cycle.scale_max for score in sheet.scores)
                comments += bool(sheet.overall_comment) + sum(bool(score.comment) for score in sheet.scores)

        decisions = db.session.scalars(select(AwardDecision).where(AwardDecision.cycle_id == cycle.id)).all()
        categories = db.session.scalars(select(AwardCategory).where(AwardCategory.cycle_id == cycle.id)).all()
        assert len(decisions) == 2 and {d.category_id for d in decisions} == {c.id for c in categories}
        for decision in decisions:
            winner = decision.nomination
            assert winner.status == NominationStatus.SUBMITTED and winner.site.region == decision.category.region
            assert decision.decided_at < cycle.finalised_at and not decision.overrides_ranking
            # The decision is the top of the region's ranking, alone at the top.
            ranking = get_ranking(cycle, decision.category.region)
            top = ranking.rows[0]
            assert (top.nomination_id, top.rank, top.tied, top.incomplete) == (winner.id, 1, False, False)

        certificates = db.session.scalars(
            select(Certificate).where(Certificate.cycle_id == cycle.id).order_by(Certificate.serial_number)
        ).all()
        assert [c.serial_number for c in certificates] == [1, 2]
        assert {c.decision_id for c in certificates} == {d.id for d in decisions}
        for certificate in certificates:
            decision, winner = certificate.decision, certificate.decision.nomination
            assert certificate.serial == f"FY{fiscal_year}-{certificate.serial_number:04d}"
            assert len(certificate.code) >= 16 and certificate.is_current
            assert certificate.fiscal_year == fiscal_year
            assert (certificate.award_name_en, certificate.award_name_ja) == (decision.category.name_en, decision.category.name_ja)
            assert (certificate.site_name_en, certificate.site_name_ja) == (winner.site.name_en, winner.site.name_ja)
            assert (certificate.title, certificate.title_other) == (winner.title, winner.title_other)
            signatory = ("signatory_name_en", "signatory_name_ja", "signatory_title_en", "signatory_title_ja")
            assert all(getattr(cycle, field) for field in signatory)
            assert [getattr(certificate, field) for field in signatory] == [getattr(cycle, field) for field in signatory]
            assert certificate.issued_at > cycle.finalised_at and certificate.issued_by.email == "admin@example.com"
    assert comments >= 30
    codes = db.session.scalars(select(Certificate.code)).all()
    assert len(set(codes)) == len(codes) == 6


def events_of(cycle: Cycle) -> list[AuditEvent]:
    """The audit events about `cycle`, its nominations, sheets, award decisions and certificates."""
    nominations = select(Nomination.id).where(Nomination.cycle_id == cycle.id)
    sheets = select(ScoreSheet.id).join(Assignment).where(Assignment.cycle_id == cycle.id)
    decisions = select(AwardDecision.id).where(AwardDecision.cycle_id == cycle.id)
    certificates = select(Certificate.id).where(Certificate.cycle_id == cycle.id)
    about = (
        ((AuditEvent.object_type == "cycles") & (AuditEvent.object_id == cycle.id))
        | ((AuditEvent.object_type == "nominations") & AuditEvent.object_id.in_(nominations))
        | ((AuditEvent.object_type == "score_sheets") & AuditEvent.object_id.in_(sheets))
        | ((AuditEvent.object_type == "award_decisions") & AuditEvent.object_id.in_(decisions))
        | ((AuditEvent.object_type == "certificates") & AuditEvent.object_id.in_(certificates))
    )
    return db.session.scalars(select(AuditEvent).where(about).order_by(AuditEvent.id)).all()


def test_the_audit_log_tells_the_history_of_the_past_cycles(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    admin = db.session.scalar(select(User).where(User.email == "admin@example.com"))
    cycle = past_cycles()[2013]
    events = events_of(cycle)
    actions = [event.action for event in events]
    nominations = db.session.scalars(select(Nomination).where(Nomination.cycle_id == cycle.id)).all()
    sheets = db.session.scalars(select(ScoreSheet).join(Assignment).where(Assignment.cycle_id == cycle.id)).all()
    certificates = db.session.scalars(select(Certificate).where(Certificate.cycle_id == cycle.id)).all()
    # Every step of the year, by the person who took it.
    assert actions[:3] == ["cycle.created", "cycle.updated", "cycle.phase_changed"]
    assert actions.count("nomination.created") == len(nominations)
    submitted_or_after = [n for n in nominations if n.status != NominationStatus.DRAFT]
    assert actions.count("nomination.submitted") == len(submitted_or_after)
    assert actions.count("nomination.withdrawn") == 1 and actions.count("nomination.marked_ineligible") == 1
    assert actions.count("sheet.submitted") == len(sheets) >= 3 * 25
    assert actions.count("award.decided") == 2
    assert actions[-6:] == ["cycle.finalised", "certificate.issued", "certificate.issued",
                            "award.photo_chosen", "award.photo_chosen", "cycle.winners_public"]
    by_action = {}
    for event in events:
        by_action.setdefault(event.action, []).append(event)
    submitters = {e.actor.email for e in by_action["nomination.submitted"]}
    assert all(email.startswith("submitter.") for email in submitters) and len(submitters) > 10
    assert {e.actor.email for e in by_action["sheet.submitted"]} <= {f"judge{i}@example.com" for i in range(1, 7)}
    assert {e.actor_id for e in by_action["award.decided"] + by_action["certificate.issued"]} == {admin.id}
    # Each event is dated when its step happened, in the fiscal year, not when the demo was loaded.
    assert all(cycle.start_date - timedelta(days=7) <= e.created_at.date() <= cycle.end_date for e in events)
    submitted_at = {n.id: n.submitted_at for n in nominations}
    assert all(e.created_at == submitted_at[e.object_id] for e in by_action["nomination.submitted"]
               if submitted_at[e.object_id])
    assert by_action["cycle.finalised"][0].created_at == cycle.finalised_at
    assert {e.created_at for e in by_action["certificate.issued"]} == {c.issued_at for c in certificates}
    # The whole log, FY2011 to today, reads in the order things happened.
    stamps = db.session.scalars(select(AuditEvent.created_at).order_by(AuditEvent.id)).all()
    assert stamps == sorted(stamps)
    assert stamps[0].date() < date(2010, 4, 1) and stamps[-1] <= datetime.now(stamps[-1].tzinfo)


def test_the_demo_certificates_say_what_the_certificate_service_copies(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    admin = db.session.scalar(select(User).where(User.email == "admin@example.com"))
    # What a certificate says: the fiscal year, award, site, activity and signatory.
    fields = [column.key for column in Certificate.__table__.columns
              if column.key in {"fiscal_year", *SIGNATORY} or column.key.startswith(("award_", "site_", "title"))]
    assert len(fields) == 11
    for cycle in past_cycles().values():
        for certificate in db.session.scalars(select(Certificate).where(Certificate.cycle_id == cycle.id)).all():
            # A re-issue takes a fresh copy through the service: it must say the same.
            fresh = certificate_services.reissue_certificate(admin, cycle, certificate)
            assert [getattr(fresh, f) for f in fields] == [getattr(certificate, f) for f in fields]
            assert certificate.issued_on < date(cycle.fiscal_year, 4, 1)


def test_the_demo_winners_pages_are_public_with_a_photo_of_each_winner(runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    for fiscal_year, cycle in past_cycles().items():
        assert cycle.winners_public, fiscal_year
        response = client.get(f"/winners/{fiscal_year}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert html.count('class="img-fluid rounded winner-photo"') == 2
        assert html.count('href="/verify/') == 2
        for src in re.findall(r'src="(/winners/[0-9]+/photos/[0-9]+)"', html):
            photo = client.get(src)
            photo.get_data()
            photo.close()
            assert photo.status_code == 200 and photo.mimetype == "image/jpeg"


# What the texts say of how often or how long an activity ran, and the least number of days that
# takes: a monthly activity is not a one-day one.
RECURRING = re.compile(r"毎月|毎週|年\d+回|monthly|weekly|weekends|\d+-week|以来|since \d{4}", re.I)
A_WEEK = re.compile(r"a week of|一週間", re.I)


def test_the_demo_texts_and_dates_agree(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    today = date.today()
    dated = db.session.scalars(select(Nomination).where(Nomination.start_date.is_not(None))
                               .options(selectinload(Nomination.cycle))).all()
    assert len(dated) > 50
    for nomination in dated:
        text = f"{nomination.summary} {nomination.description}"
        start, end = nomination.start_date, nomination.end_date
        days = (end - start).days + 1
        assert nomination.cycle.start_date <= start <= end <= min(nomination.cycle.end_date, today), nomination.title
        if RECURRING.search(text):
            assert days >= 28, (nomination.cycle.label, nomination.title, start, end)
        elif A_WEEK.search(text):
            assert days >= 5, (nomination.cycle.label, nomination.title, start, end)


def test_the_current_cycle_is_judged_in_two_rounds(runner):
    """Round 1 by the regional panels, then a smaller final panel on both regions that scores the
    shortlist, two judges per nomination, until after round 1's deadline."""
    from awards_app.demo.data import FINAL_PANEL, FINAL_ROUND_JUDGES_PER_NOMINATION
    from awards_app.judging.queries import list_panel, list_rounds

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    cycle = db.session.scalar(select(Cycle).where(Cycle.fiscal_year == fiscal_year_of(date.today())))
    first, final = list_rounds(cycle)
    judges = {user.email: user.id for user in db.session.scalars(select(User))}
    for region, emails in PANELS.items():
        assert set(list_panel(cycle, region, first)) == {judges[email] for email in emails}
        assert set(list_panel(cycle, region, final)) == {judges[email] for email in FINAL_PANEL}
    assert first.deadline == cycle.judging_deadline < final.deadline
    assert final.judges_needed == FINAL_ROUND_JUDGES_PER_NOMINATION and not first.is_closed
    # The final panel deliberates; the regional panels judge independently.
    assert final.deliberation == Deliberation.ALL and first.deliberation == Deliberation.OFF
    assert not final.hide_judge_names
