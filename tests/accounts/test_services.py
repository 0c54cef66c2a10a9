"""Account services and permissions, without HTTP."""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask_login import AnonymousUserMixin

from awards_app.accounts import permissions, queries, services
from awards_app.accounts.permissions import (
    can_deactivate,
    can_edit_own_account,
    can_manage_users,
)
from awards_app.core import tokens


def test_create_user_normalises_email_and_sets_defaults(make_site):
    site = make_site()
    user = services.create_user(None, email="  Mixed.Case@Example.COM ", name=" Ken ", roles=["submitter"],
                                site_ids=[site.id], locale="en")
    assert (user.email, user.name, user.locale, user.timezone) == ("mixed.case@example.com", "Ken", "en", "UTC")
    assert user.password_hash is None and queries.live_sessions_of(user) == []
    assert services.get_user_by_email("MIXED.case@example.com") is user


def test_create_user_refuses_a_duplicate_email(make_user):
    make_user(email="taken@example.com")
    with pytest.raises(services.AccountError):
        services.create_user(None, email="TAKEN@example.com", name="X", roles=[])


def test_create_user_with_password_can_authenticate():
    services.create_user(None, email="cli@example.com", name="CLI", roles=["admin"], password="a long enough password")
    assert services.authenticate("cli@example.com", "a long enough password").is_admin


def test_update_user_refuses_to_drop_own_admin_role(make_user):
    admin = make_user("admin")
    with pytest.raises(services.AccountError):
        services.update_user(admin, admin, name="A", roles=["judge"], site_ids=[])
    assert admin.is_admin and not admin.is_judge


def start(user, remember=False):
    return services.log_in(user, tokens.new_token(), remember=remember, lifetime=timedelta(hours=1), address="192.0.2.1", user_agent="test")


def test_set_user_active_refuses_self_and_ends_the_sessions(make_user):
    admin, user = make_user("admin"), make_user("judge")
    start(user), start(user, remember=True)
    with pytest.raises(services.AccountError):
        services.set_user_active(admin, admin, False)
    assert len(queries.live_sessions_of(user)) == 2
    services.set_user_active(admin, user, False)
    assert user.active is False and queries.live_sessions_of(user) == []


def test_accepting_an_invitation_ends_any_session(make_user):
    user = make_user("judge", password_hash=None)
    token = services.issue_invitation(None, user, days=7)
    invitation = services.get_usable_invitation(token)
    services.accept_invitation(invitation, "a long enough password")
    assert user.check_password("a long enough password")
    assert queries.live_sessions_of(user) == []
    assert services.get_usable_invitation(token) is None


def test_zero_day_invitation_is_not_usable(make_user):
    token = services.issue_invitation(None, make_user("judge"), days=0)
    assert services.get_usable_invitation(token) is None


def person(**fields):
    values = {"id": 1, "is_authenticated": True, "is_admin": True, "is_active": True}
    values.update(fields)
    return SimpleNamespace(**values)


@pytest.mark.parametrize(
    "user, expected",
    [
        (person(), True),
        (person(is_admin=False), False),
        (person(is_active=False), False),
        (person(is_authenticated=False), False),
        (AnonymousUserMixin(), False),
        (None, False),
    ],
)
def test_can_manage_users(user, expected):
    assert can_manage_users(user) is expected


@pytest.mark.parametrize(
    "user, expected",
    [
        (person(is_admin=False), True),
        (person(), True),
        (person(is_active=False), False),
        (AnonymousUserMixin(), False),
        (None, False),
    ],
)
def test_can_edit_own_account(user, expected):
    assert can_edit_own_account(user) is expected


def test_can_deactivate_others_but_not_self():
    assert can_deactivate(person(id=1), person(id=2, is_admin=False)) is True
    assert can_deactivate(person(id=1), person(id=1)) is False
    assert can_deactivate(person(id=1, is_admin=False), person(id=2)) is False


def test_self_deactivation_is_refused_with_the_reason_the_page_uses(make_user):
    """One rule: the service raises the message that makes can_deactivate false."""
    admin = make_user("admin")
    with pytest.raises(services.AccountError) as refused:
        services.set_user_active(admin, admin, False)
    assert refused.value.message == permissions.activation_closed_reason(admin, admin) == permissions.OWN_ACCOUNT_LOCKED
    assert can_deactivate(admin, admin) is False
