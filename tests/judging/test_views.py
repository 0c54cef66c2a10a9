"""Judging through HTTP: the queue and scoring screen, panels and assignments, conflicts,
eligibility, reopening, the ranking and progress pages, languages, escaping and query counts."""
from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from core.support import Page
from sqlalchemy import func, select

from awards_app.core.enums import (
    AssignmentStatus,
    NominationStatus,
    Phase,
    RankingMethod,
    Region,
    SheetStatus,
)
from awards_app.core.models import utcnow
from awards_app.extensions import db
from awards_app.judging.models import Assignment, PanelMember, ScoreSheet
from awards_app.nominations.models import TITLE_MAX, Nomination

XSS = "<script>alert(1)</script>"
ESCAPED_XSS = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _assignments(nomination_id=None, status=None) -> list[Assignment]:
    db.session.expire_all()
    query = select(Assignment).order_by(Assignment.id)
    if nomination_id is not None:
        query = query.where(Assignment.nomination_id == nomination_id)
    if status is not None:
        query = query.where(Assignment.status == status)
    return list(db.session.scalars(query))


def _sheet_of(assignment_id: int) -> ScoreSheet | None:
    db.session.expire_all()
    return db.session.scalar(select(ScoreSheet).where(ScoreSheet.assignment_id == assignment_id))


def _values(sheet: ScoreSheet) -> list[int | None]:
    return [s.value for s in sorted(sheet.scores, key=lambda s: s.criterion_id)]


def _section(page: Page, key: str) -> str:
    section = page.find("section", aria_labelledby=f"h-{key}")
    assert section is not None, key
    return section.text


# --- the judge's queue and scoring screen ---------------------------------------------------------


@pytest.fixture
def work(world, make_nomination, make_assignment):
    """Three submitted nominations (two Japanese, one overseas) assigned to world.judge."""
    tokyo = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED, title="Tokyo bay clean-up",
                            title_other="東京湾の清掃")
    osaka = make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED, title="Osaka forest")
    berlin = make_nomination(world.cycle, world.site_b, NominationStatus.SUBMITTED, title="Berlin garden")
    return SimpleNamespace(
        tokyo=tokyo, osaka=osaka, berlin=berlin,
        a_tokyo=make_assignment(tokyo, world.judge), a_osaka=make_assignment(osaka, world.judge),
        a_berlin=make_assignment(berlin, world.judge),
    )


def _open(client, assignment) -> Page:
    response = client.get(f"/judging/{assignment.id}")
    assert response.status_code == 200
    return Page(response)


def test_queue_groups_to_do_in_progress_and_submitted_with_progress(client, login, world, work, make_sheet):
    make_sheet(work.a_osaka, [3], submitted=False)
    make_sheet(work.a_berlin, [3, 4, 5])
    login(world.judge)
    page = Page(client.get("/judging"))
    assert "Tokyo bay clean-up" in _section(page, "todo") and "東京湾の清掃" in _section(page, "todo")
    assert "Osaka forest" not in _section(page, "todo")
    assert "Osaka forest" in _section(page, "in_progress")
    assert "Berlin garden" in _section(page, "submitted")
    assert "Tokyo bay clean-up" not in _section(page, "submitted")
    assert "1 of 3 submitted" in page.main_text
    bar = page.find("div", role="progressbar")
    assert (bar.get("aria-valuenow"), bar.get("aria-valuemax")) == ("1", "3")
    # Each entry opens the scoring screen of its own assignment.
    links = {a.get("href") for a in page.find_all("a", class_="list-group-item")}
    assert links == {f"/judging/{a.id}" for a in (work.a_tokyo, work.a_osaka, work.a_berlin)}


def test_queue_lists_only_the_judges_own_active_assignments(client, login, world, work, make_user, make_assignment,
                                                            make_nomination):
    other_judge = make_user("judge")
    secret = make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED, title="Someone else's entry")
    make_assignment(secret, other_judge)
    conflicted = make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED, title="Declared conflict")
    make_assignment(conflicted, world.judge, AssignmentStatus.CONFLICT, "My cousin leads it")
    login(world.judge)
    text = Page(client.get("/judging")).main_text
    assert "Someone else's entry" not in text and "Declared conflict" not in text
    assert "0 of 3 submitted" in text


def test_queue_switches_between_cycles(client, login, world, work, make_cycle, make_nomination, make_assignment):
    old = make_cycle(fiscal_year=world.cycle.fiscal_year - 1, phase=Phase.FINALISED,
                     nomination_deadline=utcnow() - timedelta(days=400), judging_deadline=utcnow() - timedelta(days=300))
    make_assignment(make_nomination(old, world.site_c, NominationStatus.SUBMITTED, title="Last year's entry"), world.judge)
    login(world.judge)
    page = Page(client.get("/judging"))
    assert "Tokyo bay clean-up" in page.main_text and "Last year's entry" not in page.main_text
    assert page.selected_value("cycle") == str(world.cycle.id)
    page = Page(client.get(f"/judging?cycle={old.id}"))
    assert "Last year's entry" in page.main_text and "Tokyo bay clean-up" not in page.main_text
    assert f"The results of {old.label} are final: scores can no longer change." in page.main_text
    assert "Your queue is read-only." in page.main_text
    assert "Tokyo bay clean-up" in Page(client.get("/judging?cycle=999999")).main_text


def test_queue_without_a_judging_cycle_says_so(client, login, make_user):
    login(make_user("judge"))
    page = Page(client.get("/judging"))
    assert "No cycle is in judging at the moment" in page.main_text


def test_scoring_screen_shows_the_whole_nomination_and_the_rubric(client, login, world, work, make_attachment):
    make_attachment(work.tokyo, world.admin, "beach.png")
    login(world.judge)
    page = _open(client, work.a_tokyo)
    text = page.main_text
    for expected in ("Tokyo bay clean-up", "東京湾の清掃", "Tokyo Works", "Employees and pupils cleaned the beach.",
                     "City of Example; Ocean NPO", "Statement on Business relevance.", "beach.png",
                     "Built on our core technology or expertise"):
        assert expected in text, expected
    assert page.find("img", class_="thumb") is not None
    for criterion in world.criteria:
        assert len(page.find_all("input", name=f"score_{criterion.id}", type="radio")) == 5
    assert page.input_value("version") == "0"
    buttons = {b.get("value") for b in page.find_all("button", name="action")}
    assert buttons == {"save", "next", "submit"}
    submit = page.find("button", value="submit")
    assert submit.get("data-confirm")  # submitting asks for confirmation


