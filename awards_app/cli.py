"""Operator commands: flask --app awards_app <command>."""
from __future__ import annotations


def init_app(app) -> None:
    pass
