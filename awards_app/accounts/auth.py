"""Flask-Login wiring: how a request's session cookie is turned back into a user.

Sessions live on the server (accounts.models.UserSession, one row per login): the browser's
session cookie — and its "keep me logged in" cookie — carry only a random token whose hash the
server looks up on every request, so logging out, a password change, deactivation or ending a
session from the account page stops that token everywhere at once, on every worker and machine.
A table rather than Flask-Session: the database is already shared by every app server, the rows
are what the account page lists, and ending them is part of the same transaction as the change
that ends them (a password change commits both or neither).
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from awards_app.accounts import queries, services
from awards_app.accounts.models import User, UserSession
from awards_app.core import tokens
from awards_app.core.models import utcnow
from awards_app.core.transactions import perform

# How long a session stays live without being used is pushed ahead at most this often.
TOUCH_EVERY = timedelta(minutes=5)
WITHOUT_USER = frozenset({"static", "main.healthz"})


def init_app(app, login_manager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    # The token, not the user id, is what Flask-Login keeps in the session and the remember cookie.
    login_manager.id_attribute = "get_login_token"
    # Flask-Login's own "protection" compares a hash of the first X-Forwarded-For entry, which a
    # client writes itself; server-side sessions make it unnecessary (and addresses change on
    # phones). The address shown on the account page is request.remote_addr (see PROXY_FIX).
    login_manager.session_protection = None

    @login_manager.user_loader
    def load_user(token: str) -> User | None:
        login = queries.live_session(tokens.hash_token(token))
        if login is None:
            return None
        login.user.login_token = token
        g.current_login = login
        return login.user

    @app.before_request
    def _touch_session() -> None:
        # Loading the user here, before the view runs anything, keeps the occasional write of
        # "last seen" (at most every TOUCH_EVERY) in a transaction of its own. Pages load the user
        # anyway (the menu shows them); static files and the health check do not need to.
        if request.endpoint in WITHOUT_USER:
            return
        login = current_login()
        if login is not None and utcnow() - login.last_seen_at >= TOUCH_EVERY:
            perform(lambda: services.touch_session(login, session_lifetime(login.remember)))


def session_lifetime(remember: bool) -> timedelta:
    config = current_app.config
    return timedelta(days=config["REMEMBER_DAYS"]) if remember else timedelta(hours=config["SESSION_IDLE_HOURS"])


def current_login() -> UserSession | None:
    """The session (login) the current request was made with."""
    return g.get("current_login") if current_user.is_authenticated else None


def start_session(user: User, *, remember: bool, address: str | None, user_agent: str) -> bool:
    """Log `user` in on this browser: a new server-side session and the cookies that carry it."""
    token = tokens.new_token()
    # Before the commit, which would expire the user's attributes that login_user() reads.
    user.login_token = token
    login_user(user, remember=remember)
    done = perform(lambda: services.log_in(
        user, token, remember=remember, lifetime=session_lifetime(remember), address=address, user_agent=user_agent
    ))
    if not done:
        logout_user()
    return bool(done)
