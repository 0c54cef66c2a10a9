"""What judging tells the features below it (awards_app/core/hooks.py)."""
from __future__ import annotations

from awards_app.core import hooks
from awards_app.judging import queries


def register() -> None:
    hooks.is_assigned.answer(queries.is_assigned)
    hooks.hides_site.answer(queries.is_blind_for)
