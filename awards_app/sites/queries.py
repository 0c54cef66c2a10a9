from __future__ import annotations

from sqlalchemy import func, select

from awards_app.sites.models import Site, user_sites


def list_sites_with_member_counts():
    """(site, member count) pairs, Japan first, in one query."""
    members = (
        select(user_sites.c.site_id, func.count().label("members")).group_by(user_sites.c.site_id).subquery()
    )
    return (
        select(Site, func.coalesce(members.c.members, 0))
        .outerjoin(members, members.c.site_id == Site.id)
        .order_by(Site.region, Site.code)
    )
