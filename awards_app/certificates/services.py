"""Certificate operations: issue, revoke, re-issue; and turning certificates into PDF files.

The operations check the rules of the domain (phase, state, signatory), change state and write
the audit log; the caller commits. Views check *who* may act (permissions.py) first.

A certificate copies what it says (award, fiscal year's name, site, activity, signatory) when it is issued, so the
PDF and the verification page stay as issued whatever is edited later; a correction is a
re-issue, which takes a fresh copy under a new serial number and code.
"""
from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from awards_app.awards.models import AwardDecision
from awards_app.certificates import permissions, queries
from awards_app.certificates.models import Certificate
from awards_app.core import checks, events
from awards_app.core.exceptions import DomainError
from awards_app.core.logs import get_logger
from awards_app.core.models import utcnow
from awards_app.core.urls import external_url
from awards_app.cycles.fiscal import fiscal_year_labels
from awards_app.cycles.models import Cycle
from awards_app.extensions import db

# 12 random bytes: 96 bits, far beyond guessing (the product asks for at least 60).
CODE_BYTES = 12
REASON_MAX = 1000

log = get_logger(__name__)


class CertificateError(DomainError):
    """A rule refused the operation; the message is shown to the user, beside `field` if given."""


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def _refuse_if(reason) -> None:
    """Refuse with a reason from permissions (what the certificates page follows), if any."""
    if reason is not None:
        raise CertificateError(reason)


def _ensure_issuable(cycle: Cycle) -> None:
    _refuse_if(permissions.issue_closed_reason(cycle))
    if not (cycle.signatory_name_ja.strip() and cycle.signatory_name_en.strip()):
        raise CertificateError(
            _l("Set who signs the certificates of this cycle (name in Japanese and in English) before issuing them.")
        )


def _lock_cycle(cycle: Cycle) -> None:
    """Serialise issuing within a cycle, so two admins never take the same serial number
    (a row lock on PostgreSQL; SQLite allows one writer at a time anyway)."""
    db.session.execute(select(Cycle.id).where(Cycle.id == cycle.id).with_for_update())


def _snapshot(decision: AwardDecision, cycle: Cycle) -> dict:
    """What the certificate of `decision` says, copied now."""
    nomination = decision.nomination
    return {
        "fiscal_year": cycle.fiscal_year,
        **{f"fiscal_year_label_{language}": label for language, label in fiscal_year_labels(cycle.fiscal_year).items()},
        "award_name_en": decision.category.name_en,
        "award_name_ja": decision.category.name_ja,
        "site_name_en": nomination.site.name_en,
        "site_name_ja": nomination.site.name_ja,
        "title": nomination.title or nomination.title_other,
        "title_other": nomination.title_other if nomination.title else "",
        "signatory_name_en": cycle.signatory_name_en.strip(),
        "signatory_name_ja": cycle.signatory_name_ja.strip(),
        "signatory_title_en": cycle.signatory_title_en.strip(),
        "signatory_title_ja": cycle.signatory_title_ja.strip(),
    }


def _new_certificate(actor, decision: AwardDecision, cycle: Cycle, serial_number: int,
                     now: datetime | None = None) -> Certificate:
    certificate = Certificate(
        cycle_id=cycle.id,
        decision_id=decision.id,
        serial_number=serial_number,
        code=new_code(),
        issued_at=now or utcnow(),
        issued_by_id=getattr(actor, "id", None),
        **_snapshot(decision, cycle),
    )
    db.session.add(certificate)
    return certificate


