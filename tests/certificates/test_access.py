"""Every certificates route, for every role: the verification page is public, everything else
is the admin's. Refused requests change nothing and are our own pages, never Werkzeug's."""
from __future__ import annotations

import pytest
from core.support import Page, is_layout_page, routes_without_a_row
from sqlalchemy import select

from awards_app.audit.models import AuditEvent
from awards_app.certificates.models import Certificate
from awards_app.extensions import db

ROLES = ("anonymous", "submitter", "judge", "admin")
ADMIN_ONLY = (302, 403, 403)

# method, path, data, expected per role (see ROLES).
# {cycle}: FY2013 (finalised, certificates issued); {open}: FY2014 (in judging); {cert}: the first
# certificate of FY2013, {code} its code; 999999 does not exist.
TABLE = [
    ("GET", "/verify/{code}", None, (200, 200, 200, 200)),
    ("GET", "/verify/unknown-code-0000", None, (404, 404, 404, 404)),
    ("GET", "/verify/" + "x" * 200, None, (404, 404, 404, 404)),
    ("POST", "/verify/{code}", {}, (405, 405, 405, 405)),
    ("GET", "/admin/cycles/{cycle}/certificates", None, (*ADMIN_ONLY, 200)),
    ("GET", "/admin/cycles/{open}/certificates", None, (*ADMIN_ONLY, 200)),
    ("GET", "/admin/cycles/999999/certificates", None, (*ADMIN_ONLY, 404)),
    ("POST", "/admin/cycles/{cycle}/certificates/issue", {}, (*ADMIN_ONLY, 302)),
    ("POST", "/admin/cycles/{open}/certificates/issue", {}, (*ADMIN_ONLY, 302)),
    ("POST", "/admin/cycles/999999/certificates/issue", {}, (*ADMIN_ONLY, 404)),
    ("GET", "/admin/cycles/{cycle}/certificates/issue", None, (405, 405, 405, 405)),
    ("GET", "/admin/cycles/{cycle}/certificates/{cert}.pdf", None, (*ADMIN_ONLY, 200)),
    ("GET", "/admin/cycles/{open}/certificates/{cert}.pdf", None, (*ADMIN_ONLY, 404)),
    ("GET", "/admin/cycles/{cycle}/certificates/999999.pdf", None, (*ADMIN_ONLY, 404)),
    ("GET", "/admin/cycles/999999/certificates/{cert}.pdf", None, (*ADMIN_ONLY, 404)),
    ("GET", "/admin/cycles/{cycle}/certificates.zip", None, (*ADMIN_ONLY, 200)),
    ("GET", "/admin/cycles/{open}/certificates.zip", None, (*ADMIN_ONLY, 302)),
    ("GET", "/admin/cycles/999999/certificates.zip", None, (*ADMIN_ONLY, 404)),
    ("GET", "/admin/cycles/{cycle}/certificates/{cert}/revoke", None, (*ADMIN_ONLY, 200)),
    ("POST", "/admin/cycles/{cycle}/certificates/{cert}/revoke", {"reason": ""}, (*ADMIN_ONLY, 200)),
    ("GET", "/admin/cycles/{open}/certificates/{cert}/revoke", None, (*ADMIN_ONLY, 404)),
    ("GET", "/admin/cycles/{cycle}/certificates/999999/revoke", None, (*ADMIN_ONLY, 404)),
    ("POST", "/admin/cycles/{cycle}/certificates/999999/revoke", {"reason": "x"}, (*ADMIN_ONLY, 404)),
    ("POST", "/admin/cycles/{cycle}/certificates/{cert}/reissue", {}, (*ADMIN_ONLY, 302)),
    ("POST", "/admin/cycles/{open}/certificates/{cert}/reissue", {}, (*ADMIN_ONLY, 404)),
    ("POST", "/admin/cycles/{cycle}/certificates/999999/reissue", {}, (*ADMIN_ONLY, 404)),
    ("GET", "/admin/cycles/{cycle}/certificates/{cert}/reissue", None, (405, 405, 405, 405)),
    # The winning site's certificate from its nomination's page: its submitters and admins.
    ("GET", "/nominations/{japan}/certificates/{cert}.pdf", None, (302, 200, 404, 200)),
    ("GET", "/nominations/{overseas}/certificates/{cert_b}.pdf", None, (302, 404, 404, 200)),
    ("GET", "/nominations/{japan}/certificates/{cert_b}.pdf", None, (302, 404, 404, 404)),
    ("GET", "/nominations/999999/certificates/{cert}.pdf", None, (302, 404, 404, 404)),
    ("GET", "/nominations/{japan}/certificates/999999.pdf", None, (302, 404, 404, 404)),
]

