"""Deciding the awards and finalising a cycle.

The ranking proposes the top nomination of each award's region; the admin confirms it or chooses
another with a written reason (a tie at the top always needs one). A nomination wins at most one
award. Finalising needs every award decided; it is the only way into the "results finalised"
phase, after which scores, nominations, assignments and decisions lock. These functions check
the rules, change state and write the audit log; the caller commits.
"""
from __future__ import annotations

from datetime import datetime
from types import EllipsisType

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from awards_app.core import events
from awards_app.awards.permissions import locked_message
from awards_app.awards.models import AwardDecision
from awards_app.awards.queries import list_decisions
from awards_app.core.enums import NominationStatus, Phase
from awards_app.core.exceptions import DomainError
from awards_app.core.i18n import localized, show_datetime
from awards_app.core.models import utcnow
from awards_app.cycles.models import AwardCategory, Cycle
from awards_app.cycles.services import phase_change_problems
from awards_app.extensions import db
from awards_app.judging.queries import Ranking, get_last_round, get_ranking
from awards_app.judging.scoring import Proposal, RankedNomination
from awards_app.judging.services import select_unfinished_assignments
from awards_app.nominations.models import Nomination

REASON_MAX = 2000

DECIDED_MEANWHILE = _l("Someone else decided this in the meantime. Reload the page and check the decisions.")


class AwardError(DomainError):
    """A rule refused the operation; the message is shown to the user (beside `field` if given)."""


class AwardsLocked(AwardError):
    """The cycle's phase does not allow decisions now."""


def _ensure_open(cycle: Cycle) -> None:
    """Refuse, with the reason the awards page shows (permissions.locked_message)."""
    message = locked_message(cycle)
    if message is not None:
        raise AwardsLocked(message)


def current_proposal(cycle: Cycle, category: AwardCategory) -> tuple[Proposal, list[RankedNomination], Ranking]:
    """What the ranking of the last round proposes for `category` now, the ranking's rows and the
    ranking itself (its round's method and minimum of reviews)."""
    ranking = get_ranking(cycle, category.region)
    return ranking.proposal, ranking.rows, ranking


def flags(row: RankedNomination | None) -> list[str]:
    """The ranking's warnings about a nomination, as codes (for the audit log)."""
    return [] if row is None else row.flag_codes()


def _title(nomination: Nomination) -> str:
    return nomination.display_title


def _check_candidate(category: AwardCategory, nomination: Nomination) -> None:
    if nomination.cycle_id != category.cycle_id or nomination.status != NominationStatus.SUBMITTED:
        raise AwardError(_l("Choose a submitted nomination of this cycle."), field="nomination_id")
    if nomination.site.region != category.region:
        raise AwardError(
            _l("Only nominations from sites of this region can win this award."), field="nomination_id"
        )


def _ensure_not_won_elsewhere(decisions: dict[int, AwardDecision], category: AwardCategory,
                              nomination: Nomination) -> None:
    for other in decisions.values():
        if other.nomination_id == nomination.id and other.category_id != category.id:
            raise AwardError(
                _l(
                    "“%(title)s” has already won the %(award)s. A nomination can win only one award.",
                    title=_title(nomination), award=localized(other.category, "name"),
                ),
                field="nomination_id",
            )


def decide_award(
    actor, category: AwardCategory, nomination: Nomination, *, reason: str = "",
    seen_winner_id: int | None | EllipsisType = ..., now: datetime | None = None,
) -> AwardDecision:
    """Make `nomination` the winner of `category` (or change the winner).

    The ranking's single top nomination needs no reason; anything else (another nomination, or
    one of several sharing the top) needs one. Refused when the nomination already won another
    award of the cycle, outside judging, and after finalisation. `seen_winner_id` is the winner
    the admin saw on the page (None: no winner yet); when the winner has changed since, another
    admin decided in the meantime and the decision is refused rather than silently replaced.
    The forms always send it; `...` (scripts, tests) skips the check.
    """
    cycle = db.session.get(Cycle, category.cycle_id)
    _ensure_open(cycle)
    _check_candidate(category, nomination)
    if seen_winner_id is not ...:
        # Locks the decision row, if any, until commit: a concurrent decision waits and then sees
        # this one. Two first decisions (no row yet) are told apart by the unique constraint below.
        current_winner_id = db.session.scalar(
            select(AwardDecision.nomination_id).where(AwardDecision.category_id == category.id).with_for_update()
        )
        if current_winner_id != seen_winner_id:
            raise AwardError(DECIDED_MEANWHILE)
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise AwardError(_l("Keep the reason under %(max)d characters.", max=REASON_MAX), field="reason")

    decisions = list_decisions(cycle)
    _ensure_not_won_elsewhere(decisions, category, nomination)

    proposal, rows, ranking = current_proposal(cycle, category)
    chosen_row = next((row for row in rows if row.nomination_id == nomination.id), None)
    chosen_flags = flags(chosen_row)
    if nomination.id != proposal.nomination_id and not reason:
        if not any(row.rank is not None for row in rows):
            message = _l("No nomination of this region has been scored yet. Say why you chose this one.")
        elif chosen_row is not None and chosen_row.insufficient_reviews:
            message = _l("This nomination has fewer than %(min)d scored reviews, so it is never proposed. "
                         "Say why you chose it.", min=ranking.minimum_reviews)
        elif chosen_row is not None and chosen_row.all_abstained:
            message = _l("Every judge of this nomination abstained. Say why you chose it.")
        elif proposal.tied:
            message = _l("Several nominations share the top of the ranking. Say why you chose this one.")
        elif proposal.nomination_id is None:
            message = _l("No nomination of this region has enough scored reviews. Say why you chose this one.")
        else:
            message = _l("This is not the top of the ranking. Say why you chose it instead.")
        raise AwardError(message, field="reason")

    decision = decisions.get(category.id)
    previous = None if decision is None else {"nomination_id": decision.nomination_id, "reason": decision.reason}
    if decision is not None and decision.nomination_id == nomination.id and decision.reason == reason \
            and decision.proposed_nomination_id == proposal.nomination_id:
        return decision  # nothing changes (a double click)

    now = now or utcnow()
    try:
        # A savepoint, so that a concurrent decision caught by the unique constraints becomes a
        # message rather than a broken transaction.
        with db.session.begin_nested():
            if decision is None:
                decision = AwardDecision(cycle_id=cycle.id, category_id=category.id)
                db.session.add(decision)
            decision.nomination_id = nomination.id
            decision.nomination = nomination
            decision.proposed_nomination_id = proposal.nomination_id
            decision.reason = reason
            decision.decided_by_id = getattr(actor, "id", None)
            decision.decided_at = now
            db.session.flush()
    except IntegrityError as error:
        # The other admin's decision is committed by now: name the award it won, when that is
        # the collision (a nomination chosen for two awards at once).
        _ensure_not_won_elsewhere(list_decisions(cycle), category, nomination)
        raise AwardError(DECIDED_MEANWHILE) from error
    events.announce(
        events.award_decided, actor, decision,
        cycle_id=cycle.id, category_id=category.id, category=category.key,
        proposed=proposal.nomination_id, chosen=nomination.id, reason=reason,
        tied=list(proposal.tied_ids) if proposal.tied else [],
        previous=previous, flags=chosen_flags, method=ranking.method,
    )
    return decision


