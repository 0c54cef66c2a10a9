"""Rules of a cycle's life, as plain functions on plain values (unit-tested without a database)."""
from __future__ import annotations

from datetime import datetime

from awards_app.core.enums import Phase

# Each phase change is an explicit admin action. Forward moves, plus one step back while nothing
# is final (e.g. reopening nominations that were closed too early). Finalised is the end.
TRANSITIONS: dict[Phase, tuple[Phase, ...]] = {
    Phase.SETUP: (Phase.NOMINATIONS_OPEN,),
    Phase.NOMINATIONS_OPEN: (Phase.JUDGING, Phase.SETUP),
    Phase.JUDGING: (Phase.FINALISED, Phase.NOMINATIONS_OPEN),
    Phase.FINALISED: (),
}


def allowed_transitions(phase: Phase) -> tuple[Phase, ...]:
    return TRANSITIONS[phase]


def accepts_nominations(phase: Phase, nomination_deadline: datetime, now: datetime) -> bool:
    """Sites may create, edit, submit and withdraw nominations only while this is true."""
    return phase == Phase.NOMINATIONS_OPEN and now < nomination_deadline


def accepts_scores(phase: Phase, judging_deadline: datetime, now: datetime) -> bool:
    return phase == Phase.JUDGING and now < judging_deadline
