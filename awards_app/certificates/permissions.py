"""Who may do what with certificates. Pure functions, never raising.

Only admins manage certificates; anyone (logged in or not) may check one on the public
verification page, which needs no permission. What remains to decide is what the cycle's phase
and the certificate's state still allow.
"""
from __future__ import annotations

from awards_app.core.enums import Phase


def can_issue_certificates(cycle) -> bool:
    """Certificates say who won: only once the results are final."""
    return cycle.phase == Phase.FINALISED and cycle.finalised_at is not None


def can_revoke_certificate(certificate) -> bool:
    """A certificate still in force (neither revoked nor replaced)."""
    return certificate.is_current


def can_reissue_certificate(cycle, certificate) -> bool:
    """The latest certificate of its award, in force or revoked; a replaced one already has its
    successor, which is the one to re-issue."""
    return can_issue_certificates(cycle) and certificate.replaced_by_id is None
