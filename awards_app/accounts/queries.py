from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from awards_app.accounts.models import User
from awards_app.sites.models import Site


def list_users_query(search: str = "", role: str = ""):
    """Users ordered by name, with their sites loaded, optionally filtered."""
    query = select(User).options(selectinload(User.sites)).order_by(User.name, User.id)
    if search:
        pattern = f"%{search.strip()}%"
        query = query.where(or_(User.name.ilike(pattern), User.email.ilike(pattern)))
    if role in ("admin", "judge", "submitter"):
        query = query.where(getattr(User, f"is_{role}").is_(True))
    return query


def site_choices_query():
    return select(Site).order_by(Site.country == "JP", Site.code)
