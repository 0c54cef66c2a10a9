"""What the awards tell the features below them (awards_app/core/hooks.py)."""
from __future__ import annotations

from awards_app.awards import permissions, queries, services
from awards_app.core import hooks


def site_outcome(user, nomination) -> queries.SiteOutcome | None:
    """The nomination page's outcome panel: once the results are final, for its site and admins;
    the judges' comments only when the cycle shares them."""
    if not permissions.can_see_outcome(user, nomination):
        return None
    return queries.get_site_outcome(nomination, with_comments=permissions.can_see_judges_comments(user, nomination))


def register() -> None:
    hooks.finalise_problems.answer(services.finalise_problems)
    hooks.site_outcome.answer(site_outcome)
    hooks.final_awards.answer(queries.list_final_awards)