def test_save_a_partial_draft(client, login, world, work, score_data, events):
    login(world.judge)
    response = client.post(f"/judging/{work.a_tokyo.id}",
                           data=score_data(world.cycle, 0, [4], comments=["Good link to our products"],
                                           overall="Promising"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/judging/{work.a_tokyo.id}"
    sheet = _sheet_of(work.a_tokyo.id)
    assert sheet.status == SheetStatus.DRAFT and sheet.version == 1
    assert _values(sheet) == [4, None, None]
    assert sorted(sheet.scores, key=lambda s: s.criterion_id)[0].comment == "Good link to our products"
    assert sheet.overall_comment == "Promising"
    assert events("sheet.submitted") == []
    page = Page(client.get(response.headers["Location"]))
    assert "Your draft has been saved." in page.alerts()
    assert page.checked_values(f"score_{world.criteria[0].id}") == {"4"}
    assert page.input_value("version") == "1"
    assert "Osaka forest" not in page.main_text
    # The queue now shows it in progress.
    assert "Tokyo bay clean-up" in _section(Page(client.get("/judging")), "in_progress")


def test_save_and_next_goes_to_the_next_unfinished_nomination(client, login, world, work, score_data, make_sheet):
    make_sheet(work.a_osaka, [3, 3, 3])  # submitted: skipped
    login(world.judge)
    response = client.post(f"/judging/{work.a_tokyo.id}", data=score_data(world.cycle, 0, [2], action="next"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/judging/{work.a_berlin.id}"
    assert _values(_sheet_of(work.a_tokyo.id)) == [2, None, None]
    # From the last one it wraps around to the first unfinished.
    response = client.post(f"/judging/{work.a_berlin.id}", data=score_data(world.cycle, 0, [5], action="next"))
    assert response.headers["Location"] == f"/judging/{work.a_tokyo.id}"


def test_save_and_next_with_nothing_left_returns_to_the_queue(client, login, world, work, score_data, make_sheet):
    make_sheet(work.a_osaka, [3, 3, 3])
    make_sheet(work.a_berlin, [3, 3, 3])
    login(world.judge)
    response = client.post(f"/judging/{work.a_tokyo.id}", data=score_data(world.cycle, 0, [2], action="next"))
    assert response.headers["Location"] == f"/judging?cycle={world.cycle.id}"


def test_submit_requires_every_criterion_and_keeps_the_input(client, login, world, work, score_data, snapshot):
    login(world.judge)
    before = snapshot()
    c1, c2, c3 = world.criteria
    response = client.post(f"/judging/{work.a_tokyo.id}",
                           data=score_data(world.cycle, 0, [5, None, 2], action="submit",
                                           comments=["", "Kept comment", ""], overall="Kept overall"))
    assert response.status_code == 422
    page = Page(response)
    assert page.field_error(f"score_{c2.id}") == "Score every criterion before submitting."
    assert page.field_error(f"score_{c1.id}") is None and page.field_error(f"score_{c3.id}") is None
    assert page.checked_values(f"score_{c1.id}") == {"5"}
    assert page.checked_values(f"score_{c3.id}") == {"2"}
    assert page.by_id(f"comment_{c2.id}").text == "Kept comment"
    assert page.by_id("overall_comment").text == "Kept overall"
    assert snapshot() == before, "nothing is saved"
    # Every missing criterion is marked, not only the first.
    response = client.post(f"/judging/{work.a_tokyo.id}", data=score_data(world.cycle, 0, [4], action="submit"))
    page = Page(response)
    assert [page.field_error(f"score_{c.id}") for c in (c1, c2, c3)] == [
        None, "Score every criterion before submitting.", "Score every criterion before submitting."]


def test_submit_with_every_criterion_makes_the_sheet_read_only(client, login, world, work, score_data, events,
                                                               snapshot):
    login(world.judge)
    response = client.post(f"/judging/{work.a_tokyo.id}", data=score_data(world.cycle, 0, [5, 4, 3], action="submit"))
    assert response.status_code == 302
    sheet = _sheet_of(work.a_tokyo.id)
    assert sheet.status == SheetStatus.SUBMITTED and sheet.submitted_at is not None
    assert _values(sheet) == [5, 4, 3]
    [event] = events("sheet.submitted")
    assert (event.actor_id, event.details["nomination_id"]) == (world.judge.id, work.tokyo.id)

    page = _open(client, work.a_tokyo)
    assert "It is read-only" in page.main_text
    assert page.find_all("button", name="action") == []
    assert all("disabled" in f.attrs for f in page.find_all("fieldset") if f.get("class") != "mb-2")
    assert "Tokyo bay clean-up" in _section(Page(client.get("/judging")), "submitted")

    before = snapshot()
    response = client.post(f"/judging/{work.a_tokyo.id}", data=score_data(world.cycle, sheet.version, [1, 1, 1]))
    assert response.status_code == 403
    assert "This sheet has been submitted and can no longer be changed." in Page(response).alerts()
    assert snapshot() == before
    assert _values(_sheet_of(work.a_tokyo.id)) == [5, 4, 3]


def test_abstaining_needs_a_reason_then_submits_without_scores(client, login, world, work, score_data, snapshot):
    login(world.judge)
    before = snapshot()
    response = client.post(f"/judging/{work.a_tokyo.id}",
                           data=score_data(world.cycle, 0, [], action="submit", abstain=True))
    assert response.status_code == 422
    assert Page(response).field_error("abstain_reason") == "Please give a reason for abstaining."
    assert snapshot() == before

    response = client.post(f"/judging/{work.a_tokyo.id}",
                           data=score_data(world.cycle, 0, [], action="submit", abstain=True,
                                           abstain_reason="I advised this team last year"))
    assert response.status_code == 302
    sheet = _sheet_of(work.a_tokyo.id)
    assert (sheet.status, sheet.abstained, sheet.abstain_reason) == (
        SheetStatus.SUBMITTED, True, "I advised this team last year")
    assert _values(sheet) == [None, None, None]
    # It says so: an abstention, not "your scores have been submitted".
    page = Page(client.get(response.headers["Location"]))
    assert "You abstained from this nomination. Thank you for saying so." in page.alerts()
    assert "submitted" not in " ".join(page.alerts())
    page = _open(client, work.a_tokyo)
    assert "You abstained from this nomination on" in page.main_text
    assert "You submitted this sheet" not in page.main_text


def test_review_counts_name_the_abstentions(client, login, world, work, make_sheet):
    """"1 of 3 (1 abstention)": the judge's queue, the admin's progress and assignments pages."""
    make_sheet(work.a_tokyo, abstained=True, reason="Knows the team")
    make_sheet(work.a_osaka, [3, 3, 3])
    login(world.judge)
    page = Page(client.get("/judging"))
    assert "2 of 3 submitted (1 abstention)" in page.main_text
    assert "Tokyo bay clean-up" in _section(page, "submitted") and "You abstained" in _section(page, "submitted")
    assert "You abstained" not in _section(page, "todo")

    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/progress"))
    assert [row[:3] for row in page.table_rows()[1:]] == [[world.judge.name, "2 (1 abstention)", "3"]]
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/assignments"))
    assert f"{world.judge.name} · abstained" in page.main_text


def test_review_counts_in_japanese(client, login, world, work, make_sheet):
    make_sheet(work.a_tokyo, abstained=True, reason="Knows the team")
    make_sheet(work.a_osaka, abstained=True, reason="Knows the team")
    world.judge.locale = "ja"
    db.session.commit()
    login(world.judge)
    page = Page(client.get("/judging"))
    assert "2件提出済み（うち棄権2件）" in page.main_text and "棄権しました" in _section(page, "submitted")


@pytest.mark.parametrize("bad", ["0", "9", "abc", "-1", "3.5"])
def test_out_of_range_scores_are_refused_beside_the_criterion(client, login, world, work, score_data, snapshot, bad):
    login(world.judge)
    before = snapshot()
    data = score_data(world.cycle, 0, [4, 4, 4], comments=["keep me"])
    target = world.criteria[1]
    data[f"score_{target.id}"] = bad
    response = client.post(f"/judging/{work.a_tokyo.id}", data=data)
    assert response.status_code == 422
    page = Page(response)
    assert page.field_error(f"score_{target.id}")
    assert "Please correct the marked fields. Nothing has been saved yet." in page.alerts()
    assert page.checked_values(f"score_{world.criteria[0].id}") == {"4"}
    assert page.by_id(f"comment_{world.criteria[0].id}").text == "keep me"
    assert snapshot() == before
    assert _sheet_of(work.a_tokyo.id) is None


@pytest.mark.parametrize("phase, message", [
    (Phase.NOMINATIONS_OPEN, "Scoring is closed for {label}."),
    (Phase.FINALISED, "The results of {label} are final: scores can no longer change."),
])
def test_scoring_is_refused_outside_the_judging_phase(client, login, world, work, score_data, snapshot, phase,
                                                      message):
    message = message.format(label=world.cycle.label)
    world.cycle.phase = phase
    db.session.commit()
    login(world.judge)
    page = _open(client, work.a_tokyo)
    assert message in page.main_text
    assert page.find_all("button", name="action") == []
    before = snapshot()
    response = client.post(f"/judging/{work.a_tokyo.id}", data=score_data(world.cycle, 0, [3, 3, 3], action="submit"))
    assert response.status_code == 403
    page = Page(response)
    assert message in page.alerts()
    assert page.checked_values(f"score_{world.criteria[0].id}") == {"3"}  # what was typed is still there
    assert snapshot() == before


def test_scoring_is_refused_after_the_judging_deadline(client, login, world, work, score_data, snapshot, make_sheet):
    make_sheet(work.a_tokyo, [2], submitted=False)
    world.cycle.nomination_deadline = utcnow() - timedelta(days=3)
    world.cycle.judging_deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    login(world.judge)
    assert f"Scoring is closed for {world.cycle.label}. Your queue is read-only." in Page(client.get("/judging")).main_text
    before = snapshot()
    response = client.post(f"/judging/{work.a_tokyo.id}", data=score_data(world.cycle, 1, [3, 3, 3], action="submit"))
    assert response.status_code == 403
    assert snapshot() == before
    assert _values(_sheet_of(work.a_tokyo.id)) == [2, None, None]


def test_two_tabs_the_second_save_gets_a_conflict_and_keeps_its_input(client, login, world, work, score_data):
    login(world.judge)
    first_tab = _open(client, work.a_tokyo)
    second_tab = _open(client, work.a_tokyo)
    assert first_tab.input_value("version") == second_tab.input_value("version") == "0"

    response = client.post(f"/judging/{work.a_tokyo.id}",
                           data=score_data(world.cycle, int(first_tab.input_value("version")), [5, 5]))
    assert response.status_code == 302
    response = client.post(f"/judging/{work.a_tokyo.id}",
                           data=score_data(world.cycle, int(second_tab.input_value("version")), [1, 2, 3],
                                           comments=["Second tab comment"]))
    assert response.status_code == 409
    page = Page(response)
    assert any("changed elsewhere" in alert for alert in page.alerts())
    assert any("has NOT been saved" in alert for alert in page.alerts())
    assert page.checked_values(f"score_{world.criteria[2].id}") == {"3"}
    assert page.by_id(f"comment_{world.criteria[0].id}").text == "Second tab comment"
    assert _values(_sheet_of(work.a_tokyo.id)) == [5, 5, None], "the first tab's save was not overwritten"

    # Saving again from the conflict page is a deliberate replacement.
    assert page.input_value("version") == "1"
    response = client.post(f"/judging/{work.a_tokyo.id}",
                           data=score_data(world.cycle, int(page.input_value("version")), [1, 2, 3]))
    assert response.status_code == 302
    assert _values(_sheet_of(work.a_tokyo.id)) == [1, 2, 3]


def test_a_concurrent_write_caught_at_flush_is_a_conflict_too(client, login, world, work, score_data, monkeypatch):
    """Two saves at the same instant both pass the version check; the database's versioned UPDATE
    stops the second (StaleDataError), which the judge sees as the same conflict."""
    from sqlalchemy.orm.exc import StaleDataError

    from awards_app.judging import services

    def racing(*args, **kwargs):
        raise StaleDataError("UPDATE statement on table 'score_sheets' expected to update 1 row(s); 0 were matched.")

    monkeypatch.setattr(services, "save_sheet", racing)
    login(world.judge)
    response = client.post(f"/judging/{work.a_tokyo.id}", data=score_data(world.cycle, 0, [2, 3]))
    assert response.status_code == 409
    page = Page(response)
    assert any("has NOT been saved" in alert for alert in page.alerts())
    assert page.checked_values(f"score_{world.criteria[1].id}") == {"3"}


def test_scoring_closing_between_page_and_save_is_refused(client, login, world, work, score_data, monkeypatch,
                                                          snapshot):
    from awards_app.judging import permissions, services

    # The deadline passes between the page's check and the service's (the same rule, a moment later).
    monkeypatch.setattr(services, "closed_reason", lambda assignment, cycle, now=None: permissions.closed_reason(
        assignment, cycle, now=cycle.judging_deadline))
    login(world.judge)
    before = snapshot()
    response = client.post(f"/judging/{work.a_tokyo.id}", data=score_data(world.cycle, 0, [2, 3]))
    assert response.status_code == 403
    assert f"Scoring is closed for {world.cycle.label}." in Page(response).alerts()
    assert snapshot() == before


def test_a_reopen_makes_the_judges_open_form_stale(client, login, new_client, world, work, score_data, make_sheet,
                                                   events):
    sheet = make_sheet(work.a_tokyo, [4, 4, 4])
    login(world.judge)
    read_only = _open(client, work.a_tokyo)
    stale_version = int(read_only.input_value("version"))

    admin = login(world.admin, new_client())
    response = admin.post(f"/admin/sheets/{sheet.id}/reopen", data={"reason": "Criterion 2 was misread"})
    assert response.status_code == 302
    reopened = _sheet_of(work.a_tokyo.id)
    assert reopened.status == SheetStatus.DRAFT and reopened.submitted_at is None
    [event] = events("sheet.reopened")
    assert (event.actor_id, event.details["reason"], event.details["judge_id"]) == (
        world.admin.id, "Criterion 2 was misread", world.judge.id)

    response = client.post(f"/judging/{work.a_tokyo.id}", data=score_data(world.cycle, stale_version, [1, 1, 1]))
    assert response.status_code == 409
    assert any("changed elsewhere" in alert for alert in Page(response).alerts())
    assert _values(_sheet_of(work.a_tokyo.id)) == [4, 4, 4]

    # With a fresh form the judge can change and submit it again.
    page = _open(client, work.a_tokyo)
    assert {b.get("value") for b in page.find_all("button", name="action")} == {"save", "next", "submit"}
    response = client.post(f"/judging/{work.a_tokyo.id}",
                           data=score_data(world.cycle, int(page.input_value("version")), [4, 2, 4], action="submit"))
    assert response.status_code == 302
    again = _sheet_of(work.a_tokyo.id)
    assert again.status == SheetStatus.SUBMITTED and _values(again) == [4, 2, 4]


def test_reopen_needs_a_reason_and_a_submitted_sheet(client, login, world, work, make_sheet, events, snapshot):
    submitted = make_sheet(work.a_tokyo, [4, 4, 4])
    draft = make_sheet(work.a_osaka, [2], submitted=False)
    login(world.admin)
    before = snapshot()
    response = client.post(f"/admin/sheets/{submitted.id}/reopen", data={"reason": "  "}, follow_redirects=True)
    assert "Please give a reason for reopening." in Page(response).alerts()
    response = client.post(f"/admin/sheets/{draft.id}/reopen", data={"reason": "why not"}, follow_redirects=True)
    assert "Only a submitted sheet can be reopened." in Page(response).alerts()
    assert snapshot() == before
    assert _sheet_of(work.a_tokyo.id).status == SheetStatus.SUBMITTED


def test_admin_reads_a_sheet(client, login, world, work, make_sheet):
    sheet = make_sheet(work.a_tokyo, [5, 3, 1], comments=["Strong", "", "Weak"], overall="Overall fine")
    login(world.admin)
    page = Page(client.get(f"/admin/sheets/{sheet.id}"))
    rows = page.table_rows()
    assert rows[1:] == [["Business relevance", "5", "Strong"], ["Sustainability", "3", ""],
                        ["Novelty of the plan", "1", "Weak"]]
    assert "Overall fine" in page.main_text and world.judge.name in page.main_text
    assert page.find("textarea", name="reason") is not None  # the reopen form


# --- conflicts of interest ------------------------------------------------------------------------


def test_declaring_a_conflict_needs_a_reason(client, login, world, work, snapshot):
    login(world.judge)
    before = snapshot()
    response = client.post(f"/judging/{work.a_tokyo.id}/conflict", data={"conflict-reason": " "})
    assert response.status_code == 422
    page = Page(response)
    assert page.field_error("conflict-reason")
    conflict_box = next(d for d in page.find_all("details") if "Declare a conflict" in d.text)
    assert "open" in conflict_box.attrs  # the form with the error is not hidden
    assert snapshot() == before


def test_declared_conflict_leaves_the_queue_and_a_free_panel_judge_replaces(
        client, login, world, work, panel, make_user, make_sheet, events):
    spare = make_user("judge", name="Sam Spare")
    panel(world.cycle, Region.JAPAN, world.judge, spare, world.judge_site_a)
    make_sheet(work.a_tokyo, [3], submitted=False, comments=["draft note"])
    login(world.judge)
    response = client.post(f"/judging/{work.a_tokyo.id}/conflict", data={"conflict-reason": "My sister leads it"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/judging?cycle={world.cycle.id}"

    mine = _assignments(work.tokyo.id)
    conflicted = next(a for a in mine if a.judge_id == world.judge.id)
    assert (conflicted.status, conflicted.conflict_reason) == (AssignmentStatus.CONFLICT, "My sister leads it")
    assert conflicted.sheet is None
    # The judge of the nominating site is never the replacement.
    assert [a.judge_id for a in mine if a.status == AssignmentStatus.ACTIVE] == [spare.id]
    [declared] = events("assignment.conflict_declared")
    assert declared.details["sheet"]["scores"][str(world.criteria[0].id)] == {"value": 3, "comment": "draft note"}
    assert len(events("assignment.replaced")) == 1

    queue = Page(client.get("/judging", follow_redirects=True))
    assert "Tokyo bay clean-up" not in queue.main_text
    assert client.get(f"/judging/{work.a_tokyo.id}").status_code == 404

    # Running the automatic assignment again never gives it back to the judge.
    login(world.admin)
    client.post(f"/admin/cycles/{world.cycle.id}/assignments/auto")
    assert not any(a.judge_id == world.judge.id and a.status == AssignmentStatus.ACTIVE
                   for a in _assignments(work.tokyo.id))
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/assignments?region=japan"))
    card = page.by_id(f"n{work.tokyo.id}")
    assert "conflict: My sister leads it" in card.text and world.judge.name in card.text


def test_declared_conflict_without_a_free_judge_leaves_the_nomination_short(client, login, world, work, events):
    login(world.judge)
    client.post(f"/judging/{work.a_tokyo.id}/conflict", data={"conflict-reason": "Former colleague"})
    assert [a.status for a in _assignments(work.tokyo.id)] == [AssignmentStatus.CONFLICT]
    assert events("assignment.replaced") == []
    login(world.admin)
    card = Page(client.get(f"/admin/cycles/{world.cycle.id}/assignments")).by_id(f"n{work.tokyo.id}")
    assert "0 of 3 judges" in card.text


def test_a_judge_cannot_declare_a_conflict_after_submitting(client, login, world, work, make_sheet, snapshot):
    make_sheet(work.a_tokyo, [3, 3, 3])
    login(world.judge)
    before = snapshot()
    response = client.post(f"/judging/{work.a_tokyo.id}/conflict", data={"conflict-reason": "late"},
                           follow_redirects=True)
    assert any("ask an administrator to reopen it first" in alert for alert in Page(response).alerts())
    assert snapshot() == before


# --- panels ---------------------------------------------------------------------------------------


def _panel_ids(cycle, region) -> set[int]:
    db.session.expire_all()
    return set(db.session.scalars(
        select(PanelMember.judge_id).where(PanelMember.cycle_id == cycle.id, PanelMember.region == region)))


def test_admin_saves_the_japan_and_overseas_panels(client, login, world, make_user, events):
    other = make_user("judge", name="Olivia Overseas")
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/assignments"))
    boxes = {b.get("value") for b in page.find_all("input", name="panel-japan-judges")}
    assert boxes == {str(world.judge.id), str(world.judge_site_a.id), str(other.id)}
    assert "SITE-A" in page.main_text  # a judge's sites are shown beside their name

    response = client.post(f"/admin/cycles/{world.cycle.id}/panels/japan",
                           data={"panel-japan-judges": [str(world.judge.id), str(world.judge_site_a.id)]})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/cycles/{world.cycle.id}/assignments?region=japan"
    response = client.post(f"/admin/cycles/{world.cycle.id}/panels/overseas",
                           data={"panel-overseas-judges": [str(world.judge.id), str(other.id)]},
                           follow_redirects=True)
    assert "The Overseas panel has been saved." in Page(response).alerts()
    assert _panel_ids(world.cycle, Region.JAPAN) == {world.judge.id, world.judge_site_a.id}
    assert _panel_ids(world.cycle, Region.OVERSEAS) == {world.judge.id, other.id}
    japan, overseas = events("panel.updated")
    assert (japan.actor_id, japan.details["region"], japan.details["added"]) == (
        world.admin.id, "japan", sorted([world.judge.id, world.judge_site_a.id]))
    assert overseas.details["region"] == "overseas"

    # The saved panel is shown checked; removing a judge is recorded too.
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/assignments?region=overseas"))
    assert page.checked_values("panel-overseas-judges") == {str(world.judge.id), str(other.id)}
    client.post(f"/admin/cycles/{world.cycle.id}/panels/overseas", data={"panel-overseas-judges": [str(other.id)]})
    assert _panel_ids(world.cycle, Region.OVERSEAS) == {other.id}
    assert events("panel.updated")[-1].details["removed"] == [world.judge.id]


@pytest.mark.parametrize("who", ["submitter_a", "admin", "nobody"])
def test_only_judges_can_sit_on_a_panel(client, login, world, snapshot, who):
    target = 999999 if who == "nobody" else getattr(world, who).id
    login(world.admin)
    before = snapshot()
    response = client.post(f"/admin/cycles/{world.cycle.id}/panels/japan",
                           data={"panel-japan-judges": [str(world.judge.id), str(target)]}, follow_redirects=True)
    assert "Please choose judges from the list." in Page(response).alerts()
    assert snapshot() == before


def test_panels_are_frozen_once_results_are_final(client, login, world, snapshot):
    world.cycle.phase = Phase.FINALISED
    db.session.commit()
    login(world.admin)
    before = snapshot()
    response = client.post(f"/admin/cycles/{world.cycle.id}/panels/japan",
                           data={"panel-japan-judges": [str(world.judge.id)]}, follow_redirects=True)
    assert "The results of this cycle are final." in Page(response).alerts()
    assert snapshot() == before


# --- automatic assignment -------------------------------------------------------------------------


@pytest.fixture
def field_of_entries(world, make_user, make_nomination, panel):
    """Four Japanese judges on the Japan panel (one of them from site A), none overseas; submitted
    nominations of sites A (two), C and B, plus a draft, a withdrawn and an ineligible one."""
    world.cycle.judges_per_nomination = 2
    db.session.commit()
    extra = [make_user("judge", name=f"Judge {letter}") for letter in "XYZ"]
    panel(world.cycle, Region.JAPAN, world.judge_site_a, *extra)
    make = make_nomination
    return SimpleNamespace(
        judges=extra,
        a1=make(world.cycle, world.site_a, NominationStatus.SUBMITTED, title="A one"),
        a2=make(world.cycle, world.site_a, NominationStatus.SUBMITTED, title="A two"),
        c1=make(world.cycle, world.site_c, NominationStatus.SUBMITTED, title="C one"),
        b1=make(world.cycle, world.site_b, NominationStatus.SUBMITTED, title="Berlin bees"),
        draft=make(world.cycle, world.site_c, NominationStatus.DRAFT, title="Draft entry"),
        withdrawn=make(world.cycle, world.site_c, NominationStatus.WITHDRAWN, title="Withdrawn entry"),
        ineligible=make(world.cycle, world.site_c, NominationStatus.INELIGIBLE, title="Ineligible entry",
                        status_reason="Outside the fiscal year"),
    )


def _by_nomination() -> dict[int, set[int]]:
    result: dict[int, set[int]] = {}
    for assignment in _assignments(status=AssignmentStatus.ACTIVE):
        result.setdefault(assignment.nomination_id, set()).add(assignment.judge_id)
    return result


def test_automatic_assignment_through_the_route(client, login, world, field_of_entries, events):
    f = field_of_entries
    login(world.admin)
    response = client.post(f"/admin/cycles/{world.cycle.id}/assignments/auto")
    assert response.status_code == 302
    assigned = _by_nomination()
    x, y, z = (j.id for j in f.judges)
    assert set(assigned) == {f.a1.id, f.a2.id, f.c1.id}, "drafts, withdrawn, ineligible and unstaffed are skipped"
    assert all(len(judges) == 2 for judges in assigned.values())
    # Never a judge from the nominating site.
    assert world.judge_site_a.id not in assigned[f.a1.id] | assigned[f.a2.id]
    # Balanced: 6 slots over the judges, no one more than one above another where possible.
    loads = [sum(j in judges for judges in assigned.values()) for j in (x, y, z, world.judge_site_a.id)]
    assert sum(loads) == 6 and max(loads[:3]) - min(loads[:3]) <= 1
    [event] = events("assignment.auto")
    assert event.details == {"created": 6, "short": [f.b1.id], "region": None}

    alerts = Page(client.get(response.headers["Location"])).alerts()
    assert "6 new assignments were made." in alerts
    assert any("“Berlin bees” (SITE-B) has 0 of 2 judges: the panel has 0 judges, 0 of them with a conflict of "
               "interest." == alert for alert in alerts), alerts


def test_assigning_one_region_leaves_the_other_and_returns_to_its_tab(client, login, world, field_of_entries, panel,
                                                                      make_user, events):
    f = field_of_entries
    panel(world.cycle, Region.OVERSEAS, make_user("judge", name="Oda Overseas"), make_user("judge", name="Per Overseas"))
    login(world.admin)
    url = f"/admin/cycles/{world.cycle.id}/assignments/auto"
    response = client.post(url, data={"region": "overseas", "tab": "overseas"})
    assert response.headers["Location"] == f"/admin/cycles/{world.cycle.id}/assignments?region=overseas"
    assert set(_by_nomination()) == {f.b1.id}, "only the overseas nomination"
    assert events("assignment.auto")[-1].details == {"created": 2, "short": [], "region": "overseas"}
    page = Page(client.get(response.headers["Location"]))
    assert "2 new assignments were made in the Overseas region." in page.alerts()
    assert page.find("a", class_="active").text == "Overseas"
    # "Both regions" from the Overseas tab fills Japan and comes back to the same tab.
    response = client.post(url, data={"tab": "overseas"})
    assert response.headers["Location"].endswith("?region=overseas")
    assert set(_by_nomination()) == {f.a1.id, f.a2.id, f.c1.id, f.b1.id}
    assert "6 new assignments were made." in Page(client.get(response.headers["Location"])).alerts()


@pytest.mark.parametrize("data", [{"region": "mars"}, {"tab": "mars"}])
def test_an_unknown_region_assigns_nothing(client, login, world, field_of_entries, data):
    login(world.admin)
    assert client.post(f"/admin/cycles/{world.cycle.id}/assignments/auto", data=data).status_code == 404
    assert _by_nomination() == {}


def test_each_region_tab_has_its_button_and_one_for_both(client, login, world):
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/assignments?region=overseas"))
    buttons = {b.text: b for b in page.find_all("button")}
    assert "Assign Overseas automatically" in buttons and "Assign both regions automatically" in buttons
    regions = [i.get("value") for i in page.find_all("input", name="region")]
    tabs = [i.get("value") for i in page.find_all("input", name="tab")]
    assert regions == ["overseas"] and tabs == ["overseas", "overseas"]


def test_a_judge_list_with_no_eligible_judge_is_disabled_with_the_reason(client, login, world, field_of_entries):
    f = field_of_entries
    login(world.admin)
    client.post(f"/admin/cycles/{world.cycle.id}/assignments/auto", data={"region": "japan"})
    world.cycle.judges_per_nomination = 3
    db.session.commit()
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/assignments?region=japan"))
    # A1: two of the three other judges on it, one left; nothing disables it.
    a1 = page.by_id(f"judge-{f.a1.id}")
    assert "disabled" not in a1.attrs and page.by_id(f"no-judge-{f.a1.id}") is None
    client.post(f"/admin/cycles/{world.cycle.id}/assignments/auto", data={"region": "japan"})
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/assignments?region=japan"))
    # Site A's nominations now have X, Y and Z; the fourth judge is from site A: no one is left.
    select = page.by_id(f"judge-{f.a1.id}")
    assert "disabled" in select.attrs and select.get("aria-describedby") == f"no-judge-{f.a1.id}"
    reason = page.by_id(f"no-judge-{f.a1.id}").text
    assert reason.startswith("No judge left to assign")
    # C1 may still take the judge from site A.
    assert "disabled" not in page.by_id(f"judge-{f.c1.id}").attrs


def test_re_running_keeps_existing_assignments_and_fills_only_gaps(client, login, world, field_of_entries, panel,
                                                                  make_user):
    f = field_of_entries
    login(world.admin)
    client.post(f"/admin/cycles/{world.cycle.id}/assignments/auto")
    first = {(a.id, a.nomination_id, a.judge_id) for a in _assignments()}
    # One assignment removed by hand and an overseas judge added: the re-run fills exactly those gaps.
    removed = next(a for a in _assignments() if a.nomination_id == f.c1.id)
    client.post(f"/admin/assignments/{removed.id}/remove")
    overseas_judges = [make_user("judge", name="Oda Overseas"), make_user("judge", name="Per Overseas")]
    panel(world.cycle, Region.OVERSEAS, *overseas_judges)

    response = client.post(f"/admin/cycles/{world.cycle.id}/assignments/auto", follow_redirects=True)
    assert "3 new assignments were made." in Page(response).alerts()
    second = {(a.id, a.nomination_id, a.judge_id) for a in _assignments()}
    assert first - {(removed.id, removed.nomination_id, removed.judge_id)} <= second
    assigned = _by_nomination()
    assert assigned[f.b1.id] == {j.id for j in overseas_judges}
    assert len(assigned[f.c1.id]) == 2

    response = client.post(f"/admin/cycles/{world.cycle.id}/assignments/auto", follow_redirects=True)
    assert "0 new assignments were made." in Page(response).alerts()
    assert {(a.id, a.nomination_id, a.judge_id) for a in _assignments()} == second


def test_shortage_names_the_nomination_and_the_conflicts(client, login, world, make_nomination, panel):
    panel(world.cycle, Region.JAPAN, world.judge, world.judge_site_a)
    nomination = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED, title="Short of judges")
    login(world.admin)
    response = client.post(f"/admin/cycles/{world.cycle.id}/assignments/auto", follow_redirects=True)
    alerts = Page(response).alerts()
    assert "“Short of judges” (SITE-A) has 1 of 3 judges: the panel has 2 judges, 1 of them with a conflict of " \
           "interest." in alerts
    assert _by_nomination() == {nomination.id: {world.judge.id}}


@pytest.mark.parametrize("phase", [Phase.SETUP, Phase.FINALISED])
def test_automatic_assignment_is_refused_in_setup_and_after_finalising(client, login, world, field_of_entries,
                                                                       snapshot, phase):
    world.cycle.phase = phase
    db.session.commit()
    login(world.admin)
    before = snapshot()
    response = client.post(f"/admin/cycles/{world.cycle.id}/assignments/auto", follow_redirects=True)
    assert "Judges can be assigned only while nominations are open or during judging." in Page(response).alerts()
    assert snapshot() == before


# --- manual assignment ----------------------------------------------------------------------------


def test_manual_add_assigns_and_refuses_conflicts_and_duplicates(client, login, world, make_nomination, events,
                                                                 make_assignment, make_user):
    nomination = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED, title="Manual entry")
    login(world.admin)
    url = f"/admin/nominations/{nomination.id}/assignments"
    response = client.post(url, data={"judge_id": str(world.judge.id)})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/cycles/{world.cycle.id}/assignments?region=japan#n{nomination.id}"
    assert [a.judge_id for a in _assignments(nomination.id)] == [world.judge.id]
    assert events("assignment.added")[0].details == {"nomination_id": nomination.id, "judge_id": world.judge.id}

    response = client.post(url, data={"judge_id": str(world.judge.id)}, follow_redirects=True)
    assert "This judge is already assigned to this nomination." in Page(response).alerts()
    response = client.post(url, data={"judge_id": str(world.judge_site_a.id)}, follow_redirects=True)
    assert "This judge belongs to the nominating site (conflict of interest)." in Page(response).alerts()
    declared = make_user("judge", name="Dee Declared")
    make_assignment(nomination, declared, AssignmentStatus.CONFLICT, "Knows the team")
    response = client.post(url, data={"judge_id": str(declared.id)}, follow_redirects=True)
    assert "This judge declared a conflict on this nomination." in Page(response).alerts()
    response = client.post(url, data={"judge_id": str(world.submitter_a.id)}, follow_redirects=True)
    assert "Please choose a judge." in Page(response).alerts()
    assert [(a.judge_id, a.status) for a in _assignments(nomination.id)] == [
        (world.judge.id, AssignmentStatus.ACTIVE), (declared.id, AssignmentStatus.CONFLICT)]


def test_manual_add_offers_only_judges_who_may_take_the_nomination(client, login, world, make_nomination, make_assignment,
                                                                  make_user, panel):
    nomination = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED)
    declared, free = make_user("judge", name="Dee Declared"), make_user("judge", name="Fay Free")
    panel(world.cycle, Region.JAPAN, world.judge, world.judge_site_a, declared, free)
    make_assignment(nomination, world.judge)
    make_assignment(nomination, declared, AssignmentStatus.CONFLICT, "Knows the team")
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/assignments"))
    start = page.elements.index(page.by_id(f"judge-{nomination.id}"))
    options = []
    for element in page.elements[start + 1:]:
        if element.tag != "option":
            break
        options.append(element.text)
    assert options == ["Fay Free"]


def test_manual_add_refuses_a_draft(client, login, world, make_nomination, snapshot):
    draft = make_nomination(world.cycle, world.site_a, title="Still a draft")
    login(world.admin)
    before = snapshot()
    response = client.post(f"/admin/nominations/{draft.id}/assignments", data={"judge_id": str(world.judge.id)},
                           follow_redirects=True)
    assert "Only submitted nominations can be judged." in Page(response).alerts()
    assert snapshot() == before


def test_removing_an_unscored_assignment_needs_no_confirmation(client, login, world, make_nomination, make_assignment, events):
    nomination = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED)
    assignment = make_assignment(nomination, world.judge)
    login(world.admin)
    response = client.post(f"/admin/assignments/{assignment.id}/remove")
    assert response.status_code == 302
    assert _assignments(nomination.id) == []
    assert events("assignment.removed")[0].details["sheet"] is None


def test_removing_a_scored_assignment_asks_first_and_keeps_the_scores_in_the_audit(
        client, login, world, make_nomination, make_assignment, make_sheet, events, snapshot):
    nomination = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED, title="Scored entry")
    assignment = make_assignment(nomination, world.judge)
    make_sheet(assignment, [5, 4, 2], comments=["Great"], overall="Solid work")
    login(world.admin)
    before = snapshot()
    response = client.post(f"/admin/assignments/{assignment.id}/remove")
    assert response.status_code == 409
    page = Page(response)
    assert f"{world.judge.name} has already scored “Scored entry”" in page.main_text
    assert page.find("input", name="confirmed").get("value") == "1"
    assert snapshot() == before

    response = client.post(f"/admin/assignments/{assignment.id}/remove", data={"confirmed": "1"})
    assert response.status_code == 302
    assert _assignments(nomination.id) == [] and _sheet_of(assignment.id) is None
    [event] = events("assignment.removed")
    sheet = event.details["sheet"]
    assert (sheet["status"], sheet["overall_comment"]) == ("submitted", "Solid work")
    assert {k: v["value"] for k, v in sheet["scores"].items()} == {
        str(c.id): v for c, v in zip(world.criteria, [5, 4, 2])}
    assert sheet["scores"][str(world.criteria[0].id)]["comment"] == "Great"


# --- eligibility ----------------------------------------------------------------------------------


def test_a_withdrawn_nomination_leaves_the_judges_queue_and_pages(client, login, world, work, make_sheet):
    make_sheet(work.a_tokyo, [3], submitted=False)
    work.tokyo.status = NominationStatus.WITHDRAWN
    db.session.commit()
    login(world.judge)
    page = Page(client.get("/judging"))
    assert "Tokyo bay clean-up" not in page.main_text and "0 of 2 submitted" in page.main_text
    assert client.get(f"/judging/{work.a_tokyo.id}").status_code == 404
    assert client.get(f"/nominations/{work.tokyo.id}").status_code == 404
    login(world.admin)
    rows = Page(client.get(f"/admin/cycles/{world.cycle.id}/progress")).table_rows()
    assert rows[1][:3] == [world.judge.name, "0", "2"]


def test_marking_ineligible_needs_a_reason(client, login, world, make_nomination, snapshot):
    nomination = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED)
    login(world.admin)
    before = snapshot()
    response = client.post(f"/admin/nominations/{nomination.id}/ineligible", data={"reason": ""},
                           follow_redirects=True)
    assert "Please give the reason the site will see." in Page(response).alerts()
    assert snapshot() == before


