"""Account operations. They change state and write the audit log; the caller commits."""
from __future__ import annotations

import secrets
from datetime import timedelta
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from awards_app.accounts import permissions
from awards_app.accounts.models import (
    ROLES,
    Invitation,
    PasswordReset,
    User,
    UserSession,
)
from awards_app.core import events, tokens
from awards_app.core.exceptions import DomainError
from awards_app.core.models import utcnow
from awards_app.extensions import db
from awards_app.sites.models import Site


class AccountError(DomainError):
    """A rule of the domain refused the operation; the message is shown to the user."""


def normalise_email(email: str) -> str:
    return email.strip().lower()



def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


@lru_cache(maxsize=1)
def _dummy_password_hash() -> str:
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None. All failures look the same.

    A password hash is checked in every case (unknown e-mail, deactivated account, invitation
    not accepted yet) so that the time taken does not reveal whether or how the account exists.
    """
    user = get_user_by_email(email)
    stored_hash = user.password_hash if user is not None and user.password_hash else None
    matches = check_password_hash(stored_hash or _dummy_password_hash(), password)
    if user is None or stored_hash is None or not matches or not user.active:
        return None
    return user



def log_in(user: User, token: str, *, remember: bool, lifetime: timedelta, address: str | None, user_agent: str) -> None:
    """Start a session of `user` (a login, or an accepted invitation) for the browser holding
    `token`. It lasts `lifetime` after its last use (hours; days when remembered)."""
    now = utcnow()
    user.last_login_at = now
    db.session.add(UserSession(
        user=user, token_hash=tokens.hash_token(token), remember=remember, created_at=now, last_seen_at=now,
        expires_at=now + lifetime, address=(address or "")[:64], user_agent=user_agent[:300],
    ))
    events.announce(events.user_logged_in, user, user, ip=address, remember=remember)


def touch_session(login: UserSession, lifetime: timedelta) -> None:
    """Note that `login` is in use, pushing its end `lifetime` ahead."""
    now = utcnow()
    login.last_seen_at = now
    login.expires_at = now + lifetime


def log_out(login: UserSession) -> None:
    login.ended_at = utcnow()
    events.announce(events.user_logged_out, login.user, login.user, session=login.id)


def end_session(user: User, login: UserSession) -> None:
    """`user` ends one of their own sessions from their account page."""
    if login.user_id != user.id:
        raise AccountError(_l("This session is not yours."))
    if login.ended_at is None:
        login.ended_at = utcnow()
        events.announce(events.user_sessions_ended, user, user, sessions=[login.id])


def end_sessions(actor: User | None, user: User, *, keep: UserSession | None = None) -> None:
    """End every live session of `user` but `keep` (password change, deactivation, "log out my
    other sessions")."""
    now = utcnow()
    ended = []
    for login in db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    ):
        if login is not keep:
            login.ended_at = now
            ended.append(login.id)
    if ended:
        events.announce(events.user_sessions_ended, actor, user, sessions=ended)


def record_failed_login(email: str, ip: str | None) -> None:
    events.announce(events.user_login_failed, None, object_type="users", email=email[:254], ip=ip)


def _apply_roles_and_sites(user: User, roles: list[str], site_ids: list[int]) -> None:
    for role in ROLES:
        setattr(user, f"is_{role}", role in roles)
    sites = db.session.scalars(select(Site).where(Site.id.in_(site_ids))).all() if site_ids else []
    user.sites = list(sites)


def create_user(
    actor: User | None,
    *,
    email: str,
    name: str,
    roles: list[str],
    site_ids: list[int] | None = None,
    locale: str = "ja",
    password: str | None = None,
) -> User:
    """Create an account. Without a password the user can log in only after an invitation."""
    email = normalise_email(email)
    if get_user_by_email(email) is not None:
        raise AccountError(_l("An account with this e-mail address already exists."), field="email")
    user = User(email=email, name=name.strip(), locale=locale, active=True)
    user.timezone = "Asia/Tokyo" if locale == "ja" else "UTC"
    _apply_roles_and_sites(user, roles, site_ids or [])
    if password:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    events.announce(events.user_created, actor, user, email=email, roles=user.roles, sites=sorted(user.site_ids))
    return user


