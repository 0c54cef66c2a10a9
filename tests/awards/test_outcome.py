"""What a site sees of its nominations once the results are final: the outcome and the judges'
comments, never the judges' names or their scores, and only when the cycle shares comments."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from awards_app.awards import services
from awards_app.core.enums import NominationStatus, Phase
from awards_app.extensions import db
from awards_app.judging.services import close_judging
from core.support import Page

from .conftest import ESCAPED_XSS, XSS

CRITERION_COMMENT = "The link to our water business is clear"
OVERALL_COMMENT = "An inspiring partnership with the city"
SECOND_OVERALL = "Please measure the outcomes next year"
ABSTAINER_TEXT = "Abstainer remark that must stay private"
ABSTAIN_REASON = "My sister leads this team"
DRAFT_TEXT = "Unsubmitted draft remark"
JUDGE_NAMES = ("Jiro Judge", "Kana Critic", "Olga Observer", "Dora Drafter")


@pytest.fixture
def results(world, make_nomination, make_user, review):
    """Tokyo (site A) wins in Japan with two reviews carrying comments, one abstention and one
    draft; site A's second nomination does not win; Berlin (site B) wins overseas."""
    tokyo = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED, title="Tokyo bay clean-up")
    review(tokyo, world.judge, [5, 5, 4], comments=[CRITERION_COMMENT, "", "Fresh idea"], overall=OVERALL_COMMENT)
    review(tokyo, world.judge2, [5, 4, 4], comments=["Strong ties to the plant"], overall=SECOND_OVERALL)
    review(tokyo, make_user("judge", name="Olga Observer"), abstained=True, reason=ABSTAIN_REASON,
           overall=ABSTAINER_TEXT)
    review(tokyo, make_user("judge", name="Dora Drafter"), [1, 1], comments=[DRAFT_TEXT], submitted=False)
    library = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED, title="Tokyo library corner")
    review(library, world.judge, [3, 3, 3], overall="Good start, keep going")
    review(library, world.judge2, [2, 3, 3])
    berlin = make_nomination(world.cycle, world.site_b, NominationStatus.SUBMITTED, title="Berlin river garden")
    review(berlin, world.judge, [4, 4, 4], overall="Lovely garden")
    withdrawn = make_nomination(world.cycle, world.site_a, NominationStatus.WITHDRAWN, title="Withdrawn idea")
    services.decide_award(world.admin, world.japan, tokyo)
    services.decide_award(world.admin, world.overseas, berlin, reason="The only overseas entry")
    db.session.commit()
    return SimpleNamespace(tokyo=tokyo, library=library, berlin=berlin, withdrawn=withdrawn)


def _finalise(world):
    # Dora Drafter never submitted: judging is closed with a reason before finalising.
    close_judging(world.admin, world.cycle, "Dora Drafter is on leave")
    services.finalise_cycle(world.admin, world.cycle)
    db.session.commit()


def _outcome(client, nomination) -> tuple[Page, object]:
    response = client.get(f"/nominations/{nomination.id}")
    assert response.status_code == 200
    page = Page(response)
    return page, page.by_id("outcome")


def test_before_finalisation_sites_see_nothing_of_the_outcome(client, login, world, results):
    login(world.submitter_a)
    page, outcome = _outcome(client, results.tokyo)
    assert outcome is None
    for text in (CRITERION_COMMENT, OVERALL_COMMENT, "won the", "Grand Award"):
        assert text not in page.html


def test_the_winning_site_sees_its_award_and_the_anonymous_comments(client, login, world, results):
    _finalise(world)
    login(world.submitter_a)
    page, outcome = _outcome(client, results.tokyo)
    assert outcome is not None
    assert "This activity won the Grand Award (Japan)." in outcome.text
    assert page.find("p", data_outcome="awarded") is not None
    for text in (CRITERION_COMMENT, "Fresh idea", "Strong ties to the plant", OVERALL_COMMENT, SECOND_OVERALL):
        assert text in outcome.text
    # Grouped under the criterion they are about.
    assert re.search(r"Business relevance\s+(Strong ties to the plant\s+The link|The link.*Strong ties)", outcome.text)
    assert "Novelty of the plan Fresh idea" in outcome.text
    # Never who wrote them, nor any judge's score, nor what an abstaining judge or a draft holds.
    for text in (*JUDGE_NAMES, ABSTAINER_TEXT, ABSTAIN_REASON, DRAFT_TEXT):
        assert text not in page.html
    assert not re.search(r"\d", re.sub(r"FY\d{4}", "", outcome.text)), "a number (a score?) appears in the outcome"


def test_a_site_that_did_not_win_is_told_so_with_its_comments(client, login, world, results):
    _finalise(world)
    login(world.submitter_a)
    page, outcome = _outcome(client, results.library)
    assert page.find("p", data_outcome="not-awarded") is not None
    assert "did not receive an award" in outcome.text and "won the" not in outcome.text
    assert "Good start, keep going" in outcome.text


def test_without_comments_the_page_says_so(client, login, world, make_nomination, review):
    quiet = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED, title="Quiet")
    review(quiet, world.judge, [5, 5, 5])
    berlin = make_nomination(world.cycle, world.site_b, NominationStatus.SUBMITTED, title="Berlin")
    review(berlin, world.judge, [4, 4, 4])
    services.decide_award(world.admin, world.japan, quiet, reason="One review was enough here")
    services.decide_award(world.admin, world.overseas, berlin, reason="The only overseas entry")
    _finalise(world)
    login(world.submitter_a)
    _page, outcome = _outcome(client, quiet)
    assert "The judges left no comments on this nomination." in outcome.text


