"""Hooks: lower features ask, higher features answer, registered by create_app."""
from __future__ import annotations

import pytest

from awards_app.core import hooks


def test_every_hook_is_answered_once_the_app_exists(app):
    unanswered = [hook.name for hook in hooks.ALL if hook._answer is None]
    assert unanswered == []


def test_asking_an_unanswered_hook_names_it():
    hook = hooks.Hook("nobody_answers", "(x) -> y")
    with pytest.raises(LookupError, match="nobody_answers"):
        hook(1)
    hook.answer(lambda x: x * 2)
    assert hook(21) == 42
