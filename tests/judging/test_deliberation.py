"""Deliberation (issue 15, item 2): once a judge has submitted their own sheet, the panel's other
submitted sheets and a discussion; revising a submitted score only with a reason, kept as history;
admins open deliberation on nominations flagged for disagreement in FLAGGED rounds."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from awards_app.core.enums import AssignmentStatus, Deliberation, NominationStatus, Region, SheetStatus
from awards_app.core.models import utcnow
from awards_app.extensions import db
from awards_app.judging import queries, services
from awards_app.judging.models import DeliberationOpening, DiscussionMessage, JudgingRound, Score, ScoreRevision
from core.support import Page

SECRET = "Second judge's submitted comment"
DRAFT = "Third judge's draft comment"


@pytest.fixture
def panel3(world, make_user, make_nomination, make_assignment, make_sheet):
    """Site A's nomination in round 1 of the world's cycle, with a panel of three: world.judge
    (not submitted yet), "Second Judge" (submitted, 2s, a comment, a message) and "Third Judge" (a
    draft). Also a judge who declared a conflict on it and a judge without assignments."""
    nomination = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED, title="Bay clean-up")
    second, third = make_user("judge", name="Second Judge"), make_user("judge", name="Third Judge")
    conflicted = make_user("judge", name="Conflicted Judge")
    mine = make_assignment(nomination, world.judge)
    make_sheet(make_assignment(nomination, second), [2] * len(world.criteria), comments=[SECRET])
    make_sheet(make_assignment(nomination, third), [3], submitted=False, comments=[DRAFT])
    conflict = make_assignment(nomination, conflicted, AssignmentStatus.CONFLICT, reason="My cousin's team")
    judging_round = queries.get_round(world.cycle)
    judging_round.deliberation = Deliberation.ALL
    db.session.commit()
    services.post_message(second, queries.get_assignment_for_scoring(
        next(a.id for a in judging_round_assignments(nomination) if a.judge_id == second.id)),
        "I scored low: <b>no</b> measurable outcome.\nSecond line.")
    db.session.commit()
    return type("Panel", (), {"nomination": nomination, "mine": mine, "second": second, "third": third,
                              "conflicted": conflicted, "conflict": conflict, "round": judging_round})


def judging_round_assignments(nomination):
    from awards_app.judging.models import Assignment
    return db.session.scalars(select(Assignment).where(Assignment.nomination_id == nomination.id)).all()


def assignment_of(nomination, judge):
    return next(a for a in judging_round_assignments(nomination) if a.judge_id == judge.id)


def revise_data(cycle, version, values, *, reason="", comments=()):
    data = {"version": str(version), "reason": reason}
    for index, criterion in enumerate(cycle.criteria):
        if index < len(values) and values[index] is not None:
            data[f"score_{criterion.id}"] = str(values[index])
        data[f"comment_{criterion.id}"] = comments[index] if index < len(comments) else ""
    return data


def test_nothing_of_the_others_before_ones_own_submission_then_the_panels_sheets(
        client, login, world, panel3, make_sheet):
    login(world.judge)
    url = f"/judging/{panel3.mine.id}"
    page = Page(client.get(url))
    assert page.response.status_code == 200
    assert SECRET not in page.html and "no</b>" not in page.html and "measurable outcome" not in page.html
    assert page.by_id("deliberation") is None and "Second Judge" not in page.html
    assert "Once you have submitted your own scores, you will see the panel" in page.by_id("deliberation-later").text
    # Posting before one's own submission is refused, and stores nothing.
    response = client.post(f"{url}/discussion", data={"discussion-body": "Too early"})
    assert response.status_code == 403
    assert "Submit your own scores first" in " ".join(Page(response).alerts())
    assert db.session.scalar(select(func.count(DiscussionMessage.id))) == 1
    # Submitted: the other submitted sheet (name, scores, comment) and the thread; never a draft.
    make_sheet(panel3.mine, [4] * len(world.criteria))
    page = Page(client.get(url))
    section = page.by_id("deliberation")
    assert SECRET in section.text and "Second Judge" in section.text
    assert DRAFT not in page.html and "Third Judge" not in page.html
    assert "I scored low: <b>no</b> measurable outcome." in section.text  # escaped, shown as typed
    assert "&lt;b&gt;no&lt;/b&gt;" in page.html and "<b>no</b>" not in page.html
    assert page.by_id("deliberation-later") is None
    # The judge posts; the message is in the thread.
    response = client.post(f"{url}/discussion", data={"discussion-body": "I saw strong outcomes."})
    assert response.status_code == 302 and response.headers["Location"].endswith("#discussion")
    assert "I saw strong outcomes." in Page(client.get(url)).by_id("deliberation").text


def test_the_other_roles_see_nothing_of_the_deliberation(client, login, world, panel3, make_sheet, make_assignment):
    make_sheet(panel3.mine, [4] * len(world.criteria))
    # The third judge (a draft) sees nothing of the others.
    login(panel3.third)
    page = Page(client.get(f"/judging/{assignment_of(panel3.nomination, panel3.third).id}"))
    assert page.response.status_code == 200
    assert SECRET not in page.html and "measurable outcome" not in page.html and page.by_id("deliberation") is None
    # A judge not on the panel, and the judge who declared a conflict: no page at all.
    other = make_assignment(panel3.nomination, world.judge_site_a, AssignmentStatus.CONFLICT, reason="Own site")
    for judge, assignment in ((world.judge_site_a, panel3.mine), (panel3.conflicted, panel3.conflict),
                              (world.judge_site_a, other)):
        login(judge)
        assert client.get(f"/judging/{assignment.id}").status_code == 404
        assert client.post(f"/judging/{assignment.id}/discussion", data={"discussion-body": "Hi"}).status_code == 404
        assert client.post(f"/judging/{assignment.id}/revise", data={"reason": "x"}).status_code == 404
    # Sites and anonymous visitors.
    for user, status in ((world.submitter_a, 403), (world.submitter_b, 403), (None, 302)):
        login(user)
        assert client.get(f"/judging/{panel3.mine.id}").status_code == status
        assert client.post(f"/judging/{panel3.mine.id}/discussion", data={"discussion-body": "Hi"}).status_code == status
        page = client.get(f"/nominations/{panel3.nomination.id}").get_data(as_text=True)
        assert SECRET not in page and "measurable outcome" not in page
    assert db.session.scalar(select(func.count(DiscussionMessage.id))) == 1
    # The admin reads the thread and every sheet on the nomination's results.
    login(world.admin)
    page = Page(client.get(f"/admin/nominations/{panel3.nomination.id}/results"))
    assert "measurable outcome" in page.by_id("discussion").text and "Second Judge" in page.by_id("discussion").text


def test_a_round_that_hides_names_shows_stable_letters(client, login, world, panel3, make_sheet):
    panel3.round.hide_judge_names = True
    db.session.commit()
    make_sheet(panel3.mine, [4] * len(world.criteria))
    login(world.judge)
    page = Page(client.get(f"/judging/{panel3.mine.id}"))
    section = page.by_id("deliberation").text
    # Assigned first (world.judge) is A, then Second Judge B: the labels follow the assignment order.
    assert "Second Judge" not in page.html and "Judge B" in section and SECRET in section
    assert "you are Judge A" in section
    assert "Judge B · " in page.by_id("deliberation").text  # the message's author


def test_deliberation_off_shows_nothing_after_submission(client, login, world, panel3, make_sheet):
    panel3.round.deliberation = Deliberation.OFF
    db.session.commit()
    make_sheet(panel3.mine, [4] * len(world.criteria))
    login(world.judge)
    page = Page(client.get(f"/judging/{panel3.mine.id}"))
    assert SECRET not in page.html and page.by_id("deliberation") is None and page.by_id("deliberation-later") is None
    assert client.post(f"/judging/{panel3.mine.id}/revise",
                       data=revise_data(world.cycle, 1, [5, 5, 5], reason="x")).status_code == 403


def test_revising_needs_a_reason_keeps_the_input_and_records_the_history(client, login, world, panel3, make_sheet,
                                                                           events):
    sheet = make_sheet(panel3.mine, [4] * len(world.criteria), comments=["Fine"])
    criteria = world.criteria
    login(world.judge)
    url = f"/judging/{panel3.mine.id}"
    page = Page(client.get(url))
    assert page.by_id("revise-form") is not None
    # No reason: 422, the reason's error beside it, the new score and comment still on the page.
    response = client.post(f"{url}/revise", data=revise_data(world.cycle, sheet.version, [2, 4, 4],
                                                             comments=["After the discussion"]))
    assert response.status_code == 422
    page = Page(response)
    assert page.field_error("reason") == "Please say why you revise your scores."
    assert "checked" in page.find("input", id=f"score_{criteria[0].id}-{2 - world.cycle.scale_min}").attrs
    assert "After the discussion" in page.by_id(f"comment_{criteria[0].id}").text
    assert db.session.scalar(select(func.count(ScoreRevision.id))) == 0
    # Too long a reason is refused too.
    response = client.post(f"{url}/revise", data=revise_data(world.cycle, sheet.version, [2, 4, 4], reason="x" * 2001))
    assert response.status_code == 422 and Page(response).field_error("reason")
    # With a reason: the score holds the new value, the history the old one; the sheet stays submitted.
    response = client.post(f"{url}/revise", data=revise_data(world.cycle, sheet.version, [2, 4, 4],
                                                             comments=["After the discussion", "", ""],
                                                             reason="The others showed me the outcome data."))
    assert response.status_code == 302, Page(response).alerts()
    db.session.expire_all()
    [revision] = db.session.scalars(select(ScoreRevision)).all()
    assert (revision.criterion_id, revision.old_value, revision.new_value) == (criteria[0].id, 4, 2)
    assert (revision.old_comment, revision.new_comment) == ("Fine", "After the discussion")
    assert revision.reason == "The others showed me the outcome data." and revision.judge_id == world.judge.id
    assert db.session.scalar(select(Score.value).where(Score.sheet_id == sheet.id,
                                                      Score.criterion_id == criteria[0].id)) == 2
    assert sheet.status == SheetStatus.SUBMITTED
    [event] = events("sheet.revised")
    assert event.details["reason"] == "The others showed me the outcome data."
    assert event.details["changes"] == {str(criteria[0].id): [4, 2]}
    # An old version (another tab) is refused, input kept.
    response = client.post(f"{url}/revise", data=revise_data(world.cycle, 1, [1, 4, 4], reason="Again"))
    assert response.status_code == 409
    # The panel sees the revision with its reason; the admin's ranking marks the nomination and its
    # results list the revision.
    login(panel3.second)
    page = Page(client.get(f"/judging/{assignment_of(panel3.nomination, panel3.second).id}"))
    assert "The others showed me the outcome data." in page.by_id("panel-revisions").text
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/ranking"))
    row = page.find("tr", data_nomination=str(panel3.nomination.id))
    assert "revised in deliberation" in row.text
    assert "Revised in deliberation" in page.by_id("deliberation-legend").text
    page = Page(client.get(f"/admin/nominations/{panel3.nomination.id}/results"))
    assert "The others showed me the outcome data." in page.by_id("revisions").text
    assert "Fine" in page.by_id("revisions").text and "After the discussion" in page.by_id("revisions").text
    page = Page(client.get(f"/admin/sheets/{sheet.id}"))
    assert "The others showed me the outcome data." in page.by_id("revisions").text


def test_revising_or_posting_after_the_round_closed_is_refused_with_the_input_kept(
        client, login, world, panel3, make_sheet):
    sheet = make_sheet(panel3.mine, [4] * len(world.criteria))
    services.close_judging(world.admin, world.cycle, "Panel done")
    db.session.commit()
    login(world.judge)
    url = f"/judging/{panel3.mine.id}"
    response = client.post(f"{url}/revise", data=revise_data(world.cycle, sheet.version, [1, 4, 4],
                                                             reason="Changed my mind"))
    assert response.status_code == 403
    page = Page(response)
    assert "closed judging" in " ".join(page.alerts())
    assert "Changed my mind" in page.html  # kept
    response = client.post(f"{url}/discussion", data={"discussion-body": "Late thought"})
    assert response.status_code == 403 and "Late thought" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ScoreRevision.id))) == 0
    assert db.session.scalar(select(func.count(DiscussionMessage.id))) == 1
    # After the close the judge still reads the panel's sheets, without the forms.
    page = Page(client.get(url))
    assert SECRET in page.by_id("deliberation").text and page.by_id("revise-form") is None
    assert page.find("textarea", id="discussion-body") is None


def test_revising_refuses_an_empty_score_and_no_change(world, panel3, make_sheet):
    sheet = make_sheet(panel3.mine, [4] * len(world.criteria))
    assignment = queries.get_assignment_for_scoring(panel3.mine.id)
    scores = {c.id: (4, "") for c in world.criteria}
    with pytest.raises(services.JudgingError, match="Nothing has changed"):
        services.revise_scores(world.judge, assignment, expected_version=sheet.version, scores=scores, reason="x")
    scores[world.criteria[0].id] = (None, "")
    with pytest.raises(services.JudgingError) as refused:
        services.revise_scores(world.judge, assignment, expected_version=sheet.version, scores=scores, reason="x")
    assert refused.value.fields == (f"score_{world.criteria[0].id}",)


def test_flagged_rounds_open_only_nominations_flagged_for_disagreement(
        client, login, world, make_nomination, make_assignment, make_sheet, make_user, events):
    world.cycle.minimum_reviews = 1
    judging_round = queries.get_round(world.cycle)
    judging_round.deliberation = Deliberation.FLAGGED
    db.session.commit()
    # Two judges who agree on three nominations and split on one: the model cannot put the split
    # down to one judge's severity.
    judges = [make_user("judge", name=f"Split judge {index}") for index in range(2)]
    calm = None
    for title, values in (("Calm", (3, 3)), ("Calm 2", (4, 4)), ("Calm 3", (2, 2)),
                          ("Split", (world.cycle.scale_min, world.cycle.scale_max))):
        nomination = make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED, title=title)
        for judge, value in zip(judges, values, strict=True):
            make_sheet(make_assignment(nomination, judge), [value] * len(world.criteria))
        calm = calm or nomination
    split = nomination
    ranking = queries.get_ranking(world.cycle, Region.JAPAN, judging_round=judging_round)
    assert ranking.row(split.id).disagreement and not ranking.row(calm.id).disagreement
    # Before an admin opens it, a submitted judge of the split nomination sees nothing of the others.
    first = assignment_of(split, db.session.scalar(select(type(world.judge)).where(
        type(world.judge).name == "Split judge 0")))
    login(db.session.get(type(world.judge), first.judge_id))
    page = Page(client.get(f"/judging/{first.id}"))
    assert page.by_id("deliberation") is None and "Split judge 1" not in page.html
    # The admin: the button is beside the disagreement flag only; an unflagged one is refused.
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/ranking"))
    assert page.find("tr", data_nomination=str(split.id)).text.count("Open deliberation") == 1
    assert "Open deliberation" not in page.find("tr", data_nomination=str(calm.id)).text
    response = client.post(f"/admin/rounds/{judging_round.id}/nominations/{calm.id}/deliberation")
    assert response.status_code == 302
    assert "Only a nomination flagged for disagreement" in " ".join(Page(client.get(response.headers["Location"])).alerts())
    assert db.session.scalar(select(func.count(DeliberationOpening.id))) == 0
    response = client.post(f"/admin/rounds/{judging_round.id}/nominations/{split.id}/deliberation")
    page = Page(client.get(response.headers["Location"]))
    assert "Deliberation is open for “Split”" in " ".join(page.alerts())
    assert "deliberation open" in page.find("tr", data_nomination=str(split.id)).text
    assert [e.details["nomination_id"] for e in events("round.deliberation_opened")] == [split.id]
    # Opening twice is refused; the judge now sees the other sheet.
    with pytest.raises(services.JudgingError, match="already open"):
        services.open_deliberation(world.admin, judging_round, split)
    login(db.session.get(type(world.judge), first.judge_id))
    assert "Split judge 1" in Page(client.get(f"/judging/{first.id}")).by_id("deliberation").text


def test_opening_is_refused_in_a_round_without_flagged_deliberation_or_closed(world, panel3):
    for setting in (Deliberation.OFF, Deliberation.ALL):
        panel3.round.deliberation = setting
        with pytest.raises(services.JudgingError, match="does not let an administrator"):
            services.open_deliberation(world.admin, panel3.round, panel3.nomination)
    panel3.round.deliberation = Deliberation.FLAGGED
    panel3.round.closed_at, panel3.round.closed_reason = utcnow(), "Done"
    with pytest.raises(services.JudgingError, match="is closed"):
        services.open_deliberation(world.admin, panel3.round, panel3.nomination)


def test_a_round_added_with_deliberation_and_hidden_names(client, login, world, events):
    login(world.admin)
    deadline = (world.cycle.judging_deadline + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/rounds"))
    assert page.find("select", id="deliberation") is not None
    response = client.post(f"/admin/cycles/{world.cycle.id}/rounds", data={
        "judging_deadline": deadline, "deliberation": "flagged", "hide_judge_names": "y", "name": "Final"})
    assert response.status_code == 302
    added = db.session.scalar(select(JudgingRound).where(JudgingRound.cycle_id == world.cycle.id,
                                                        JudgingRound.number == 2))
    assert added.deliberation == Deliberation.FLAGGED and added.hide_judge_names
    [event] = events("round.added")
    assert event.details["settings"]["deliberation"] == "flagged" and event.details["settings"]["hide_judge_names"]
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}/rounds"))
    assert "Only the nominations an admin opens" in page.by_id(f"round-{added.id}").text
    # A value not offered is refused beside the field, the rest kept.
    response = client.post(f"/admin/cycles/{world.cycle.id}/rounds", data={
        "judging_deadline": deadline, "deliberation": "sometimes", "name": "Kept name"})
    assert response.status_code == 422
    page = Page(response)
    assert page.field_error("deliberation") and page.find("input", id="name").get("value") == "Kept name"


def test_the_scoring_page_makes_as_many_queries_for_a_large_panel_as_for_a_small_one(
        client, login, world, make_nomination, make_assignment, make_sheet, make_user, count_queries):
    judging_round = queries.get_round(world.cycle)
    judging_round.deliberation = Deliberation.ALL
    judging_round.hide_judge_names = True
    db.session.commit()

    def measure(size):
        nomination = make_nomination(world.cycle, world.site_c, NominationStatus.SUBMITTED, title=f"Panel {size}")
        mine = make_assignment(nomination, world.judge)
        make_sheet(mine, [4] * len(world.criteria))
        for index in range(size - 1):
            other = make_user("judge", name=f"Panel {size} judge {index}")
            assignment = make_assignment(nomination, other)
            make_sheet(assignment, [3] * len(world.criteria), overall=f"Comment {size}-{index}")
            services.post_message(other, queries.get_assignment_for_scoring(assignment.id), f"Message {size}-{index}")
            services.revise_scores(other, queries.get_assignment_for_scoring(assignment.id),
                                   expected_version=assignment.sheet.version,
                                   scores={world.criteria[0].id: (2, "")}, reason=f"Reason {size}-{index}")
        db.session.commit()
        login(world.judge)
        with count_queries() as statements:
            response = client.get(f"/judging/{mine.id}")
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert all(f"Comment {size}-{i}" in body and f"Reason {size}-{i}" in body for i in range(size - 1))
        return len(statements)

    assert measure(2) == measure(6)


def test_the_exports_keep_the_old_value_and_the_reason_formula_safe(world, panel3, make_sheet):
    from exports.conftest import csv_records, read_zip

    from awards_app.exports.services import build_export

    sheet = make_sheet(panel3.mine, [4] * len(world.criteria))
    services.revise_scores(world.judge, queries.get_assignment_for_scoring(panel3.mine.id),
                           expected_version=sheet.version, scores={world.criteria[1].id: (1, "")},
                           reason="=HYPERLINK(\"http://evil\")")
    db.session.commit()
    export = build_export(world.cycle, "results", "csv")
    files = read_zip(b"".join(export.chunks))
    [row] = csv_records(files[f"mdd-awards-{world.cycle.label}-results-revisions.csv"])
    assert (row["Round"], row["Nomination ID"], row["Judge"], row["Criterion key"]) == (
        "1", str(panel3.nomination.id), "Jiro Judge", world.criteria[1].key)
    assert (row["Old score"], row["New score"]) == ("4", "1")
    assert row["Reason"] == "'=HYPERLINK(\"http://evil\")"  # never read as a formula
    scores = csv_records(b"".join(build_export(world.cycle, "scores", "csv").chunks))
    mine = [r for r in scores if r["Judge"] == "Jiro Judge" and r["Nomination ID"] == str(panel3.nomination.id)]
    revised = {r["Criterion key"]: (r["Score"], r["Revised in deliberation"], r["Score before deliberation"]) for r in mine}
    assert revised[world.criteria[1].key] == ("1", "Yes", "4")
    assert revised[world.criteria[0].key] == ("4", "No", "")


def test_a_judge_who_abstained_stays_out_of_the_deliberation(client, login, world, panel3, make_sheet):
    make_sheet(panel3.mine, abstained=True, reason="I know the team")
    login(world.judge)
    page = Page(client.get(f"/judging/{panel3.mine.id}"))
    assert SECRET not in page.html and page.by_id("deliberation") is None and page.by_id("deliberation-later") is None
    response = client.post(f"/judging/{panel3.mine.id}/discussion", data={"discussion-body": "Hello"})
    assert response.status_code == 403
