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


ADMIN = user("admin")


@pytest.mark.parametrize("phase, finalised_at, allowed", [
    (Phase.SETUP, None, False),
    (Phase.NOMINATIONS_OPEN, None, False),
    (Phase.JUDGING, None, False),
    (Phase.JUDGING, NOW, False),
    (Phase.FINALISED, None, False),
    (Phase.FINALISED, NOW, True),
])
def test_issuing_waits_for_finalisation(phase, finalised_at, allowed):
    cycle = SimpleNamespace(phase=phase, finalised_at=finalised_at)
    assert permissions.can_issue_certificates(ADMIN, cycle) is allowed
    assert (permissions.issue_closed_reason(cycle) is None) is allowed


@pytest.mark.parametrize("revoked_at, replaced_by_id, revoke, reissue", [
    (None, None, True, True),      # in force
    (NOW, None, False, True),      # revoked: re-issuing it is the way back
    (None, 7, False, False),       # replaced: its successor is the one to act on
    (NOW, 7, False, False),        # revoked, then re-issued
])
def test_state_decides_revoking_and_reissuing(revoked_at, replaced_by_id, revoke, reissue):
    certificate = SimpleNamespace(revoked_at=revoked_at, replaced_by_id=replaced_by_id, serial="FY2013-0001",
                                  is_current=revoked_at is None and replaced_by_id is None)
    finalised = SimpleNamespace(phase=Phase.FINALISED, finalised_at=NOW)
    assert permissions.can_revoke_certificate(ADMIN, certificate) is revoke
    assert permissions.can_reissue_certificate(ADMIN, finalised, certificate) is reissue
    assert (permissions.revoke_closed_reason(certificate) is None) is revoke
    assert (permissions.reissue_closed_reason(finalised, certificate) is None) is reissue
    judging = SimpleNamespace(phase=Phase.JUDGING, finalised_at=None)
    assert permissions.can_reissue_certificate(ADMIN, judging, certificate) is False


@pytest.mark.parametrize("who", [
    user("judge"), user("submitter"), user("admin", active=False), user("admin", authenticated=False), None,
])
def test_only_active_admins_manage_certificates(who):
    finalised = SimpleNamespace(phase=Phase.FINALISED, finalised_at=NOW)
    certificate = SimpleNamespace(revoked_at=None, replaced_by_id=None, serial="FY2013-0001", is_current=True)
    assert permissions.can_manage_certificates(ADMIN)
    assert not permissions.can_manage_certificates(who)
    assert not permissions.can_issue_certificates(who, finalised)
    assert not permissions.can_revoke_certificate(who, certificate)
    assert not permissions.can_reissue_certificate(who, finalised, certificate)


def test_the_services_refuse_with_the_reasons_the_page_follows(app):
    """One rule, one message: the service's refusal is the permissions' closed reason."""
    from awards_app.certificates import services

    judging = SimpleNamespace(phase=Phase.JUDGING, finalised_at=None, signatory_name_ja="", signatory_name_en="")
    revoked = SimpleNamespace(revoked_at=NOW, replaced_by_id=None, serial="FY2013-0001", is_current=False)
    with app.test_request_context():
        with pytest.raises(services.CertificateError) as refused:
            services.issue_certificates(ADMIN, judging)
        assert str(refused.value) == str(permissions.issue_closed_reason(judging))
        with pytest.raises(services.CertificateError) as refused:
            services.revoke_certificate(ADMIN, revoked, "again")
        assert str(refused.value) == str(permissions.revoke_closed_reason(revoked))
        assert str(refused.value) == "Certificate FY2013-0001 is no longer in force: it has been revoked or replaced."
