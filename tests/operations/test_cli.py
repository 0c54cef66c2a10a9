import time
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from awards_app.accounts.models import User
from awards_app.audit.models import AuditEvent
from awards_app.awards.models import AwardDecision
from awards_app.certificates.models import Certificate
from awards_app.core.enums import AssignmentStatus, NominationStatus, Phase, SheetStatus
from awards_app.cycles.fiscal import fiscal_year_of
from awards_app.cycles.models import AwardCategory, Cycle
from awards_app.demo import DEMO_PASSWORD, PANELS, SITES
from awards_app.extensions import db
from awards_app.judging.models import Assignment, PanelMember, Score, ScoreSheet
from awards_app.judging.queries import get_ranking
from awards_app.nominations.models import Nomination
from awards_app.sites.models import Site

# The programme's published figures (FY2013 report): participants and volunteer hours per year.
PUBLISHED = {2011: (174_478, 153_871), 2012: (132_075, 128_783), 2013: (127_407, 124_861)}


def test_create_user_reads_password_from_stdin(runner, make_site):
    make_site(code="TOKYO-HQ")
    result = runner.invoke(
        args=["create-user", "--email", "Boss@Example.com", "--name", "Boss", "--role", "admin",
              "--role", "judge", "--site", "tokyo-hq", "--password-stdin"],
        input="a long enough passphrase\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "boss@example.com"))
    assert user.roles == ["admin", "judge"]
    assert [s.code for s in user.sites] == ["TOKYO-HQ"]
    assert user.check_password("a long enough passphrase")
    assert not user.check_password("a long enough passphrase\n")
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.created", AuditEvent.object_id == user.id))


def test_create_user_refuses_weak_password_unknown_site_and_duplicates(runner, make_user):
    make_user("admin", email="taken@example.com")
    weak = runner.invoke(args=["create-user", "--email", "a@example.com", "--name", "A", "--role", "admin",
                               "--password-stdin"], input="short\n")
    assert weak.exit_code != 0 and "at least 12" in weak.output
    site = runner.invoke(args=["create-user", "--email", "b@example.com", "--name", "B", "--role", "submitter",
                               "--site", "NOPE"])
    assert site.exit_code != 0 and "NOPE" in site.output
    dup = runner.invoke(args=["create-user", "--email", "TAKEN@example.com", "--name", "C", "--role", "judge"])
    assert dup.exit_code != 0 and "already exists" in dup.output
    role = runner.invoke(args=["create-user", "--email", "d@example.com", "--name", "D", "--role", "boss"])
    assert role.exit_code != 0
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_create_user_without_password_needs_an_invitation(runner):
    result = runner.invoke(args=["create-user", "--email", "new@example.com", "--name", "New", "--role", "judge"])
    assert result.exit_code == 0
    assert "invitation" in result.output
    user = db.session.scalar(select(User).where(User.email == "new@example.com"))
    assert user.password_hash is None


def count_rows():
    models = (Site, User, Cycle, Nomination, PanelMember, Assignment, ScoreSheet, Score, AwardDecision, Certificate)
    return {model.__name__: db.session.scalar(select(func.count(model.id))) for model in models}


def test_seed_demo_is_idempotent_and_realistic(runner):
    started = time.perf_counter()
    first = runner.invoke(args=["seed-demo"])
    elapsed = time.perf_counter() - started
    assert first.exit_code == 0, first.output
    assert elapsed < 5, f"seed-demo took {elapsed:.1f} s"
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
        totals = db.session.execute(
            select(func.count(Nomination.id), func.sum(Nomination.participants), func.sum(Nomination.volunteer_hours))
            .where(Nomination.cycle_id == cycle.id, submitted)
        ).one()
        assert totals[0] >= 20
        assert (totals[1], float(totals[2])) == (participants, hours)
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
    # The report's other figure: 8,425 participants in biodiversity preservation in FY2013.
    assert db.session.scalar(
        select(func.sum(Nomination.participants)).where(
            Nomination.cycle_id == cycles[2013].id, Nomination.status == NominationStatus.SUBMITTED,
            Nomination.biodiversity.is_(True))
    ) == 8_425
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
