"""Cycle operations: create and configure a cycle, move it through its phases, and keep its
criteria and award categories. They check the phase rules, change state and write the audit
log; the caller commits."""
from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from awards_app.core import events, hooks
from awards_app.core.enums import Phase, RankingMethod
from awards_app.core.exceptions import DomainError
from awards_app.core.models import utcnow
from awards_app.cycles import permissions, rules
from awards_app.cycles.defaults import default_award_categories, default_criteria
from awards_app.cycles.fiscal import lazy_fiscal_year_label
from awards_app.cycles.models import AwardCategory, Criterion, Cycle, RubricLevel
from awards_app.cycles.queries import get_cycle_by_fiscal_year
from awards_app.extensions import db

CRITERION_FIELDS = ("key", "name_en", "name_ja", "guidance_en", "guidance_ja", "weight")
AWARD_CATEGORY_FIELDS = ("key", "name_en", "name_ja", "region")

FINALISE_ON_AWARDS_PAGE = _l(
    "The results are finalised on the Awards page of the cycle, once every award has a winner."
)

# Settings about publishing the results (sharing the judges' comments with the sites, who signs
# the certificates). They stay editable after finalisation: certificates are issued then, and
# the admin may have to stop sharing comments.
REMINDER_DAYS_MESSAGE = _l("Give up to %(count)d numbers of days from 1 to %(max)d, separated by commas (e.g. 7, 1).",
                           count=rules.REMINDERS_MAX, max=rules.REMINDER_DAYS_MAX)
RESULTS_FIELDS = (
    "share_comments_with_sites",
    "signatory_name_en",
    "signatory_name_ja",
    "signatory_title_en",
    "signatory_title_ja",
)


class CycleError(DomainError):
    """A rule of the domain refused the operation; the message is shown to the user.

    `field` names the form field the message belongs beside, when there is one.
    """


class CycleLocked(CycleError):
    """The cycle's phase no longer allows this change."""


class FinaliseOnAwardsPage(CycleError):
    """Finalising needs every award decided and records who and when: awards.services.finalise_cycle
    is the one way into "results finalised", so the generic phase change refuses it."""

    category = "info"  # not a mistake: the page to go to


def _refuse_if_closed(reason) -> None:
    """Refuse with the phase's reason (from cycles.permissions), when there is one."""
    if reason is not None:
        raise CycleLocked(reason)


