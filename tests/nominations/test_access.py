"""Every nomination route, for every role: exactly what PRODUCT.md's matrix allows.

Rows: (method, path, data builder, expected status per role). Roles: anonymous, the submitter
of site A (whose nomination it is), the submitter of site B, a judge without assignments, an
admin. Refused requests must also leave the database as it was.
"""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from awards_app.audit.models import AuditEvent
from awards_app.core.enums import NominationStatus
from awards_app.extensions import db
from awards_app.nominations.models import Attachment, Nomination
from core.support import Page, assert_served_file, is_layout_page

from .support import form_data, png_bytes

ROLES = ("anonymous", "submitter_a", "submitter_b", "judge", "admin")
TITLE = "Tokyo bay clean-up"


def _create(w, n, a):
    return form_data(w.cycle, site_id=str(w.site_a.id), title="Created by the matrix")


def _edit(w, n, a):
    return form_data(w.cycle, version=n.version, title="Edited by the matrix")


def _upload(w, n, a):
    return {"file": (io.BytesIO(png_bytes()), "matrix.png")}


# method, path template, data builder, (anonymous, submitter A, submitter B, judge, admin)
TABLE = [
    # A judge is sent to their judging queue, which lists the nominations assigned to them.
    ("GET", "/nominations", None, (302, 200, 200, 302, 200)),
    ("GET", "/nominations/new/{cycle}", None, (302, 200, 200, 403, 200)),
    # Submitter B may not choose site A: the form answers with a field error (200), nothing created.
    ("POST", "/nominations/new/{cycle}", _create, (302, 302, 200, 403, 302)),
    ("GET", "/nominations/new/999999", None, (302, 404, 404, 404, 404)),
    # The form's draft, saved by itself (JSON): submitter B may not choose site A (400, nothing saved).
    ("POST", "/nominations/new/{cycle}/autosave", _create, (302, 200, 400, 403, 200)),
    ("POST", "/nominations/new/999999/autosave", _create, (302, 404, 404, 404, 404)),
    ("GET", "/nominations/new/{cycle}/autosave", None, (405, 405, 405, 405, 405)),
    ("POST", "/nominations/{nomination}/autosave", _edit, (302, 200, 404, 404, 200)),
    ("POST", "/nominations/999999/autosave", _edit, (302, 404, 404, 404, 404)),
    ("GET", "/nominations/{nomination}/autosave", None, (405, 405, 405, 405, 405)),
    ("GET", "/nominations/{nomination}", None, (302, 200, 404, 404, 200)),
    ("GET", "/nominations/999999", None, (302, 404, 404, 404, 404)),
    ("GET", "/nominations/{nomination}/edit", None, (302, 200, 404, 404, 200)),
    ("POST", "/nominations/{nomination}/edit", _edit, (302, 302, 404, 404, 302)),
    ("POST", "/nominations/999999/edit", _edit, (302, 404, 404, 404, 404)),
    ("POST", "/nominations/{nomination}/submit", lambda w, n, a: {"version": str(n.version)}, (302, 302, 404, 404, 302)),
    ("GET", "/nominations/{nomination}/submit", None, (405, 405, 405, 405, 405)),
    ("POST", "/nominations/{nomination}/withdraw", lambda w, n, a: {"reason": "matrix"}, (302, 302, 404, 404, 302)),
    ("GET", "/nominations/{nomination}/withdraw", None, (405, 405, 405, 405, 405)),
    ("POST", "/nominations/{nomination}/attachments", _upload, (302, 302, 404, 404, 302)),
    ("GET", "/nominations/{nomination}/attachments", None, (405, 405, 405, 405, 405)),
    ("GET", "/nominations/attachments/{attachment}", None, (302, 200, 404, 404, 200)),
    ("GET", "/nominations/attachments/999999", None, (302, 404, 404, 404, 404)),
    ("GET", "/nominations/attachments/{attachment}/thumbnail", None, (302, 200, 404, 404, 200)),
    ("GET", "/nominations/attachments/{attachment}/view", None, (302, 200, 404, 404, 200)),
    ("GET", "/nominations/attachments/999999/view", None, (302, 404, 404, 404, 404)),
    ("POST", "/nominations/attachments/{attachment}/delete", lambda w, n, a: {}, (302, 302, 404, 404, 302)),
    ("POST", "/nominations/attachments/999999/delete", lambda w, n, a: {}, (302, 404, 404, 404, 404)),
    ("GET", "/nominations/attachments/{attachment}/delete", None, (405, 405, 405, 405, 405)),
]

