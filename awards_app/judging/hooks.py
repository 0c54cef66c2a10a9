"""What judging tells the features below it (awards_app/core/hooks.py)."""
from __future__ import annotations

from awards_app.core import hooks
from awards_app.judging import permissions, queries


def shortlisted(user, nominations) -> dict[int, str]:
    """The nominations (of those given) that the user may see are on a shortlist published to the
    sites, with that round's name: the only thing of the rounds a site ever sees."""
    visible = [n.id for n in nominations if permissions.can_see_shortlisted(user, n)]
    return {nomination_id: judging_round.name
            for nomination_id, judging_round in queries.list_published_shortlists(visible).items()}


def register() -> None:
    hooks.is_assigned.answer(queries.is_assigned)
    hooks.hides_site.answer(queries.is_blind_for)
    hooks.shortlisted.answer(shortlisted)
