"""What the certificates tell the features below them (awards_app/core/hooks.py)."""
from __future__ import annotations

from awards_app.certificates import permissions, queries
from awards_app.core import hooks


def nomination_certificates(user, nomination) -> list:
    """The certificates the nomination page offers for download: those in force, to its site and admins."""
    return [certificate for certificate in queries.list_nomination_certificates(nomination.id)
            if permissions.can_download_nomination_certificate(user, certificate, nomination)]


def register() -> None:
    hooks.nomination_certificates.answer(nomination_certificates)
