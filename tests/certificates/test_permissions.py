"""The certificate permission answers, as plain functions."""
from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from awards_app.certificates import permissions
from awards_app.core.enums import Phase

NOW = datetime(2014, 3, 31, tzinfo=UTC)


def user(*roles, active=True, authenticated=True):
    return SimpleNamespace(is_authenticated=authenticated, is_active=active,
                           **{f"is_{role}": role in roles for role in ("admin", "judge", "submitter")})


@pytest.mark.parametrize("phase, finalised_at, allowed", [
    (Phase.SETUP, None, False),
    (Phase.NOMINATIONS_OPEN, None, False),
    (Phase.JUDGING, None, False),
    (Phase.JUDGING, NOW, False),
    (Phase.FINALISED, None, False),
    (Phase.FINALISED, NOW, True),
])
def test_issuing_waits_for_finalisation(phase, finalised_at, allowed):
    assert permissions.can_issue_certificates(SimpleNamespace(phase=phase, finalised_at=finalised_at)) is allowed


@pytest.mark.parametrize("revoked_at, replaced_by_id, revoke, reissue", [
    (None, None, True, True),      # in force
    (NOW, None, False, True),      # revoked: re-issuing it is the way back
    (None, 7, False, False),       # replaced: its successor is the one to act on
    (NOW, 7, False, False),        # revoked, then re-issued
])
def test_state_decides_revoking_and_reissuing(revoked_at, replaced_by_id, revoke, reissue):
    certificate = SimpleNamespace(revoked_at=revoked_at, replaced_by_id=replaced_by_id,
                                  is_current=revoked_at is None and replaced_by_id is None)
    finalised = SimpleNamespace(phase=Phase.FINALISED, finalised_at=NOW)
    assert permissions.can_revoke_certificate(certificate) is revoke
    assert permissions.can_reissue_certificate(finalised, certificate) is reissue
    judging = SimpleNamespace(phase=Phase.JUDGING, finalised_at=None)
    assert permissions.can_reissue_certificate(judging, certificate) is False
