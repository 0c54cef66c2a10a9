from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from awards_app.core.enums import Role
from awards_app.core.models import TimestampMixin, UTCDateTime, utcnow
from awards_app.extensions import db
from awards_app.sites.models import Site, user_sites

ROLES = tuple(role.value for role in Role)


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_judge: Mapped[bool] = mapped_column(Boolean, default=False)
    is_submitter: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str] = mapped_column(String(8), default="ja")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Tokyo")
    # With the language, how dates and times read (en + GB: 3 Dec 2026, 14:35); "" follows the
    # browser's Accept-Language (core/i18n.py).
    region: Mapped[str] = mapped_column(String(2), default="", server_default="")
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # E-mail the user may switch off: reminders before deadlines, and (admins) the daily digest.
    # Transactional mail (receipts, results, password) always goes.
    receive_reminders: Mapped[bool] = mapped_column(Boolean, default=True)
    receive_digest: Mapped[bool] = mapped_column(Boolean, default=True)

    sites: Mapped[list[Site]] = relationship(secondary=user_sites, order_by=Site.code)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    # The token of the login this request was made with (or is starting): Flask-Login keeps it in
    # the session and the "keep me logged in" cookie (auth.py). Never stored: the server keeps
    # only its hash, in UserSession.
    login_token = None

    def get_login_token(self) -> str | None:
        return self.login_token

    @property
    def roles(self) -> list[str]:
        return [role for role in ROLES if getattr(self, f"is_{role}")]

    @property
    def site_ids(self) -> set[int]:
        return {site.id for site in self.sites}

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class PasswordReset(db.Model):
    """A single-use link, valid for an hour, where a user who forgot their password sets a new one.

    Only a hash of the token is stored; the outbox keeps the nonce it is derived from (with
    SECRET_KEY) to put the link in the e-mail (awards_app.core.tokens)."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def is_usable(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


class Invitation(db.Model):
    """A single-use, expiring link where an invited user sets their password.

    Only a hash of the token is stored, so a database leak does not leak usable links.
    """

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def is_usable(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


class UserSession(db.Model):
    """One login of a user, on one browser: the server's side of the session cookie.

    The browser holds a random token (in Flask's signed session, and in the "keep me logged in"
    cookie when asked for); the server keeps only its hash. A session ends at logout, when its
    user ends it from their account page, on a password change (all but the one making it), on
    deactivation, or when it has not been used for its lifetime (hours, or days when remembered).
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The client address as the app sees it (request.remote_addr: X-Forwarded-For only through
    # the PROXY_FIX trusted proxies) and the browser's User-Agent, shown on the account page.
    address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")

    user: Mapped[User] = relationship()

    def is_live(self, now: datetime) -> bool:
        return self.ended_at is None and self.expires_at > now