def _json(value):
    """A value as it is written into the audit log (JSON)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))  # weights: Numeric(6, 2)
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _changes(obj, data: dict, fields) -> dict:
    return {
        field: [_json(getattr(obj, field)), _json(data[field])]
        for field in fields
        if field in data and getattr(obj, field) != data[field]
    }


def _check_deadlines(nomination_deadline: datetime, judging_deadline: datetime) -> None:
    if judging_deadline < nomination_deadline:
        raise CycleError(
            _l("The judging deadline cannot be before the nomination deadline."), field="judging_deadline"
        )


def _check_minimum_reviews(minimum_reviews: int, judges_per_nomination: int) -> None:
    if not 1 <= minimum_reviews <= judges_per_nomination:
        raise CycleError(_l("At most the number of judges per nomination (%(num)d).", num=judges_per_nomination),
                         field="minimum_reviews")


def _check_scale(scale_min: int, scale_max: int) -> None:
    if not 0 <= scale_min < scale_max <= 100:
        raise CycleError(_l("The highest score must be greater than the lowest score."), field="scale_max")


# --- cycles ------------------------------------------------------------------------------------


def create_cycle(
    actor,
    *,
    fiscal_year: int,
    nomination_deadline: datetime,
    judging_deadline: datetime,
    scale_min: int = 1,
    scale_max: int = 5,
    judges_per_nomination: int = 3,
    disagreement_threshold: Decimal = Decimal("2"),
    minimum_reviews: int | None = None,
    ranking_method: RankingMethod = RankingMethod.ADJUSTED,
) -> Cycle:
    """Add a cycle in setup, with the programme's default criteria and award categories.
    `minimum_reviews` defaults to 2, or the judges per nomination when fewer."""
    if minimum_reviews is None:
        minimum_reviews = min(2, judges_per_nomination)
    if get_cycle_by_fiscal_year(fiscal_year) is not None:
        raise CycleError(
            _l("There is already a cycle for %(fy)s.", fy=lazy_fiscal_year_label(fiscal_year)), field="fiscal_year"
        )
    _check_deadlines(nomination_deadline, judging_deadline)
    _check_scale(scale_min, scale_max)
    _check_minimum_reviews(minimum_reviews, judges_per_nomination)
    cycle = Cycle(
        fiscal_year=fiscal_year,
        phase=Phase.SETUP,
        nomination_deadline=nomination_deadline,
        judging_deadline=judging_deadline,
        scale_min=scale_min,
        scale_max=scale_max,
        judges_per_nomination=judges_per_nomination,
        disagreement_threshold=disagreement_threshold,
        minimum_reviews=minimum_reviews,
        ranking_method=RankingMethod(ranking_method),
    )
    cycle.criteria = default_criteria()
    cycle.award_categories = default_award_categories()
    # The default rubric describes levels 1, 3 and 5; a different scale keeps only what fits.
    for criterion in cycle.criteria:
        criterion.rubric_levels = [row for row in criterion.rubric_levels if row.level in cycle.scale]
    db.session.add(cycle)
    db.session.flush()
    events.announce(
        events.cycle_created, actor, cycle,
        fiscal_year=fiscal_year,
        nomination_deadline=_json(nomination_deadline),
        judging_deadline=_json(judging_deadline),
        scale=[scale_min, scale_max],
    )
    return cycle


def update_cycle(
    actor,
    cycle: Cycle,
    *,
    nomination_deadline: datetime | None = None,
    judging_deadline: datetime | None = None,
    scale_min: int | None = None,
    scale_max: int | None = None,
    judges_per_nomination: int | None = None,
    disagreement_threshold: Decimal | None = None,
    nomination_reminder_days: str | None = None,
    judging_reminder_days: str | None = None,
    minimum_reviews: int | None = None,
    ranking_method: RankingMethod | None = None,
    results: dict | None = None,
) -> dict:
    """Move the deadlines and, in setup only, change the scale; change the results settings
    (`results`: any of RESULTS_FIELDS). Returns what changed. None leaves a setting as it is.

    A finalised cycle keeps only its results settings editable. A scale that would leave out a
    level some rubric already describes is refused, so that no rubric text disappears without
    the admin removing it.
    """
    results = {field: value for field, value in (results or {}).items() if field in RESULTS_FIELDS}
    judging_settings = (nomination_deadline, judging_deadline, scale_min, scale_max, judges_per_nomination,
                        disagreement_threshold, nomination_reminder_days, judging_reminder_days,
                        minimum_reviews, ranking_method)
    if any(value is not None for value in judging_settings):
        _refuse_if_closed(permissions.settings_closed_reason(cycle))
    data = {}
    if nomination_deadline is not None or judging_deadline is not None:
        nomination_deadline = nomination_deadline or cycle.nomination_deadline
        judging_deadline = judging_deadline or cycle.judging_deadline
        _check_deadlines(nomination_deadline, judging_deadline)
        data.update(nomination_deadline=nomination_deadline, judging_deadline=judging_deadline)
    # How many judges each nomination gets, and when judges "disagree": both may change until
    # the results are final (they steer the next automatic assignment and the ranking's flags).
    if judges_per_nomination is not None:
        data["judges_per_nomination"] = judges_per_nomination
    if disagreement_threshold is not None:
        data["disagreement_threshold"] = disagreement_threshold
    # Reminder offsets (days before each deadline), normalised: "1, 7" is stored as "7,1".
    for name, value in (("nomination_reminder_days", nomination_reminder_days),
                        ("judging_reminder_days", judging_reminder_days)):
        if value is not None:
            try:
                data[name] = rules.format_reminder_days(rules.parse_reminder_days(value))
            except ValueError:
                raise CycleError(REMINDER_DAYS_MESSAGE, field=name) from None
    # The minimum of scored reviews and the method the proposal follows change the proposal, so
    # they too stay open until the results are final (each change is audited).
    if minimum_reviews is not None or judges_per_nomination is not None:
        _check_minimum_reviews(cycle.minimum_reviews if minimum_reviews is None else minimum_reviews,
                               cycle.judges_per_nomination if judges_per_nomination is None else judges_per_nomination)
    if minimum_reviews is not None:
        data["minimum_reviews"] = minimum_reviews
    if ranking_method is not None:
        data["ranking_method"] = RankingMethod(ranking_method)
    scale_changes = scale_min is not None and scale_max is not None and (
        (scale_min, scale_max) != (cycle.scale_min, cycle.scale_max)
    )
    if scale_changes:
        if closed := permissions.scale_closed_reason(cycle):
            raise CycleError(closed, field="scale_min")
        _check_scale(scale_min, scale_max)
        levels = db.session.scalars(
            select(RubricLevel.level).join(Criterion).where(Criterion.cycle_id == cycle.id)
        ).all()
        dropped = rules.levels_outside(list(levels), scale_min, scale_max)
        if dropped:
            raise CycleError(
                _l(
                    "Rubric text exists for level %(levels)s, which this scale leaves out. "
                    "Clear that text in the criteria first.",
                    levels=", ".join(str(level) for level in dropped),
                ),
                field="scale_min" if dropped[0] < scale_min else "scale_max",
            )
        data.update(scale_min=scale_min, scale_max=scale_max)
    data.update(results)
    changes = _changes(cycle, data, data.keys())
    for field, value in data.items():
        setattr(cycle, field, value)
    if changes:
        events.announce(events.cycle_updated, actor, cycle, changes=changes)
    return changes


def phase_change_problems(cycle: Cycle, target: Phase, now: datetime | None = None) -> list[str]:
    """Messages saying why `cycle` cannot move to `target` now; empty when it can."""
    problems = rules.phase_change_problems(
        cycle.phase,
        target,
        criteria_count=len(cycle.criteria),
        award_category_count=len(cycle.award_categories),
        # Only going back to setup depends on nominations; do not count them otherwise.
        nomination_count=(sum(hooks.count_nominations_by_status([cycle.id])[cycle.id].values())
                          if target == Phase.SETUP else 0),
        nomination_deadline=cycle.nomination_deadline,
        now=now or utcnow(),
    )
    messages = {
        rules.PhaseProblem.NOT_ALLOWED: _l(
            "A cycle in phase “%(current)s” cannot move to “%(target)s”.",
            current=cycle.phase.title,
            target=target.title,
        ),
        rules.PhaseProblem.NO_CRITERIA: _l("Add at least one criterion first."),
        rules.PhaseProblem.NO_AWARD_CATEGORIES: _l("Add at least one award category first."),
        rules.PhaseProblem.DEADLINE_PASSED: _l(
            "The nomination deadline has passed. Move it to a later date first."
        ),
        rules.PhaseProblem.HAS_NOMINATIONS: _l(
            "Sites have already started nominations in this cycle, so it cannot go back to setup."
        ),
    }
    return [str(messages[problem]) for problem in problems]


def change_phase(actor, cycle: Cycle, new_phase: Phase, *, now: datetime | None = None) -> None:
    """Move `cycle` to `new_phase` if the rules allow it, recording the change in the audit log.

    Not to "results finalised": that is awards.services.finalise_cycle (FinaliseOnAwardsPage)."""
    now = now or utcnow()
    problems = phase_change_problems(cycle, new_phase, now)
    if problems:
        raise CycleError(" ".join(problems))
    if new_phase == Phase.FINALISED:
        raise FinaliseOnAwardsPage(FINALISE_ON_AWARDS_PAGE)
    old_phase = cycle.phase
    details = {"from": old_phase.value, "to": new_phase.value}
    if rules.closes_nominations_early(old_phase, new_phase, cycle.nomination_deadline, now):
        details["before_nomination_deadline"] = True
    cycle.phase = new_phase
    events.announce(events.phase_changed, actor, cycle, **details)


# --- criteria ----------------------------------------------------------------------------------


def _check_criterion_key_free(cycle: Cycle, key: str, criterion_id: int | None) -> None:
    other = db.session.scalar(select(Criterion).where(Criterion.cycle_id == cycle.id, Criterion.key == key))
    if other is not None and other.id != criterion_id:
        raise CycleError(_l("Another criterion of this cycle already uses this key."), field="key")


def _clean_rubric(cycle: Cycle, rubric: dict) -> dict[int, tuple[str, str]]:
    """Levels with some text, inside the cycle's scale."""
    cleaned = {}
    for level, (text_en, text_ja) in rubric.items():
        if int(level) not in cycle.scale:
            raise CycleError(_l("Level %(level)s is outside this cycle's scale.", level=level))
        if text_en or text_ja:
            cleaned[int(level)] = (text_en or "", text_ja or "")
    return cleaned


