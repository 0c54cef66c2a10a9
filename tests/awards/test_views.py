"""The awards page through HTTP: proposing, confirming, overriding with a reason, ties, one award
per nomination, clearing, finalising, the cycle page's way there, settings and escaping."""
from __future__ import annotations

import re

import pytest

from awards_app.core.enums import Phase
from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from core.support import Page

from .conftest import ESCAPED_XSS, XSS, decisions


def _url(world, *parts) -> str:
    return "/".join([f"/admin/cycles/{world.cycle.id}/awards", *map(str, parts)])


def _decide(client, world, category, nomination_id, reason=""):
    prefix = f"award-{category.id}"
    return client.post(_url(world, category.id, "decision"),
                       data={f"{prefix}-nomination_id": str(nomination_id), f"{prefix}-reason": reason})


def _board(page: Page, category):
    section = page.by_id(f"award-{category.key}")
    assert section is not None
    return section


def test_the_page_proposes_the_top_of_each_region_with_a_one_click_confirmation(client, login, world, contest):
    login(world.admin)
    page = Page(client.get(_url(world)))
    japan = _board(page, world.japan)
    assert "The ranking proposes: Tokyo bay clean-up (Tokyo Works)" in japan.text
    assert "Not decided" in japan.text
    assert page.find("div", data_proposal=str(contest.tokyo.id)) is not None
    # The confirmation is a POST of the proposal, with nothing else to fill in.
    confirm = [b for b in page.find_all("button") if b.text == "Confirm “Tokyo bay clean-up”"]
    assert len(confirm) == 1
    assert f'name="award-{world.japan.id}-nomination_id" value="{contest.tokyo.id}"' in page.html
    assert "The ranking proposes: Berlin river garden (Berlin Office)" in _board(page, world.overseas).text
    # Candidates are the region's ranking, best first; the proposal is pre-selected.
    assert page.checked_values(f"award-{world.japan.id}-nomination_id") == {str(contest.tokyo.id)}
    japan_rows = re.findall(r'data-nomination="(\d+)"', page.html)
    assert japan_rows[:2] == [str(contest.tokyo.id), str(contest.osaka.id)]
    assert "Boston reading club" not in japan.text and "Osaka forest school" not in _board(page, world.overseas).text


def test_confirming_the_proposal(client, login, world, contest, events):
    login(world.admin)
    response = _decide(client, world, world.japan, contest.tokyo.id)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/awards#award-{world.japan.key}")
    assert decisions() == {"grand_japan": (contest.tokyo.id, contest.tokyo.id, "")}
    [event] = events("award.decided")
    assert event.actor_id == world.admin.id
    page = Page(client.get(_url(world)))
    assert "“Tokyo bay clean-up” has been chosen for the Grand Award (Japan)." in page.alerts()
    japan = _board(page, world.japan)
    assert "Winner Tokyo bay clean-up — Tokyo Works" in japan.text
    assert "Chosen by Ada Admin" in japan.text
    assert "Confirm “Tokyo bay clean-up”" not in japan.text  # already the decision


def test_overriding_without_a_reason_is_refused_beside_the_field_and_keeps_the_choice(client, login, world, contest,
                                                                                      events):
    login(world.admin)
    response = _decide(client, world, world.japan, contest.osaka.id, reason="  ")
    assert response.status_code == 422
    page = Page(response)
    field = f"award-{world.japan.id}-reason"
    assert page.field_error(field) == "This is not the top of the ranking. Say why you chose it instead."
    assert page.checked_values(f"award-{world.japan.id}-nomination_id") == {str(contest.osaka.id)}
    assert "The decision has NOT been saved." in " ".join(page.alerts())
    # The other award's form is untouched.
    assert page.checked_values(f"award-{world.overseas.id}-nomination_id") == {str(contest.berlin.id)}
    assert decisions() == {} and events("award.decided") == []


def test_a_reason_that_is_too_long_is_refused_and_kept(client, login, world, contest):
    login(world.admin)
    reason = "Because " * 300
    response = _decide(client, world, world.japan, contest.osaka.id, reason=reason)
    assert response.status_code == 422
    page = Page(response)
    assert "2000" in page.field_error(f"award-{world.japan.id}-reason")
    assert reason.strip() in page.html
    assert decisions() == {}