def test_ineligible_nomination_leaves_judging_and_the_site_sees_why(
        client, login, world, make_nomination, make_assignment, make_sheet, events):
    nomination = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED, title="Out of scope")
    assignment = make_assignment(nomination, world.judge)
    make_sheet(assignment, [3, 3], submitted=False)
    login(world.admin)
    response = client.post(f"/admin/nominations/{nomination.id}/ineligible",
                           data={"reason": "The activity took place in FY2010."})
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Nomination, nomination.id)
    assert (stored.status, stored.status_reason) == (NominationStatus.INELIGIBLE, "The activity took place in FY2010.")
    assert _assignments(nomination.id) == [] and _sheet_of(assignment.id) is None
    [event] = events("nomination.marked_ineligible")
    assert event.details["removed_assignments"][0]["judge_id"] == world.judge.id
    assert event.details["removed_assignments"][0]["sheet"]["scores"][str(world.criteria[1].id)]["value"] == 3
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/assignments"))
    assert "Reason: The activity took place in FY2010." in page.by_id(f"n{nomination.id}").text
    # The judge no longer sees it; automatic assignment skips it.
    login(world.judge)
    assert "Out of scope" not in Page(client.get("/judging")).main_text
    assert client.get(f"/nominations/{nomination.id}").status_code == 404

    login(world.submitter_a)
    page = Page(client.get(f"/nominations/{nomination.id}"))
    assert page.find("span", class_="badge-status-ineligible").text == "Ineligible"


