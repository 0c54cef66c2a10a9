"""What nominations tell the features below them (awards_app/core/hooks.py)."""
from __future__ import annotations

from awards_app.core import hooks
from awards_app.nominations import queries


def register() -> None:
    hooks.count_nominations_by_status.answer(queries.count_nominations_by_status)
    hooks.activity_nomination.answer(queries.get_activity_nomination_id)