def test_overriding_with_a_reason_is_stored_shown_and_audited(client, login, world, contest, events):
    login(world.admin)
    response = _decide(client, world, world.japan, contest.osaka.id, reason="Works with three schools.")
    assert response.status_code == 302
    assert decisions() == {"grand_japan": (contest.osaka.id, contest.tokyo.id, "Works with three schools.")}
    [event] = events("award.decided")
    assert event.details["proposed"] == contest.tokyo.id
    assert event.details["chosen"] == contest.osaka.id
    assert event.details["reason"] == "Works with three schools."
    japan = _board(Page(client.get(_url(world))), world.japan)
    assert "Winner Osaka forest school" in japan.text
    assert "Not the single top of the ranking. Reason: Works with three schools." in japan.text
    # The proposal can still be confirmed instead, in one click.
    assert "Confirm “Tokyo bay clean-up”" in japan.text


def test_a_tie_at_the_top_is_shown_and_needs_a_reason(client, login, world, entry):
    entry(world.site_a, "Twin one", [4, 4, 4], [4, 4, 4])
    second = entry(world.site_c, "Twin two", [4, 4, 4], [4, 4, 4])
    login(world.admin)
    page = Page(client.get(_url(world)))
    japan = _board(page, world.japan)
    tie = page.find("div", data_tie="2")
    assert tie is not None and "Tie at the top of the ranking." in tie.text
    assert "Twin one" in tie.text and "Twin two" in tie.text
    assert "Confirm" not in japan.text  # nothing to confirm: the admin must choose
    assert page.checked_values(f"award-{world.japan.id}-nomination_id") == set()

    response = _decide(client, world, world.japan, second.id)
    assert response.status_code == 422
    assert "share the top of the ranking" in Page(response).field_error(f"award-{world.japan.id}-reason")
    assert decisions() == {}

    response = _decide(client, world, world.japan, second.id, reason="Twin two involves more volunteers.")
    assert response.status_code == 302
    assert decisions() == {"grand_japan": (second.id, None, "Twin two involves more volunteers.")}


def test_choosing_nothing_is_refused_beside_the_list(client, login, world, contest):
    login(world.admin)
    response = client.post(_url(world, world.japan.id, "decision"), data={f"award-{world.japan.id}-reason": "x"})
    assert response.status_code == 422
    assert Page(response).field_error(f"award-{world.japan.id}-nomination_id") == "Choose a nomination from the list."
    response = _decide(client, world, world.japan, 999999, reason="x")
    assert response.status_code == 422
    assert Page(response).field_error(f"award-{world.japan.id}-nomination_id") == "Choose a nomination from the list."
    assert decisions() == {}


def test_a_nomination_of_another_region_is_refused(client, login, world, contest):
    login(world.admin)
    response = _decide(client, world, world.japan, contest.berlin.id, reason="Overseas, but lovely.")
    assert response.status_code == 422
    assert "Only nominations from sites of this region" in Page(response).field_error(
        f"award-{world.japan.id}-nomination_id")
    assert decisions() == {}


def test_one_nomination_cannot_win_two_awards(client, login, world, contest):
    world.overseas.region = world.japan.region  # two awards open to the same region
    db.session.commit()
    login(world.admin)
    assert _decide(client, world, world.japan, contest.tokyo.id).status_code == 302
    page = Page(client.get(_url(world)))
    overseas = _board(page, world.overseas)
    assert "It has already won the Grand Award (Japan)" in overseas.text
    assert "Won the Grand Award (Japan)" in overseas.text
    assert "Confirm" not in overseas.text
    response = _decide(client, world, world.overseas, contest.tokyo.id, reason="Best in every way.")
    assert response.status_code == 422
    page = Page(response)
    assert page.field_error(f"award-{world.overseas.id}-nomination_id") == (
        "“Tokyo bay clean-up” has already won the Grand Award (Japan). A nomination can win only one award.")
    assert "Best in every way." in page.by_id(f"award-{world.overseas.id}-reason").text  # the input is kept
    assert page.checked_values(f"award-{world.overseas.id}-nomination_id") == {str(contest.tokyo.id)}
    assert decisions() == {"grand_japan": (contest.tokyo.id, contest.tokyo.id, "")}
    # The runner-up can win the second award, with a reason (it is not the top).
    assert _decide(client, world, world.overseas, contest.osaka.id, reason="Top already won.").status_code == 302
    assert decisions()["grand_overseas"] == (contest.osaka.id, contest.tokyo.id, "Top already won.")