def test_when_sharing_is_off_sites_see_the_outcome_but_no_comments(client, login, world, results):
    world.cycle.share_comments_with_sites = False
    db.session.commit()
    _finalise(world)
    login(world.submitter_a)
    page, outcome = _outcome(client, results.tokyo)
    assert "This activity won the Grand Award (Japan)." in outcome.text
    assert "The judges' comments are not shared with the sites in this cycle." in outcome.text
    for text in (CRITERION_COMMENT, OVERALL_COMMENT, SECOND_OVERALL, "Fresh idea"):
        assert text not in page.html


def test_switching_sharing_off_after_finalisation_hides_the_comments(client, login, world, results):
    _finalise(world)
    login(world.admin)
    response = client.post(f"/admin/cycles/{world.cycle.id}/settings", data={"signatory_name_en": "Taro"})
    assert response.status_code == 302
    login(world.submitter_a)
    page, outcome = _outcome(client, results.tokyo)
    assert outcome is not None and CRITERION_COMMENT not in page.html


def test_each_site_sees_only_its_own_outcome(client, login, world, results):
    _finalise(world)
    login(world.submitter_b)
    assert client.get(f"/nominations/{results.tokyo.id}").status_code == 404
    page, outcome = _outcome(client, results.berlin)
    assert "This activity won the Grand Award (Overseas)." in outcome.text
    assert "Lovely garden" in outcome.text
    assert OVERALL_COMMENT not in page.html


def test_a_judge_sees_no_outcome_and_no_other_judges_comments(client, login, world, results):
    _finalise(world)
    login(world.judge)  # assigned to Tokyo: may open the nomination itself
    page, outcome = _outcome(client, results.tokyo)
    assert outcome is None
    assert SECOND_OVERALL not in page.html and "won the" not in page.html
    login(world.judge2)
    page, outcome = _outcome(client, results.tokyo)
    assert outcome is None and OVERALL_COMMENT not in page.html


def test_an_admin_sees_what_the_site_sees(client, login, world, results):
    _finalise(world)
    login(world.admin)
    _page, outcome = _outcome(client, results.tokyo)
    assert "This activity won the Grand Award (Japan)." in outcome.text and CRITERION_COMMENT in outcome.text


def test_a_nomination_that_did_not_compete_shows_no_outcome(client, login, world, results):
    _finalise(world)
    login(world.submitter_a)
    page, outcome = _outcome(client, results.withdrawn)
    assert outcome is None and "did not receive an award" not in page.html


def test_the_award_is_named_in_the_sites_language(client, login, world, results, make_user):
    _finalise(world)
    login(make_user("submitter", sites=[world.site_a], locale="ja"))
    page, outcome = _outcome(client, results.tokyo)
    assert page.lang == "ja"
    assert "大賞（国内）" in outcome.text and "Grand Award (Japan)" not in outcome.text


def test_comments_are_escaped(client, login, world, make_nomination, review):
    nasty = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED, title=XSS)
    review(nasty, world.judge, [5, 5, 5], comments=[XSS], overall=f"Overall {XSS}")
    berlin = make_nomination(world.cycle, world.site_b, NominationStatus.SUBMITTED, title="Berlin")
    review(berlin, world.judge, [4, 4, 4])
    services.decide_award(world.admin, world.japan, nasty, reason="One review was enough here")
    services.decide_award(world.admin, world.overseas, berlin, reason="The only overseas entry")
    _finalise(world)
    login(world.submitter_a)
    html = client.get(f"/nominations/{nasty.id}").text
    assert XSS not in html
    assert html.count(ESCAPED_XSS) >= 3  # the title, the criterion comment and the overall comment


@pytest.mark.parametrize("phase", [Phase.SETUP, Phase.NOMINATIONS_OPEN, Phase.JUDGING])
def test_no_outcome_before_finalisation_in_any_phase(client, login, world, results, phase):
    world.cycle.phase = phase
    db.session.commit()
    login(world.submitter_a)
    page, outcome = _outcome(client, results.tokyo)
    assert outcome is None and CRITERION_COMMENT not in page.html


@pytest.mark.parametrize("role, status, sees_outcome", [
    ("anonymous", 302, False), ("submitter_a", 200, True), ("submitter_b", 404, False),
    ("unassigned_judge", 404, False), ("assigned_judge", 200, False), ("admin", 200, True),
])
def test_who_sees_the_outcome_of_a_nomination(client, login, world, results, make_user, role, status, sees_outcome):
    _finalise(world)
    users = {"anonymous": None, "submitter_a": world.submitter_a, "submitter_b": world.submitter_b,
             "unassigned_judge": make_user("judge", name="Una Unassigned"), "assigned_judge": world.judge,
             "admin": world.admin}
    login(users[role])
    response = client.get(f"/nominations/{results.tokyo.id}")
    assert response.status_code == status
    assert (CRITERION_COMMENT in response.text) == sees_outcome
    assert ("won the Grand Award" in response.text) == sees_outcome


def test_the_sites_dashboard_marks_the_winner_only_once_final(client, login, world, results):
    login(world.submitter_a)
    before = Page(client.get("/nominations")).main_text
    assert "Won:" not in before
    _finalise(world)
    after = Page(client.get("/nominations")).main_text
    assert after.count("Won: ") == 1 and "Won: Grand Award (Japan)" in after
    # The badge sits with the winning nomination, not with the site's other one.
    row = next(line for line in Page(client.get("/nominations")).table_rows() if line and "Tokyo bay clean-up" in line[0])
    assert any("Won: Grand Award (Japan)" in cell for cell in row)
