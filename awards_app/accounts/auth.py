"""Flask-Login wiring: how a session is turned back into a user."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from awards_app.extensions import db


def init_app(app, login_manager) -> None:
    from awards_app.accounts.models import User

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        # The id carries the session version: a password change or deactivation ends sessions.
        try:
            raw_id, raw_version = user_id.split(".", 1)
            ident, version = int(raw_id), int(raw_version)
        except ValueError:
            return None
        user = db.session.get(User, ident)
        if user is None or user.session_version != version:
            return None
        return user
