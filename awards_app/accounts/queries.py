from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, selectinload

from awards_app.accounts.models import User, UserSession
from awards_app.core.models import utcnow
from awards_app.extensions import db
from awards_app.sites.models import Site


def list_users_query(search: str = "", role: str = ""):
    """Users ordered by name, with their sites loaded, optionally filtered."""
    query = select(User).options(selectinload(User.sites)).order_by(User.name, User.id)
    search = search.strip()
    if search:
        # Typed text is matched literally: % and _ are not wildcards here.
        query = query.where(
            or_(User.name.icontains(search, autoescape=True), User.email.icontains(search, autoescape=True))
        )
    if role in ("admin", "judge", "submitter"):
        query = query.where(getattr(User, f"is_{role}").is_(True))
    return query


def site_choices_query():
    """Sites to pick from, Japan first, as on the sites page."""
    return select(Site).order_by(Site.region, Site.code)


def live_session(token_hash: str):
    """The live session whose token has this hash, with its (active) user, or None."""
    return db.session.scalar(
        select(UserSession).join(UserSession.user).options(contains_eager(UserSession.user)).where(
            UserSession.token_hash == token_hash,
            UserSession.ended_at.is_(None),
            UserSession.expires_at > utcnow(),
            User.active.is_(True),
        )
    )


def live_sessions_of(user: User):
    """The user's live sessions, the most recently used first."""
    return db.session.scalars(
        select(UserSession).where(
            UserSession.user_id == user.id, UserSession.ended_at.is_(None), UserSession.expires_at > utcnow()
        ).order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    ).all()
