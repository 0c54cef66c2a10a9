"""Certificates: the public verification page, and the admin's issuing, downloads, revoking and
re-issuing under /admin/cycles/<id>/certificates. Changes go through ``perform``, which commits
once or rolls back and shows the refusal."""
from __future__ import annotations

import io
import tempfile
from functools import partial

from flask import Blueprint, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from awards_app.certificates import permissions, queries, services
from awards_app.certificates.forms import CertificateRevokeForm
from awards_app.certificates.models import Certificate
from awards_app.core.errors import render_error
from awards_app.core.permissions import allowed, require
from awards_app.core.transactions import perform
from awards_app.cycles.fiscal import fiscal_year_label
from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from awards_app.nominations.models import Nomination

bp = Blueprint("certificates", __name__)


@bp.errorhandler(services.RendererUnavailable)
def renderer_unavailable(error: services.RendererUnavailable):
    """A server without Pango answers a PDF download with what it lacks, never a crash."""
    return render_error(503, str(error))


def _load_certificate(cycle: Cycle, certificate_id: int) -> Certificate:
    certificate = queries.get_cycle_certificate(cycle.id, certificate_id)
    require(certificate is not None, 404)
    return certificate


def _to_list(cycle: Cycle):
    return redirect(url_for("certificates.list_certificates", cycle_id=cycle.id))


# --- public ------------------------------------------------------------------------------------


@bp.get("/verify/<code>")
def verify_certificate(code: str):
    """Anyone holding a certificate (or its QR code) can check it is genuine. The page shows what
    the certificate itself says, and its state; nothing else (no reason for a revocation, no
    link to a replacement's code)."""
    certificate = queries.get_certificate_by_code(code)
    status = 200 if certificate is not None else 404
    # Once an admin has made the cycle's winners' page public, the certificate points to it.
    cycle = db.session.get(Cycle, certificate.cycle_id) if certificate is not None else None
    winners_url = url_for("winners.show_winners", fiscal_year=cycle.fiscal_year) if cycle and cycle.winners_public else None
    body = render_template("certificates/verify.html", certificate=certificate, winners_url=winners_url)
    # The code is as good as the paper: keep the page out of search engines.
    return body, status, {"X-Robots-Tag": "noindex, nofollow"}


# --- admin -------------------------------------------------------------------------------------


@bp.get("/admin/cycles/<int:cycle_id>/certificates")
@allowed(permissions.can_manage_certificates)
def list_certificates(cycle_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    certificates = queries.list_certificates(cycle.id)
    certified = queries.certified_decision_ids(cycle.id)
    pending = [decision for decision in queries.list_decisions(cycle.id) if decision.id not in certified]
    return render_template(
        "certificates/list.html",
        cycle=cycle,
        certificates=certificates,
        serials={certificate.id: certificate.serial for certificate in certificates},
        pending=pending,
        has_current=any(certificate.is_current for certificate in certificates),
        can_issue=permissions.can_issue_certificates(current_user, cycle),
        can_revoke=partial(permissions.can_revoke_certificate, current_user),
        can_reissue=partial(permissions.can_reissue_certificate, current_user, cycle),
    )


@bp.post("/admin/cycles/<int:cycle_id>/certificates/issue")
@allowed(permissions.can_manage_certificates)
def issue_certificates(cycle_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    done = perform(lambda: services.issue_certificates(current_user, cycle))
    if not done:
        return _to_list(cycle)
    issued = done.value
    if issued:
        flash(ngettext("%(num)d certificate issued.", "%(num)d certificates issued.", len(issued)), "success")
    else:
        flash(_("Every award of %(fy)s already has its certificate.", fy=fiscal_year_label(cycle.fiscal_year)), "info")
    return _to_list(cycle)


def _send_certificate(certificate: Certificate):
    pdf = services.certificate_pdf(certificate)
    return send_file(
        io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True, download_name=certificate.filename
    )


@bp.get("/nominations/<int:nomination_id>/certificates/<int:certificate_id>.pdf")
@login_required
def download_nomination_certificate(nomination_id: int, certificate_id: int):
    """The winning site downloads its certificate from its nomination's page (the outcome panel)."""
    nomination = db.session.get(Nomination, nomination_id)
    certificate = queries.get_nomination_certificate(nomination_id, certificate_id)
    # Another site's nomination or certificate, or a revoked one: it does not exist for this user.
    require(nomination is not None and certificate is not None
            and permissions.can_download_nomination_certificate(current_user, certificate, nomination), 404)
    return _send_certificate(certificate)


@bp.get("/admin/cycles/<int:cycle_id>/certificates/<int:certificate_id>.pdf")
@allowed(permissions.can_manage_certificates)
def download_certificate(cycle_id: int, certificate_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    return _send_certificate(_load_certificate(cycle, certificate_id))


@bp.get("/admin/cycles/<int:cycle_id>/certificates.zip")
@allowed(permissions.can_manage_certificates)
def download_certificates(cycle_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    certificates = queries.list_current_certificates(cycle.id)
    if not certificates:
        flash(_("%(fy)s has no certificate in force to download.", fy=fiscal_year_label(cycle.fiscal_year)), "info")
        return _to_list(cycle)
    # On disk, not in memory: one PDF at a time is rendered into it, however many there are.
    archive = tempfile.TemporaryFile()  # noqa: SIM115 - send_file closes it with the response
    try:
        services.write_certificates_zip(certificates, archive)
        archive.seek(0)
    except BaseException:
        archive.close()
        raise
    return send_file(
        archive, mimetype="application/zip", as_attachment=True, download_name=f"certificates-{cycle.label}.zip"
    )


@bp.route("/admin/cycles/<int:cycle_id>/certificates/<int:certificate_id>/revoke", methods=["GET", "POST"])
@allowed(permissions.can_manage_certificates)
def revoke_certificate(cycle_id: int, certificate_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    certificate = _load_certificate(cycle, certificate_id)
    if not permissions.can_revoke_certificate(current_user, certificate):
        flash(str(permissions.revoke_closed_reason(certificate)), "warning")
        return _to_list(cycle)
    form = CertificateRevokeForm()
    if form.validate_on_submit():
        done = perform(lambda: services.revoke_certificate(current_user, certificate, form.reason.data), form=form,
                       success=_("Certificate %(serial)s has been revoked.", serial=certificate.serial))
        if done:
            return _to_list(cycle)
    return render_template("certificates/revoke.html", cycle=cycle, certificate=certificate, form=form)


@bp.post("/admin/cycles/<int:cycle_id>/certificates/<int:certificate_id>/reissue")
@allowed(permissions.can_manage_certificates)
def reissue_certificate(cycle_id: int, certificate_id: int):
    cycle = db.get_or_404(Cycle, cycle_id)
    certificate = _load_certificate(cycle, certificate_id)
    done = perform(lambda: services.reissue_certificate(current_user, cycle, certificate))
    if done:
        flash(_("Certificate %(old)s has been replaced by %(new)s.", old=certificate.serial, new=done.value.serial),
              "success")
    return _to_list(cycle)
