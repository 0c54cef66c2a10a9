"""After finalisation the server refuses every change to decisions, scores, nominations and
assignments (PRODUCT.md: "scores and awards lock"), whoever asks, and nothing changes."""
from __future__ import annotations

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from PIL import Image
from sqlalchemy import select

from awards_app.awards import services
from awards_app.core.enums import NominationStatus, Phase, SheetStatus
from awards_app.cycles.models import Cycle
from awards_app.extensions import db
from awards_app.judging.models import Assignment, ScoreSheet
from awards_app.judging.services import close_judging
from core.support import Page


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (30, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def _nomination_form(cycle, version: int, **overrides) -> dict:
    start = cycle.start_date + timedelta(days=40)
    data = {
        "language": "en", "title": "Changed after the results", "title_other": "", "theme": "nature",
        "summary": "Changed.", "description": "Changed.", "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=2)).isoformat(), "participants": "85", "volunteer_hours": "255.5",
        "partners": "City", "outcomes": "Changed.", "save_draft": "1", "version": str(version),
    }
    for criterion in cycle.criteria:
        data[f"statement_{criterion.id}"] = "Changed."
    data.update(overrides)
    return data


def _score_form(cycle, version: int) -> dict:
    data = {"version": str(version), "action": "save", "overall_comment": "Changed after the results",
            "abstain_reason": ""}
    for criterion in cycle.criteria:
        data[f"score_{criterion.id}"] = "1"
        data[f"comment_{criterion.id}"] = "Changed"
    return data


@pytest.fixture
def prepared(world, contest, decide, make_user, review):
    """The contest, both awards decided; a late judge still holds a draft sheet on Osaka."""
    late_judge = make_user("judge", name="Lena Late")
    draft = review(contest.osaka, late_judge, [2, 2], submitted=False)
    submitted = db.session.scalar(
        select(ScoreSheet).join(Assignment).where(Assignment.nomination_id == contest.tokyo.id,
                                                  Assignment.judge_id == world.judge.id))
    assert submitted.status == SheetStatus.SUBMITTED and draft.status == SheetStatus.DRAFT
    decide(world.japan, contest.tokyo)
    decide(world.overseas, contest.berlin)
    return SimpleNamespace(contest=contest, late_judge=late_judge, draft=draft, submitted=submitted,
                           spare_judge=make_user("judge", name="Sam Spare"))


@pytest.fixture
def final(world, prepared):
    """The same, finalised through the service (judging closed first: the late judge's draft)."""
    close_judging(world.admin, world.cycle, "Lena Late could not finish")
    services.finalise_cycle(world.admin, world.cycle)
    db.session.commit()
    return prepared


def _closed_judging(world, data: dict) -> dict:
    """`data`, once judging is closed (finalising needs it: the late judge's draft, the deadline ahead)."""
    if world.cycle.phase == Phase.JUDGING and world.cycle.judging_closed_at is None:
        close_judging(world.admin, world.cycle, "Judging is over")
        db.session.commit()
    return data


# who, method, path, data builder, status after finalisation, and whether the same request changes
# something while the cycle is still in judging (so that the refusal is the lock's doing).
ATTEMPTS = [
    # decisions
    ("admin", "POST", "/admin/cycles/{cycle}/awards/{japan}/decision",
     lambda w, f: {f"award-{w.japan.id}-nomination_id": str(f.contest.osaka.id),
                   f"award-{w.japan.id}-reason": "Second thoughts"}, 302, True),
    ("admin", "POST", "/admin/cycles/{cycle}/awards/{japan}/decision/delete", None, 302, True),
    ("admin", "POST", "/admin/cycles/{cycle}/finalise", lambda w, f: _closed_judging(w, {"confirm": "y"}), 302, True),
    ("admin", "POST", "/admin/cycles/{cycle}/phase", lambda w, f: {"phase": "judging"}, 302, False),
    ("admin", "POST", "/admin/cycles/{cycle}/phase", lambda w, f: {"phase": "nominations_open"}, 302, False),
    # scores
    ("late_judge", "POST", "/judging/{draft_assignment}", lambda w, f: _score_form(w.cycle, f.draft.version),
     403, True),
    ("late_judge", "POST", "/judging/{draft_assignment}/conflict", lambda w, f: {"conflict-reason": "Late"}, 302, True),
    ("admin", "POST", "/admin/sheets/{submitted}/reopen", lambda w, f: {"reason": "One more look"}, 302, True),
    # nominations
    ("admin", "POST", "/nominations/{tokyo}/edit", lambda w, f: _nomination_form(w.cycle, f.contest.tokyo.version), 403,
     True),
    ("submitter_a", "POST", "/nominations/{tokyo}/edit",
     lambda w, f: _nomination_form(w.cycle, f.contest.tokyo.version), 403, False),
    ("submitter_a", "POST", "/nominations/{tokyo}/withdraw", lambda w, f: {"reason": "Never mind"}, 403, False),
    ("admin", "POST", "/nominations/{tokyo}/attachments",
     lambda w, f: {"file": (io.BytesIO(_png()), "late.png")}, 403, True),
    ("submitter_a", "POST", "/nominations/new/{cycle}",
     lambda w, f: _nomination_form(w.cycle, 0, site_id=str(w.site_a.id)), 403, False),
    ("admin", "POST", "/admin/nominations/{osaka}/ineligible", lambda w, f: {"reason": "Too late"}, 302, True),
    # assignments
    ("admin", "POST", "/admin/nominations/{tokyo}/assignments",
     lambda w, f: {"judge_id": str(f.spare_judge.id)}, 302, True),
    ("admin", "POST", "/admin/assignments/{draft_assignment}/remove", lambda w, f: {"confirmed": "1"}, 302, True),
    ("admin", "POST", "/admin/cycles/{cycle}/assignments/auto", None, 302, True),
    ("admin", "POST", "/admin/cycles/{cycle}/panels/japan",
     lambda w, f: {"panel-japan-judges": [str(f.spare_judge.id)]},
     302, True),
]


def _attempt(client, login, snapshot, world, setting, who, method, path, build):
    """Log in as `who`, then send the request: (the state before it, the response)."""
    url = path.format(cycle=world.cycle.id, japan=world.japan.id, tokyo=setting.contest.tokyo.id,
                      osaka=setting.contest.osaka.id, draft_assignment=setting.draft.assignment_id,
                      submitted=setting.submitted.id)
    data = build(world, setting) if build else {}
    login(setting.late_judge if who == "late_judge" else getattr(world, who))
    before = snapshot(world.cycle.id)
    response = client.open(url, method=method, data=data,
                           content_type="multipart/form-data" if "file" in data else None)
    return before, response


IDS = [f"{who} {method} {path}" for who, method, path, *_rest in ATTEMPTS]


@pytest.mark.parametrize("who, method, path, build, expected, unlocked", ATTEMPTS, ids=IDS)
def test_after_finalisation_every_change_is_refused(client, login, world, final, snapshot, upload_folder,
                                                    who, method, path, build, expected, unlocked):
    before, response = _attempt(client, login, snapshot, world, final, who, method, path, build)
    assert response.status_code == expected
    assert snapshot(world.cycle.id) == before, "a change went through after finalisation"
    # The refusal is explained, on the page itself or on the page it leads to.
    page = Page(client.get(response.headers["Location"]) if expected == 302 else response)
    assert page.alerts() or "final" in page.main_text


UNLOCKED = [(row, name) for row, name in zip(ATTEMPTS, IDS, strict=True) if row[-1]]


@pytest.mark.parametrize("who, method, path, build, expected, unlocked", [row for row, _name in UNLOCKED],
                         ids=[name for _row, name in UNLOCKED])
def test_before_finalisation_the_same_requests_change_things(client, login, world, prepared, snapshot,
                                                             upload_folder, who, method, path, build, expected,
                                                             unlocked):
    """The refusals above are the lock's doing, not bad requests."""
    before, _response = _attempt(client, login, snapshot, world, prepared, who, method, path, build)
    assert snapshot(world.cycle.id) != before


def test_who_and_when_are_recorded_and_shown(client, login, world, final):
    db.session.expire_all()
    cycle = db.session.get(Cycle, world.cycle.id)
    assert cycle.phase == Phase.FINALISED
    assert cycle.finalised_by_id == world.admin.id
    assert abs((cycle.finalised_at - world.now).total_seconds()) < 60
    login(world.admin)
    page = Page(client.get(f"/admin/cycles/{world.cycle.id}"))
    assert "The results are final." in page.main_text
    assert "Results finalised" in page.main_text
    assert "Ada Admin" in Page(client.get(f"/admin/cycles/{world.cycle.id}/awards")).by_id("finalised").text


def test_a_late_judge_sees_that_scoring_is_closed(client, login, world, final):
    login(final.late_judge)
    page = Page(client.get(f"/judging/{final.draft.assignment_id}"))
    assert "are final: scores can no longer change" in page.main_text
    assert final.contest.osaka.status == NominationStatus.SUBMITTED
