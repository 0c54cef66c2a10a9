"""Routes of the awards feature."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("awards", __name__)
