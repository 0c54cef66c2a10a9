"""Every awards route, for every role (PRODUCT.md, "Who may do what": deciding awards is for
admins only). Refused requests change nothing and show nothing of the decisions."""
from __future__ import annotations

import pytest

from awards_app.core.enums import Phase
from awards_app.cycles.models import AwardCategory, Cycle
from awards_app.extensions import db
from core.support import Page, is_layout_page, routes_without_a_row

from .conftest import decisions

ROLES = ("anonymous", "submitter_a", "submitter_b", "judge", "admin")


def _choose_osaka(w, s):
    return {f"award-{w.japan.id}-nomination_id": str(s["contest"].osaka.id),
            f"award-{w.japan.id}-reason": "Matrix reason"}


def _confirm(w, s):
    return {"confirm": "y"}


# method, path, data builder, (anonymous, submitter A, submitter B, judge, admin)
# {cycle}: the cycle in judging; {japan}: its Japan award; {foreign}: an award of another cycle.
TABLE = [
    ("GET", "/admin/cycles/{cycle}/awards", None, (302, 403, 403, 403, 200)),
    ("GET", "/admin/cycles/999999/awards", None, (302, 403, 403, 403, 404)),
    ("POST", "/admin/cycles/{cycle}/awards/{japan}/decision", _choose_osaka, (302, 403, 403, 403, 302)),
    ("POST", "/admin/cycles/999999/awards/{japan}/decision", _choose_osaka, (302, 403, 403, 403, 404)),
    ("POST", "/admin/cycles/{cycle}/awards/999999/decision", _choose_osaka, (302, 403, 403, 403, 404)),
    ("POST", "/admin/cycles/{cycle}/awards/{foreign}/decision", _choose_osaka, (302, 403, 403, 403, 404)),
    ("GET", "/admin/cycles/{cycle}/awards/{japan}/decision", None, (405, 405, 405, 405, 405)),
    ("POST", "/admin/cycles/{cycle}/awards/{japan}/decision/delete", None, (302, 403, 403, 403, 302)),
    ("POST", "/admin/cycles/999999/awards/{japan}/decision/delete", None, (302, 403, 403, 403, 404)),
    ("POST", "/admin/cycles/{cycle}/awards/{foreign}/decision/delete", None, (302, 403, 403, 403, 404)),
    ("GET", "/admin/cycles/{cycle}/awards/{japan}/decision/delete", None, (405, 405, 405, 405, 405)),
    ("POST", "/admin/cycles/{cycle}/finalise", _confirm, (302, 403, 403, 403, 302)),
    ("POST", "/admin/cycles/999999/finalise", _confirm, (302, 403, 403, 403, 404)),
    ("GET", "/admin/cycles/{cycle}/finalise", None, (405, 405, 405, 405, 405)),
]

# What the one 200 (the admin's awards page) shows: its heading ({fy}: the cycle's fiscal year), and
# for each award its decided winner, who chose it, and the ranking's figures (weighted means).
HEADING = "Awards · FY{fy} Judging"
SHOWN = [
    "Grand Award (Japan) Japan Winner Tokyo bay clean-up — Tokyo Works Chosen by Ada Admin",
    "Grand Award (Overseas) Overseas Winner Berlin river garden — Berlin Office Chosen by Ada Admin",
    "The ranking proposes: Tokyo bay clean-up (Tokyo Works) · weighted mean 4.50",
    "The ranking proposes: Berlin river garden (Berlin Office) · weighted mean 4.17",
]
RANKS = [  # (rank, nomination, reviews, weighted mean, normalised, flags) of each table row
    ["1", "Tokyo bay clean-up", "2 of 2", "4.50", "1.12", "Winner"],
    ["2", "Osaka forest school", "2 of 2", "3.17", "-0.45", ""],
    ["1", "Berlin river garden", "2 of 2", "4.17", "0.70", "Winner"],
    ["2", "Boston reading club", "2 of 2", "2.33", "-1.36", ""],
]

CASES = [
    pytest.param(method, path, build, role, expected[ROLES.index(role)], id=f"{method} {path} {role}")
    for method, path, build, expected in TABLE
    for role in ROLES
]


@pytest.fixture
def setting(world, contest, decide, make_cycle):
    decide(world.japan, contest.tokyo)
    decide(world.overseas, contest.berlin)
    other = make_cycle(fiscal_year=world.cycle.fiscal_year - 1, phase=Phase.JUDGING)
    return {"contest": contest, "foreign": other.award_categories[0]}