def test_the_page_sends_the_winner_it_shows(client, login, world, contest, decide):
    login(world.admin)
    field = f"award-{world.japan.id}-seen_winner_id"
    page = Page(client.get(_url(world)))
    assert {e.get("value") for e in page.find_all("input", name=field)} == {""}  # confirm button and form
    decide(world.japan, contest.tokyo)
    page = Page(client.get(_url(world)))
    assert {e.get("value") for e in page.find_all("input", name=field)} == {str(contest.tokyo.id)}


def test_a_decision_made_meanwhile_by_another_admin_is_not_replaced(client, login, world, contest, decide, events):
    """Two admins had the page open with no winner; the other one chose Osaka first."""
    login(world.admin)
    decide(world.japan, contest.osaka, "Longest running")
    prefix = f"award-{world.japan.id}"
    response = client.post(_url(world, world.japan.id, "decision"), data={
        f"{prefix}-nomination_id": str(contest.tokyo.id), f"{prefix}-reason": "", f"{prefix}-seen_winner_id": ""})
    assert response.status_code == 422
    page = Page(response)
    assert "Someone else decided this in the meantime. Reload the page and check the decisions." in page.alerts()
    assert decisions()["grand_japan"][0] == contest.osaka.id
    assert len(events("award.decided")) == 1  # the other admin's; none for the refused request
    # The page now shows Osaka as the winner and sends it: choosing again is a deliberate change.
    assert "Winner Osaka forest school" in _board(page, world.japan).text
    assert {e.get("value") for e in page.find_all("input", name=f"{prefix}-seen_winner_id")} == {str(contest.osaka.id)}
    response = client.post(_url(world, world.japan.id, "decision"), data={
        f"{prefix}-nomination_id": str(contest.tokyo.id), f"{prefix}-reason": "",
        f"{prefix}-seen_winner_id": str(contest.osaka.id)})
    assert response.status_code == 302
    assert decisions()["grand_japan"][0] == contest.tokyo.id


def test_a_decision_can_be_cleared(client, login, world, contest, decide, events):
    decide(world.japan, contest.tokyo)
    login(world.admin)
    response = client.post(_url(world, world.japan.id, "decision", "delete"))
    assert response.status_code == 302
    assert decisions() == {}
    assert len(events("award.cleared")) == 1
    page = Page(client.get(_url(world)))
    assert "The decision for the Grand Award (Japan) has been cleared." in page.alerts()
    response = client.post(_url(world, world.japan.id, "decision", "delete"), follow_redirects=True)
    assert "No winner had been chosen for the Grand Award (Japan)." in Page(response).alerts()
    assert len(events("award.cleared")) == 1


@pytest.mark.parametrize("phase", [Phase.SETUP, Phase.NOMINATIONS_OPEN])
def test_before_judging_the_page_says_why_nothing_can_be_decided(client, login, world, contest, phase, snapshot):
    world.cycle.phase = phase
    db.session.commit()
    login(world.admin)
    page = Page(client.get(_url(world)))
    assert "Awards can be decided only during judging" in page.main_text
    assert page.find("form", action=_url(world, world.japan.id, "decision")) is None
    assert page.by_id("finalise") is None
    before = snapshot(world.cycle.id)
    response = _decide(client, world, world.japan, contest.tokyo.id)
    assert response.status_code == 302
    assert "Awards can be decided only during judging" in Page(client.get(_url(world))).alerts()[0]
    assert snapshot(world.cycle.id) == before


# --- finalising ----------------------------------------------------------------------------------


