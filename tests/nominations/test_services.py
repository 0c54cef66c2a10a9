"""Nomination services without HTTP: rules, state changes and audit events."""
from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from awards_app.core.enums import Language, NominationStatus, Phase, Theme
from awards_app.core.models import utcnow
from awards_app.extensions import db
from awards_app.nominations import services, storage
from awards_app.nominations.models import Nomination

from .support import events, png_bytes


def values_for(cycle, **overrides) -> dict:
    start = cycle.start_date + timedelta(days=10)
    values = {
        "language": Language.JA, "title": "海岸清掃", "title_other": "Beach clean-up", "theme": Theme.NATURE,
        "biodiversity": False, "summary": "要約", "description": "説明", "start_date": start,
        "end_date": start + timedelta(days=1), "participants": 10, "volunteer_hours": Decimal("20.5"),
        "partners": "", "outcomes": "成果",
        "statements": {criterion.id: f"{criterion.key} statement" for criterion in cycle.criteria},
    }
    values.update(overrides)
    return values


def test_missing_fields_names_required_fields_and_statements():
    values = {"title": "T", "theme": None, "summary": "", "participants": 0, "volunteer_hours": Decimal("0"),
              "statements": {1: "yes", 2: "   "}}
    assert services.missing_fields(values, [1, 2, 3]) == [
        "theme", "summary", "description", "start_date", "end_date", "outcomes", "statement_2", "statement_3",
    ]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"start_date": "before"}, "start_date"),
        ({"end_date": "after"}, "end_date"),
        ({"participants": -1}, "participants"),
        ({"volunteer_hours": Decimal("1.25")}, "volunteer_hours"),
        ({"volunteer_hours": Decimal("-0.5")}, "volunteer_hours"),
        ({"volunteer_hours": Decimal("NaN")}, "volunteer_hours"),
        ({"swap": True}, "end_date"),
    ],
)
def test_check_values_holds_the_rules_whatever_the_caller(world, overrides, field):
    cycle = world.cycle
    values = values_for(cycle)
    if overrides.pop("swap", False):
        values["start_date"], values["end_date"] = values["end_date"], values["start_date"]
    if overrides.get("start_date") == "before":
        overrides["start_date"] = cycle.start_date - timedelta(days=1)
    if overrides.get("end_date") == "after":
        overrides["end_date"] = cycle.end_date + timedelta(days=1)
    values.update(overrides)
    with pytest.raises(services.NominationError) as caught:
        services.check_values(values, cycle)
    assert caught.value.field == field


def test_create_draft_and_submit(world):
    draft = services.create_nomination(world.submitter_a, world.cycle, world.site_a, {"title": "Only a title"})
    assert draft.status == NominationStatus.DRAFT and draft.version == 1
    assert [e.action for e in events()] [-1] == "nomination.created"
    complete = services.create_nomination(world.submitter_a, world.cycle, world.site_a, values_for(world.cycle), submit=True)
    assert complete.status == NominationStatus.SUBMITTED and complete.submitted_at is not None
    assert {s.criterion_id: s.text for s in complete.statements} == {
        c.id: f"{c.key} statement" for c in world.cycle.criteria
    }
    assert [e.action for e in events()][-2:] == ["nomination.created", "nomination.submitted"]


def test_create_incomplete_submission_creates_nothing(world):
    with pytest.raises(services.NominationIncomplete) as caught:
        services.create_nomination(world.submitter_a, world.cycle, world.site_a, values_for(world.cycle, summary=""), submit=True)
    assert caught.value.fields == ["summary"]
    db.session.flush()
    assert db.session.scalar(select(func.count()).select_from(Nomination)) == 0
    assert events() == []


def test_create_refused_when_closed_or_site_inactive(world):
    world.cycle.nomination_deadline = utcnow() - timedelta(seconds=1)
    with pytest.raises(services.NominationClosed):
        services.create_nomination(world.admin, world.cycle, world.site_a, {})
    world.cycle.nomination_deadline = utcnow() + timedelta(days=1)
    world.site_a.active = False
    with pytest.raises(services.NominationError):
        services.create_nomination(world.admin, world.cycle, world.site_a, {})


def test_update_records_changed_fields_and_bumps_the_version(world, nomination_a):
    values = services.nomination_values(nomination_a)
    values["title"] = "New title"
    values["statements"][world.cycle.criteria[2].id] = "New novelty"
    changed = services.update_nomination(world.submitter_a, nomination_a, values, expected_version=1)
    db.session.flush()
    assert changed == ["title", f"statement_{world.cycle.criteria[2].id}"]
    assert nomination_a.version == 2
    assert events("nomination.updated")[-1].details == {"fields": changed}


def test_update_without_changes_writes_nothing(world, nomination_a):
    assert services.update_nomination(world.submitter_a, nomination_a, services.nomination_values(nomination_a),
                                      expected_version=1) == []
    db.session.flush()
    assert nomination_a.version == 1 and events("nomination.updated") == []


def test_update_with_a_stale_version_is_a_conflict(world, nomination_a):
    with pytest.raises(services.NominationConflict):
        services.update_nomination(world.submitter_a, nomination_a, {"title": "x"}, expected_version=0)
    assert nomination_a.title == "Tokyo bay clean-up"


