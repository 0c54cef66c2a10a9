"""Issuing, revoking and re-issuing certificates (the services, without HTTP)."""
from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from awards_app.certificates import services
from awards_app.certificates.models import Certificate, CertificateStatus
from awards_app.core.enums import Phase
from awards_app.extensions import db


def test_issuing_makes_one_certificate_per_decision_with_serials_in_category_order(world, issue, events):
    certificates = issue()
    assert [c.serial for c in certificates] == ["FY2013-0001", "FY2013-0002"]
    first, second = certificates
    assert first.decision_id == world.japan_decision.id and second.decision_id == world.overseas_decision.id
    # What the certificate says is copied from the decision, its nomination, site and the cycle.
    assert (first.award_name_ja, first.award_name_en) == ("大賞（国内）", "Grand Award (Japan)")
    assert (first.site_name_ja, first.site_name_en) == ("東京事業所", "Tokyo Works")
    assert (first.title, first.title_other) == ("地元の学校と海岸清掃", "Beach clean-up with local schools")
    assert (first.signatory_name_ja, first.signatory_title_en) == ("山田 太郎", "Chair, MDD Steering Committee")
    assert first.fiscal_year == 2013 and first.issued_by_id == world.admin.id
    assert all(c.status == CertificateStatus.VALID for c in certificates)
    issued = events("certificate.issued")
    assert [(e.object_id, e.details["serial"], e.actor_id) for e in issued] == [
        (first.id, "FY2013-0001", world.admin.id), (second.id, "FY2013-0002", world.admin.id)
    ]


def test_issuing_again_is_idempotent(world, issue, events):
    issue()
    assert issue() == []
    assert db.session.scalar(select(db.func.count(Certificate.id))) == 2
    assert len(events("certificate.issued")) == 2


def test_issuing_at_a_given_moment_dates_the_certificates_then(world):
    moment = datetime(2013, 3, 19, 8, 0, tzinfo=UTC)
    certificates = services.issue_certificates(world.admin, world.cycle, now=moment)
    assert [c.issued_at for c in certificates] == [moment, moment]
    assert certificates[0].issued_on == date(2013, 3, 19)


def test_a_snapshot_does_not_follow_later_edits(world, issue):
    certificate = issue()[0]
    world.site_a.name_en = "Tokyo Works (renamed)"
    db.session.commit()
    db.session.refresh(certificate)
    assert certificate.site_name_en == "Tokyo Works"


def test_issuing_is_refused_before_finalisation(world, events):
    with pytest.raises(services.CertificateError, match="finalised"):
        services.issue_certificates(world.admin, world.open_cycle)
    assert db.session.scalars(select(Certificate)).all() == []
    assert events("certificate.issued") == []


@pytest.mark.parametrize("phase", [Phase.SETUP, Phase.NOMINATIONS_OPEN, Phase.JUDGING])
def test_every_phase_before_finalisation_refuses(world, phase):
    world.cycle.phase = phase
    with pytest.raises(services.CertificateError):
        services.issue_certificates(world.admin, world.cycle)


def test_a_finalised_phase_without_finalisation_record_refuses(world):
    world.cycle.finalised_at = None
    with pytest.raises(services.CertificateError):
        services.issue_certificates(world.admin, world.cycle)


def test_issuing_needs_a_signatory_in_both_languages(world):
    world.cycle.signatory_name_en = "  "
    with pytest.raises(services.CertificateError, match="signs"):
        services.issue_certificates(world.admin, world.cycle)