def _next_position(items) -> int:
    return max((item.position for item in items), default=-1) + 1


def create_criterion(actor, cycle: Cycle, data: dict) -> Criterion:
    """Add a criterion at the end of the list. Setup only: nominations answer every criterion."""
    _refuse_if_closed(permissions.criteria_closed_reason(cycle, "add"))
    _check_criterion_key_free(cycle, data["key"], None)
    rubric = _clean_rubric(cycle, data.get("rubric", {}))
    criterion = Criterion(
        **{field: data[field] for field in CRITERION_FIELDS}, position=_next_position(cycle.criteria)
    )
    criterion.rubric_levels = [
        RubricLevel(level=level, text_en=text_en, text_ja=text_ja)
        for level, (text_en, text_ja) in sorted(rubric.items())
    ]
    cycle.criteria.append(criterion)
    db.session.flush()
    events.announce(events.criterion_created, actor, criterion, cycle_id=cycle.id, key=criterion.key,
                    weight=_json(criterion.weight))
    return criterion


def update_criterion(actor, criterion: Criterion, data: dict) -> dict:
    """Change a criterion's names, guidance, weight and rubric (and its key, in setup).

    `data` without "key" leaves the key as it is. Returns what changed.
    """
    cycle = criterion.cycle
    _refuse_if_closed(permissions.criteria_closed_reason(cycle, "edit"))
    if "key" in data and data["key"] != criterion.key:
        if closed := permissions.criteria_closed_reason(cycle, "rekey"):
            raise CycleError(closed, field="key")
        _check_criterion_key_free(cycle, data["key"], criterion.id)
    rubric = _clean_rubric(cycle, data.get("rubric", {}))

    changes = _changes(criterion, data, CRITERION_FIELDS)
    for field in CRITERION_FIELDS:
        if field in data:
            setattr(criterion, field, data[field])

    changed_levels = []
    existing = {row.level: row for row in criterion.rubric_levels}
    for level in criterion.cycle.scale:
        row = existing.get(level)
        text = rubric.get(level)
        if text is None and row is not None:
            criterion.rubric_levels.remove(row)
            changed_levels.append(level)
        elif text is not None and row is None:
            criterion.rubric_levels.append(RubricLevel(level=level, text_en=text[0], text_ja=text[1]))
            changed_levels.append(level)
        elif text is not None and (row.text_en, row.text_ja) != text:
            row.text_en, row.text_ja = text
            changed_levels.append(level)
    if changed_levels:
        changes["rubric_levels"] = changed_levels
    if changes:
        events.announce(events.criterion_updated, actor, criterion, cycle_id=cycle.id, changes=changes)
    return changes