def test_the_site_sees_the_ineligibility_reason_on_its_nomination_page(client, login, world, make_nomination):
    nomination = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED, title="Out of scope")
    login(world.admin)
    client.post(f"/admin/nominations/{nomination.id}/ineligible", data={"reason": "The activity took place in FY2010."})
    login(world.submitter_a)
    page = Page(client.get(f"/nominations/{nomination.id}"))
    assert "The activity took place in FY2010." in page.main_text


def test_restoring_eligibility(client, login, world, make_nomination, events):
    nomination = make_nomination(world.cycle, world.site_a, NominationStatus.INELIGIBLE, status_reason="Mistake")
    login(world.admin)
    response = client.post(f"/admin/nominations/{nomination.id}/eligible", follow_redirects=True)
    assert "The nomination is eligible again." in Page(response).alerts()
    db.session.expire_all()
    stored = db.session.get(Nomination, nomination.id)
    assert (stored.status, stored.status_reason) == (NominationStatus.SUBMITTED, "")
    assert len(events("nomination.eligibility_restored")) == 1
    response = client.post(f"/admin/nominations/{nomination.id}/eligible", follow_redirects=True)
    assert "This nomination is not marked ineligible." in Page(response).alerts()


# --- ranking and progress -------------------------------------------------------------------------


