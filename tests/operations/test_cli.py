from sqlalchemy import func, select

from awards_app.accounts.models import User
from awards_app.audit.models import AuditEvent
from awards_app.extensions import db


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
    demo = runner.invoke(args=["create-user", "--email", "a@example.com", "--name", "A", "--role", "admin",
                               "--password-stdin"], input="mdd-demo-password\n")
    assert demo.exit_code != 0 and "demo's published password" in demo.output
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