# What a 200 shows, per row and role: its heading ({fy}: the cycle's fiscal year), text that must be
# in <main> (the right nomination and site for that user) and text that must not.
NEW_FORM = "New nomination FY{fy}"
NOMINATION_PAGE = (TITLE, ["SITE-A — Tokyo Works (Japan) · FY{fy}", "Draft", "bay.png"], [])
EDIT_FORM = ("Edit nomination FY{fy}", ["Draft SITE-A — Tokyo Works"], [])
SHOWS = {
    ("GET", "/nominations", "submitter_a"): ("Our nominations", ["SITE-A — Tokyo Works", f"{TITLE} Nature Draft"],
                                             ["SITE-B"]),
    ("GET", "/nominations", "submitter_b"): ("Our nominations", ["SITE-B — Berlin Office", "No nominations yet."],
                                             [TITLE, "SITE-A"]),
    ("GET", "/nominations", "admin"): ("Nominations · FY{fy}",
                                       ["1 nomination", f"{TITLE} SITE-A — Tokyo Works Japan Nature Draft"], []),
    # A submitter's form names their own site; the admin chooses among all.
    ("GET", "/nominations/new/{cycle}", "submitter_a"): (NEW_FORM, ["Site: SITE-A — Tokyo Works"], ["SITE-B"]),
    ("GET", "/nominations/new/{cycle}", "submitter_b"): (NEW_FORM, ["Site: SITE-B — Berlin Office"], ["SITE-A"]),
    ("GET", "/nominations/new/{cycle}", "admin"): (NEW_FORM, ["SITE-A — Tokyo Works SITE-B — Berlin Office"], []),
    # Submitter B chose site A: the form comes back with the error beside the site (checked below).
    ("POST", "/nominations/new/{cycle}", "submitter_b"): (NEW_FORM, ["Please correct the field marked below."],
                                                          ["SITE-A"]),
    ("GET", "/nominations/{nomination}", "submitter_a"): NOMINATION_PAGE,
    ("GET", "/nominations/{nomination}", "admin"): NOMINATION_PAGE,
    # The edit form holds the nomination's title (checked below).
    ("GET", "/nominations/{nomination}/edit", "submitter_a"): EDIT_FORM,
    ("GET", "/nominations/{nomination}/edit", "admin"): EDIT_FORM,
}
# The files: their type, what Content-Disposition names, and their first bytes.
FILES = {
    "/nominations/attachments/{attachment}": ("image/png", "attachment; filename=bay.png", b"\x89PNG"),
    "/nominations/attachments/{attachment}/thumbnail": ("image/jpeg", "inline;", b"\xff\xd8"),
    "/nominations/attachments/{attachment}/view": ("image/png", "inline; filename=bay.png", b"\x89PNG"),
}

CASES = [
    pytest.param(method, path, build, role, expected[ROLES.index(role)], id=f"{method} {path} {role}")
    for method, path, build, expected in TABLE
    for role in ROLES
]


def _snapshot(nomination_id):
    db.session.expire_all()
    nomination = db.session.get(Nomination, nomination_id)
    return (
        nomination.version,
        nomination.status,
        nomination.title,
        db.session.scalar(select(func.count()).select_from(Attachment)),
        db.session.scalar(select(func.count()).select_from(Nomination)),
        db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("nomination.%"))),
        db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("attachment.%"))),
    )