def issue_certificates(actor, cycle: Cycle, *, now: datetime | None = None) -> list[Certificate]:
    """Issue one certificate for each award decision of the finalised `cycle` that has never had
    one, numbered on from the cycle's last serial number; returns the new certificates.

    Idempotent: a decision with a certificate is skipped. That includes a revoked certificate:
    revoking is deliberate, and issuing again for it is an explicit re-issue, never a side effect
    of issuing the rest.
    """
    _ensure_issuable(cycle)
    _lock_cycle(cycle)
    done = queries.certified_decision_ids(cycle.id)
    serial_number = queries.next_serial_number(cycle.id)
    issued = []
    for decision in queries.list_decisions(cycle.id):
        if decision.id in done:
            continue
        issued.append(_new_certificate(actor, decision, cycle, serial_number, now))
        serial_number += 1
    db.session.flush()
    for certificate in issued:
        events.announce(
            events.certificate_issued, actor, certificate,
            serial=certificate.serial, decision_id=certificate.decision_id,
        )
    return issued


def revoke_certificate(actor, certificate: Certificate, reason: str) -> None:
    """Withdraw a certificate in force. The reason stays internal (audit log and admin pages);
    the verification page says only that, and when, it was revoked."""
    _refuse_if(permissions.revoke_closed_reason(certificate))
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_l("Give the reason for revoking the certificate."), field="reason")
    if len(reason) > REASON_MAX:
        raise CertificateError(
            _l("Keep the reason to %(max)d characters or fewer.", max=REASON_MAX), field="reason"
        )
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = reason
    events.announce(events.certificate_revoked, actor, certificate, serial=certificate.serial, reason=reason)


def reissue_certificate(actor, cycle: Cycle, certificate: Certificate) -> Certificate:
    """Replace `certificate` with a new one (new serial number and code, what it says copied
    afresh, e.g. after a site's name was corrected). The old one is marked replaced and stays
    on record; a revoked one stays revoked as well."""
    if certificate.cycle_id != cycle.id:
        raise CertificateError(_l("This certificate belongs to another cycle."))
    _ensure_issuable(cycle)
    _refuse_if(permissions.reissue_closed_reason(cycle, certificate))
    _lock_cycle(cycle)
    replacement = _new_certificate(actor, certificate.decision, cycle, queries.next_serial_number(cycle.id))
    db.session.flush()
    certificate.replaced_by_id = replacement.id
    events.announce(
        events.certificate_reissued, actor, replacement,
        serial=replacement.serial, decision_id=replacement.decision_id,
        replaces=certificate.serial, replaces_id=certificate.id,
    )
    return replacement


# --- PDF files --------------------------------------------------------------------------------
# render (and so WeasyPrint, half a second to import) is loaded only when a PDF is made.


def verify_url(code: str, base_url: str | None = None) -> str:
    """The absolute address of the certificate's public verification page, for its QR code.

    `base_url` (the CLI's --base-url), else the PUBLIC_BASE_URL setting, else the address the
    current request came to (or SERVER_NAME outside a request): see core.urls.external_url."""
    return external_url("certificates.verify_certificate", base_url=base_url, code=code)


class RendererUnavailable(CertificateError):
    """This server lacks the system libraries WeasyPrint needs: PDFs cannot be made."""


def _render():
    """The PDF module, or RendererUnavailable saying plainly what the server lacks."""
    problem = checks.pdf_renderer_problem()
    if problem is not None:
        log.error("certificates cannot render: %s", problem)
        raise RendererUnavailable(_l(
            "Certificates cannot be made on this server: the system libraries for PDF rendering are "
            "missing. Ask the administrator to install %(packages)s.", packages=checks.PDF_LIBRARIES))
    from awards_app.certificates import render

    return render


def certificate_data(certificate: Certificate, base_url: str | None = None):
    """The certificate as the plain data its PDF is made from (render.CertificateData)."""
    return _render().CertificateData.from_certificate(certificate, verify_url(certificate.code, base_url))


def certificate_pdf(certificate: Certificate, base_url: str | None = None) -> bytes:
    return _render().render_certificate(certificate_data(certificate, base_url))


def write_certificates_zip(certificates: Iterable[Certificate], target: BinaryIO, base_url: str | None = None) -> int:
    """A ZIP archive of the certificates' PDFs on `target`, rendered one at a time."""
    return _render().write_zip((certificate_data(c, base_url) for c in certificates), target)
