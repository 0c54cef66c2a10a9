"""Changing the winners' page: the photo shown for each award, and whether the page is public.
Both only once the results are final; both announced (the audit log records them). The caller
commits."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from awards_app.awards.models import AwardDecision
from awards_app.core import events
from awards_app.core.exceptions import DomainError
from awards_app.cycles.models import Cycle
from awards_app.nominations.models import Attachment
from awards_app.winners.permissions import closed_reason


class WinnersError(DomainError):
    """A rule refused the change; the message is shown beside `field` when given."""


def _ensure_final(cycle: Cycle) -> None:
    reason = closed_reason(cycle)
    if reason is not None:
        raise WinnersError(reason)


def choose_winner_photo(actor, decision: AwardDecision, photo: Attachment | None) -> bool:
    """Show `photo` (a photo of the winning nomination; None: no photo) on the winners' page for
    `decision`. Returns whether anything changed."""
    _ensure_final(decision.cycle)
    if photo is not None and (photo.nomination_id != decision.nomination_id or not photo.is_image):
        raise WinnersError(_l("Choose one of the photos of the winning nomination."), field="photo_id")
    new_id = photo.id if photo is not None else None
    if decision.photo_id == new_id:
        return False
    decision.photo_id = new_id
    events.announce(events.winner_photo_chosen, actor, decision, cycle_id=decision.cycle_id, attachment_id=new_id)
    return True


def set_winners_public(actor, cycle: Cycle, public: bool) -> bool:
    """Open the cycle's winners' page to anyone (no login), or keep it to logged-in users.
    Returns whether anything changed."""
    _ensure_final(cycle)
    if bool(cycle.winners_public) == public:
        return False
    cycle.winners_public = public
    event = events.winners_page_opened if public else events.winners_page_closed
    events.announce(event, actor, cycle, fiscal_year=cycle.fiscal_year)
    return True
