"""The one rule for the score sheets that count for a result (`judging.queries.select_counted_sheets`)
and the three places that read through it: the ranking, the results export and a site's outcome.

Counted: a submitted sheet of an active assignment on a nomination still submitted. Abstentions
count as reviews done in the ranking and are listed in the export, but a site never reads what an
abstaining judge wrote. Never counted anywhere: a draft, the sheet of an assignment whose judge
then declared a conflict, and the sheets of a withdrawn or ineligible nomination."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from awards_app.awards.queries import get_site_outcome
from awards_app.core.enums import AssignmentStatus, NominationStatus, Region
from awards_app.exports.queries import list_counted_sheets
from awards_app.extensions import db
from awards_app.judging.models import ScoreSheet
from awards_app.judging.queries import get_ranking, select_counted_sheets


@pytest.fixture
def sheets(world, make_user, make_nomination, make_assignment, make_sheet):
    """One nomination with a sheet of every kind, and a withdrawn and an ineligible one, each with
    a submitted sheet by the same judge (whose statistics they must not inform)."""
    other = make_user("judge", name="Olga Other")
    drafter = make_user("judge", name="Dora Drafter")
    conflicted = make_user("judge", name="Carl Conflict")
    abstainer = make_user("judge", name="Abe Abstainer")
    counted = make_nomination(world.cycle, world.site_a, NominationStatus.SUBMITTED, title="Counted")
    withdrawn = make_nomination(world.cycle, world.site_c, NominationStatus.WITHDRAWN, title="Withdrawn")
    ineligible = make_nomination(world.cycle, world.site_c, NominationStatus.INELIGIBLE, title="Ineligible")

    made = SimpleNamespace(nomination=counted)
    made.scored = make_sheet(make_assignment(counted, world.judge), [4, 4, 4], comments=["Counted remark"],
                             overall="Counted overall")
    made.second = make_sheet(make_assignment(counted, other), [2, 2, 2], overall="Second overall")
    made.abstained = make_sheet(make_assignment(counted, abstainer), abstained=True, reason="My team",
                                overall="Abstainer overall")
    made.draft = make_sheet(make_assignment(counted, drafter), [1, 1, 1], submitted=False, overall="Draft overall")
    removed = make_assignment(counted, conflicted)
    made.removed = make_sheet(removed, [5, 5, 5], comments=["Removed remark"], overall="Removed overall")
    removed.status, removed.conflict_reason = AssignmentStatus.CONFLICT, "Declared after submitting"
    made.withdrawn = make_sheet(make_assignment(withdrawn, world.judge), [1, 1, 1])
    made.ineligible = make_sheet(make_assignment(ineligible, world.judge), [1, 1, 1])
    db.session.commit()
    return made


def _ids(*, abstentions: bool) -> set[int]:
    return set(db.session.scalars(select_counted_sheets(ScoreSheet.id, abstentions=abstentions)))


def test_the_rule_counts_submitted_sheets_of_active_assignments_on_submitted_nominations(sheets):
    assert _ids(abstentions=True) == {sheets.scored.id, sheets.second.id, sheets.abstained.id}
    assert _ids(abstentions=False) == {sheets.scored.id, sheets.second.id}


def test_the_ranking_counts_the_same_sheets(world, sheets):
    ranking = get_ranking(world.cycle, Region.JAPAN)
    [row] = ranking.rows
    assert row.nomination_id == sheets.nomination.id
    # Two scored sheets (4 and 2) and one abstention, of the four active assignments.
    assert (row.submitted, row.abstentions, row.assigned, row.weighted_mean) == (2, 1, 4, 3.0)
    # The judge's sheets on the withdrawn and ineligible nominations do not count towards their
    # statistics either: one sheet, so no spread to normalise by.
    assert ranking.judge_stats[world.judge.id].count == 1


def test_the_results_export_lists_the_same_sheets(world, sheets):
    listed = {sheet.sheet_id: sheet for sheet in list_counted_sheets(world.cycle)}
    assert set(listed) == {sheets.scored.id, sheets.second.id, sheets.abstained.id} == _ids(abstentions=True)
    assert listed[sheets.abstained.id].abstained and listed[sheets.scored.id].scores


def test_the_outcome_passes_on_only_the_counted_reviews_without_abstentions(world, sheets):
    outcome = get_site_outcome(sheets.nomination, with_comments=True)
    assert outcome.overall_comments == ["Counted overall", "Second overall"]
    assert [comment for group in outcome.criterion_comments for comment in group.comments] == ["Counted remark"]
