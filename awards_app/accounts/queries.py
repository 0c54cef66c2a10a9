from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from awards_app.accounts.models import User
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
