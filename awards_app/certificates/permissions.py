"""Who may do what with certificates, and why the cycle or a certificate does not allow it now.
Pure functions, never raising.

Only admins manage certificates; anyone (logged in or not) may check one on the public
verification page, which needs no permission. The ``*_closed_reason`` functions are the
state-only rules (the cycle's phase, the certificate's state) that the services refuse with and
the list page follows. ``now=None`` means the current time.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from awards_app.core.enums import Phase
from awards_app.core.permissions import is_admin, submits_for


def issue_closed_reason(cycle):
    """Certificates say who won: None once the results are final, else why not yet."""
    if cycle.phase == Phase.FINALISED and cycle.finalised_at is not None:
        return None
    return _l("Certificates can be issued only once the results are finalised.")


def revoke_closed_reason(certificate):
    """None for a certificate still in force; else why it cannot be revoked."""
    if certificate.is_current:
        return None
    return _l("Certificate %(serial)s is no longer in force: it has been revoked or replaced.",
              serial=certificate.serial)


def reissue_closed_reason(cycle, certificate):
    """None for the latest certificate of its award (in force or revoked) of a finalised cycle; a
    replaced one already has its successor, which is the one to re-issue."""
    reason = issue_closed_reason(cycle)
    if reason is None and certificate.replaced_by_id is not None:
        return _l("This certificate has already been replaced; re-issue the newest one instead.")
    return reason


def can_manage_certificates(user) -> bool:
    """The certificates pages of a cycle: the list, downloads, issuing, revoking, re-issuing."""
    return is_admin(user)


def can_download_nomination_certificate(user, certificate, nomination, *, now: datetime | None = None) -> bool:
    """The winning site's certificate, from its nomination's page: its site's submitters and admins,
    while the certificate is in force (a revoked or replaced one is not handed out again)."""
    return (
        certificate.is_current
        and (is_admin(user) or submits_for(user, nomination.site_id))
    )


def can_issue_certificates(user, cycle, *, now: datetime | None = None) -> bool:
    return can_manage_certificates(user) and issue_closed_reason(cycle) is None


def can_revoke_certificate(user, certificate, *, now: datetime | None = None) -> bool:
    return can_manage_certificates(user) and revoke_closed_reason(certificate) is None


def can_reissue_certificate(user, cycle, certificate, *, now: datetime | None = None) -> bool:
    return can_manage_certificates(user) and reissue_closed_reason(cycle, certificate) is None