def delete_criterion(actor, criterion: Criterion) -> None:
    """Remove a criterion and its rubric; the others close the gap. Setup only."""
    cycle = criterion.cycle
    _refuse_if_closed(permissions.criteria_closed_reason(cycle, "delete"))
    events.announce(events.criterion_deleted, actor, criterion, cycle_id=cycle.id, key=criterion.key,
                    name_en=criterion.name_en)
    _remove(cycle.criteria, criterion)


def _remove(items: list, item) -> None:
    """Take `item` out of the ordered `items` (criteria or award categories); the others close the gap."""
    items.remove(item)
    for position, other in enumerate(items):
        other.position = position
    db.session.flush()


def _move(items: list, item, offset: int) -> bool:
    order = rules.swap_positions([other.id for other in items], item.id, offset)
    if order is None:
        return False
    by_id = {other.id: other for other in items}
    for position, item_id in enumerate(order):
        by_id[item_id].position = position
    items.sort(key=lambda other: other.position)
    return True


def move_criterion(actor, criterion: Criterion, offset: int) -> bool:
    """Move a criterion one place up (-1) or down (+1). False when it is already at that end."""
    cycle = criterion.cycle
    _refuse_if_closed(permissions.criteria_closed_reason(cycle, "reorder"))
    moved = _move(cycle.criteria, criterion, offset)
    if moved:
        events.announce(events.criterion_moved, actor, criterion, cycle_id=cycle.id,
                        order=[other.key for other in cycle.criteria])
    return moved


