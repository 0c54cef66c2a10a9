"""Rules of a cycle's life, as plain functions on plain values (unit-tested without a database)."""
from __future__ import annotations

import enum
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

PHASE_ORDER: tuple[Phase, ...] = (Phase.SETUP, Phase.NOMINATIONS_OPEN, Phase.JUDGING, Phase.FINALISED)


REMINDER_DAYS_MAX = 90
REMINDERS_MAX = 5


def parse_reminder_days(text: str) -> list[int]:
    """"7, 1" → [7, 1]: the days before a deadline on which reminders go out, largest first,
    each once. ValueError for anything but up to REMINDERS_MAX whole numbers from 1 to
    REMINDER_DAYS_MAX separated by commas (an empty text: no reminders)."""
    parts = [part.strip() for part in (text or "").split(",") if part.strip()]
    days = sorted({int(part) for part in parts if part.isdigit()}, reverse=True)
    if len(days) != len(set(parts)) or len(days) > REMINDERS_MAX or any(not 1 <= d <= REMINDER_DAYS_MAX for d in days):
        raise ValueError(text)
    return days


def format_reminder_days(days: list[int]) -> str:
    return ",".join(str(day) for day in days)


def allowed_transitions(phase: Phase) -> tuple[Phase, ...]:
    return TRANSITIONS[phase]


def accepts_nominations(phase: Phase, nomination_deadline: datetime, now: datetime) -> bool:
    """Sites may create, edit, submit and withdraw nominations only while this is true."""
    return phase == Phase.NOMINATIONS_OPEN and now < nomination_deadline


def accepts_scores(phase: Phase, judging_deadline: datetime, now: datetime) -> bool:
    return phase == Phase.JUDGING and now < judging_deadline


class PhaseProblem(str, enum.Enum):
    """Why a phase change cannot happen now. Services turn these into messages."""

    NOT_ALLOWED = "not_allowed"
    NO_CRITERIA = "no_criteria"
    NO_AWARD_CATEGORIES = "no_award_categories"
    DEADLINE_PASSED = "deadline_passed"
    HAS_NOMINATIONS = "has_nominations"


def phase_change_problems(
    current: Phase,
    target: Phase,
    *,
    criteria_count: int,
    award_category_count: int,
    nomination_count: int,
    nomination_deadline: datetime,
    now: datetime,
) -> list[PhaseProblem]:
    """Everything that stops `current` → `target`; an empty list means the change may go ahead.

    Opening nominations needs something to nominate against (criteria, award categories) and a
    deadline still ahead, else sites could not submit at all. Going back to setup would let
    criteria be deleted under existing nominations, so it needs a cycle without nominations.
    """
    if target not in allowed_transitions(current):
        return [PhaseProblem.NOT_ALLOWED]
    problems: list[PhaseProblem] = []
    if target == Phase.NOMINATIONS_OPEN:
        if criteria_count < 1:
            problems.append(PhaseProblem.NO_CRITERIA)
        if award_category_count < 1:
            problems.append(PhaseProblem.NO_AWARD_CATEGORIES)
        if nomination_deadline <= now:
            problems.append(PhaseProblem.DEADLINE_PASSED)
    if target == Phase.SETUP and nomination_count > 0:
        problems.append(PhaseProblem.HAS_NOMINATIONS)
    return problems


def closes_nominations_early(current: Phase, target: Phase, nomination_deadline: datetime, now: datetime) -> bool:
    """True when starting judging would cut off sites before the deadline they were promised."""
    return current == Phase.NOMINATIONS_OPEN and target == Phase.JUDGING and now < nomination_deadline


def phase_step(phase: Phase) -> int:
    """0-based position of `phase` in the cycle's life (for the stepper)."""
    return PHASE_ORDER.index(phase)


def swap_positions(ids: list[int], moving_id: int, offset: int) -> list[int] | None:
    """`ids` (in display order) with `moving_id` moved `offset` places (-1 up, +1 down).

    None when it cannot move (already first or last, or not in the list).
    """
    if moving_id not in ids:
        return None
    index = ids.index(moving_id)
    target = index + offset
    if offset == 0 or target < 0 or target >= len(ids):
        return None
    reordered = list(ids)
    reordered[index], reordered[target] = reordered[target], reordered[index]
    return reordered


def levels_outside(levels: list[int], scale_min: int, scale_max: int) -> list[int]:
    """The rubric levels (sorted, unique) that a scale from scale_min to scale_max would drop."""
    return sorted({level for level in levels if level < scale_min or level > scale_max})