@pytest.mark.parametrize("method, path, build, role, expected", CASES)
def test_route_answers_each_role_as_the_matrix_says(
    client, login, world, nomination_a, attachment_a, method, path, build, role, expected
):
    url = path.format(cycle=world.cycle.id, nomination=nomination_a.id, attachment=attachment_a.id)
    data = build(world, nomination_a, attachment_a) if build else None
    login(None if role == "anonymous" else getattr(world, role))
    before = _snapshot(nomination_a.id)

    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data=data, content_type="multipart/form-data")
    body = response.get_data()
    response.close()  # a served file stays open until the response is closed

    assert response.status_code == expected
    autosave = path.endswith("/autosave")
    if autosave and expected in (200, 400):
        assert response.is_json
        message = response.get_json()["message"]
        assert message.startswith("Draft saved at" if expected == 200 else "Not saved yet"), message
    elif expected == 200 and path in FILES:
        assert_served_file(response, body, *FILES[path])
    elif expected == 200:
        heading, shown, hidden = SHOWS[method, path, role]
        page = Page(response)
        fy = world.cycle.fiscal_year
        assert is_layout_page(page) and page.find("h1").text == heading.format(fy=fy)
        for text in shown:
            assert text.format(fy=fy) in page.main_text
        for text in hidden:
            assert text not in page.main_text
        if path == "/nominations/{nomination}/edit":
            assert page.input_value("title") == TITLE
        if method == "POST":
            assert page.field_error("site_id") == "Not a valid choice."
            assert page.input_value("title") == "Created by the matrix"
    if role == "anonymous" and expected == 302:
        assert response.headers["Location"].startswith("/login?next=")
    if role == "judge" and expected == 302:
        assert response.headers["Location"] == "/judging"
    if expected in (400, 403, 404, 405) or (method == "POST" and expected == 200 and not autosave):
        assert _snapshot(nomination_a.id) == before, "a refused request changed the database"
    if expected in (403, 404, 405):
        # Our own page in the site's layout, and nothing about the nomination leaks into it.
        page = Page(response)
        assert is_layout_page(page) and page.find("p", class_="display-6").text == str(expected)
        assert TITLE not in page.html and "bay.png" not in page.html
        assert "SITE-A" not in page.main_text and "Tokyo Works" not in page.main_text


def test_table_covers_every_nomination_route(app):
    covered = {(method, path.replace("999999", "{x}")) for method, path, _, _ in TABLE}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] != "nominations":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            shape = (method, rule.rule.replace("<int:cycle_id>", "{cycle}")
                     .replace("<int:nomination_id>", "{nomination}").replace("<int:attachment_id>", "{attachment}"))
            assert shape in covered, f"route {shape} is not in the matrix"


def test_submitter_a_changes_are_real(client, login, world, nomination_a):
    """The 302s of the matrix are real changes (the matrix alone could hide a no-op redirect)."""
    login(world.submitter_a)
    response = client.post(f"/nominations/{nomination_a.id}/edit", data=form_data(world.cycle, version=1, title="Changed"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Nomination, nomination_a.id).title == "Changed"
    response = client.post(f"/nominations/{nomination_a.id}/submit", data={"version": "2"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Nomination, nomination_a.id).status == NominationStatus.SUBMITTED


def test_inactive_user_is_logged_out(client, login, world, nomination_a):
    login(world.submitter_a)
    world.submitter_a.active = False
    db.session.flush()
    response = client.get(f"/nominations/{nomination_a.id}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_judge_who_belongs_to_a_site_still_cannot_see_its_nominations(client, login, world, nomination_a, make_user):
    """Site membership alone (kept on judges for conflict-of-interest checks) grants nothing."""
    judge = make_user("judge", sites=[world.site_a])
    login(judge)
    assert client.get(f"/nominations/{nomination_a.id}").status_code == 404
    assert client.get(f"/nominations/new/{world.cycle.id}").status_code == 403
