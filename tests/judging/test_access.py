"""Every judging route, for every role: exactly what PRODUCT.md's "Who may do what" allows.

Roles: anonymous, the submitter of site A (the nominating site), the submitter of site B, a judge
without assignments, the judge assigned to the nomination, a judge who belongs to site A (never
assigned it: conflict of interest), an admin. Refused requests change nothing and leak nothing.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from awards_app.core.enums import NominationStatus, Phase
from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from awards_app.judging.models import Assignment, JudgingRound, PanelMember, ScoreSheet
from awards_app.judging.queries import get_round
from awards_app.nominations.models import Nomination
from core.support import Page, assert_served_file, is_layout_page, routes_without_a_row

ROLES = ("anonymous", "submitter_a", "submitter_b", "judge", "judge_assigned", "judge_site_a", "admin")
TITLE = "Tokyo bay clean-up"
COMMENT = "Private remark of the assigned judge"


def _draft(w, s):
    return s["score_data"](w.cycle, s["sheet"].version, [4, 3], comments=["Matrix draft"])


def _reason(w, s):
    return {"reason": "Matrix reason"}


def _conflict(w, s):
    return {"conflict-reason": "Matrix conflict"}


def _panel(w, s):
    return {"panel-japan-judges": [str(w.judge.id)]}


def _overseas(w, s):
    return {"region": "overseas", "tab": "overseas"}


def _mars(w, s):
    return {"region": "mars"}


def _close(w, s):
    return {"close-reason": "Matrix reason"}


def _add(w, s):
    return {"judge_id": str(w.judge.id)}


def _new_round(w, s):
    deadline = (w.cycle.judging_deadline + timedelta(days=40)).strftime("%Y-%m-%dT%H:%M")
    return {"name": "Matrix final", "judging_deadline": deadline, "judges_per_nomination": "2"}


def _promote(w, s):
    return {f"promote-{s['round2'].id}-per_region": "1"}


def _shortlist_add(w, s):
    return {f"add-{s['round2'].id}-nomination_id": str(s["berlin"].id), f"add-{s['round2'].id}-reason": "Matrix"}


def _shortlist_remove(w, s):
    return {f"remove-{s['round2'].id}-nomination_id": str(s["berlin"].id),
            f"remove-{s['round2'].id}-reason": "Matrix"}


def _edit_round(w, s):
    deadline = (s["round2"].judging_deadline + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    return {"name": "Matrix final", "judging_deadline": deadline, "judges_per_nomination": "2"}

# Refused for the state of the round, not for who asks: the judge's page is shown again.
STATE_REFUSALS = {"/judging/{assignment}/revise", "/judging/{assignment}/discussion"}

# method, path, data builder, expected per role (see ROLES).
# {assignment}/{sheet}: the assigned judge's assignment and draft sheet (it has scores);
# {other}: another judge's assignment on a second nomination of site C; 999999 does not exist.
TABLE = [
    ("GET", "/judging", None, (302, 403, 403, 200, 200, 200, 403)),
    ("GET", "/judging/how-results-are-computed", None, (302, 200, 200, 200, 200, 200, 200)),
    ("GET", "/judging/{assignment}", None, (302, 403, 403, 404, 200, 404, 403)),
    ("GET", "/judging/{other}", None, (302, 403, 403, 404, 404, 404, 403)),
    ("GET", "/judging/999999", None, (302, 403, 403, 404, 404, 404, 403)),
    ("POST", "/judging/{assignment}", _draft, (302, 403, 403, 404, 302, 404, 403)),
    ("POST", "/judging/{other}", _draft, (302, 403, 403, 404, 404, 404, 403)),
    ("POST", "/judging/{assignment}/conflict", _conflict, (302, 403, 403, 404, 302, 404, 403)),
    ("POST", "/judging/{other}/conflict", _conflict, (302, 403, 403, 404, 404, 404, 403)),
    ("GET", "/judging/{assignment}/conflict", None, (405, 405, 405, 405, 405, 405, 405)),
    # Deliberation: {cycle}'s round has none (and the sheet is a draft), so its own judge is refused.
    ("POST", "/judging/{assignment}/revise", None, (302, 403, 403, 404, 403, 404, 403)),
    ("POST", "/judging/{other}/revise", None, (302, 403, 403, 404, 404, 404, 403)),
    ("POST", "/judging/{assignment}/discussion", None, (302, 403, 403, 404, 403, 404, 403)),
    ("POST", "/judging/{other}/discussion", None, (302, 403, 403, 404, 404, 404, 403)),
    ("POST", "/admin/rounds/{round1}/nominations/{nomination}/deliberation", None, (302, 403, 403, 403, 403, 403, 302)),
    ("POST", "/admin/rounds/{round2}/nominations/{nomination}/deliberation", None, (302, 403, 403, 403, 403, 403, 404)),
    ("POST", "/admin/rounds/999999/nominations/{nomination}/deliberation", None, (302, 403, 403, 403, 403, 403, 404)),
    ("GET", "/admin/cycles/{cycle}/assignments", None, (302, 403, 403, 403, 403, 403, 200)),
    ("GET", "/admin/cycles/999999/assignments", None, (302, 403, 403, 403, 403, 403, 404)),
    ("POST", "/admin/cycles/{cycle}/panels/japan", _panel, (302, 403, 403, 403, 403, 403, 302)),
    ("POST", "/admin/cycles/{cycle}/panels/mars", _panel, (302, 403, 403, 403, 403, 403, 404)),
    ("POST", "/admin/cycles/{cycle}/assignments/auto", None, (302, 403, 403, 403, 403, 403, 302)),
    ("POST", "/admin/cycles/{cycle}/assignments/auto", _overseas, (302, 403, 403, 403, 403, 403, 302)),
    ("POST", "/admin/cycles/{cycle}/assignments/auto", _mars, (302, 403, 403, 403, 403, 403, 404)),
    ("POST", "/admin/nominations/{nomination}/assignments", _add, (302, 403, 403, 403, 403, 403, 302)),
    ("POST", "/admin/nominations/999999/assignments", _add, (302, 403, 403, 403, 403, 403, 404)),
    # The assigned judge has scored: the admin is asked to confirm (409), nothing removed yet.
    ("POST", "/admin/assignments/{assignment}/remove", None, (302, 403, 403, 403, 403, 403, 409)),
    ("POST", "/admin/assignments/999999/remove", None, (302, 403, 403, 403, 403, 403, 404)),
    ("POST", "/admin/nominations/{nomination}/ineligible", _reason, (302, 403, 403, 403, 403, 403, 302)),
    ("POST", "/admin/nominations/{nomination}/eligible", None, (302, 403, 403, 403, 403, 403, 302)),
    ("GET", "/admin/sheets/{sheet}", None, (302, 403, 403, 403, 403, 403, 200)),
    ("GET", "/admin/sheets/999999", None, (302, 403, 403, 403, 403, 403, 404)),
    ("POST", "/admin/sheets/{sheet}/reopen", _reason, (302, 403, 403, 403, 403, 403, 302)),
    ("GET", "/admin/cycles/{cycle}/ranking", None, (302, 403, 403, 403, 403, 403, 200)),
    ("GET", "/admin/cycles/{cycle}/ranking?region=overseas&sort=normalised", None,
     (302, 403, 403, 403, 403, 403, 200)),
    ("GET", "/admin/cycles/999999/ranking", None, (302, 403, 403, 403, 403, 403, 404)),
    ("GET", "/admin/cycles/{cycle}/progress", None, (302, 403, 403, 403, 403, 403, 200)),
    ("GET", "/admin/nominations/{nomination}/results", None, (302, 403, 403, 403, 403, 403, 200)),
    ("GET", "/admin/nominations/999999/results", None, (302, 403, 403, 403, 403, 403, 404)),
    ("GET", "/admin/cycles/999999/progress", None, (302, 403, 403, 403, 403, 403, 404)),
    ("POST", "/admin/cycles/{cycle}/judging/close", _close, (302, 403, 403, 403, 403, 403, 302)),
    ("POST", "/admin/cycles/999999/judging/close", _close, (302, 403, 403, 403, 403, 403, 404)),
    ("GET", "/admin/cycles/{cycle}/judging/close", None, (405, 405, 405, 405, 405, 405, 405)),
    # Rounds: {cycle} is judged in one round; {two_rounds} is another cycle with a second round
    # {round2} (its first round still open, so the shortlist changes are refused with a message).
    ("GET", "/admin/cycles/{cycle}/rounds", None, (302, 403, 403, 403, 403, 403, 200)),
    ("GET", "/admin/cycles/{two_rounds}/rounds", None, (302, 403, 403, 403, 403, 403, 200)),
    ("GET", "/admin/cycles/999999/rounds", None, (302, 403, 403, 403, 403, 403, 404)),
    ("POST", "/admin/cycles/{cycle}/rounds", _new_round, (302, 403, 403, 403, 403, 403, 302)),
    ("POST", "/admin/cycles/999999/rounds", _new_round, (302, 403, 403, 403, 403, 403, 404)),
    ("POST", "/admin/rounds/{round2}/shortlist/promote", _promote, (302, 403, 403, 403, 403, 403, 302)),
    ("POST", "/admin/rounds/999999/shortlist/promote", _promote, (302, 403, 403, 403, 403, 403, 404)),
    ("POST", "/admin/rounds/{round2}/shortlist/add", _shortlist_add, (302, 403, 403, 403, 403, 403, 302)),
    ("POST", "/admin/rounds/{round1}/shortlist/add", _shortlist_add, (302, 403, 403, 403, 403, 403, 404)),
    ("POST", "/admin/rounds/{round2}/shortlist/remove", _shortlist_remove, (302, 403, 403, 403, 403, 403, 302)),
    ("POST", "/admin/rounds/999999/shortlist/remove", _shortlist_remove, (302, 403, 403, 403, 403, 403, 404)),
    ("GET", "/admin/rounds/{round2}/edit", None, (302, 403, 403, 403, 403, 403, 200)),
    ("GET", "/admin/rounds/999999/edit", None, (302, 403, 403, 403, 403, 403, 404)),
    ("POST", "/admin/rounds/{round2}/edit", _edit_round, (302, 403, 403, 403, 403, 403, 302)),
    ("POST", "/admin/rounds/999999/edit", _edit_round, (302, 403, 403, 403, 403, 403, 404)),
    # {round2}'s shortlist is empty: publishing is refused with a message, as is withdrawing.
    ("POST", "/admin/rounds/{round2}/shortlist/publish", None, (302, 403, 403, 403, 403, 403, 302)),
    ("POST", "/admin/rounds/{round1}/shortlist/publish", None, (302, 403, 403, 403, 403, 403, 404)),
    ("POST", "/admin/rounds/{round2}/shortlist/withdraw", None, (302, 403, 403, 403, 403, 403, 302)),
    ("POST", "/admin/rounds/999999/shortlist/withdraw", None, (302, 403, 403, 403, 403, 403, 404)),
    ("GET", "/admin/cycles/{two_rounds}/ranking?round={round2}", None, (302, 403, 403, 403, 403, 403, 200)),
    ("GET", "/admin/cycles/{cycle}/ranking?round={round2}", None, (302, 403, 403, 403, 403, 403, 404)),
    ("GET", "/admin/cycles/{two_rounds}/progress?round={round2}", None, (302, 403, 403, 403, 403, 403, 200)),
    ("GET", "/admin/cycles/{two_rounds}/assignments?round={round2}", None, (302, 403, 403, 403, 403, 403, 200)),
    # The nomination itself and its files: a judge sees them only while assigned.
    ("GET", "/nominations/{nomination}", None, (302, 200, 404, 404, 200, 404, 200)),
    ("GET", "/nominations/attachments/{attachment}", None, (302, 200, 404, 404, 200, 404, 200)),
    ("GET", "/nominations/attachments/{attachment}/thumbnail", None, (302, 200, 404, 404, 200, 404, 200)),
    ("GET", "/nominations/attachments/{attachment}/view", None, (302, 200, 404, 404, 200, 404, 200)),
]

# What a 200 shows, per row and role: its heading ({fy}: the cycle's fiscal year), text that must be
# in <main> (the right nomination, judge, figures) and text that must not (the other judge's work).
QUEUE_EMPTY = ("My judging queue · FY{fy}", ["0 of 0 submitted"], [TITLE, "Osaka forest"])
NOMINATION_PAGE = (TITLE, ["SITE-A — Tokyo Works (Japan) · FY{fy}", "Submitted", "bay.png"], ["Osaka forest"])
# The method page holds no data: the same for everyone, with the worked example's figures.
METHOD_PAGE = ("How results are computed", ["1. A sheet's weighted total", "The worked example, as the model computes it",
                                            "Severity of Hana -1.00, of Ren 1.00."], [TITLE, COMMENT])
SHOWS = {
    **{("/judging/how-results-are-computed", role): METHOD_PAGE for role in ROLES if role != "anonymous"},
    ("/judging", "judge"): QUEUE_EMPTY,
    ("/judging", "judge_site_a"): QUEUE_EMPTY,
    ("/judging", "judge_assigned"): ("My judging queue · FY{fy}", ["0 of 1 submitted", f"In progress 1 {TITLE}"],
                                     ["Osaka forest"]),
    # The assigned judge's own draft: its comment is pre-filled (its score of 4 is checked below).
    ("/judging/{assignment}", "judge_assigned"): (TITLE, ["Tokyo Works · Japan · FY{fy}", "bay.png", COMMENT],
                                                  ["Osaka forest", "Olga Other"]),
    ("/admin/cycles/{cycle}/assignments", "admin"): (
        "Judges and assignments · FY{fy}",
        [f"{TITLE} · SITE-A 1 of 3 judges", "Asa Assigned · in progress", "Osaka forest · SITE-C 1 of 3 judges",
         "Olga Other · not started"], [COMMENT]),
    ("/admin/sheets/{sheet}", "admin"): (
        f"Score sheet: {TITLE}", ["Judge: Asa Assigned · In progress", f"Business relevance 4 {COMMENT}"],
        ["Osaka forest", "Olga Other"]),
    ("/admin/cycles/{cycle}/ranking", "admin"): (
        "Ranking · FY{fy} · Japan",
        [f"{TITLE} Tokyo Works · Japan 0 of 1", "Osaka forest Osaka Plant · Japan 0 of 1"], [COMMENT]),
    ("/admin/cycles/{cycle}/ranking?region=overseas&sort=normalised", "admin"): (
        "Ranking · FY{fy} · Overseas", ["No submitted nominations in this region."], [TITLE, "Osaka forest"]),
    ("/admin/cycles/{cycle}/progress", "admin"): (
        "Judge progress · FY{fy}", [], [COMMENT]),  # its rows are checked below
    # Every sheet of the nomination side by side (the draft as it stands), not the other nomination's.
    ("/admin/nominations/{nomination}/results", "admin"): (
        f"Results: {TITLE}", ["Asa Assigned In progress", COMMENT, "SITE-A — Tokyo Works"], ["Osaka forest", "Olga Other"]),
    ("/admin/cycles/{cycle}/rounds", "admin"): (
        "Judging rounds · FY{fy}", ["Round 1 Current round", "Add a round"], [COMMENT, "Shortlist"]),
    ("/admin/cycles/{two_rounds}/rounds", "admin"): (
        "Judging rounds · FY{fy2}", ["Round 1 Current round", "Final panel", "Round 1 is still open. Close it"],
        [COMMENT, TITLE]),
    ("/admin/rounds/{round2}/edit", "admin"): ("Edit Final panel · FY{fy2}", ["Judging deadline", "Weights"], [TITLE]),
    ("/admin/cycles/{two_rounds}/ranking?round={round2}", "admin"): (
        "Ranking · FY{fy2} · Japan", ["Round 1", "Final panel", "No submitted nominations in this region."], [TITLE]),
    ("/admin/cycles/{two_rounds}/progress?round={round2}", "admin"): (
        "Judge progress · FY{fy2}", ["Final panel", "No assignments yet."], [TITLE]),
    ("/admin/cycles/{two_rounds}/assignments?round={round2}", "admin"): (
        "Judges and assignments · FY{fy2}", ["Final panel", "No nomination of this region is on this round's shortlist"],
        [TITLE]),
    ("/nominations/{nomination}", "submitter_a"): NOMINATION_PAGE,
    ("/nominations/{nomination}", "judge_assigned"): NOMINATION_PAGE,
    ("/nominations/{nomination}", "admin"): NOMINATION_PAGE,
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


@pytest.fixture
def setting(world, make_user, make_nomination, make_assignment, make_sheet, make_attachment, score_data,
            make_cycle):
    """Nomination of site A assigned to one judge (draft sheet with scores and a comment); a
    second nomination (site C) assigned to another judge. Another cycle, of the previous year,
    has a second round (named "Final panel")."""
    nomination = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED, title=TITLE)
    judge_assigned = make_user("judge", name="Asa Assigned")
    assignment = make_assignment(nomination, judge_assigned)
    sheet = make_sheet(assignment, [4], submitted=False, comments=[COMMENT])
    other_nomination = make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED, title="Osaka forest")
    other = make_assignment(other_nomination, make_user("judge", name="Olga Other"))
    attachment = make_attachment(nomination, world.admin, "bay.png")
    world.judge_assigned = judge_assigned
    two_rounds = make_cycle(world.cycle.fiscal_year - 1, Phase.JUDGING, nomination_deadline=world.now - timedelta(days=9),
                            judging_deadline=world.now + timedelta(days=20))
    round2 = JudgingRound(cycle_id=two_rounds.id, number=2, name="Final panel",
                          judging_deadline=world.now + timedelta(days=40))
    db.session.add(round2)
    db.session.commit()
    berlin = make_nomination(two_rounds, world.site_b, NominationStatus.SUBMITTED, title="Berlin garden")
    return {"nomination": nomination, "assignment": assignment, "sheet": sheet, "other": other,
            "attachment": attachment, "score_data": score_data, "two_rounds": two_rounds, "round2": round2, "berlin": berlin,
            "round1": get_round(world.cycle)}


@pytest.mark.parametrize("method, path, build, role, expected", CASES)
def test_route_answers_each_role_as_the_matrix_says(client, login, world, setting, snapshot,
                                                    method, path, build, role, expected):
    url = path.format(cycle=world.cycle.id, nomination=setting["nomination"].id,
                      assignment=setting["assignment"].id, sheet=setting["sheet"].id,
                      other=setting["other"].id, attachment=setting["attachment"].id,
                      two_rounds=setting["two_rounds"].id, round2=setting["round2"].id, round1=setting["round1"].id)
    login(None if role == "anonymous" else getattr(world, role))
    before = snapshot()

    response = client.open(url, method=method, data=build(world, setting) if build else {})
    data = response.get_data()
    body = data.decode("utf-8", "replace")
    response.close()  # a served file stays open until the response is closed

    assert response.status_code == expected
    if expected == 200 and path in FILES:
        assert_served_file(response, data, *FILES[path])
    elif expected == 200:
        heading, shown, hidden = SHOWS[path, role]
        page = Page(response)
        years = {"fy": world.cycle.fiscal_year, "fy2": world.cycle.fiscal_year - 1}
        assert is_layout_page(page) and page.find("h1").text == heading.format(**years)
        for text in shown:
            assert text.format(**years) in page.main_text
        for text in hidden:
            assert text not in page.html
        if path == "/judging/{assignment}":
            first, *rest = world.criteria
            assert page.checked_values(f"score_{first.id}") == {"4"}
            assert all(page.checked_values(f"score_{criterion.id}") == set() for criterion in rest)
        if path == "/admin/cycles/{cycle}/progress":
            assert [row[:3] for row in page.table_rows()[1:]] == [["Asa Assigned", "0", "1"], ["Olga Other", "0", "1"]]
    if expected == 409:
        # The confirmation names the judge and the nomination whose scores would go.
        page = Page(response)
        assert page.find("h1").text == "Remove an assignment"
        assert f"Asa Assigned has already scored “{TITLE}”" in page.main_text
    if expected == 302 and role == "anonymous":
        assert response.headers["Location"].startswith("/login?next=")
    if expected in (403, 404, 405, 409):
        assert snapshot() == before, "a refused request changed the database"
    if expected == 403 and role == "judge_assigned" and path in STATE_REFUSALS:
        # The judge's own scoring page again, the refusal said above it (what was typed is kept).
        assert "Deliberation is not open for this nomination." in Page(response).alerts()
    elif expected in (403, 404, 405):
        # Our own page in the site's layout, and nothing about the nomination or the judges' work.
        page = Page(response)
        assert is_layout_page(page) and page.find("p", class_="display-6").text == str(expected)
        assert TITLE not in body and COMMENT not in body and "Osaka forest" not in body
        assert "bay.png" not in body
        # (in <main>: the navigation bar names the logged-in user)
        assert "Asa Assigned" not in page.main_text and "Olga Other" not in page.main_text
    if role in ("judge", "judge_site_a") and url.startswith("/judging"):
        # A judge's pages never show another judge's comments.
        assert COMMENT not in body


def test_table_covers_every_judging_route(app):
    """Each (rule, method) of the judging blueprint has a row, so a new route needs one."""
    requests = [
        (method, path.split("?")[0].format(cycle=1, nomination=1, assignment=1, sheet=1, other=1, attachment=1,
                                           two_rounds=1, round1=1, round2=1))
        for method, path, _build, _expected in TABLE
    ]
    assert routes_without_a_row(app, {"judging"}, requests) == set()


def test_the_matrix_successes_are_real(client, login, world, setting, reload):
    """The 302s above are real changes, not no-op redirects."""
    login(world.judge_assigned)
    sheet = setting["sheet"]
    version = sheet.version
    response = client.post(f"/judging/{setting['assignment'].id}", data=_draft(world, setting))
    assert response.status_code == 302
    saved = reload(ScoreSheet, sheet.id)
    assert [s.value for s in sorted(saved.scores, key=lambda s: s.criterion_id)] == [4, 3, None]
    assert saved.version == version + 1

    response = client.post(f"/judging/{setting['assignment'].id}/conflict", data=_conflict(world, setting))
    assert response.status_code == 302
    assert reload(Assignment, setting["assignment"].id).status.value == "conflict"

    login(world.admin)
    response = client.post(f"/admin/cycles/{world.cycle.id}/judging/close", data=_close(world, setting))
    assert response.status_code == 302
    assert reload(Cycle, world.cycle.id).judging_closed_reason == "Matrix reason"
    assert reload(Assignment, setting["other"].id).not_completed

    response = client.post(f"/admin/rounds/{setting['round2'].id}/edit", data=_edit_round(world, setting))
    assert response.status_code == 302
    assert reload(JudgingRound, setting["round2"].id).name == "Matrix final"


def test_a_judge_cannot_reach_admin_judging_pages_even_when_assigned(client, login, world, setting):
    login(world.judge_assigned)
    for url in (f"/admin/cycles/{world.cycle.id}/ranking", f"/admin/cycles/{world.cycle.id}/progress",
                f"/admin/cycles/{world.cycle.id}/assignments", f"/admin/sheets/{setting['sheet'].id}"):
        assert client.get(url).status_code == 403, url


def test_a_judge_loses_the_nomination_page_when_the_assignment_ends(client, login, world, setting):
    login(world.judge_assigned)
    nomination_url = f"/nominations/{setting['nomination'].id}"
    assert client.get(nomination_url).status_code == 200
    client.post(f"/judging/{setting['assignment'].id}/conflict", data=_conflict(world, setting))
    assert client.get(nomination_url).status_code == 404
    assert client.get(f"/nominations/attachments/{setting['attachment'].id}").status_code == 404
    assert client.get(f"/nominations/attachments/{setting['attachment'].id}/view").status_code == 404
    assert client.get(f"/judging/{setting['assignment'].id}").status_code == 404


def test_an_inactive_judge_is_sent_to_login(client, login, world, setting):
    login(world.judge_assigned)
    world.judge_assigned.active = False
    db.session.commit()
    response = client.get(f"/judging/{setting['assignment'].id}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_judges_never_see_each_others_scores_on_a_shared_nomination(client, login, world, setting, make_user,
                                                                   make_assignment):
    """Two judges on the same nomination: each screen shows only the viewer's own sheet."""
    second = make_user("judge", name="Sara Second")
    theirs = make_assignment(setting["nomination"], second)
    login(second)
    body = client.get(f"/judging/{theirs.id}").get_data(as_text=True)
    assert TITLE in body and COMMENT not in body
    assert 'checked' not in body  # judge one's score of 4 is not pre-filled here
    assert client.get(f"/judging/{setting['assignment'].id}").status_code == 404