@pytest.fixture
def scored(world, make_user, make_nomination, make_assignment, make_sheet):
    """Hand-worked ranking data. Weights 1, 1, 2; disagreement threshold 1.5.

    Totals (Σ w·s / 4):  N1: J1 [5,5,4] 4.5, J2 [4,4,4] 4.0 → mean 4.25 (81.25 %), spread 0.5.
    N2: J1 [3,3,3] 3.0, J2 [2,2,1] 1.5, J3 abstains → mean 2.25, spread 1.5 (disagreement).
    N3: J3 [3,2,2] 2.25, J4 only a draft → mean 2.25 (a tie with N2), incomplete.
    N4: J4 assigned, nothing submitted → unranked, incomplete.
    Overseas O1: J3 [5,5,5] 5.0; O2: J3 [1,1,1] 1.0.
    J1: mean 3.75, SD 0.75 → z(N1) = +1, z(N2) = −1.  J2: mean 2.75, SD 1.25 → ±1.
    J3: totals 2.25, 5.0, 1.0 → mean 2.75, SD √(8.375/3) ≈ 1.6708 → z(N3) ≈ −0.299, z(O1) ≈ 1.347.
    Normalised: N1 1.00, N2 −1.00, N3 −0.30.
    """
    world.criteria[2].weight = Decimal("2")
    world.cycle.disagreement_threshold = Decimal("1.5")
    db.session.commit()
    j1, j2, j3, j4, j5 = (make_user("judge", name=f"Judge {n}") for n in ("One", "Two", "Three", "Four", "Five"))
    n = SimpleNamespace(judges=(j1, j2, j3, j4, j5))
    n.n1 = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED, title="N1 river")
    n.n2 = make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED, title="N2 forest")
    n.n3 = make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED, title="N3 school")
    n.n4 = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED, title="N4 library")
    n.o1 = make_nomination(world.cycle, world.site_b, NominationStatus.SUBMITTED, title="O1 park")
    n.o2 = make_nomination(world.cycle, world.site_b, NominationStatus.SUBMITTED, title="O2 canal")
    make_nomination(world.cycle, world.site_a, NominationStatus.DRAFT, title="Draft not ranked")
    make_sheet(make_assignment(n.n1, j1), [5, 5, 4])
    make_sheet(make_assignment(n.n1, j2), [4, 4, 4])
    make_assignment(n.n1, j5, AssignmentStatus.CONFLICT, "Neighbour")
    make_sheet(make_assignment(n.n2, j1), [3, 3, 3], comments=["J1 on N2"])
    make_sheet(make_assignment(n.n2, j2), [2, 2, 1])
    make_sheet(make_assignment(n.n2, j3), abstained=True, reason="Knows the team")
    make_sheet(make_assignment(n.n3, j3), [3, 2, 2])
    make_sheet(make_assignment(n.n3, j4), [5, 5, 5], submitted=False)
    make_assignment(n.n4, j4)
    make_sheet(make_assignment(n.o1, j3), [5, 5, 5])
    make_sheet(make_assignment(n.o2, j3), [1, 1, 1])
    return n