def clear_award(actor, category: AwardCategory) -> bool:
    """Remove the decision of `category` (until finalisation). False when there was none."""
    cycle = db.session.get(Cycle, category.cycle_id)
    _ensure_open(cycle)
    decision = db.session.scalar(select(AwardDecision).where(AwardDecision.category_id == category.id))
    if decision is None:
        return False
    events.announce(
        events.award_cleared, actor, decision,
        cycle_id=cycle.id, category_id=category.id, category=category.key,
        nomination_id=decision.nomination_id, proposed=decision.proposed_nomination_id, reason=decision.reason,
    )
    db.session.delete(decision)
    db.session.flush()
    return True


def finalise_problems(cycle: Cycle, now: datetime | None = None) -> list[str]:
    """Messages saying why `cycle` cannot be finalised now; empty when it can."""
    if cycle.phase == Phase.FINALISED:
        return [str(_l("The results of this cycle are already final."))]
    problems = phase_change_problems(cycle, Phase.FINALISED, now)
    if problems:
        return problems
    now = now or utcnow()
    if cycle.judging_closed_at is None:
        # The last round is the one still being judged: the earlier ones are closed before their
        # shortlist is promoted.
        last = get_last_round(cycle)
        unfinished = db.session.scalar(
            select(func.count()).select_from(select_unfinished_assignments(cycle, last).subquery()))
        if unfinished:
            problems.append(str(_l(
                "%(num)d active assignments are not submitted yet. Wait for them, or close judging with a reason "
                "on the judge progress page.", num=unfinished)))
        if now < last.deadline:
            problems.append(str(_l(
                "The judging deadline (%(deadline)s) is still ahead. Wait for it, or close judging with a reason "
                "on the judge progress page.", deadline=show_datetime(last.deadline))))
    decisions = list_decisions(cycle)
    for category in cycle.award_categories:
        decision = decisions.get(category.id)
        if decision is None:
            problems.append(str(_l("No winner has been chosen for the %(award)s yet.",
                                   award=localized(category, "name"))))
        elif decision.nomination.status != NominationStatus.SUBMITTED:
            problems.append(str(_l(
                "“%(title)s”, chosen for the %(award)s, is no longer in the competition (%(status)s). "
                "Choose again.",
                title=_title(decision.nomination), award=localized(category, "name"),
                status=decision.nomination.status.title,
            )))
    return problems


def finalise_cycle(actor, cycle: Cycle, *, now: datetime | None = None) -> None:
    """Make the results final: every award decided; the cycle moves to "results finalised" and
    records who and when. From then on scores, nominations, assignments and decisions lock."""
    now = now or utcnow()
    problems = finalise_problems(cycle, now)
    if problems:
        raise AwardError(" ".join(problems))
    decisions = list_decisions(cycle)
    old_phase = cycle.phase
    cycle.phase = Phase.FINALISED
    cycle.finalised_at = now
    cycle.finalised_by_id = getattr(actor, "id", None)
    db.session.flush()
    events.announce(
        events.results_finalised, actor, cycle,
        **{"from": old_phase.value, "to": Phase.FINALISED.value},
        decisions=[
            {
                "category": category.key,
                "nomination_id": decisions[category.id].nomination_id,
                "proposed": decisions[category.id].proposed_nomination_id,
                "reason": decisions[category.id].reason,
            }
            for category in cycle.award_categories
        ],
    )