def test_finalising_is_offered_only_once_every_award_is_decided(client, login, world, judging_over, contest, decide):
    login(world.admin)
    page = Page(client.get(_url(world)))
    section = page.by_id("finalise")
    assert "No winner has been chosen for the Grand Award (Japan) yet." in section.text
    assert page.find("form", action=f"/admin/cycles/{world.cycle.id}/finalise") is None
    decide(world.japan, contest.tokyo)
    decide(world.overseas, contest.berlin)
    page = Page(client.get(_url(world)))
    form = page.find("form", action=f"/admin/cycles/{world.cycle.id}/finalise")
    assert form is not None
    assert 'data-confirm="Finalise the results of FY' in page.html


def test_finalising_with_an_undecided_award_is_refused(client, login, world, judging_over, contest, decide, snapshot):
    decide(world.japan, contest.tokyo)
    login(world.admin)
    before = snapshot(world.cycle.id)
    response = client.post(f"/admin/cycles/{world.cycle.id}/finalise", data={"confirm": "y"})
    assert response.status_code == 302
    assert snapshot(world.cycle.id) == before
    alerts = Page(client.get(_url(world))).alerts()
    assert any("No winner has been chosen for the Grand Award (Overseas) yet." in alert for alert in alerts)


def test_finalising_needs_the_confirmation_box(client, login, world, judging_over, contest, decide, snapshot):
    decide(world.japan, contest.tokyo)
    decide(world.overseas, contest.berlin)
    login(world.admin)
    before = snapshot(world.cycle.id)
    response = client.post(f"/admin/cycles/{world.cycle.id}/finalise", data={})
    assert response.status_code == 422
    assert Page(response).field_error("confirm") == "Tick this box to confirm that the results are final."
    assert snapshot(world.cycle.id) == before


def test_finalising_locks_and_records_who_and_when(client, login, world, judging_over, contest, decide, events, reload):
    decide(world.japan, contest.tokyo)
    decide(world.overseas, contest.boston, "More children reached.")
    login(world.admin)
    response = client.post(f"/admin/cycles/{world.cycle.id}/finalise", data={"confirm": "y"})
    assert response.status_code == 302
    cycle = reload(Cycle, world.cycle.id)
    assert cycle.phase == Phase.FINALISED
    assert cycle.finalised_by_id == world.admin.id and cycle.finalised_at is not None
    assert abs((cycle.finalised_at - world.now).total_seconds()) < 60
    [event] = events("cycle.finalised")
    assert event.actor_id == world.admin.id
    page = Page(client.get(_url(world)))
    assert any("are final" in alert for alert in page.alerts())
    assert "by Ada Admin" in page.by_id("finalised").text
    # Read-only from now on: no forms, no buttons, the decisions and reasons still shown.
    assert page.find("form", action=_url(world, world.japan.id, "decision")) is None
    assert page.find("form", action=_url(world, world.japan.id, "decision", "delete")) is None
    assert page.by_id("finalise") is None
    assert "Winner Boston reading club" in _board(page, world.overseas).text
    assert "More children reached." in page.main_text
    # Finalising twice is refused, and records nothing more.
    response = client.post(f"/admin/cycles/{world.cycle.id}/finalise", data={"confirm": "y"}, follow_redirects=True)
    assert any("already final" in alert for alert in Page(response).alerts())
    assert len(events("cycle.finalised")) == 1


# --- the cycle page leads to the awards page ------------------------------------------------------


def test_the_cycle_page_leads_to_the_awards_page_to_finalise(client, login, world, contest):
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}"))
    link = page.find("a", href=f"/admin/cycles/{world.cycle.id}/awards#finalise")
    assert link is not None and link.text == "Decide the awards and finalise"
    assert "No winner has been chosen for the Grand Award (Japan) yet." in page.main_text
    assert 'value="finalised"' not in page.html
    assert page.find("a", href=f"/admin/cycles/{world.cycle.id}/awards") is not None