def test_incomplete_update_of_a_submitted_nomination_changes_nothing(world, make_nomination):
    submitted = make_nomination(world.cycle, world.site_a, status=NominationStatus.SUBMITTED)
    values = services.nomination_values(submitted)
    values.update(title="Changed", outcomes="")
    with pytest.raises(services.NominationIncomplete):
        services.update_nomination(world.submitter_a, submitted, values, expected_version=submitted.version)
    assert submitted.title == "Beach clean-up with local schools"  # nothing was applied


def test_submitter_cannot_update_after_the_deadline_but_admin_can_until_finalised(world, nomination_a):
    world.cycle.phase = Phase.JUDGING
    with pytest.raises(services.NominationClosed):
        services.update_nomination(world.submitter_a, nomination_a, {"title": "x"}, expected_version=1)
    services.update_nomination(world.admin, nomination_a, {"title": "Admin fix"}, expected_version=1)
    with pytest.raises(services.NominationClosed):  # but not submit it
        services.update_nomination(world.admin, nomination_a, {}, expected_version=nomination_a.version, submit=True)
    world.cycle.phase = Phase.FINALISED
    with pytest.raises(services.NominationClosed):
        services.update_nomination(world.admin, nomination_a, {"title": "Later"}, expected_version=nomination_a.version)


def test_submit_and_withdraw(world, nomination_a):
    services.submit_nomination(world.submitter_a, nomination_a, expected_version=1)
    assert nomination_a.status == NominationStatus.SUBMITTED
    with pytest.raises(services.NominationError):
        services.submit_nomination(world.submitter_a, nomination_a, expected_version=nomination_a.version)
    services.withdraw_nomination(world.submitter_a, nomination_a, "Duplicate entry")
    assert (nomination_a.status, nomination_a.status_reason) == (NominationStatus.WITHDRAWN, "Duplicate entry")
    assert events("nomination.withdrawn")[0].details == {"previous_status": "submitted", "reason": "Duplicate entry"}
    with pytest.raises(services.NominationError):
        services.withdraw_nomination(world.submitter_a, nomination_a)


def test_withdraw_after_the_deadline_is_refused_even_for_admins(world, nomination_a):
    world.cycle.nomination_deadline = utcnow() - timedelta(seconds=1)
    with pytest.raises(services.NominationClosed):
        services.withdraw_nomination(world.admin, nomination_a)
    assert nomination_a.status == NominationStatus.DRAFT


def test_refusals_give_the_reason_the_pages_show(world, nomination_a):
    """One rule, one message: the service refuses with what permissions.closed_reason (shown by the
    nomination pages) says, for the deadline, the phase and the status."""
    from awards_app.nominations.permissions import closed_reason, correction_closed_reason

    world.cycle.nomination_deadline = utcnow() - timedelta(seconds=1)
    with pytest.raises(services.NominationClosed) as refused:
        services.submit_nomination(world.submitter_a, nomination_a, expected_version=1)
    assert str(refused.value) == str(closed_reason(world.cycle, nomination_a))
    assert "The nomination deadline of" in str(refused.value)

    world.cycle.phase = Phase.FINALISED
    with pytest.raises(services.NominationClosed) as refused:
        services.update_nomination(world.admin, nomination_a, {"title": "x"}, expected_version=1)
    assert str(refused.value) == str(correction_closed_reason(nomination_a)) == str(closed_reason(world.cycle))
    assert "have been finalised" in str(refused.value)

    world.cycle.phase = Phase.NOMINATIONS_OPEN
    world.cycle.nomination_deadline = utcnow() + timedelta(days=1)
    services.withdraw_nomination(world.submitter_a, nomination_a)
    with pytest.raises(services.NominationClosed) as refused:
        services.withdraw_nomination(world.admin, nomination_a)
    assert str(refused.value) == str(closed_reason(world.cycle, nomination_a))
    assert "can no longer be changed" in str(refused.value)


def test_attachments_are_written_counted_and_deleted(world, nomination_a, upload_folder):
    checked = storage.check_upload(io.BytesIO(png_bytes()), 1024 * 1024)
    first = services.add_attachment(world.submitter_a, nomination_a, checked, "../../etc/passwd.png",
                                    folder=str(upload_folder), max_attachments=2)
    assert first.original_name == "passwd.png"
    assert (first.width, first.height) == (64, 48)
    services.add_attachment(world.submitter_a, nomination_a, checked, "b.png", folder=str(upload_folder), max_attachments=2)
    with pytest.raises(services.NominationError) as caught:
        services.add_attachment(world.submitter_a, nomination_a, checked, "c.png", folder=str(upload_folder), max_attachments=2)
    assert caught.value.field == "file"
    stored = services.delete_attachment(world.submitter_a, first)
    # The file is only removed by the caller, after the commit.
    assert storage.file_path(str(upload_folder), stored).exists()
    assert [a.original_name for a in nomination_a.attachments] == ["b.png"]
    assert [e.action for e in events() if e.action.startswith("attachment.")] == [
        "attachment.added", "attachment.added", "attachment.deleted",
    ]