def _ranking_rows(page: Page) -> list[list[str]]:
    rows = page.table_rows()
    header = rows[0]
    assert header[0] == "Rank" and "Flags" in header
    end = next(i for i, row in enumerate(rows) if row and row[0] == "Judge")
    return rows[1:end]


def test_ranking_by_weighted_mean_with_hand_worked_figures(client, login, world, scored):
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/ranking?region=japan&sort=weighted"))
    rows = _ranking_rows(page)
    # Rank, nomination, reviews, adjusted, interval, P(top), weighted mean, 0–100, three criterion
    # means, normalised, spread (after severity), flags. 0–100 rounds half up: 81.25 → 81.3.
    assert [row[1].split(" Tokyo")[0].split(" Osaka")[0] for row in rows] == [
        "N1 river", "N2 forest", "N3 school", "N4 library"]
    assert rows[0][0] == "1" and rows[0][2] == "2 of 2"
    assert rows[0][6:12] == ["4.25", "81.3", "4.50", "4.50", "4.00", "1.00"]
    assert rows[1][0] == "2 tie" and rows[1][2] == "3 of 3 (1 abstention)"
    assert rows[1][6:12] == ["2.25", "31.3", "2.50", "2.50", "2.00", "-1.00"]
    assert "1 abstention" in rows[1][13]
    assert rows[2][0] == "2 tie" and rows[2][2] == "1 of 2"
    assert rows[2][6:12] == ["2.25", "31.3", "3.00", "2.00", "2.00", "-0.30"]
    assert rows[2][13] == "insufficient reviews incomplete"
    assert rows[3][0] == "—" and rows[3][2:13] == ["0 of 1"] + ["—"] * 10
    assert rows[3][13] == "insufficient reviews incomplete"
    # The model's figures: an interval around each adjusted score, probabilities adding up to 1.
    for row in rows[:3]:
        low, high = (float(x) for x in row[4].split(" – "))
        assert low < float(row[3]) < high
    assert sum(int(row[5].rstrip(" %")) for row in rows[:3] if row[5] != "<1 %") == pytest.approx(100, abs=2)
    assert "O1 park" not in page.main_text and "Draft not ranked" not in page.main_text
    # The criterion columns are the cycle's criteria.
    assert page.table_rows()[0][8:11] == ["Business relevance", "Sustainability", "Novelty of the plan"]
    assert "proposed" in rows[0][13]