# --- CSRF -------------------------------------------------------------------------------------------


def _hidden_fields(page, action: str) -> dict[str, str]:
    """The hidden inputs of the form posting to `action`, as a browser would send them."""
    form = next(f for f in page.find_all("form") if f.get("action") in (action, None) and f.get("method") == "post")
    start = page.elements.index(form)
    fields = {}
    for element in page.elements[start + 1:]:
        if element.tag == "form":
            break
        if element.tag == "input" and element.get("type") == "hidden":
            fields[element.get("name")] = element.get("value") or ""
    return fields


def test_judging_forms_carry_their_csrf_token(client, login, world, setting, app, monkeypatch, snapshot):
    login(world.judge_assigned)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    url = f"/judging/{setting['assignment'].id}"
    before = snapshot()
    response = client.post(url, data=_draft(world, setting))
    assert response.status_code == 400
    assert snapshot() == before

    page = Page(client.get(url))
    hidden = _hidden_fields(page, None)
    assert set(hidden) == {"csrf_token", "version"}
    data = _draft(world, setting) | hidden
    assert client.post(url, data=data).status_code == 302

    page = Page(client.get(url))
    conflict_url = f"/judging/{setting['assignment'].id}/conflict"
    hidden = _hidden_fields(page, conflict_url)
    assert client.post(conflict_url, data={"conflict-reason": "Relative"}).status_code == 400
    response = client.post(conflict_url, data={"conflict-reason": "Relative"} | hidden)
    assert response.status_code == 302
    assert snapshot()["active"] == before["active"] - 1