# What a 200 shows: the page's heading, or the file's type.
SHOWS = {
    "/verify/{code}": "Certificate check",
    "/admin/cycles/{cycle}/certificates": "Certificates · FY2013",
    "/admin/cycles/{open}/certificates": "Certificates · FY2014",
    "/admin/cycles/{cycle}/certificates/{cert}.pdf": "application/pdf",
    "/admin/cycles/{cycle}/certificates.zip": "application/zip",
    "/admin/cycles/{cycle}/certificates/{cert}/revoke": "Revoke certificate FY2013-0001",
    "/nominations/{japan}/certificates/{cert}.pdf": "application/pdf",
    "/nominations/{overseas}/certificates/{cert_b}.pdf": "application/pdf",
}

CASES = [
    pytest.param(method, path, data, role, expected[ROLES.index(role)], id=f"{method} {path} {role}")
    for method, path, data, expected in TABLE
    for role in ROLES
]


@pytest.fixture
def setting(world, issue):
    certificates = issue()
    return {
        "cycle": world.cycle.id, "open": world.open_cycle.id,
        "cert": certificates[0].id, "code": certificates[0].code, "cert_b": certificates[1].id,
        "japan": world.japan.id, "overseas": world.overseas.id,
        "users": {"anonymous": None, "submitter": world.submitter, "judge": world.judge, "admin": world.admin},
    }


@pytest.mark.parametrize("method, path, data, role, expected", CASES)
def test_route_answers_role(client, login, setting, method, path, data, role, expected):
    user = setting["users"][role]
    if user is not None:
        login(user)
    url = path.format(**{k: v for k, v in setting.items() if k != "users"})
    response = client.open(url, method=method, data=data)
    body = response.get_data()
    response.close()  # a ZIP is sent from a temporary file, which closing the response closes
    assert response.status_code == expected
    if expected == 200 and response.mimetype == "text/html":
        page = Page(response)
        assert is_layout_page(page) and page.find("h1").text == SHOWS[path]
        if path.startswith("/verify/"):
            assert "Tokyo Works" in page.main_text  # the certificate it checks
        if method == "POST":
            assert page.field_error("reason")
    elif expected == 200:
        assert response.mimetype == SHOWS[path]
        assert body.startswith(b"%PDF-" if path.endswith(".pdf") else b"PK")
    if expected == 302 and role == "anonymous":
        assert response.headers["Location"].startswith("/login?next=")
    if expected in (403, 404, 405):
        page = Page(response)
        assert is_layout_page(page)
        if not url.startswith("/verify/"):
            assert page.find("p", class_="display-6").text == str(expected)


def test_refused_requests_change_nothing(client, login, world, setting):
    before = [(c.id, c.revoked_at, c.replaced_by_id) for c in db.session.scalars(select(Certificate))]
    certificate_events = select(db.func.count(AuditEvent.id)).where(AuditEvent.action.startswith("certificate."))
    audit_before = db.session.scalar(certificate_events)
    for user in (world.submitter, world.judge):
        login(user)
        base = f"/admin/cycles/{world.cycle.id}/certificates"
        assert client.post(f"{base}/{setting['cert']}/revoke", data={"reason": "Hacked"}).status_code == 403
        assert client.post(f"{base}/{setting['cert']}/reissue").status_code == 403
        assert client.post(f"{base}/issue").status_code == 403
        client.post("/logout")
    db.session.expire_all()
    assert [(c.id, c.revoked_at, c.replaced_by_id) for c in db.session.scalars(select(Certificate))] == before
    assert db.session.scalar(certificate_events) == audit_before


def test_table_covers_every_route(app):
    """Each (rule, method) of the certificates blueprint has a row, so a new route needs one."""
    requests = [(method, path.format(cycle=1, open=2, cert=1, code="c", cert_b=2, japan=1, overseas=2))
                for method, path, _data, _expected in TABLE]
    assert routes_without_a_row(app, {"certificates"}, requests) == set()


def test_the_winning_site_downloads_its_certificate_from_its_nomination(client, login, world, setting):
    """The outcome panel offers the certificate in force; once revoked it is neither offered nor served."""
    login(world.submitter)
    page = Page(client.get(f"/nominations/{world.japan.id}"))
    url = f"/nominations/{world.japan.id}/certificates/{setting['cert']}.pdf"
    link = page.find("a", href=url)
    assert link is not None and link.text == "Download the certificate (PDF, FY2013-0001)"
    response = client.get(url)
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment;")
    response.close()

    login(world.admin)
    client.post(f"/admin/cycles/{world.cycle.id}/certificates/{setting['cert']}/revoke", data={"reason": "Typo"})
    login(world.submitter)
    assert client.get(url).status_code == 404
    page = Page(client.get(f"/nominations/{world.japan.id}"))
    assert page.find("a", href=url) is None
    assert "The certificate will be offered here once it has been issued." in page.main_text