@pytest.mark.parametrize("method, path, build, role, expected", CASES)
def test_route_answers_each_role_as_the_matrix_says(client, login, world, setting, snapshot,
                                                    method, path, build, role, expected):
    url = path.format(cycle=world.cycle.id, japan=world.japan.id, foreign=setting["foreign"].id)
    login(None if role == "anonymous" else getattr(world, role))
    before = snapshot(world.cycle.id)
    response = client.open(url, method=method, data=build(world, setting) if build else {})
    assert response.status_code == expected
    if expected == 200:
        page = Page(response)
        assert is_layout_page(page) and page.find("h1").text == HEADING.format(fy=world.cycle.fiscal_year)
        for text in SHOWN:
            assert text in page.main_text
        # without the header rows and the what-if's
        rows = [row for row in page.table_rows(without="data-scenario") if row and row[0] != "Choose"]
        # (the nomination's cell goes on with an "Open …" link and its site; the model's adjusted
        # score and probability are checked in test_guardrails.py and tests/judging/test_model.py)
        assert [[rank, nomination.split(" Open ")[0], reviews, *rest]
                for _choose, rank, nomination, reviews, _adjusted, _p_top, *rest in rows] == RANKS
    if expected == 302 and role == "anonymous":
        assert response.headers["Location"].startswith("/login?next=")
    if expected in (403, 404, 405):
        assert snapshot(world.cycle.id) == before, "a refused request changed the database"
        page = Page(response)
        assert is_layout_page(page)
        assert page.find("p", class_="display-6").text == str(expected)
        # Nothing of the decisions or the ranking leaks into a refusal.
        assert "Grand Award" not in page.html and "weighted mean" not in page.html
        for title in ("Tokyo bay clean-up", "Osaka forest school", "Berlin river garden", "Boston reading club"):
            assert title not in page.html


def test_table_covers_every_awards_route(app):
    """Each (rule, method) of the awards blueprint has a row, so a new route needs one."""
    requests = [(method, path.format(cycle=1, japan=1, foreign=2)) for method, path, _build, _expected in TABLE]
    assert routes_without_a_row(app, {"awards"}, requests) == set()


def test_the_matrix_successes_are_real(client, login, world, judging_over, setting):
    """The admin's 302s above are real changes, not no-op redirects."""
    contest = setting["contest"]
    login(world.admin)
    client.post(f"/admin/cycles/{world.cycle.id}/awards/{world.japan.id}/decision", data=_choose_osaka(world, setting))
    assert decisions()["grand_japan"] == (contest.osaka.id, contest.tokyo.id, "Matrix reason")
    client.post(f"/admin/cycles/{world.cycle.id}/awards/{world.japan.id}/decision/delete")
    assert "grand_japan" not in decisions()
    client.post(f"/admin/cycles/{world.cycle.id}/awards/{world.japan.id}/decision",
                data={f"award-{world.japan.id}-nomination_id": str(contest.tokyo.id)})
    client.post(f"/admin/cycles/{world.cycle.id}/finalise", data={"confirm": "y"})
    db.session.expire_all()
    assert db.session.get(Cycle, world.cycle.id).phase == Phase.FINALISED


def test_an_inactive_admin_is_refused(client, login, world, setting):
    login(world.admin)
    world.admin.active = False
    db.session.commit()
    response = client.get(f"/admin/cycles/{world.cycle.id}/awards")
    assert response.status_code in (302, 403)
    assert "Tokyo bay clean-up" not in response.text


def test_a_category_of_this_cycle_is_needed(client, login, world, setting):
    """An award category id of another cycle is unknown here, even for an admin."""
    login(world.admin)
    foreign: AwardCategory = setting["foreign"]
    response = client.post(f"/admin/cycles/{world.cycle.id}/awards/{foreign.id}/decision",
                           data={f"award-{foreign.id}-nomination_id": str(setting["contest"].tokyo.id)})
    assert response.status_code == 404
    db.session.expire_all()
    assert decisions() == {"grand_japan": (setting["contest"].tokyo.id, setting["contest"].tokyo.id, ""),
                           "grand_overseas": (setting["contest"].berlin.id, setting["contest"].berlin.id, "")}