def issue_invitation(actor: User | None, user: User, days: int) -> str:
    """A new single-use link token for `user`; earlier unused invitations stop working."""
    now = utcnow()
    for old in db.session.scalars(
        select(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None))
    ):
        old.expires_at = min(old.expires_at, now)
    nonce = tokens.new_nonce()
    token = tokens.link_token("invitation", nonce)
    db.session.add(
        Invitation(
            user_id=user.id,
            token_hash=tokens.hash_token(token),
            created_by_id=getattr(actor, "id", None),
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
    )
    # The nonce goes to the outbox (not the audit log), which builds the link again when it sends.
    events.announce(events.user_invited, actor, user, expires_in_days=days, _link_nonce=nonce)
    return token


def get_usable_invitation(token: str) -> Invitation | None:
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == tokens.hash_token(token)))
    if invitation is None or not invitation.is_usable(utcnow()) or not invitation.user.active:
        return None
    return invitation


def accept_invitation(invitation: Invitation, password: str) -> User:
    """Set the invitee's password and use up the invitation."""
    invitation.used_at = utcnow()
    user = invitation.user
    user.set_password(password)
    end_sessions(user, user)
    events.announce(events.user_invitation_accepted, user, user)
    return user


def update_user(actor: User, user: User, *, name: str, roles: list[str], site_ids: list[int]) -> None:
    """Set a user's name, roles and sites (admin)."""
    if user.id == actor.id and "admin" not in roles:
        raise AccountError(_l("You cannot remove your own admin role."), field="roles")
    before = {"roles": user.roles, "sites": sorted(user.site_ids), "name": user.name}
    user.name = name.strip()
    _apply_roles_and_sites(user, roles, site_ids)
    after = {"roles": user.roles, "sites": sorted(user.site_ids), "name": user.name}
    if before != after:
        events.announce(events.user_updated, actor, user, before=before, after=after)


def set_user_active(actor: User, user: User, active: bool) -> None:
    """Deactivate (ending their sessions) or reactivate an account."""
    if closed := permissions.activation_closed_reason(actor, user):
        raise AccountError(closed)
    if user.active == active:
        return
    user.active = active
    if not active:
        end_sessions(actor, user)
    events.announce(events.user_activated if active else events.user_deactivated, actor, user)


def change_locale(user: User, locale: str) -> None:
    """The interface language saved on the account (the language switch)."""
    user.locale = locale


def change_password(user: User, new_password: str, *, keep: UserSession | None = None, via: str = "account") -> None:
    """The one way a password changes (own account page, or a reset link: `via`): the new hash,
    and every session of the account ends but `keep` (the one the user changed it from, if any)."""
    user.set_password(new_password)
    end_sessions(user, user, keep=keep)
    events.announce(events.user_password_changed, user, user, via=via)


RESET_VALID_FOR = timedelta(hours=1)


def request_password_reset(email: str, *, ip: str | None = None, now=None) -> None:
    """Make a reset link for the active account with this address, and e-mail it (the outbox,
    through the event). Nothing at all for an unknown address or a deactivated account: the page
    answers the same either way. Earlier unused links of the account stop working."""
    user = get_user_by_email(email)
    if user is None or not user.active:
        return
    now = now or utcnow()
    for old in db.session.scalars(
        select(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
    ):
        old.expires_at = min(old.expires_at, now)
    nonce = tokens.new_nonce()
    db.session.add(PasswordReset(user_id=user.id, token_hash=tokens.hash_token(tokens.link_token("password-reset", nonce)),
                                 created_at=now, expires_at=now + RESET_VALID_FOR))
    events.announce(events.user_password_reset_requested, None, user, ip=ip, _link_nonce=nonce)


def get_usable_password_reset(token: str, *, now=None) -> PasswordReset | None:
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == tokens.hash_token(token)))
    if reset is None or not reset.is_usable(now or utcnow()) or not reset.user.active:
        return None
    return reset


def reset_password(reset: PasswordReset, new_password: str, *, now=None) -> User:
    """Set the new password through `change_password` (which ends every other session) and use
    the link up."""
    reset.used_at = now or utcnow()
    change_password(reset.user, new_password, via="reset")
    return reset.user


def update_profile(user: User, *, name: str, locale: str, timezone: str, region: str | None = None,
                   receive_reminders: bool | None = None, receive_digest: bool | None = None) -> None:
    user.name = name.strip()
    user.locale = locale
    user.timezone = timezone
    if region is not None:
        user.region = region
    if receive_reminders is not None:
        user.receive_reminders = receive_reminders
    if receive_digest is not None and user.is_admin:
        user.receive_digest = receive_digest
