from sqlalchemy import func, select

from awards_app.accounts.models import User
from awards_app.audit.models import AuditEvent
from awards_app.core.enums import NominationStatus, Phase
from awards_app.cycles.fiscal import fiscal_year_of
from awards_app.cycles.models import Cycle
from awards_app.demo import DEMO_PASSWORD
from awards_app.extensions import db
from awards_app.nominations.models import Nomination
from awards_app.sites.models import Site
from datetime import date


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


def test_seed_demo_is_idempotent_and_realistic(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "admin@example.com" in first.output and DEMO_PASSWORD in first.output
    counts = lambda: (  # noqa: E731
        db.session.scalar(select(func.count(Site.id))),
        db.session.scalar(select(func.count(User.id))),
        db.session.scalar(select(func.count(Nomination.id))),
    )
    after_first = counts()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert counts() == after_first

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