def test_ranking_by_normalised_score(client, login, world, scored):
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/ranking?region=japan&sort=normalised"))
    rows = _ranking_rows(page)
    assert [(row[0], row[1][:2], row[11]) for row in rows] == [
        ("1", "N1", "1.00"), ("2", "N3", "-0.30"), ("3", "N2", "-1.00"), ("—", "N4", "—")]
    active = page.find_all("a", class_="active")
    assert {a.text for a in active} >= {"Japan", "Sort by normalised score"}


def test_ranking_by_adjusted_score_is_the_default_of_new_cycles(client, login, world, scored):
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/ranking?region=japan"))
    rows = _ranking_rows(page)
    adjusted = [float(row[3]) for row in rows if row[3] != "—"]
    assert adjusted == sorted(adjusted, reverse=True)
    assert "The proposal follows the cycle's method: Adjusted score." in page.by_id("method").text
    assert {a.text for a in page.find_all("a", class_="active")} >= {"Sort by adjusted score"}
    assert "estimated by REML" in page.by_id("model").text or "weak prior" in page.by_id("model").text


def test_ranking_of_the_overseas_region(client, login, world, scored):
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/ranking?region=overseas&sort=weighted"))
    rows = _ranking_rows(page)
    assert [(row[0], row[1][:2], row[6], row[7], row[11]) for row in rows] == [
        ("1", "O1", "5.00", "100.0", "1.35"), ("2", "O2", "1.00", "0.0", "-1.05")]
    assert "N1 river" not in page.main_text


def test_ranking_shows_each_judges_leniency(client, login, world, scored):
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/ranking"))
    rows = page.table_rows()
    start = next(i for i, row in enumerate(rows) if row and row[0] == "Judge")
    assert rows[start] == ["Judge", "Sheets", "Mean", "Standard deviation", "Severity"]
    assert sorted(row[:4] for row in rows[start + 1:]) == [
        ["Judge One", "2", "3.75", "0.75"],
        ["Judge Three", "3", "2.75", "1.67"],
        ["Judge Two", "2", "2.75", "1.25"],
    ]
    # The model's severity (here shrunk to about 0: three nominations cannot show judges differ).
    assert all(abs(float(row[4])) < 1 for row in rows[start + 1:])
    # Comments are never part of the ranking.
    assert "J1 on N2" not in page.html


def test_ranking_an_unknown_sort_or_region_falls_back(client, login, world, scored):
    world.cycle.ranking_method = RankingMethod.WEIGHTED
    db.session.commit()
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/ranking?region=mars&sort=random"))
    assert [row[1][:2] for row in _ranking_rows(page)] == ["N1", "N2", "N3", "N4"]


def test_ranking_with_no_nominations_says_so(client, login, world):
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/ranking"))
    assert "No submitted nominations in this region." in page.main_text
    assert "No sheets submitted yet." in page.main_text


def test_ranking_names_the_groups_of_a_disconnected_panel(client, login, world, make_user, make_nomination,
                                                          make_assignment, make_sheet):
    first, second = make_user("judge", name="Ann First"), make_user("judge", name="Bob Second")
    for title, judge, values in (("Alpha", first, [4, 4, 4]), ("Beta", first, [3, 3, 3]),
                                 ("Gamma", second, [5, 5, 5]), ("Delta", second, [2, 2, 2])):
        make_sheet(make_assignment(make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED,
                                                   title=title), judge), values)
    login(world.admin)
    text = Page(client.get(f"/admin/cycles/{world.cycle.id}/ranking")).by_id("disconnected").text
    assert "form 2 groups that share no nomination" in text
    assert "2 nominations: Ann First" in text and "2 nominations: Bob Second" in text


def test_progress_counts_each_judges_work(client, login, world, scored):
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/progress"))
    rows = page.table_rows()
    assert rows[0] == ["Judge", "Submitted", "Assigned", "Progress", "Conflicts declared", "Reminder"]
    # A judge with sheets to finish can be reminded (notifications.remind_judge).
    assert rows[1:] == [
        ["Judge Five", "0", "0", "", "1", ""],
        ["Judge Four", "0", "2", "", "0", "Remind"],
        ["Judge One", "2", "2", "", "0", ""],
        ["Judge Three", "4 (1 abstention)", "4", "", "0", ""],
        ["Judge Two", "2", "2", "", "0", ""],
    ]
    bars = {b.get("aria-label"): (b.get("aria-valuenow"), b.get("aria-valuemax"))
            for b in page.find_all("div", role="progressbar")}
    assert bars["Judge Four"] == ("0", "2") and bars["Judge Three"] == ("4", "4")


def test_progress_without_assignments(client, login, world):
    login(world.admin)
    assert "No assignments yet." in Page(client.get(f"/admin/cycles/{world.cycle.id}/progress")).main_text


def test_assignments_page_shows_each_judges_state(client, login, world, scored):
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/assignments?region=japan"))
    n1 = page.by_id(f"n{scored.n1.id}").text
    assert "Judge One · submitted" in n1 and "Judge Five · conflict: Neighbour" in n1
    n3 = page.by_id(f"n{scored.n3.id}").text
    assert "Judge Four · in progress" in n3
    n4 = page.by_id(f"n{scored.n4.id}").text
    assert "Judge Four · not started" in n4 and "1 of 3 judges" in n4
    assert page.by_id(f"n{scored.o1.id}") is None  # the other region has its own tab
    # Admins read the sheets from here.
    links = {a.get("href") for a in page.find_all("a") if (a.get("href") or "").startswith("/admin/sheets/")}
    assert len(links) == 7  # N1: 2, N2: 3 (one abstention), N3: 2 (one draft)


# --- languages, escaping, query counts --------------------------------------------------------------


def test_japanese_judge_gets_the_queue_and_scoring_screen_in_japanese(client, login, world, work, make_user, make_assignment):
    judge = make_user("judge", locale="ja", name="山田 審査員")
    assignment = make_assignment(work.tokyo, judge)
    login(judge)
    queue = Page(client.get("/judging"))
    assert queue.lang == "ja"
    assert "採点一覧" in queue.main_text and "未着手" in queue.main_text
    assert "My judging queue" not in queue.main_text
    page = _open(client, assignment)
    assert page.lang == "ja"
    assert "事業との関連性" in page.main_text and "中核となる技術・専門性を生かし" in page.main_text
    assert page.find("button", value="save").text == "下書き保存"
    assert "東京事業所" in page.main_text


def test_html_in_titles_and_comments_is_escaped_everywhere(client, login, new_client, world, make_nomination,
                                                           make_assignment, make_sheet, panel):
    nomination = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED, title=XSS,
                                 title_other=XSS, summary=XSS)
    assignment = make_assignment(nomination, world.judge)
    sheet = make_sheet(assignment, [4, 4, 4], comments=[f"<b>bold</b>{XSS}"], overall=f"<i>{XSS}</i>")
    pages = []
    login(world.admin)
    pages.append(client.get(f"/admin/sheets/{sheet.id}"))
    pages.append(client.get(f"/admin/cycles/{world.cycle.id}/assignments"))
    pages.append(client.get(f"/admin/cycles/{world.cycle.id}/ranking"))
    client.post(f"/admin/sheets/{sheet.id}/reopen", data={"reason": "escape test"})
    login(world.judge)
    pages.append(client.get(f"/judging/{assignment.id}"))
    pages.append(client.get("/judging"))
    for response in pages:
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert XSS not in body, response.request.path
        assert ESCAPED_XSS in body, response.request.path
        assert "<b>bold</b>" not in body and "<i>" not in body
    assert "&lt;b&gt;bold&lt;/b&gt;" in pages[0].get_data(as_text=True)
    assert "&lt;b&gt;bold&lt;/b&gt;" in pages[3].get_data(as_text=True)  # the judge's own comment, in the form