# --- award categories --------------------------------------------------------------------------


def _check_award_category_key_free(cycle: Cycle, key: str, category_id: int | None) -> None:
    other = db.session.scalar(
        select(AwardCategory).where(AwardCategory.cycle_id == cycle.id, AwardCategory.key == key)
    )
    if other is not None and other.id != category_id:
        raise CycleError(_l("Another award category of this cycle already uses this key."), field="key")


def create_award_category(actor, cycle: Cycle, data: dict) -> AwardCategory:
    """Add an award category at the end of the list. Setup only."""
    _refuse_if_closed(permissions.award_categories_closed_reason(cycle, "add"))
    _check_award_category_key_free(cycle, data["key"], None)
    category = AwardCategory(
        **{field: data[field] for field in AWARD_CATEGORY_FIELDS}, position=_next_position(cycle.award_categories)
    )
    cycle.award_categories.append(category)
    db.session.flush()
    events.announce(events.award_category_created, actor, category, cycle_id=cycle.id, key=category.key,
                    region=category.region.value)
    return category


def update_award_category(actor, category: AwardCategory, data: dict) -> dict:
    """Change an award category's names and eligible region (and its key, in setup)."""
    cycle = category.cycle
    _refuse_if_closed(permissions.award_categories_closed_reason(cycle, "edit"))
    if "key" in data and data["key"] != category.key:
        if closed := permissions.award_categories_closed_reason(cycle, "rekey"):
            raise CycleError(closed, field="key")
        _check_award_category_key_free(cycle, data["key"], category.id)
    changes = _changes(category, data, AWARD_CATEGORY_FIELDS)
    for field in AWARD_CATEGORY_FIELDS:
        if field in data:
            setattr(category, field, data[field])
    if changes:
        events.announce(events.award_category_updated, actor, category, cycle_id=cycle.id, changes=changes)
    return changes


def delete_award_category(actor, category: AwardCategory) -> None:
    """Remove an award category; the others close the gap. Setup only."""
    cycle = category.cycle
    _refuse_if_closed(permissions.award_categories_closed_reason(cycle, "delete"))
    events.announce(events.award_category_deleted, actor, category, cycle_id=cycle.id, key=category.key,
                    name_en=category.name_en)
    _remove(cycle.award_categories, category)


def move_award_category(actor, category: AwardCategory, offset: int) -> bool:
    """Move an award category one place up (-1) or down (+1)."""
    cycle = category.cycle
    _refuse_if_closed(permissions.award_categories_closed_reason(cycle, "reorder"))
    moved = _move(cycle.award_categories, category, offset)
    if moved:
        events.announce(
            events.award_category_moved, actor, category,
            cycle_id=cycle.id,
            order=[other.key for other in cycle.award_categories],
        )
    return moved