def test_codes_are_unique_urlsafe_and_carry_at_least_60_bits(world, issue):
    codes = {services.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert re.fullmatch(r"[A-Za-z0-9_-]{16}", code)
    # 16 characters of a 64-letter alphabet: 96 bits.
    assert 16 * math.log2(64) >= 60 and services.CODE_BYTES * 8 >= 60
    certificates = issue()
    assert len({c.code for c in certificates}) == len(certificates)


def test_serials_are_per_cycle(world, issue, make_nomination):
    issue()
    world.open_cycle.phase = Phase.FINALISED
    world.open_cycle.finalised_at = world.cycle.finalised_at
    db.session.commit()
    other = issue(world.open_cycle)
    assert [c.serial for c in other] == ["FY2014-0001"]


def test_revoking_records_when_and_why(world, issue, events):
    certificate = issue()[0]
    services.revoke_certificate(world.admin, certificate, "  Activity found to be misreported.  ")
    db.session.commit()
    assert certificate.status == CertificateStatus.REVOKED and certificate.revoked_at is not None
    assert certificate.revoked_reason == "Activity found to be misreported."
    [event] = events("certificate.revoked")
    assert event.object_id == certificate.id and event.details["reason"] == "Activity found to be misreported."


def test_revoking_needs_a_reason_and_a_certificate_in_force(world, issue):
    certificate = issue()[0]
    with pytest.raises(services.CertificateError) as refused:
        services.revoke_certificate(world.admin, certificate, "   ")
    assert refused.value.field == "reason"
    assert certificate.revoked_at is None
    services.revoke_certificate(world.admin, certificate, "Misreported.")
    with pytest.raises(services.CertificateError):
        services.revoke_certificate(world.admin, certificate, "Again.")


def test_reissuing_gives_a_new_serial_and_code_and_marks_the_old_one_replaced(world, issue, events):
    old, other = issue()
    world.site_a.name_en = "Tokyo Works Co."
    db.session.commit()
    new = services.reissue_certificate(world.admin, world.cycle, old)
    db.session.commit()
    assert new.serial == "FY2013-0003" and new.code != old.code
    assert new.decision_id == old.decision_id
    assert new.site_name_en == "Tokyo Works Co."  # a fresh copy: that is what re-issuing is for
    assert old.replaced_by_id == new.id and old.status == CertificateStatus.REPLACED
    assert new.status == CertificateStatus.VALID and other.status == CertificateStatus.VALID
    [event] = events("certificate.reissued")
    assert event.object_id == new.id and event.details["replaces"] == "FY2013-0001"
    # The replaced one cannot be re-issued again (its successor can), nor revoked.
    with pytest.raises(services.CertificateError):
        services.reissue_certificate(world.admin, world.cycle, old)
    with pytest.raises(services.CertificateError):
        services.revoke_certificate(world.admin, old, "No.")
    assert services.reissue_certificate(world.admin, world.cycle, new).serial == "FY2013-0004"


def test_a_revoked_certificate_is_not_reissued_by_issuing_but_can_be_reissued_explicitly(world, issue):
    revoked = issue()[0]
    services.revoke_certificate(world.admin, revoked, "Issued by mistake.")
    db.session.commit()
    assert issue() == []
    new = services.reissue_certificate(world.admin, world.cycle, revoked)
    db.session.commit()
    assert revoked.status == CertificateStatus.REVOKED and revoked.replaced_by_id == new.id
    assert new.status == CertificateStatus.VALID


def test_reissuing_is_refused_for_a_certificate_of_another_cycle(world, issue):
    certificate = issue()[0]
    with pytest.raises(services.CertificateError):
        services.reissue_certificate(world.admin, world.open_cycle, certificate)


def test_verify_url_is_absolute_and_prefers_the_configured_public_address(app, world):
    assert services.verify_url("abc") == "http://localhost/verify/abc"
    assert services.verify_url("abc", "https://awards.example.com/") == "https://awards.example.com/verify/abc"
    app.config["PUBLIC_BASE_URL"] = "https://mdd.example.org/awards"
    try:
        assert services.verify_url("abc") == "https://mdd.example.org/awards/verify/abc"
    finally:
        del app.config["PUBLIC_BASE_URL"]


def test_dates_are_dates_in_japan(world, issue):
    certificate = issue()[0]
    certificate.issued_at = datetime(2014, 3, 31, 16, 30, tzinfo=UTC)  # 01:30 on 1 April in Tokyo
    certificate.revoked_at = datetime(2014, 4, 1, 14, 59, tzinfo=UTC)  # 23:59 the same day
    assert certificate.issued_on == date(2014, 4, 1) and certificate.revoked_on == date(2014, 4, 1)
    assert services.certificate_data(certificate).issued_on == date(2014, 4, 1)