def test_admin_judging_forms_carry_their_csrf_token(client, login, world, setting, app, monkeypatch, reload):
    login(world.admin)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    cycle_id, nomination_id = world.cycle.id, setting["nomination"].id
    page = Page(client.get(f"/admin/cycles/{cycle_id}/assignments"))
    panel_url = f"/admin/cycles/{cycle_id}/panels/japan"
    data = {"panel-japan-judges": [str(world.judge.id)]}
    assert client.post(panel_url, data=data).status_code == 400
    assert client.post(panel_url, data=data | _hidden_fields(page, panel_url)).status_code == 302
    assert db.session.scalars(select(PanelMember.judge_id)).all() == [world.judge.id]

    ineligible_url = f"/admin/nominations/{nomination_id}/ineligible"
    data = {"reason": "Out of scope"}
    assert client.post(ineligible_url, data=data).status_code == 400
    assert client.post(ineligible_url, data=data | _hidden_fields(page, ineligible_url)).status_code == 302
    assert reload(Nomination, nomination_id).status == NominationStatus.INELIGIBLE


def test_the_close_judging_form_carries_its_csrf_token(client, login, world, setting, app, monkeypatch, reload):
    login(world.admin)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/progress"))
    close_url = f"/admin/cycles/{world.cycle.id}/judging/close"
    data = {"close-reason": "Deadline extended no further"}
    assert client.post(close_url, data=data).status_code == 400
    assert reload(Cycle, world.cycle.id).judging_closed_at is None
    assert client.post(close_url, data=data | _hidden_fields(page, close_url)).status_code == 302
    assert reload(Cycle, world.cycle.id).judging_closed_at is not None
