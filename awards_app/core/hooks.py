"""Hooks: questions a lower feature asks that only a higher one can answer.

Features are layered (pyproject.toml, `lint-imports`): cycles never imports nominations, and
nominations never imports judging or awards. Yet the cycle page counts nominations, and the
nomination page shows the outcome the awards decided. So the lower feature asks a hook listed
here, and the higher feature answers it: ``create_app`` registers each answer once, the way
blueprints are registered (Indico's template hooks and "values from signal" work the same way).

A hook has one answer. Asking a hook nobody answered is a programming error and says which.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Hook:
    def __init__(self, name: str, doc: str):
        self.name = name
        self.__doc__ = doc
        self._answer: Callable[..., Any] | None = None

    def answer(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """Register `function` as the answer (usable as a decorator; registering again replaces it)."""
        self._answer = function
        return function

    def __call__(self, *args, **kwargs):
        if self._answer is None:
            raise LookupError(f"hook {self.name!r} has no answer: is its feature registered in create_app?")
        return self._answer(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<Hook {self.name}>"


# --- asked by cycles -------------------------------------------------------------------------
count_nominations_by_status = Hook(
    "count_nominations_by_status",
    "(cycle_ids) -> {cycle id: {NominationStatus: count}}, zeros included; answered by nominations.",
)
finalise_problems = Hook(
    "finalise_problems",
    "(cycle, now) -> [message, ...] why the results cannot be finalised yet; answered by awards.",
)

# --- asked by activities --------------------------------------------------------------------
activity_nomination = Hook(
    "activity_nomination",
    "(activity_id) -> the id of the nomination made from the activity, or None; answered by nominations.",
)

# --- asked by nominations --------------------------------------------------------------------
is_assigned = Hook(
    "is_assigned",
    "(user, nomination_id) -> bool: the user is a judge with an active assignment on it; answered by judging.",
)
hides_site = Hook(
    "hides_site",
    "(user, nomination_id) -> bool: the user judges the nomination in a blind round (an active assignment "
    "there), so no page of theirs may show the nominating site; answered by judging.",
)
site_outcome = Hook(
    "site_outcome",
    "(user, nomination) -> the outcome panel's data, or None when the user may not see it (yet); "
    "answered by awards.",
)
final_awards = Hook(
    "final_awards",
    "(nomination_ids) -> {nomination id: award category} won in finalised cycles; answered by awards.",
)
shortlisted = Hook(
    "shortlisted",
    "(user, nominations) -> {nomination id: the name of the round ('' when it has none)} for those of the "
    "nominations on a shortlist the admin published to the sites, that the user may see so; answered by judging.",
)

nomination_certificates = Hook(
    "nomination_certificates",
    "(user, nomination) -> [Certificate] in force for the nomination's awards that the user may download; "
    "answered by certificates.",
)

ALL = [activity_nomination, count_nominations_by_status, finalise_problems, is_assigned, site_outcome, final_awards,
       shortlisted, nomination_certificates, hides_site]
