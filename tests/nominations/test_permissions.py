"""The nomination permission functions, on plain objects (no database, no request)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from awards_app.core.enums import NominationStatus, Phase
from awards_app.nominations.permissions import (
    can_create,
    can_edit,
    can_manage_attachments,
    can_nominate_for,
    can_submit,
    can_view,
    can_withdraw,
    closed_reason,
    correction_closed_reason,
)

NOW = datetime(2013, 1, 15, 12, 0, tzinfo=timezone.utc)
SITE_A, SITE_B = 1, 2


def user(*roles, sites=(), active=True, authenticated=True):
    return SimpleNamespace(
        is_authenticated=authenticated, is_active=active, site_ids=set(sites),
        is_admin="admin" in roles, is_judge="judge" in roles, is_submitter="submitter" in roles,
    )


ANONYMOUS = SimpleNamespace(is_authenticated=False, is_active=False, is_admin=False, is_judge=False,
                            is_submitter=False, site_ids=set())


def cycle(phase=Phase.NOMINATIONS_OPEN, deadline=NOW + timedelta(days=1)):
    return SimpleNamespace(phase=phase, nomination_deadline=deadline, fiscal_year=2012, label="FY2012")


def nomination(site_id=SITE_A, status=NominationStatus.DRAFT, **cycle_args):
    return SimpleNamespace(site_id=site_id, status=status, cycle=cycle(**cycle_args))


def site(site_id=SITE_A, active=True):
    return SimpleNamespace(id=site_id, active=active)


PEOPLE = {
    "anonymous": ANONYMOUS,
    "submitter_a": user("submitter", sites=[SITE_A]),
    "submitter_b": user("submitter", sites=[SITE_B]),
    "judge": user("judge"),
    "judge_of_site_a": user("judge", sites=[SITE_A]),
    "admin": user("admin"),
    "inactive_admin": user("admin", active=False),
    "inactive_submitter_a": user("submitter", sites=[SITE_A], active=False),
}


@pytest.mark.parametrize(
    "who, view, edit",
    [
        ("anonymous", False, False),
        ("submitter_a", True, True),
        ("submitter_b", False, False),
        ("judge", False, False),
        ("judge_of_site_a", False, False),
        ("admin", True, True),
        ("inactive_admin", False, False),
        ("inactive_submitter_a", False, False),
    ],
)
def test_matrix_while_nominations_are_open(who, view, edit):
    person, item = PEOPLE[who], nomination()
    assert can_view(person, item) is view
    assert can_edit(person, item, now=NOW) is edit
    assert can_submit(person, item, now=NOW) is edit
    assert can_withdraw(person, item, now=NOW) is edit
    assert can_manage_attachments(person, item, now=NOW) is edit


def test_deadline_is_exclusive():
    item = nomination(deadline=NOW)
    assert closed_reason(item.cycle, now=NOW) is not None
    assert closed_reason(item.cycle, now=NOW - timedelta(microseconds=1)) is None
    assert not can_edit(PEOPLE["submitter_a"], item, now=NOW)
    assert can_view(PEOPLE["submitter_a"], item)


@pytest.mark.parametrize("phase", [Phase.SETUP, Phase.JUDGING, Phase.FINALISED])
def test_submitter_cannot_change_outside_the_nominations_phase(phase):
    item = nomination(phase=phase)
    submitter = PEOPLE["submitter_a"]
    assert can_view(submitter, item)
    assert not any(check(submitter, item, now=NOW) for check in (can_edit, can_submit, can_withdraw, can_manage_attachments))


@pytest.mark.parametrize(
    "phase, deadline_passed, edit, submit",
    [
        (Phase.NOMINATIONS_OPEN, True, True, False),
        (Phase.JUDGING, False, True, False),
        (Phase.SETUP, False, True, False),
        (Phase.FINALISED, False, False, False),
    ],
)
def test_admin_corrects_content_until_finalised_but_status_changes_follow_the_window(phase, deadline_passed, edit, submit):
    deadline = NOW - timedelta(days=1) if deadline_passed else NOW + timedelta(days=1)
    item = nomination(phase=phase, deadline=deadline)
    admin = PEOPLE["admin"]
    assert can_edit(admin, item, now=NOW) is edit
    assert can_manage_attachments(admin, item, now=NOW) is edit
    assert can_submit(admin, item, now=NOW) is submit
    assert can_withdraw(admin, item, now=NOW) is submit


@pytest.mark.parametrize("status", [NominationStatus.WITHDRAWN, NominationStatus.INELIGIBLE])
def test_closed_statuses_cannot_change_for_anyone(status):
    item = nomination(status=status)
    for who in ("submitter_a", "admin"):
        assert can_view(PEOPLE[who], item)
        assert not can_edit(PEOPLE[who], item, now=NOW)
        assert not can_withdraw(PEOPLE[who], item, now=NOW)


def test_create_needs_an_active_own_site_and_an_open_window():
    open_cycle, closed = cycle(), cycle(deadline=NOW)
    assert can_create(PEOPLE["submitter_a"], site(SITE_A), open_cycle, now=NOW)
    assert not can_create(PEOPLE["submitter_a"], site(SITE_B), open_cycle, now=NOW)
    assert not can_create(PEOPLE["submitter_a"], site(SITE_A, active=False), open_cycle, now=NOW)
    assert not can_create(PEOPLE["submitter_a"], site(SITE_A), closed, now=NOW)
    assert can_create(PEOPLE["admin"], site(SITE_B), open_cycle, now=NOW)
    assert not can_create(PEOPLE["admin"], site(SITE_B), closed, now=NOW)
    assert not can_create(PEOPLE["judge_of_site_a"], site(SITE_A), open_cycle, now=NOW)
    assert not can_nominate_for(ANONYMOUS, site(SITE_A))


def test_never_raises_on_odd_input():
    assert can_view(None, nomination()) is False
    assert can_edit(None, nomination(), now=NOW) is False
    assert can_nominate_for(None, None) is False


def test_closed_reason_says_why_status_first_then_phase_then_deadline(app):
    """State only (no user): the reason the pages show and the services refuse with."""
    with app.test_request_context():
        assert closed_reason(cycle(), now=NOW) is None
        assert "deadline of FY2012 passed" in str(closed_reason(cycle(deadline=NOW), now=NOW))
        assert "not accepting nominations now" in str(closed_reason(cycle(phase=Phase.JUDGING), now=NOW))
        assert "have been finalised" in str(closed_reason(cycle(phase=Phase.FINALISED, deadline=NOW), now=NOW))
        withdrawn = nomination(status=NominationStatus.WITHDRAWN, phase=Phase.FINALISED)
        assert "can no longer be changed" in str(closed_reason(withdrawn.cycle, withdrawn, now=NOW))
        # An admin's corrections ignore the window, not the status nor the finalisation.
        assert correction_closed_reason(nomination(phase=Phase.JUDGING, deadline=NOW)) is None
        assert "can no longer be changed" in str(correction_closed_reason(withdrawn))
        assert "have been finalised" in str(correction_closed_reason(nomination(phase=Phase.FINALISED)))