def test_the_generic_phase_change_sends_the_admin_to_the_awards_page(client, login, world, contest, decide,
                                                                     snapshot):
    decide(world.japan, contest.tokyo)
    decide(world.overseas, contest.berlin)
    login(world.admin)
    before = snapshot(world.cycle.id)
    response = client.post(f"/admin/cycles/{world.cycle.id}/phase", data={"phase": "finalised",
                                                                          "current_phase": "judging"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/cycles/{world.cycle.id}/awards#finalise"
    assert snapshot(world.cycle.id) == before
    page = Page(client.get(_url(world)))
    assert "The results are finalised on the Awards page of the cycle" in " ".join(page.alerts())


# --- escaping ------------------------------------------------------------------------------------


def test_titles_and_reasons_are_escaped(client, login, world, entry):
    nasty = entry(world.site_a, XSS, [5, 5, 5], [5, 5, 5])
    entry(world.site_c, "Second", [3, 3, 3], [3, 3, 3])
    login(world.admin)
    html = client.get(_url(world)).text
    assert XSS not in html and ESCAPED_XSS in html
    response = _decide(client, world, world.japan, nasty.id, reason=XSS)
    assert response.status_code == 302
    html = client.get(_url(world)).text  # with the flash message naming the title
    assert XSS not in html and ESCAPED_XSS in html
    assert f"“{ESCAPED_XSS}” has been chosen" in html


# --- cycle settings ------------------------------------------------------------------------------


def _settings(world, **overrides):
    data = {
        "nomination_deadline": "2020-01-15T17:00", "judging_deadline": "2099-02-28T17:00",
        "judges_per_nomination": "3", "disagreement_threshold": "2", "minimum_reviews": "2",
        "ranking_method": "weighted", "share_comments_with_sites": "y",
        "signatory_name_en": "Taro Yamada", "signatory_name_ja": "山田 太郎",
        "signatory_title_en": "President and CEO", "signatory_title_ja": "代表取締役社長",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_cycle_settings_hold_sharing_and_the_signatory(client, login, world, reload):
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/settings"))
    assert page.checked_values("share_comments_with_sites") == {"y"}
    assert page.by_id("signatory_title_ja") is not None
    response = client.post(f"/admin/cycles/{world.cycle.id}/settings",
                           data=_settings(world, share_comments_with_sites=None))
    assert response.status_code == 302
    cycle = reload(Cycle, world.cycle.id)
    assert cycle.share_comments_with_sites is False
    assert (cycle.signatory_name_en, cycle.signatory_name_ja, cycle.signatory_title_en, cycle.signatory_title_ja) == (
        "Taro Yamada", "山田 太郎", "President and CEO", "代表取締役社長")
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}"))
    assert page.by_id("share-comments").text == "Not shared with the sites"
    assert "Taro Yamada, President and CEO" in page.main_text


def test_a_too_long_signatory_is_refused_beside_the_field(client, login, world, reload):
    login(world.admin)
    response = client.post(f"/admin/cycles/{world.cycle.id}/settings",
                           data=_settings(world, signatory_title_en="x" * 201))
    assert response.status_code == 200
    assert Page(response).field_error("signatory_title_en") is not None
    assert reload(Cycle, world.cycle.id).signatory_title_en == ""


def test_after_finalisation_only_the_results_settings_can_change(client, login, world, reload, events):
    world.cycle.phase = Phase.FINALISED
    db.session.commit()
    deadline = world.cycle.judging_deadline
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/settings"))
    assert page.by_id("judging_deadline") is None and page.by_id("share_comments_with_sites") is not None
    assert "only the sharing of the judges' comments and the signatory can still change" in page.main_text
    response = client.post(f"/admin/cycles/{world.cycle.id}/settings",
                           data=_settings(world, share_comments_with_sites=None, judges_per_nomination="9"))
    assert response.status_code == 302
    cycle = reload(Cycle, world.cycle.id)
    assert cycle.share_comments_with_sites is False and cycle.signatory_name_en == "Taro Yamada"
    assert cycle.judging_deadline == deadline and cycle.judges_per_nomination == 3
    assert cycle.phase == Phase.FINALISED
    [event] = events("cycle.updated")
    assert set(event.details["changes"]) == {"share_comments_with_sites", "signatory_name_en", "signatory_name_ja",
                                             "signatory_title_en", "signatory_title_ja"}
