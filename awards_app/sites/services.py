from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from awards_app.core import events
from awards_app.core.exceptions import DomainError
from awards_app.extensions import db
from awards_app.sites.models import Site

SITE_FIELDS = ("code", "name_en", "name_ja", "country", "active")


class SiteError(DomainError):
    pass


def _check_code_free(code: str, site_id: int | None) -> None:
    other = db.session.scalar(select(Site).where(Site.code == code))
    if other is not None and other.id != site_id:
        raise SiteError(_l("Another site already uses this code."), field="code")


def create_site(actor, data: dict) -> Site:
    """Add a site; the code must be unique."""
    _check_code_free(data["code"], None)
    site = Site(**{field: data[field] for field in SITE_FIELDS})
    db.session.add(site)
    db.session.flush()
    events.announce(events.site_created, actor, site, code=site.code, country=site.country)
    return site


def update_site(actor, site: Site, data: dict) -> None:
    """Change a site's code, names, country or active flag, recording what changed."""
    _check_code_free(data["code"], site.id)
    changes = {f: [getattr(site, f), data[f]] for f in SITE_FIELDS if getattr(site, f) != data[f]}
    for field in SITE_FIELDS:
        setattr(site, field, data[field])
    if changes:
        events.announce(events.site_updated, actor, site, changes=changes)