def _grow(world, make_nomination, make_user, make_assignment, make_sheet, start: int, stop: int):
    """Nominations start..stop-1 alternating between the regions, each with two judges (one
    submitted sheet, one draft) and a declared conflict."""
    for index in range(start, stop):
        site = (world.site_c, world.site_b)[index % 2]
        nomination = make_nomination(world.cycle, site, NominationStatus.SUBMITTED, title=f"Entry {index}")
        make_sheet(make_assignment(nomination, make_user("judge", name=f"Judge {index}a")), [index % 5 + 1] * 3)
        make_sheet(make_assignment(nomination, make_user("judge", name=f"Judge {index}b")), [2], submitted=False)
        make_assignment(nomination, make_user("judge", name=f"Judge {index}c"), AssignmentStatus.CONFLICT, "Conflict")


@pytest.mark.parametrize("page", ["assignments?region=japan", "assignments?region=overseas", "progress",
                                  "ranking?region=japan", "ranking?region=overseas&sort=normalised", "results"])
def test_admin_pages_make_as_many_queries_with_12_nominations_as_with_3(
        client, login, world, make_nomination, make_user, make_assignment, make_sheet, panel, count_queries, page):
    panel(world.cycle, Region.JAPAN, world.judge, world.judge_site_a)
    panel(world.cycle, Region.OVERSEAS, world.judge)
    login(world.admin)
    url = f"/admin/cycles/{world.cycle.id}/{page}"
    if page == "results":  # one nomination's sheets: the rest of the cycle grows around it
        watched = make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED, title="Entry watched")
        make_sheet(make_assignment(watched, make_user("judge", name="Judge 11a")), [4, 4, 4])
        url = f"/admin/nominations/{watched.id}/results"

    _grow(world, make_nomination, make_user, make_assignment, make_sheet, 0, 3)
    with count_queries() as small:
        first = client.get(url)
    _grow(world, make_nomination, make_user, make_assignment, make_sheet, 3, 12)
    with count_queries() as large:
        second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert "Entry 11" in second.text or "Judge 11a" in second.text or "Entry 10" in second.text
    assert len(small) == len(large), "\n".join(statement.split("\n")[0][:150] for statement in large)


def test_ranking_shows_float_noise_as_zero_not_minus_zero(client, login, world, make_nomination, make_assignment, make_sheet):
    """Weights 1.5, 1, 1: one judge's totals 12/3.5, 11.5/3.5, 11/3.5; the middle one is that
    judge's mean, so its z-score is 0 (computed, it is about −4e-15)."""
    world.criteria[0].weight = Decimal("1.5")
    db.session.commit()
    for values, title in (([2, 5, 4], "High"), ([3, 3, 4], "Middle"), ([2, 4, 4], "Low")):
        make_sheet(make_assignment(make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED, title=title),
                          world.judge), values)
    login(world.admin)
    rows = _ranking_rows(Page(client.get(f"/admin/cycles/{world.cycle.id}/ranking?sort=normalised")))
    assert [(row[1][:6], row[6], row[11]) for row in rows] == [
        ("High O", "3.43", "1.22"), ("Middle", "3.29", "0.00"), ("Low Os", "3.14", "-1.22")]


def test_many_shortages_are_summarised_and_fit_in_the_session(client, login, world, make_nomination):
    """Shortage messages travel in the session cookie (flash): long Japanese titles must not make
    it larger than a browser keeps (Werkzeug warns above 4093 bytes; warnings are errors here)."""
    words = list("森川海山里町村学校子供高齢者地域清掃植樹保全教育福祉交流支援募金防災花壇菜園図書読書祭事")
    rng = random.Random(3)
    titles = [f"{index:02d} " + "".join(rng.choice(words) for _ in range(TITLE_MAX - 3)) for index in range(20)]
    for title in titles:
        make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED, title=title)
    login(world.admin)
    response = client.post(f"/admin/cycles/{world.cycle.id}/assignments/auto")
    assert response.status_code == 302
    assert len(response.headers["Set-Cookie"]) < 4093
    alerts = Page(client.get(response.headers["Location"])).alerts()
    named = [alert for alert in alerts if "has 0 of 3 judges" in alert]
    assert len(named) == 5 and all("(SITE-C)" in alert for alert in named)
    assert named[0].startswith(f"“{titles[0][:39]}…” (SITE-C) has 0 of 3 judges")
    assert "… and 15 more nominations without enough judges." in alerts
    # Every short nomination is marked on the page itself.
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/assignments"))
    assert sum("0 of 3 judges" in e.text for e in page.find_all("div", class_="card") if e.get("id")) == 20


def test_an_empty_panel_can_be_saved(client, login, world):
    """A browser sends nothing for an empty multi-select: the panel is emptied, not a crash."""
    login(world.admin)
    client.post(f"/admin/cycles/{world.cycle.id}/panels/japan", data={"panel-japan-judges": [str(world.judge.id)]})
    assert db.session.scalar(select(func.count(PanelMember.id)).where(PanelMember.region == "japan")) == 1
    response = client.post(f"/admin/cycles/{world.cycle.id}/panels/japan", data={})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(PanelMember.id)).where(PanelMember.region == "japan")) == 0


def test_the_results_view_puts_every_sheet_side_by_side(client, login, world, scored):
    login(world.admin)
    page = Page(client.get(f"/admin/nominations/{scored.n2.id}/results"))
    rows = page.table_rows()
    assert rows[0][:4] == ["Judge", "Business relevance ×1", "Sustainability ×1", "Novelty of the plan ×2"]
    by_judge = {row[0].split(" ")[0] + " " + row[0].split(" ")[1]: row for row in rows[1:]}
    assert by_judge["Judge One"][1].startswith("3 J1 on N2") and by_judge["Judge One"][5] == "3.00"
    assert by_judge["Judge One"][6] == "-1.00"  # z over Judge One's own two sheets
    assert by_judge["Judge Two"][5] == "1.50"
    assert "Abstained: Knows the team" in by_judge["Judge Three"][0] and by_judge["Judge Three"][5] == "—"
    assert "2.25" in page.by_id("figures").text
    assert page.find("a", href=f"/nominations/{scored.n2.id}") is not None  # the content, one click away


def test_the_ranking_and_the_awards_page_open_the_results_view(client, login, world, scored):
    login(world.admin)
    ranking = Page(client.get(f"/admin/cycles/{world.cycle.id}/ranking"))
    assert ranking.find("a", href=f"/admin/nominations/{scored.n1.id}/results") is not None
    awards = Page(client.get(f"/admin/cycles/{world.cycle.id}/awards"))
    assert awards.find("a", href=f"/admin/nominations/{scored.n1.id}/results") is not None


@pytest.mark.parametrize("locale, args, expected", [
    ("en", (2, 3, 0), "2 of 3"),
    ("en", (1, 3, 1), "1 of 3 (1 abstention)"),
    ("en", (3, 3, 2), "3 of 3 (2 abstentions)"),
    ("ja", (1, 3, 1), "3件中1件（うち棄権1件）"),
])
def test_the_review_count_macro_says_counts_one_way(app, locale, args, expected):
    """judging/_macros.html's review_count, for every page that shows a nomination's reviews."""
    from flask import render_template_string
    from flask_babel import force_locale

    with app.test_request_context(), force_locale(locale):
        text = render_template_string(
            '{% from "judging/_macros.html" import review_count %}{{ review_count(*args) }}', args=args)
    assert text == expected


def test_the_keyboard_help_and_photo_viewer_are_on_the_scoring_screen(client, login, world, work, make_sheet,
                                                                      make_attachment):
    """Scoring by keyboard (static/js/scoring-keys.js) while the sheet can change; the evidence read
    on the page: photos in the viewer, PDFs in a tab of their own, served inline."""
    photo = make_attachment(work.tokyo, world.admin, "shore.png")
    login(world.judge)
    page = _open(client, work.a_tokyo)
    assert any("data-scoring-keys" in form.attrs for form in page.find_all("form"))
    assert "Ctrl + Enter : save and go to the next nomination." in page.by_id("keyboard-help").text
    assert "1 – 5 : give that score to the criterion you are on" in page.by_id("keyboard-help").text
    assert page.find("button", value="next").get("aria-keyshortcuts") == "Control+Enter"
    viewer_link = page.find("a", **{"data-viewer": "shore.png"})
    assert viewer_link is not None and viewer_link.get("href") == f"/nominations/attachments/{photo.id}/view"
    assert page.by_id("viewer") is not None

    make_sheet(work.a_osaka, [3, 3, 3])
    page = _open(client, work.a_osaka)  # submitted: read-only, no shortcuts
    assert page.by_id("keyboard-help") is None
    assert not any("data-scoring-keys" in form.attrs for form in page.find_all("form"))
